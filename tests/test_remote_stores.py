"""Real SPARQL servers behind the store interface: Oxigraph's server and Virtuoso give the
embedded store's answers to every stored question; a server that is down, slow or refuses the
load gives a clear message and a non-zero exit, and leaves nothing half-written.

How answers are compared: see ``comparable.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from comparable import comparable
from faulty_servers import Behaviour, faulty_server
from servers import (  # the fixtures oxigraph and virtuoso start real servers
    RunningServer,
    oxigraph_fixture,  # noqa: F401
    oxigraph_server,
    virtuoso_fixture,  # noqa: F401
)

from habitat_kg.cli import main
from habitat_kg.graph.build import BuildResult
from habitat_kg.server.questions import StoredQuestion, all_questions
from habitat_kg.server.store import QueryTimeout, Solutions, Store, Triples
from habitat_kg.server.store.oxigraph import LOADED_NOTE, OxigraphStore
from habitat_kg.server.store.query_text import QueryRefused, read_query
from habitat_kg.server.store.remote import SparqlStore
from habitat_kg.server.store.remote_load import STAGING_PREFIX
from habitat_kg.server.store.serving import AnswerRequest

#: The installed command, run as a process of its own as a user runs it.
HABITAT_KG = str(Path(sys.executable).with_name("habitat-kg"))

CURATED = "https://w3id.org/habitat-kg/graph/curated"
DOCUMENT = "https://w3id.org/habitat-kg/graph/document"


def _cli_env(server: RunningServer) -> dict[str, str]:
    return {
        "HABITAT_KG_STORE_USER": "",
        "HABITAT_KG_STORE_PASSWORD": "",
        "HABITAT_KG_STORE_AUTH": "",
        **server.credentials,
    }


def _publish(server: RunningServer, data: Path) -> subprocess.CompletedProcess:
    """``habitat-kg publish`` to ``server``, as a user runs it (a process of its own)."""
    env = {**os.environ, **_cli_env(server)}
    return subprocess.run(
        [HABITAT_KG, "publish", *server.store_options(), "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def _remote(server: RunningServer, timeout: float = 30.0) -> SparqlStore:
    return SparqlStore(
        server.query_url,
        update_url=server.update_url,
        gsp_url=server.gsp_url,
        timeout=timeout,
        environ=_cli_env(server),
    )


@pytest.fixture(scope="session")
def published_oxigraph(oxigraph: RunningServer, built: BuildResult) -> SparqlStore:
    result = _publish(oxigraph, built.out_dir)
    assert result.returncode == 0, result.stderr
    assert f"<{CURATED}>: replaced" in result.stderr  # progress, graph by graph
    return _remote(oxigraph)


@pytest.fixture(scope="session")
def published_virtuoso(virtuoso: RunningServer, built: BuildResult) -> SparqlStore:
    result = _publish(virtuoso, built.out_dir)
    assert result.returncode == 0, result.stderr
    return _remote(virtuoso)


@pytest.mark.parametrize("question", all_questions(), ids=lambda question: question.name)
@pytest.mark.parametrize("server", ["published_oxigraph", "published_virtuoso"])
def test_a_server_answers_every_stored_question_as_the_embedded_store(
    server: str, request: pytest.FixtureRequest, store: Store, question: StoredQuestion
) -> None:
    remote: SparqlStore = request.getfixturevalue(server)
    sparql = question.sparql()
    assert comparable(remote.query(sparql), sparql) == comparable(store.query(sparql), sparql)


@pytest.mark.parametrize("server", ["published_oxigraph", "published_virtuoso"])
def test_a_remote_store_holds_the_dataset_and_answers_construct(
    server: str, request: pytest.FixtureRequest, store: Store
) -> None:
    remote: SparqlStore = request.getfixturevalue(server)
    assert remote.triple_count() == store.triple_count()
    construct = (
        "PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>\n"
        "CONSTRUCT { ?r ?p ?o } WHERE { ?r a hkg:Resolution ; ?p ?o }"
    )
    answer = remote.query(construct)
    assert isinstance(answer, Triples) and len(answer) > 20
    assert comparable(answer, construct) == comparable(store.query(construct), construct)
    # The server's own default graph is not the dataset's (Virtuoso's holds its system graphs,
    # Oxigraph's is empty): the remote store names the layers as the default graph.
    answer = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, Solutions)
    assert answer.values("n") == store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").values(
        "n"
    )


def test_virtuoso_stops_a_query_at_the_time_limit_and_does_no_more_work(
    published_virtuoso: SparqlStore, virtuoso: RunningServer
) -> None:
    slow = _remote(virtuoso, timeout=1.0)
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        slow.query(endless)
    assert time.monotonic() - started < 2.0
    time.sleep(2.0)  # Virtuoso stops at the limit it was given (its answer comes ~1 s late)
    before = _cpu_seconds(virtuoso.process.pid)
    time.sleep(1.0)
    assert _cpu_seconds(virtuoso.process.pid) - before < 0.3, "Virtuoso is still evaluating"
    assert slow.query("ASK { ?s ?p ?o }") is True


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


LAYER_FIRST = "https://w3id.org/habitat-kg/graph/ontology"


def _changed_dataset(built: BuildResult, folder: Path) -> Path:
    """A copy of the built dataset with one more triple in the document and curated graphs."""
    folder.mkdir()
    text = (built.out_dir / "habitat-kg.trig").read_text(encoding="utf-8")
    extra = "".join(
        f'<{graph}> {{ <urn:x-test:new> <urn:x-test:in> "{graph}" . }}\n'
        for graph in (DOCUMENT, CURATED)
    )
    (folder / "habitat-kg.trig").write_text(text + extra, encoding="utf-8")
    return folder


def _graph_size(server: RunningServer, graph: str) -> int:
    answer = SparqlStore(server.query_url, environ={}, graphs=(graph,)).query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert isinstance(answer, Solutions)
    return int(answer.values("n")[0])


def _server_graphs(server: RunningServer) -> set[str]:
    """Every named graph on the server (asked without the store, which sees only the layers)."""
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"})
    request = urllib.request.Request(f"{server.query_url}?{query}", headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return set(response.read().decode().split()[1:])


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_a_load_cut_midway_leaves_the_old_graph(
    protocol: str, built: BuildResult, tmp_path: Path
) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as server:
        assert _publish(server, built.out_dir).returncode == 0
        old_curated = _graph_size(server, CURATED)
        old_document = _graph_size(server, DOCUMENT)
        changed = _changed_dataset(built, tmp_path / "changed")

        def cut(method: str, path: str, body: bytes) -> bool:
            if protocol == "gsp":  # the PUT of the curated graph is cut in half
                return method == "PUT" and "curated" in path
            # the second piece of the curated graph's staging load is cut in half
            piece = b"INSERT+DATA" in body and b"graph%252Fcurated" in body
            cut.pieces += piece
            return piece and cut.pieces == 2

        cut.pieces = 0
        with faulty_server(Behaviour(upstream=server.query_url.rsplit("/", 1)[0], cut=cut)) as p:
            options = ["--store", f"{p}/query"]
            options += ["--gsp-url", f"{p}/store"] if protocol == "gsp" else []
            options += ["--update-url", f"{p}/update"]
            result = CliRunner().invoke(main, ["publish", *options, "--data", str(changed)])
        assert result.exit_code == 1
        message = result.stderr.strip().splitlines()[-1]
        assert f"publishing <{CURATED}> failed" in message and "502" in message
        assert f"graphs already replaced: <{LAYER_FIRST}>" in message
        assert _graph_size(server, DOCUMENT) == old_document + 1  # replaced whole, before
        assert _graph_size(server, CURATED) == old_curated  # the old graph, whole
        assert not any(g.startswith(STAGING_PREFIX) for g in _server_graphs(server))


def test_a_dataset_that_cannot_be_read_sends_nothing(
    published_oxigraph: SparqlStore, oxigraph: RunningServer, tmp_path: Path
) -> None:
    before = published_oxigraph.triple_count()
    (tmp_path / "habitat-kg.trig").write_text(
        f"<{CURATED}> {{ <urn:a> <urn:b> <urn:c> . }}\n<{DOCUMENT}> {{ <urn:a> <urn:b> \n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["publish", *oxigraph.store_options(), "--data", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"habitat-kg: error: {tmp_path / 'habitat-kg.trig'}:")
    assert published_oxigraph.triple_count() == before


def test_publish_needs_a_server_and_whole_credentials(built: BuildResult) -> None:
    runner = CliRunner()
    memory = runner.invoke(main, ["publish", "--store", "memory", "--data", str(built.out_dir)])
    assert memory.exit_code == 2 and "give its query URL with --store" in memory.stderr
    half = runner.invoke(
        main,
        ["publish", "--store", "http://127.0.0.1:9/query", "--data", str(built.out_dir)],
        env={"HABITAT_KG_STORE_USER": "editor", "HABITAT_KG_STORE_PASSWORD": ""},
    )
    assert half.exit_code == 2 and "set both or neither" in half.stderr


def test_an_on_disk_oxigraph_store_keeps_its_dataset_between_starts(
    built: BuildResult, tmp_path: Path
) -> None:
    folder = tmp_path / "store"
    first = OxigraphStore(folder)
    first.load_dataset(built.dataset_path)
    triples = first.triple_count()
    del first  # closes the store, as a process ending does
    assert (folder / LOADED_NOTE).is_file()

    # A quad that only a reload would remove shows whether the next start reloads.
    raw = ox.Store(str(folder))
    raw.add(
        ox.Quad(
            ox.NamedNode("urn:x-test:s"),
            ox.NamedNode("urn:x-test:p"),
            ox.Literal("kept"),
            ox.NamedNode(CURATED),
        )
    )
    raw.flush()
    del raw
    again = OxigraphStore(folder)
    started = time.monotonic()
    again.load_dataset(built.dataset_path)  # the same file: nothing to do
    assert time.monotonic() - started < 2.0
    assert again.triple_count() == triples + 1
    assert again.query("ASK { <urn:x-test:s> ?p ?o }") is True

    # A copy of the same file (another time, another name): read and hashed, not loaded.
    copy = tmp_path / "copy" / "habitat-kg.trig"
    copy.parent.mkdir()
    shutil.copyfile(built.dataset_path, copy)
    os.utime(copy, ns=(0, 0))
    again.load_dataset(copy)
    assert again.query("ASK { <urn:x-test:s> ?p ?o }") is True
    note = json.loads((folder / LOADED_NOTE).read_text(encoding="utf-8"))
    assert note["dataset"] == str(copy) and note["file"]["mtime_ns"] == 0
    assert note["triples"] == triples  # what the load counted, not the quad added since

    # Other contents of the same size written into that file, its time set back: loaded.
    text = copy.read_bytes()
    copy.write_bytes(text.replace(b"Capacity Development", b"Capacity-Development", 1))
    os.utime(copy, ns=(0, 0))
    again.load_dataset(copy)
    assert again.query("ASK { <urn:x-test:s> ?p ?o }") is False
    assert again.triple_count() == triples
    assert json.loads((folder / LOADED_NOTE).read_text(encoding="utf-8"))["triples"] == triples

    changed = _changed_dataset(built, tmp_path / "changed") / "habitat-kg.trig"
    again.load_dataset(changed)  # another build: its contents replace the old ones
    assert again.triple_count() == triples + 2
    del again
    shutil.rmtree(folder)


@pytest.mark.parametrize("server", ["published_oxigraph", "published_virtuoso"])
def test_a_remote_store_writes_answers_for_the_endpoint_as_the_workers_do(
    server: str, request: pytest.FixtureRequest
) -> None:
    remote: SparqlStore = request.getfixturevalue(server)
    remote.prefixes = {"hkg": "https://w3id.org/habitat-kg/ontology#"}
    select = read_query(
        "PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s ?label WHERE { ?s a hkg:Resolution ; rdfs:label ?label }"
    )
    cut = remote.serialized_query(select, AnswerRequest(max_rows=3))
    document = json.loads(cut.body)
    assert (cut.form, cut.format, cut.truncated_at) == ("SELECT", "json", 3)
    assert len(document["results"]["bindings"]) == 3
    whole = remote.serialized_query(select, AnswerRequest("csv", max_rows=1000))
    assert whole.truncated_at is None and whole.body.startswith(b"s,label\r\n")
    assert len(whole.body.splitlines()) - 1 == len(remote.query(select.text))
    # A label in Chinese keeps its language through the server and the rewriting.
    assert "第1/5号决议" in whole.body.decode()

    construct = read_query(
        "CONSTRUCT { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> } "
        "WHERE { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> }"
    )
    graph = remote.serialized_query(construct, AnswerRequest())
    assert graph.form == "CONSTRUCT" and b"@prefix hkg:" in graph.body
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.TURTLE))) >= 5

    only_ontology = remote.serialized_query(
        read_query("ASK { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> }"),
        AnswerRequest(default_graphs=("https://w3id.org/habitat-kg/graph/ontology",)),
    )
    assert json.loads(only_ontology.body)["boolean"] is False
    with pytest.raises(QueryRefused, match="SERVICE"):
        remote.serialized_query(
            read_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"),
            AnswerRequest(),
        )


def test_the_server_serves_from_a_remote_store(
    published_oxigraph: SparqlStore, oxigraph: RunningServer, tmp_path: Path
) -> None:
    # `habitat-kg serve --store URL`: no local dataset, the endpoint and the pages ask the server.
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    app = create_app({"DATA": str(tmp_path / "no-build"), "STORE": oxigraph.query_url})
    try:
        client = app.test_client()
        fao = "<https://w3id.org/habitat-kg/id/org/fao>"
        answer = client.post(
            "/sparql",
            data={"query": f"SELECT ?n WHERE {{ {fao} <{HKG_ACRONYM}> ?n }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert [b["n"]["value"] for b in answer.get_json()["results"]["bindings"]] == ["FAO"]
        rows = client.get("/queries/partners-of-a-resolution.json?resolution=1/5").get_json()[
            "rows"
        ]
        assert "https://w3id.org/habitat-kg/id/org/fao" in {row["agent"] for row in rows}
        assert "联合国粮食及农业组织" in client.get("/id/org/fao").get_data(as_text=True)
        assert client.get("/health").get_json()["triples"] > 10000
    finally:
        close_app(app)


HKG_ACRONYM = "https://w3id.org/habitat-kg/ontology#acronym"
