"""README's two qualification examples, served by real gunicorn: what a user reads is what the README shows."""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[tuple[str, dict]]:
    """(concept, expected JSON excerpt) pairs from the README's qualification section, in order."""
    section = README.read_text("utf-8").split("## Is it a medical device?")[1].split("\n## ")[0]
    concepts = re.findall(r'-d \'\{"concept":"([^"]+)"\}\'', section)
    answers = re.findall(r"```json\n(.*?)```", section, re.S)
    assert len(concepts) == len(answers) == 2
    return list(zip(concepts, answers))


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url + "/api/classify", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("index", [0, 1])
def test_readme_example_is_what_the_server_answers(live_server: str, index: int) -> None:
    concept, shown = _examples()[index]
    served = _post(live_server, {"concept": concept})
    q = served["qualification"]
    assert f'"status": "{q["status"]}"' in shown and f'"reason": "{q["reason"]}"' in shown
    for citation in q["citations"]:
        assert json.dumps(citation, ensure_ascii=False) in shown
    us = served["markets"]["US"]
    assert f'"class": {json.dumps(us["class"])}' in shown
    assert json.dumps(us["pathway"], ensure_ascii=False) in shown
    if q["status"] == "not_device":
        assert served["questions"][0] in shown
    else:
        assert f'"product_code": "{us["product_code"]}"' in shown and us["regulation"] in shown
