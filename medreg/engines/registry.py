"""Picks the engine named by configuration; plug-ins are named as `package.module:Class`."""
from __future__ import annotations

import importlib
import os
from typing import Mapping

from medreg.engines.base import Engine


def _load_class(path: str) -> type[Engine]:
    module_name, _, class_name = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)


def engine_choice(config: Mapping) -> str:
    """The engine the settings ask for, with `auto` resolved."""
    choice = str(config.get("ENGINE") or "auto").strip()
    if choice == "auto":
        has_key = bool(config.get("ANTHROPIC_API_KEY") or os.environ.get("ANTHROPIC_API_KEY"))
        return "anthropic" if has_key else "offline"
    return choice


def build_engine(config: Mapping) -> Engine:
    """Construct the configured engine (`offline`, `anthropic`, `auto` or `module:Class`)."""
    choice = engine_choice(config)
    if choice == "offline":
        from medreg.engines.offline import OfflineEngine

        return OfflineEngine.from_config(config)
    if choice == "anthropic":
        from medreg.engines.anthropic.engine import AnthropicEngine

        return AnthropicEngine.from_config(config)
    if ":" in choice:
        cls = _load_class(choice)
        factory = getattr(cls, "from_config", None)
        return factory(config) if factory else cls()
    raise ValueError(f"unknown engine {choice!r}: use auto, offline, anthropic or module:Class")
