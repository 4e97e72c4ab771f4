"""Real request bodies for every step, made by the offline engine, for hostile tests to break."""
from __future__ import annotations

from functools import lru_cache

from medreg import create_app


@lru_cache(maxsize=1)
def valid_bodies() -> dict[str, dict]:
    """One valid body per step: classify and purpose from a concept, standards and refine from real results."""
    client = create_app({"ENGINE": "offline", "TESTING": True, "RATE_LIMIT": "off"}).test_client()
    concept = "a wireless insulin pump for home use with a smartphone app"
    classification = client.post("/api/classify", json={"concept": concept}).get_json()
    purpose = client.post("/api/purpose", json={"concept": concept, "classification": classification}).get_json()
    plans = client.post("/api/standards", json={"classification": classification,
                                                "purposeMechanism": purpose}).get_json()["plans"]
    return {
        "classify": {"concept": concept, "context": "adults with type 1 diabetes", "markets": ["US", "EU", "KR"],
                     "language": "en"},
        "purpose": {"concept": concept, "classification": classification, "language": "en"},
        "standards": {"classification": classification, "purposeMechanism": purpose, "markets": ["EU", "KR"]},
        "refine": {"plans": plans[:3], "feedback": "we sell in Korea only", "classification": classification},
    }


def step_of(path: str) -> str:
    """The step an endpoint path serves."""
    return path.rsplit("/", 1)[-1]
