"""Engines behind one interface; `build_engine` picks one from configuration."""
