"""A SPARQL server that is slow, silent, down or refuses the load: a clear message naming it,
within the time limit, and exit status 1; and how ``--store`` names a server and its kind."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from faulty_servers import Behaviour, faulty_server
from servers import free_port

from habitat_kg.cli import main
from habitat_kg.errors import StoreUnavailable
from habitat_kg.graph.build import BuildResult
from habitat_kg.server.store import QueryTimeout, open_store
from habitat_kg.server.store.remote import SparqlStore, server_kind

HABITAT_KG = str(Path(sys.executable).with_name("habitat-kg"))
#: The first graph publish sends.
LAYER_FIRST = "https://w3id.org/habitat-kg/graph/ontology"


@pytest.mark.alone
def test_a_slow_server_gives_a_time_out_not_an_answer() -> None:
    with faulty_server(Behaviour(query_delay=30)) as base:
        slow = SparqlStore(f"{base}/sparql", timeout=1.0, environ={})
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=rf"time limit of 1 s at {base}/sparql"):
            slow.query("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 1.5


@pytest.mark.alone
def test_a_server_that_never_answers_is_unavailable_within_the_limit() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # connections are queued, never answered
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match=f"{url} did not answer within 1 s"):
            SparqlStore(url, timeout=1.0, environ={}).query("ASK { ?s ?p ?o }")
        assert time.monotonic() - started < 1.5


def test_a_server_that_is_down_is_one_line_and_exit_1(built: BuildResult) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreUnavailable, match=f"POST {url}: connection refused"):
        SparqlStore(url, environ={}).query("ASK { ?s ?p ?o }")
    for command in (["publish"], ["stats"]):
        result = subprocess.run(
            [HABITAT_KG, *command, "--store", url, "--data", str(built.out_dir)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        errors = [line for line in result.stderr.splitlines() if "error" in line]
        assert len(errors) == 1 and "Traceback" not in result.stderr
        assert errors[0].startswith("habitat-kg: error: ") and url in errors[0]
        assert "connection refused" in errors[0]


def test_a_server_that_refuses_the_load_fails_publish_with_its_status(built: BuildResult) -> None:
    behaviour = Behaviour(refuse_status=500)
    with faulty_server(behaviour) as base:
        result = CliRunner().invoke(
            main,
            [
                "publish",
                "--store",
                f"{base}/query",
                "--gsp-url",
                f"{base}/store",
                "--data",
                str(built.out_dir),
            ],
            env={"HABITAT_KG_STORE_USER": "editor", "HABITAT_KG_STORE_PASSWORD": "s3cret"},
        )
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"habitat-kg: error: publishing <{LAYER_FIRST}> failed: PUT {base}")
    assert "the server answered 500" in last and "the store is read-only today" in last
    assert "s3cret" not in result.stderr
    # Credentials from the environment went with every request, never on the command line.
    assert all(
        headers.get("Authorization", "").startswith("Basic ") for *_, headers in behaviour.seen
    )


def test_store_syntax_names_every_kind_of_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HABITAT_KG_UPDATE_URL", "http://127.0.0.1:7878/update")
    monkeypatch.setenv("HABITAT_KG_TIMEOUT", "7")
    remote = open_store("http://127.0.0.1:7878/query", gsp_url="http://127.0.0.1:7878/store")
    assert isinstance(remote, SparqlStore)
    assert (remote.update_url, remote.gsp_url, remote.timeout) == (
        "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store",
        7.0,
    )
    for wrong in ("ftp://host/sparql", "oxigraph:", "sparql"):
        with pytest.raises(ValueError, match="unknown store"):
            open_store(wrong)
    with pytest.raises(ValueError, match="gsp-url: expected an http"):
        open_store("http://127.0.0.1:7878/query", gsp_url="/store")


def test_server_kinds_take_the_time_limit_in_their_own_unit() -> None:
    virtuoso = server_kind("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu")
    assert (virtuoso.name, virtuoso.limit_parameter, virtuoso.limit_value(1.5)) == (
        "virtuoso",
        "timeout",
        "1500",
    )
    assert server_kind("Apache Jena Fuseki (5.1.0)").limit_value(2.5) == "2.5"
    assert server_kind("Oxigraph/0.5.13").limit_parameter is None
    assert server_kind(None).name == "unknown"
