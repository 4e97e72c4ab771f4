"""The SDK pins: one major (the one tested), httpx2 declared because medreg imports it, installed versions inside;
every runtime dependency declared once, in setup.cfg (requirements.txt only installs the package)."""
from __future__ import annotations

import configparser
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]


def _requirements() -> dict[str, dict[str, Requirement]]:
    lines = {"requirements.txt": (ROOT / "requirements.txt").read_text().splitlines()}
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    lines["setup.cfg"] = setup["options"]["install_requires"].splitlines()
    found: dict[str, dict[str, Requirement]] = {}
    for source, entries in lines.items():
        for line in entries:
            line = line.split("#")[0].strip()
            if line and not line.startswith("-"):
                requirement = Requirement(line)
                found.setdefault(requirement.name, {})[source] = requirement
    return found


@pytest.mark.parametrize("package", ["anthropic", "httpx2"])
def test_pinned_to_the_tested_major_and_installed_inside(package) -> None:
    pins = _requirements()[package]
    assert set(pins) == {"setup.cfg"}, f"{package} must be declared once, in setup.cfg"
    installed = Version(version(package))
    for source, requirement in pins.items():
        assert requirement.specifier.contains(installed), (source, str(requirement), str(installed))
        assert not requirement.specifier.contains(f"{installed.major + 1}.0"), f"{source}: next major allowed"
        assert not requirement.specifier.contains(f"{installed.major - 1}.99"), f"{source}: older major allowed"
