"""Answers kept for a question asked again: the served graph changes only when it is reloaded,
so an answer written once is the answer until then (as the Wikidata Query Service and Datasette
keep theirs).

:class:`AnswerCache` keeps the written answers of the endpoint, the least recently asked first to
go, within a memory cap (the bytes of the answers and of their query texts). A key holds all that
the bytes depend on: the query's text, the formats, the protocol's dataset and the row cap (an
answer at /sparql does not depend on the client's language). The entries belong to one served
graph: a reload puts a new one in place (``app.extensions["habitat_kg"]``, see
habitat_kg.server.reload), and the first request that sees it empties the cache; an answer
whose query began on the graph before is not kept.

Each answer has an ETag (a hash of its bytes and its format): a client that sends it back in
If-None-Match gets 304 without the body. ``Cache-Control: no-cache`` (or ``Pragma: no-cache``) in
a request makes the endpoint ask the store again, and keep the new answer.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Flask
from werkzeug.wrappers import Request

from habitat_kg.server.store.serving import SerializedAnswer

#: Where the app keeps its cache (made when the endpoint's blueprint is registered).
ANSWER_CACHE = "habitat_kg.answer_cache"
#: What one entry costs besides its answer's bytes and its text (the key, the objects): rough,
#: so that the cap holds for many small answers too.
ENTRY_OVERHEAD_BYTES = 512
#: The largest share of the cap one answer may take (a larger one is not kept).
LARGEST_SHARE = 4


@dataclass(frozen=True)
class CachedAnswer:
    """A written answer and its ETag (quoted, as the header carries it)."""

    answer: SerializedAnswer
    etag: str


def entity_tag(answer: SerializedAnswer, representation: str) -> str:
    """A strong ETag of ``answer`` as sent in ``representation`` (a format name: a workbook made
    from the same bytes is another representation)."""
    # SHA-1 for speed (the processor computes it): the tag tells answers to one query apart.
    digest = hashlib.sha1(answer.body, usedforsecurity=False)
    digest.update(f"\0{representation}\0{answer.truncated_at}".encode())
    return f'"{digest.hexdigest()}"'


def bypasses_cache(http: Request) -> bool:
    """Whether the request asks for an answer from the store, not a kept one."""
    control = http.cache_control
    return bool(control.no_cache or control.no_store or control.max_age == 0) or (
        "no-cache" in http.headers.get("Pragma", "").lower()
    )


def matches(http: Request, etag: str) -> bool:
    """Whether the request's If-None-Match names ``etag`` (weak comparison, as RFC 9110 says
    for If-None-Match) or is ``*``."""
    return http.if_none_match.contains_weak(etag.strip('"')) or http.if_none_match.star_tag


class AnswerCache:
    """The endpoint's kept answers, at most ``max_bytes`` of them; safe for the server's threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[CachedAnswer, int]] = OrderedDict()
        self._graph: object | None = None
        #: The bytes the entries take (as counted against the cap).
        self.held_bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, graph: object, key: Hashable) -> CachedAnswer | None:
        """The answer kept for ``key`` on the served ``graph``, if any (a graph other than the
        entries' empties the cache: it was reloaded)."""
        with self._lock:
            if graph is not self._graph:
                self._adopt(graph)
                return None
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def fits(self, key: Hashable, answer: SerializedAnswer) -> bool:
        """Whether ``answer`` is small enough to be kept."""
        return _size(key, answer) <= self.max_bytes // LARGEST_SHARE

    def put(
        self, graph: object, served: object, key: Hashable, answer: SerializedAnswer, etag: str
    ) -> CachedAnswer:
        """``answer`` with its ETag, kept for ``key`` if the ``graph`` it was asked on is still
        the ``served`` one and it fits; the least recently asked answers go to make room."""
        cached = CachedAnswer(answer, etag)
        size = _size(key, answer)
        if graph is not served or size > self.max_bytes // LARGEST_SHARE:
            return cached
        with self._lock:
            if graph is not self._graph:
                self._adopt(graph)
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.held_bytes -= previous[1]
            self._entries[key] = (cached, size)
            self.held_bytes += size
            while self.held_bytes > self.max_bytes:
                _, (_, freed) = self._entries.popitem(last=False)
                self.held_bytes -= freed
        return cached

    def _adopt(self, graph: object) -> None:
        self._entries.clear()
        self.held_bytes = 0
        self._graph = graph


def _size(key: Hashable, answer: SerializedAnswer) -> int:
    return len(answer.body) + len(repr(key)) + ENTRY_OVERHEAD_BYTES


def install(app: Flask) -> None:
    """The app's answer cache, as large as its ``answer-cache-mb`` setting (0: none)."""
    megabytes = int(app.config.get("ANSWER_CACHE_MB") or 0)
    if megabytes > 0:
        app.extensions[ANSWER_CACHE] = AnswerCache(megabytes * 1024 * 1024)
