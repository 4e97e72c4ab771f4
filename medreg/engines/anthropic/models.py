"""Is the configured model there? The Models API (`GET /v1/models/{id}`), asked at start-up and on
`/healthz?deep=1`, answers what /healthz reports: ok, or what is wrong, in words an operator acts on."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import anthropic
import httpx2

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class ModelStatus:
    """The outcome of the last check: `code` for machines, `status` for people."""

    code: str       # ok | model_not_found | model_retired | invalid_api_key | unreachable | unchecked
    status: str     # "ok", or e.g. "model claude-x not found — set MEDREG_MODEL"
    checked_at: float = 0.0

    @property
    def usable(self) -> bool:
        """False when calls cannot succeed until the configuration changes."""
        return self.code in ("ok", "unreachable", "unchecked")


UNCHECKED = ModelStatus("unchecked", "not checked yet")


def not_found(model: str) -> ModelStatus:
    """The status for a model the API does not know."""
    return ModelStatus("model_not_found", f"model {model} not found — set MEDREG_MODEL", time.time())


def bad_key(model: str, forbidden: bool = False) -> ModelStatus:
    """The status for a rejected key (401), or one not allowed to use the model (403)."""
    text = f"API key not permitted to use model {model}" if forbidden else "invalid API key — set ANTHROPIC_API_KEY"
    return ModelStatus("invalid_api_key", text, time.time())


def check_model(client: anthropic.Anthropic, model: str, timeout_s: float = CHECK_TIMEOUT_S) -> ModelStatus:
    """Ask the Models API about `model` once (no retries, a short timeout)."""
    try:
        info = client.with_options(timeout=timeout_s, max_retries=0).models.retrieve(model)
    except anthropic.NotFoundError:
        status = not_found(model)
    except anthropic.AuthenticationError:
        status = bad_key(model)
    except anthropic.PermissionDeniedError:
        status = bad_key(model, forbidden=True)
    except (anthropic.APIError, httpx2.HTTPError) as exc:
        status = ModelStatus("unreachable", f"Models API unreachable ({type(exc).__name__}); not verified",
                             time.time())
    else:
        lifecycle = getattr(info, "lifecycle", "active")
        if lifecycle == "retired":
            status = ModelStatus("model_retired", f"model {model} is retired — set MEDREG_MODEL", time.time())
        elif lifecycle == "deprecated":
            retires = getattr(info, "retires_at", None)
            status = ModelStatus("ok", f"ok (model {model} is deprecated"
                                 + (f", retires {retires:%Y-%m-%d})" if retires else ")"), time.time())
        else:
            status = ModelStatus("ok", "ok", time.time())
    level = logging.INFO if status.code == "ok" else logging.WARNING
    log.log(level, "anthropic model check: %s: %s", model, status.status)
    return status
