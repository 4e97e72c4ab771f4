"""Skip a test when a system part is missing, except in CI (MEDREG_REQUIRE_ALL=1), where it fails."""
from __future__ import annotations

import os

import pytest


def required_everywhere() -> bool:
    """True when every system part must be present (CI sets MEDREG_REQUIRE_ALL=1)."""
    return os.environ.get("MEDREG_REQUIRE_ALL", "") not in ("", "0")


def require(present: bool, reason: str) -> None:
    """Skip with `reason` when `present` is false; fail instead when everything is required."""
    if present:
        return
    if required_everywhere():
        pytest.fail(f"{reason} (MEDREG_REQUIRE_ALL=1: a missing part is a failure, not a skip)")
    pytest.skip(reason)
