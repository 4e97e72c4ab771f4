"""The skip-or-fail helper: a missing system part skips locally and fails in CI."""
from __future__ import annotations

import pytest

from tests.deploy.require import require


@pytest.mark.parametrize("flag, outcome", [
    (None, pytest.skip.Exception), ("0", pytest.skip.Exception), ("1", pytest.fail.Exception),
])
def test_missing_part(monkeypatch, flag, outcome) -> None:
    """Absent: skip, unless MEDREG_REQUIRE_ALL=1 makes it a failure."""
    if flag is None:
        monkeypatch.delenv("MEDREG_REQUIRE_ALL", raising=False)
    else:
        monkeypatch.setenv("MEDREG_REQUIRE_ALL", flag)
    with pytest.raises(outcome, match="nginx is absent"):
        require(False, "nginx is absent")


def test_present_part_passes(monkeypatch) -> None:
    """Present: nothing happens, whatever the flag."""
    monkeypatch.setenv("MEDREG_REQUIRE_ALL", "1")
    require(True, "never shown")
