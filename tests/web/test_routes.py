"""The web blueprint's routes in-process: the page, its headers, the shared stream client."""
from __future__ import annotations


def test_index_page_is_served(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert b'<script type="module" src="static/app.js">' in response.data


def test_index_page_allows_only_its_own_scripts(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_only_the_stream_client_is_shared_with_other_origins(client):
    assert client.get("/static/sse-client.js").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/static/app.js").headers
