"""When the review routes exist at all: only with ``serve --curate``, never with a guessable
token or on a public address, and only for loopback host names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from curation_project import KEY

from habitat_kg.cli import main
from habitat_kg.server.curation.access import is_loopback


def test_without_curate_the_review_routes_do_not_exist(app) -> None:
    plain = app.test_client()
    for path in ("/curate", "/curate/", f"/curate/{KEY}", "/curate/suggest?q=Nai"):
        assert plain.get(path).status_code == 404, path
    assert plain.post(f"/curate/{KEY}/decide", data={"id": "x"}).status_code == 404


def test_serve_refuses_a_short_curation_token(monkeypatch) -> None:
    monkeypatch.setenv("HABITAT_KG_CURATION_TOKEN", "guessable")
    result = CliRunner().invoke(main, ["serve", "--curate"])
    assert result.exit_code == 2
    assert "HABITAT_KG_CURATION_TOKEN" in result.output and "at least 16" in result.output


def test_serve_refuses_curation_on_a_public_address() -> None:
    result = CliRunner().invoke(main, ["serve", "--curate", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "loopback" in result.output and "--allow-remote-curation" in result.output


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.4", False),
        ("localhost.evil.example", False),
        ("example.org", False),
    ],
)
def test_loopback_is_told_apart(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
