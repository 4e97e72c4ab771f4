"""The engine interface: what every engine (offline knowledge base, Anthropic) offers."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Iterator, Optional

from medreg.events import Event

from medreg.knowledge.qualification.apply import device_markets
from medreg.markets import MARKETS


@dataclass(frozen=True)
class ClassifyInput:
    """A device concept to classify."""

    concept: str
    language: str
    context: Optional[str] = None
    markets: tuple[str, ...] = MARKETS
    answers: Optional[dict] = None   # {question id: option value}, already validated


@dataclass(frozen=True)
class PurposeInput:
    """A concept (and optionally its classification) to describe."""

    concept: str
    language: str
    classification: Optional[dict] = None
    context: Optional[str] = None


@dataclass(frozen=True)
class StandardsInput:
    """A classification (and optionally a purpose) to plan the regulatory work for."""

    classification: dict
    language: str
    category: Optional[dict] = None
    purpose: Optional[dict] = None
    markets: tuple[str, ...] = MARKETS

    def __post_init__(self) -> None:
        # Every engine plans only the markets that regulate it as a device (a pad is 의약외품 in Korea).
        object.__setattr__(self, "markets", device_markets(self.classification, self.markets))


@dataclass(frozen=True)
class RefineInput:
    """Plans to revise from the user's feedback; `single` when the request sent one `plan`."""

    plans: list
    feedback: str
    language: str
    single: bool = True
    classification: Optional[dict] = None
    purpose: Optional[dict] = None


class Engine(ABC):
    """An engine yields typed events for each step and ends each step with one `Result`.

    Engines never yield `Done` or `Failure`: the pipeline adds the terminal event, and an
    engine reports failure by raising a `medreg.errors.MedregError`.
    """

    engine_id: ClassVar[str] = "engine"
    # Waits on the network (can fall silent): the relay runs it in its own greenlet with
    # heartbeats, the step deadline and a watch on the client's socket. An engine that only
    # computes is iterated inline.
    waits_on_io: ClassVar[bool] = True

    @property
    def name(self) -> str:
        """The value of `engine` in every result, e.g. `offline` or `anthropic:<model>`."""
        return self.engine_id

    @abstractmethod
    def classify(self, request: ClassifyInput) -> Iterator[Event]:
        """Classify a concept per market."""

    @abstractmethod
    def purpose(self, request: PurposeInput) -> Iterator[Event]:
        """Write the intended purpose and mechanism of action."""

    @abstractmethod
    def standards(self, request: StandardsInput) -> Iterator[Event]:
        """Yield one `PlanReady` per plan as each is ready, then the `Result`."""

    @abstractmethod
    def refine(self, request: RefineInput) -> Iterator[Event]:
        """Revise plans from feedback."""

    def close(self) -> None:
        """Release connections; gunicorn's worker_exit hook calls it when a worker stops."""
