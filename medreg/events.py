"""Typed events that every pipeline step yields; the SSE and JSON endpoints both consume them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional


@dataclass(frozen=True)
class Status:
    """Progress note: a human `message` in the request's language and a machine `stage`."""

    message: str
    stage: str
    progress: Optional[float] = None
    request_id: Optional[str] = None
    type: ClassVar[str] = "status"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        body = {"type": "status", "message": self.message, "stage": self.stage}
        if self.progress is not None:
            body["progress"] = round(self.progress, 3)
        if self.request_id is not None:
            body["request_id"] = self.request_id
        return body


@dataclass(frozen=True)
class Delta:
    """A piece of model text as it is written."""

    text: str
    type: ClassVar[str] = "delta"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        return {"type": "delta", "text": self.text}


@dataclass(frozen=True)
class PlanReady:
    """One regulatory plan, sent the moment it is ready."""

    data: dict
    index: int
    total: int
    type: ClassVar[str] = "plan"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        return {"type": "plan", "data": self.data, "index": self.index, "total": self.total}


@dataclass(frozen=True)
class Result:
    """The step's final result: the same object the JSON endpoint returns."""

    data: dict
    type: ClassVar[str] = "result"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        return {"type": "result", "data": self.data}


@dataclass(frozen=True)
class Done:
    """Terminal event on success."""

    elapsed_ms: int
    extra: dict = field(default_factory=dict)
    type: ClassVar[str] = "done"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        return {"type": "done", "elapsed_ms": self.elapsed_ms, **self.extra}


@dataclass(frozen=True)
class Failure:
    """Terminal event on failure (sent as SSE event type `error`)."""

    code: str
    message: str
    retryable: bool = False
    fields: Optional[dict] = None
    # The upstream's own words where it gave any (a refusal's stated reason), and its Retry-After.
    reason: Optional[str] = None
    retry_after_s: Optional[int] = None
    type: ClassVar[str] = "error"

    def payload(self) -> dict:
        """The JSON object sent as the event's data."""
        body: dict[str, Any] = {
            "type": "error",
            "code": self.code,
            "message": self.message,
            "retryable": self.retryable,
        }
        if self.fields:
            body["fields"] = self.fields
        if self.reason:
            body["reason"] = self.reason
        if self.retry_after_s is not None:
            body["retry_after"] = self.retry_after_s
        return body


Event = Status | Delta | PlanReady | Result | Done | Failure
