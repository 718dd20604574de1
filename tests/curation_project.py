"""A project for the review pages' tests: the bundled record with a report written for testing
ingested (its proposals pending) and built, and the review app of ``serve --curate`` on it."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from flask import Flask

from habitat_kg.graph.build import build
from habitat_kg.graph.review import ingest_with_proposals, load_review
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app

REPO = Path(__file__).resolve().parents[1]
#: A report written for testing (tests/data/corpus, a tuning file).
REPORT = REPO / "tests" / "data" / "corpus" / "eb-2022-1_item-6.en.txt"
REPORT_ID = "eb-2022-1/item-6"
KEY = "eb-2022-1_item-6"
ORIGIN = "http://localhost"


def ingested_project(root: Path) -> Path:
    """``root`` made a project: the bundled sources, the test report ingested, built."""
    shutil.copytree(REPO / "graph" / "sources", root / "sources")
    ingest_with_proposals(REPORT, root / "sources")
    build(root / "sources", root / "build")
    return root


@contextmanager
def curation_app(project: Path, token: str, testing: bool = True) -> Iterator[Flask]:
    """The app of ``serve --curate`` on ``project``, closed (its query workers ended) after."""
    config = {
        "DATA": str(project / "build"),
        "SOURCES": str(project / "sources"),
        "CURATION_TOKEN": token,
        "CURATOR": "",
    }
    app = create_app({**config, "TESTING": True} if testing else config, curate=True)
    try:
        yield app
    finally:
        close_app(app)


def signed_in(client, token: str) -> str:
    """Open a session with the token; the CSRF token of the report's page."""
    first = client.get(f"/curate?token={token}")
    assert first.status_code == 303
    page = client.get(f"/curate/{KEY}")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def pending_ids(sources: Path, kind: str | None = None) -> list[str]:
    """The ids of the test report's pending proposals (of one kind when given)."""
    review = load_review(sources, REPORT_ID)
    return [i.id for i in review.pending() if kind is None or i.proposal.kind == kind]


def sparql(client, query: str) -> list[dict]:
    """The rows of a SELECT through the app's endpoint."""
    answer = client.get(
        "/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return json.loads(answer.data)["results"]["bindings"]
