"""The endpoint's answer cache (server/sparql/answer_cache.py): kept answers, their ETags and 304,
``Cache-Control: no-cache``, one entry per format, and the memory cap. (That a reload empties it:
tests/test_reload.py asks the same question before and after each kind of reload.)"""

from __future__ import annotations

import json
import urllib.parse

from flask import Flask
from flask.testing import FlaskClient

from habitat_kg.server.sparql.answer_cache import ANSWER_CACHE, AnswerCache, entity_tag
from habitat_kg.server.store.serving import SerializedAnswer

RESOLUTIONS = (
    "SELECT (COUNT(?r) AS ?n) WHERE { ?r a <https://w3id.org/habitat-kg/ontology#Resolution> }"
)
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
#: A body no store would write, put in the cache by the test: where it comes back, the answer
#: was the kept one.
PLANTED = b'{"head": {"vars": []}, "boolean": true, "planted": "written for testing"}'


def _get(client: FlaskClient, query: str, accept: str = JSON, **headers: str):
    url = "/sparql?" + urllib.parse.urlencode({"query": query})
    return client.get(url, headers={"Accept": accept, **headers})


def _plant(app: Flask, query: str, representation: str) -> None:
    """Put PLANTED in place of the kept answer to ``query`` in ``representation``."""
    cache: AnswerCache = app.extensions[ANSWER_CACHE]
    served = app.extensions["habitat_kg"]
    key = next(k for k in cache._entries if k[0] == query and k[2] == representation)
    planted = SerializedAnswer("SELECT", "json", PLANTED)
    cache.put(served, served, key, planted, entity_tag(planted, representation))


def test_an_etag_sent_back_gets_304_without_the_body(client: FlaskClient) -> None:
    query = RESOLUTIONS + " # etag"
    first = _get(client, query)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = _get(client, query, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    other = _get(client, query, **{"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.data == first.data


def test_a_kept_answer_is_served_and_no_cache_asks_the_store_again(
    app: Flask, client: FlaskClient
) -> None:
    query = RESOLUTIONS + " # no-cache"
    real = _get(client, query).data
    _plant(app, query, "json")
    assert _get(client, query).data == PLANTED  # the kept answer, not the store's
    fresh = _get(client, query, **{"Cache-Control": "no-cache"})
    assert fresh.data == real
    assert _get(client, query).data == real  # the fresh answer is the one kept now
    _plant(app, query, "json")
    assert _get(client, query, Pragma="no-cache").data == real


def test_each_format_is_an_entry_of_its_own(app: Flask, client: FlaskClient) -> None:
    query = RESOLUTIONS + " # formats"
    as_json = _get(client, query)
    _plant(app, query, "json")
    as_xml = _get(client, query, XML)
    assert as_xml.status_code == 200 and as_xml.data.lstrip().startswith(b"<?xml")
    assert as_xml.headers["ETag"] != as_json.headers["ETag"]
    count = json.loads(as_json.data)["results"]["bindings"][0]["n"]["value"]
    assert f">{count}</literal>".encode() in as_xml.data
    cache: AnswerCache = app.extensions[ANSWER_CACHE]
    assert sorted(k[2] for k in cache._entries if k[0] == query) == ["json", "xml"]


def _answer(size: int) -> SerializedAnswer:
    return SerializedAnswer("SELECT", "json", b"x" * size)


def test_the_cap_holds_and_the_least_recently_asked_go_first() -> None:
    graph = object()
    cache = AnswerCache(max_bytes=20_000)
    for number in range(40):
        cache.put(graph, graph, ("query", number), _answer(1_000), '"t"')
        if number >= 5:
            assert cache.get(graph, ("query", 0)) is not None  # kept in use: kept
        assert cache.held_bytes <= cache.max_bytes
    assert cache.get(graph, ("query", 39)) is not None
    assert cache.get(graph, ("query", 1)) is None  # the least recently asked went
    assert 5 < len(cache) < 20
    cache.put(graph, graph, ("large",), _answer(6_000), '"t"')  # over a quarter of the cap
    assert cache.get(graph, ("large",)) is None


def test_another_graph_empties_it_and_an_answer_of_the_graph_before_is_not_kept() -> None:
    before, after = object(), object()
    cache = AnswerCache(max_bytes=20_000)
    cache.put(before, before, ("query",), _answer(10), '"t"')
    assert cache.get(after, ("query",)) is None and len(cache) == 0
    # asked on the graph before, answered once the new one is served: not kept
    cache.put(before, after, ("late",), _answer(10), '"t"')
    assert cache.get(after, ("late",)) is None
