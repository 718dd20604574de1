"""No query makes the endpoint, a store or a query worker connect anywhere (issue 13, item 1).

A listener on loopback stands for an internal server: a thread accepts its connections, counts
them and answers each with a SPARQL result, so that a query that reached it would show. Every
form of SERVICE here must be refused with a 4xx and leave the listener unconnected: through the
HTTP endpoint (GET, POST form, POST body), the rdflib store, the remote store, and a query
worker asked directly with no check before it (the worker's sandbox alone must stop it).
"""

from __future__ import annotations

import multiprocessing
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat_kg.graph.build import BuildResult
from habitat_kg.server.store.base import QueryError
from habitat_kg.server.store.memory import RdflibStore
from habitat_kg.server.store.query_guard import ServiceFound, service_in_parse, spells_service
from habitat_kg.server.store.query_text import read_query
from habitat_kg.server.store.remote import SparqlStore
from habitat_kg.server.store.serving import AnswerRequest
from habitat_kg.server.store.worker import DatasetSource, WorkerRequest, run_worker
from habitat_kg.server.store.worker_channel import channel_pair

_RESULTS = b'{"head":{"vars":["a"]},"results":{"bindings":[{"a":{"type":"literal","value":"x"}}]}}'
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    + f"Content-Length: {len(_RESULTS)}\r\nConnection: close\r\n\r\n".encode()
    + _RESULTS
)


@dataclass
class Listener:
    """A server on loopback that must never be connected to."""

    server: socket.socket
    connections: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return self.server.getsockname()[1]

    def serve(self) -> None:
        self.server.settimeout(0.05)
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with connection:
                connection.settimeout(0.5)
                try:
                    connection.recv(65536)
                    connection.sendall(ANSWER)
                except OSError:
                    pass


@contextmanager
def listening(family: socket.AddressFamily = socket.AF_INET) -> Iterator[Listener]:
    host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.bind((host, 0))
        server.listen(16)
        listener = Listener(server)
        thread = threading.Thread(target=listener.serve, daemon=True)
        thread.start()
        try:
            yield listener
        finally:
            listener._stop.set()
            thread.join(2)


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as server:
        yield server


def _ipv6_listener() -> Iterator[Listener | None]:
    try:
        with listening(socket.AF_INET6) as server:
            yield server
    except OSError:  # no IPv6 loopback on this machine
        yield None


listener6 = pytest.fixture(_ipv6_listener)

#: Query forms holding SERVICE; {url} is the listener's URL, {base} its root, {port} its port.
SERVICE_FORMS = [
    # The issue's own: an escape in an IRI made '#' start a comment for the old check only.
    "SELECT * WHERE {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "ASK {{ BIND(<http://x/\\u0041#> AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ BIND(<http://x/\\U00000041#> AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <\\u0068ttp://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
    # escapes in strings: Oxigraph decodes them inside the string, after reading it
    'SELECT * WHERE {{ BIND("\\u0022 #" AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}',
    "SELECT * WHERE {{ BIND('\\u0027' AS ?a) SERVICE <{url}> {{ ?s ?p ?o }} BIND('''x''' AS ?b) }}",
    'SELECT * WHERE {{ BIND("\\\\u0022" AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}',
    # prefixed names, PN_LOCAL escapes, comments, long strings, BASE
    "PREFIX p: <{base}>\nSELECT * WHERE {{ SERVICE p:x {{ ?a ?b ?c }} }}",
    "PREFIX p: <{base}>\nSELECT * WHERE {{ ?s p:a\\#b ?o . SERVICE p:x\\#y {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ # a comment }} {{\n SERVICE <{url}> {{ ?a ?b ?c }} }}",
    'SELECT * WHERE {{ BIND("""a\n}}\n#""" AS ?z) SERVICE <{url}> {{ ?a ?b ?c }} }}',
    "BASE <{base}>\nSELECT * WHERE {{ SERVICE <x> {{ ?a ?b ?c }} }}",
    # wherever a group pattern may be
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ FILTER NOT EXISTS {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
    "select * where {{ sErViCe silent <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ VALUES ?u {{ <{url}> }} SERVICE ?u {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?a ?b ?c }} }}",
    # addresses of the same listener written otherwise
    "SELECT * WHERE {{ SERVICE <http://0x7f000001:{port}/x> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <http://2130706433:{port}/x> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <http://127.1:{port}/x> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE <http://localhost:{port}/x> {{ ?a ?b ?c }} }}",
    # every query form
    "CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "DESCRIBE ?a WHERE {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "ASK {{ SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # not a keyword to Oxigraph (a syntax error), refused all the same
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
    # FROM and FROM NAMED name graphs outside the dataset
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "PREFIX p: <http://x/\\u0041#> SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
]


def _query(template: str, listener: Listener) -> str:
    base = f"http://127.0.0.1:{listener.port}/"
    return template.format(url=base + "sparql", base=base, port=listener.port)


def _send(client: FlaskClient, query: str, how: str):
    if how == "GET":
        return client.get("/sparql", query_string={"query": query})
    if how == "POST form":
        return client.post("/sparql", data={"query": query})
    return client.post("/sparql", data=query.encode(), content_type="application/sparql-query")


@pytest.mark.parametrize("how", ["GET", "POST form", "POST body"])
@pytest.mark.parametrize("template", SERVICE_FORMS)
def test_the_endpoint_refuses_and_connects_nowhere(
    client: FlaskClient, listener: Listener, template: str, how: str
) -> None:
    response = _send(client, _query(template, listener), how)
    message = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, message
    assert listener.connections == 0
    if "FROM" not in template:  # FROM's refusal names the graph the query named
        assert str(listener.port) not in message


def test_the_refusal_names_service_and_where_but_not_its_target(
    client: FlaskClient, listener: Listener
) -> None:
    template = "SELECT *\nWHERE {{ BIND(<http://x/\\u0041#> AS ?z)\n  SERVICE <{url}> {{}} }}"
    query = _query(template, listener)
    message = _send(client, query, "GET").get_data(as_text=True)
    assert "SERVICE (line 3, column 3) is refused" in message
    assert "127.0.0.1" not in message


def test_an_ipv6_loopback_target_is_refused(
    client: FlaskClient, listener6: Listener | None
) -> None:
    if listener6 is None:
        pytest.skip("this machine has no IPv6 loopback")
    query = f"SELECT * WHERE {{ SERVICE <http://[::1]:{listener6.port}/x> {{ ?a ?b ?c }} }}"
    assert _send(client, query, "GET").status_code == 400
    assert listener6.connections == 0


#: The forms a store refuses itself (a FROM only picks a graph there: nothing is fetched).
STORE_FORMS = [template for template in SERVICE_FORMS if "FROM" not in template]


@pytest.mark.parametrize("template", STORE_FORMS)
def test_the_rdflib_store_refuses_and_connects_nowhere(listener: Listener, template: str) -> None:
    with pytest.raises(QueryError):
        RdflibStore().query(_query(template, listener))
    assert listener.connections == 0


def test_the_remote_store_refuses_before_sending(listener: Listener) -> None:
    """What the endpoint asks a remote store (the server would make the call itself)."""
    remote = SparqlStore(f"http://127.0.0.1:{listener.port}/sparql", timeout=5)
    for template in STORE_FORMS:
        with pytest.raises(QueryError):
            remote.serialized_query(read_query(_query(template, listener)), AnswerRequest())
    assert listener.connections == 0


def test_a_worker_asked_directly_cannot_connect(built: BuildResult, listener: Listener) -> None:
    """No check stands before the worker here: its sandbox alone stops the engine's call."""
    channel, worker_end = channel_pair()
    worker = multiprocessing.get_context("forkserver").Process(
        target=run_worker,
        args=(worker_end, DatasetSource(str(built.dataset_path)), {}),
        daemon=True,
    )
    worker.start()
    worker_end.close()
    try:
        deadline = time.monotonic() + 120
        assert channel.receive(deadline)[0][0] == "ready"
        for target in (f"127.0.0.1:{listener.port}", f"0x7f000001:{listener.port}"):
            query = f"SELECT * WHERE {{ SERVICE <http://{target}/x> {{ ?a ?b ?c }} }}"
            channel.send(tuple(WorkerRequest(query, query, "json", "ntriples")))
            reply, _ = channel.receive(deadline)
            assert reply[0] == "error", reply
            assert str(listener.port) not in reply[1]  # the refusal names no target
        assert listener.connections == 0
        query = "ASK { ?s ?p ?o }"  # and the worker still answers
        channel.send(tuple(WorkerRequest(query, query, "json", "ntriples")))
        assert channel.receive(deadline)[0][0] == "ok"
    finally:
        worker.kill()
        worker.join(5)
        channel.close()


def test_the_sandbox_refuses_new_sockets_and_keeps_socket_pairs() -> None:
    script = (
        "import socket\n"
        "from habitat_kg.server.store import sandbox\n"
        "print(sandbox.install())\n"
        "a, b = socket.socketpair(); a.send(b'x'); assert b.recv(1) == b'x'\n"
        "for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):\n"
        "    try:\n"
        "        socket.socket(family).connect(('127.0.0.1', 9))\n"
        "    except PermissionError:\n"
        "        print('refused')\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["seccomp", "refused", "refused", "refused"], ran.stderr


# -- property: SERVICE rewritten in ways the grammar allows is refused all the same ------------


def _cased(word: str) -> st.SearchStrategy[str]:
    return st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in word)).map("".join)


_GAP = st.lists(
    st.one_of(
        st.sampled_from([" ", "\n", "\t", "\r\n"]),
        st.text(st.sampled_from("{}()'\"<>#\\ aZ"), max_size=8).map(lambda t: f"#{t}\n"),
    ),
    min_size=1,
    max_size=3,
).map("".join)


def _escaped(text: str, picks: list[int]) -> str:
    """``text`` with the characters at ``picks`` written as codepoint escapes."""
    out = []
    for index, char in enumerate(text):
        if index in picks:
            out.append(f"\\u{ord(char):04X}" if index % 2 else f"\\U{ord(char):08X}")
        else:
            out.append(char)
    return "".join(out)


@st.composite
def _service_queries(draw: st.DrawFn, port: int) -> str:
    gap = lambda: draw(_GAP)  # noqa: E731
    url = f"http://127.0.0.1:{port}/x"
    picks = draw(st.lists(st.integers(0, len(url) - 1), max_size=4))
    target = draw(st.sampled_from(["iri", "pname", "var"]))
    prologue = ""
    if target == "iri":
        named = f"<{_escaped(url, picks)}>"
    elif target == "pname":
        prologue = f"PREFIX p:{gap()}<http://127.0.0.1:{port}/>{gap()}"
        named = draw(st.sampled_from(["p:x", "p:x\\#y", "p:\\#"]))
    else:
        prologue = ""
        named = "?u"
    silent = draw(st.sampled_from(["", gap() + "SILENT", gap() + "silent"]))
    service = f"{draw(_cased('service'))}{silent}{gap()}{named}{gap()}{{ ?a ?b ?c }}"
    if target == "var":
        service = f"BIND(<{_escaped(url, picks)}> AS ?u){gap()}" + service
    before = draw(
        st.sampled_from(
            [
                "",
                "BIND(<http://x/\\u0041#> AS ?z)",
                "BIND('\\u0027' AS ?q)",
                'BIND("\\u0022}#" AS ?q)',
                'BIND("""\n}#\n""" AS ?q)',
                "?s ?p ?o .",
            ]
        )
    )
    wrap = draw(
        st.sampled_from(
            [
                "{}",
                "OPTIONAL {{ {} }}",
                "MINUS {{ {} }}",
                "{{ }} UNION {{ {} }}",
                "FILTER EXISTS {{ {} }}",
                "FILTER NOT EXISTS {{ {} }}",
                "GRAPH ?g {{ {} }}",
                "{{ SELECT * WHERE {{ {} }} }}",
            ]
        )
    )
    form = draw(st.sampled_from(["SELECT * WHERE", "ASK", "CONSTRUCT { ?a ?b ?c } WHERE"]))
    body = wrap.format(f"{before}{gap()}{service}")
    return f"{prologue}{form}{gap()}{{{gap()}{body}{gap()}}}"


@settings(
    max_examples=200,
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), how=st.sampled_from(["GET", "POST form", "POST body"]))
def test_service_however_written_is_refused(
    client: FlaskClient, listener: Listener, data: st.DataObject, how: str
) -> None:
    query = data.draw(_service_queries(listener.port))
    response = _send(client, query, how)
    assert 400 <= response.status_code < 500, (query, response.get_data(as_text=True))
    assert listener.connections == 0, query


@pytest.mark.parametrize("template", STORE_FORMS)
def test_the_full_parse_alone_finds_each_service(listener: Listener, template: str) -> None:
    """The decision from the grammar, without the tokens' keyword check before it."""
    query = _query(template, listener)
    assert spells_service(query)
    try:
        assert service_in_parse(query)
    except ServiceFound as unread:  # fail closed: what the grammar cannot read is refused
        assert not unread.found


def test_service_spelled_in_data_is_still_answered(client: FlaskClient) -> None:
    query = 'SELECT ?s WHERE { ?s ?p "caf\\u00E9 service" ; <http://x/\\u0073ervice> ?o }'
    response = _send(client, query, "GET")
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_text_too_long_for_the_grammar_is_refused_if_it_spells_service(
    client: FlaskClient,
) -> None:
    padding = "# " + "x" * 5000 + "\n"
    spelled = f'{padding}SELECT ?s WHERE {{ ?s ?p "service" }}'
    response = _send(client, spelled, "POST body")
    message = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "spells 'service' (line 2, column 26)" in message
    assert "longer than the 4000 characters" in message
    unspelled = f'{padding}SELECT ?s WHERE {{ ?s ?p "other" }}'
    assert _send(client, unspelled, "POST body").status_code == 200


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["s", "S", "ſ", "e", "E", "r", "R", "v", "V", "i", "I", "ı", "İ", "c"]),
            st.text(st.characters(exclude_characters="\\"), max_size=3),  # no escape to decode
        ),
        max_size=12,
    )
)
def test_the_letters_of_service_are_found_as_a_case_blind_search_finds_them(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    assert spells_service(text) == (re.search("service", text, re.IGNORECASE) is not None)
