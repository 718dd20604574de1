"""The worker pool as a store: the same answers as Oxigraph in the process, an on-disk store
loaded once, and a clear failure when the dataset cannot be loaded."""

from __future__ import annotations

import queue
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from flask import Flask

from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.store import QueryError, Solutions, Store, Triples
from habitat_kg.server.store.lanes import IdleWorkers
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.oxigraph import LOADED_NOTE
from habitat_kg.server.store.pool import WorkerFailure, WorkerPool
from habitat_kg.server.store.worker_channel import Channel, PastDeadline, channel_pair

QUERIES = [
    "SELECT ?class (COUNT(?thing) AS ?n) WHERE { ?thing a ?class } GROUP BY ?class ORDER BY ?class",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
    "FILTER(isIRI(?s)) } ORDER BY ?s ?label",
    "SELECT ?s ?date WHERE { ?s <https://w3id.org/habitat-kg/ontology#startDate> ?date } "
    "ORDER BY ?s ?date",
    "ASK { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> }",
    "ASK { ?s a <https://w3id.org/habitat-kg/ontology#NoSuchClass> }",
]


def _pool(app: Flask) -> WorkerPool:
    return app.extensions["habitat_kg"].store


@pytest.mark.parametrize("query", QUERIES)
def test_pool_answers_as_oxigraph_in_the_process(app: Flask, store: Store, query: str) -> None:
    assert _pool(app).query(query) == store.query(query)


def test_construct_gives_the_same_triples(app: Flask, store: Store) -> None:
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> ;"
        " ?p ?o FILTER(!isBlank(?o)) }"
    )
    pooled, direct = _pool(app).query(query), store.query(query)
    assert isinstance(pooled, Triples) and isinstance(direct, Triples)
    assert len(pooled) > 0 and set(pooled) == set(direct)


def test_pool_refuses_what_the_endpoint_refuses(app: Flask) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        _pool(app).query("ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="read-only"):
        _pool(app).query("CLEAR ALL")
    with pytest.raises(QueryError, match="when it starts; start another pool"):
        _pool(app).load_dataset(Path("elsewhere.trig"))


def test_on_disk_store_is_loaded_once_and_again_when_the_dataset_changes(
    built: BuildResult, tmp_path: Path
) -> None:
    dataset = tmp_path / "habitat-kg.trig"
    shutil.copyfile(built.dataset_path, dataset)
    spec = f"oxigraph:{tmp_path / 'store'}"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    with open_pool(dataset, spec, 1, 10, PREFIXES) as pool:
        first = pool.query(count)
        assert isinstance(first, Solutions) and first.values("n") == [pool.triple_count()]
    note = (tmp_path / "store" / LOADED_NOTE).read_text(encoding="utf-8")
    with open_pool(dataset, spec, 2, 10, PREFIXES) as pool:
        assert pool.query(count) == first  # both workers read the same store
        assert pool.query(count) == first
    assert (tmp_path / "store" / LOADED_NOTE).read_text(encoding="utf-8") == note
    with dataset.open("a", encoding="utf-8") as more:
        more.write("\n<urn:graph:extra> { <urn:a> <urn:b> <urn:c> }\n")
    with open_pool(dataset, spec, 1, 10, PREFIXES) as pool:
        after = pool.query(count)
        assert isinstance(after, Solutions)
        assert after.values("n") == [first.values("n")[0] + 1]


def test_a_dataset_that_cannot_be_loaded_is_a_clear_failure(tmp_path: Path) -> None:
    broken = tmp_path / "habitat-kg.trig"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(WorkerFailure, match=r"could not load .*habitat-kg\.trig"):
        open_pool(broken, "memory", 2, 10, PREFIXES)
    with pytest.raises(ValueError, match="use 'memory' or 'oxigraph:PATH'"):
        open_pool(broken, "rdflib", 2, 10, PREFIXES)


# -- the line to a worker ---------------------------------------------------------------------


def test_channel_carries_short_and_long_messages_whole() -> None:
    ours, theirs = channel_pair()
    other = Channel(theirs)
    long = bytes(range(256)) * 4096 * 8  # 8 MiB: longer than a read takes, and than a send
    messages = [(("ok", "json", None), b"{}"), (("ok", "turtle", 7), long), (("ready", 3, []), b"")]

    def echo() -> None:  # as a worker does: read a message, answer it
        for _ in messages:
            other.send(*other.receive())

    echoing = threading.Thread(target=echo)
    echoing.start()
    try:
        for message, body in messages:
            ours.send(message, body)
            assert ours.receive(time.monotonic() + 10) == (message, body)
    finally:
        echoing.join(10)
        ours.close()
        other.close()


def test_channel_gives_up_at_the_deadline_and_sees_the_other_end_go() -> None:
    ours, theirs = channel_pair()
    started = time.monotonic()
    with pytest.raises(PastDeadline):
        ours.receive(started + 0.2)
    assert 0.2 <= time.monotonic() - started < 2
    # a message that comes in parts: the first part on time is not the whole message
    theirs.sendall(b"\x00\x00\x00\x10\x00\x00\x00\x00")
    with pytest.raises(PastDeadline):
        ours.receive(time.monotonic() + 0.1)
    theirs.close()
    with pytest.raises(EOFError):
        ours.receive(time.monotonic() + 10)
    ours.close()


def test_idle_workers_the_last_freed_first_and_a_wait_for_one() -> None:
    idle = IdleWorkers()
    first, second = object(), object()
    idle.put(first)  # type: ignore[arg-type]
    idle.put(second)  # type: ignore[arg-type]
    assert idle.get(1.0) is second  # its caches are the warm ones
    assert idle.get(1.0) is first
    started = time.monotonic()
    with pytest.raises(queue.Empty):
        idle.get(0.2)
    assert time.monotonic() - started >= 0.2
    later = threading.Timer(0.1, idle.put, (first,))
    later.start()
    assert idle.get(5.0) is first  # a worker freed while one waits goes to it
    later.join()


def test_a_broken_line_is_a_worker_failure_and_a_new_worker_answers(built: BuildResult) -> None:
    with open_pool(built.dataset_path, "memory", 1, 10, PREFIXES) as pool:
        assert pool.query(QUERIES[3])
        (worker,) = pool._state.workers
        worker.channel.sock.shutdown(socket.SHUT_RDWR)  # the line breaks under the worker
        with pytest.raises(WorkerFailure, match="ended while answering"):
            pool.query(QUERIES[3])
        assert pool.query(QUERIES[3])  # a new worker took its place
