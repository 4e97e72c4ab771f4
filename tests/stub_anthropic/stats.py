"""Counters the stub exposes on GET /_stats, shared across its worker processes."""
from __future__ import annotations

import multiprocessing
import os

NAMES: tuple[str, ...] = ("requests", "rejected", "started", "completed", "cancelled", "faulted", "model_checks")


class Counters:
    """One row of counters per process in shared memory; each process writes only its own row."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.cells = multiprocessing.RawArray("q", processes * len(NAMES))
        self.row = 0

    def claim_row(self, row: int) -> None:
        """Called in each forked worker: the row it writes to."""
        self.row = row

    def add(self, name: str, amount: int = 1) -> None:
        """Count one event of `name` in this process's row."""
        self.cells[self.row * len(NAMES) + NAMES.index(name)] += amount

    def reset(self) -> None:
        """Zero every row."""
        for index in range(len(self.cells)):
            self.cells[index] = 0

    def snapshot(self) -> dict:
        """Totals over all processes, plus `open` = started minus every way a stream ends."""
        totals = {name: sum(self.cells[row * len(NAMES) + col] for row in range(self.processes))
                  for col, name in enumerate(NAMES)}
        totals["open"] = totals["started"] - totals["completed"] - totals["cancelled"] - totals["faulted"]
        totals["pid"] = os.getpid()
        return totals
