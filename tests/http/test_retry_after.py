"""Every 429 carries Retry-After, whichever part refused the request (ours or Werkzeug's)."""
from __future__ import annotations

from werkzeug.exceptions import TooManyRequests

from medreg import create_app
from medreg.errors import RateLimited


def test_a_werkzeug_429_is_our_rate_limited_shape_with_its_retry_after() -> None:
    app = create_app({"RATE_LIMIT": "off"})

    @app.route("/test-429/<int:seconds>")
    def refuse(seconds: int):
        raise TooManyRequests(retry_after=seconds or None)

    client = app.test_client()
    stated = client.get("/test-429/7")
    assert stated.status_code == 429
    assert stated.headers["Retry-After"] == "7"
    assert stated.get_json()["error"]["code"] == "rate_limited"
    unstated = client.get("/test-429/0")
    assert unstated.status_code == 429 and unstated.headers["Retry-After"].isdigit()
    error = unstated.get_json()["error"]
    assert (error["code"], error["retryable"]) == ("rate_limited", True)


def test_rate_limited_keeps_a_stated_wait_and_has_one_otherwise() -> None:
    assert RateLimited(headers={"Retry-After": "12"}).headers["Retry-After"] == "12"
    assert RateLimited().headers["Retry-After"].isdigit()
