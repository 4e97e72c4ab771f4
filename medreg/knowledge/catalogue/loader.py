"""Reads the curated knowledge files shipped as package data, once per process."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources


@dataclass
class KnowledgeData:
    """The raw curated data: device types, standards catalogue and categories, by id."""

    devices: dict[str, dict] = field(default_factory=dict)
    standards: dict[str, dict] = field(default_factory=dict)
    categories: dict[str, dict] = field(default_factory=dict)


def _read_json(path) -> object:
    with path.open("r", encoding="utf-8") as handle:
        return json.load(handle)


def load_data() -> KnowledgeData:
    """Load every data file under `medreg/knowledge/data/`; duplicate ids are an error."""
    root = resources.files("medreg.knowledge") / "data"
    data = KnowledgeData()
    devices_dir = root / "devices"
    for entry in sorted(devices_dir.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        for device in _read_json(entry):
            if device["id"] in data.devices:
                raise ValueError(f"duplicate device id {device['id']!r} in {entry.name}")
            device.setdefault("_file", entry.name)
            data.devices[device["id"]] = device
    standards_file = root / "standards.json"
    if standards_file.is_file():
        for standard in _read_json(standards_file):
            if standard["id"] in data.standards:
                raise ValueError(f"duplicate standard id {standard['id']!r}")
            data.standards[standard["id"]] = standard
    for category in _read_json(root / "categories.json"):
        data.categories[category["code"]] = category
    return data
