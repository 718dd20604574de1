"""Answers for pages: run a query on the served graph and show its terms as labelled links."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort

from habitat_kg.errors import StoreUnavailable
from habitat_kg.queries import load_query
from habitat_kg.server.graph import served_graph
from habitat_kg.server.questions.terms import substitute, to_sparql_term
from habitat_kg.server.security import plain_answer, safe_href
from habitat_kg.server.store import QueryError, QueryResult, QueryTimeout, Solutions, Term

log = logging.getLogger(__name__)


def run(sparql: str) -> QueryResult:
    """The answer of the served store; a time-out is a 503 and a bad query a 400, in plain text
    (the engine's message, which may quote the query, goes to the log, not to the visitor)."""
    try:
        return served_graph().store.query(sparql)
    except QueryTimeout as error:
        abort(plain_answer(f"The query was stopped at the time limit: {error}", 503))
    except StoreUnavailable as error:
        abort(plain_answer(f"The graph cannot answer just now: {error}", 503))
    except QueryError as error:
        log.warning("a page's query could not be run: %s", error)
        abort(plain_answer("The graph could not answer this page's query.", 400))


def page_query(name: str, **iris: str) -> str:
    """A page's query from ``server/queries/<name>.rq`` with each ``$name`` bound to an IRI."""
    terms = {key: to_sparql_term("iri", value, key) for key, value in iris.items()}
    return substitute(load_query("habitat_kg.server", name), terms)


def select(name: str, **iris: str) -> Solutions:
    answer = run(page_query(name, **iris))
    assert isinstance(answer, Solutions), f"{name}.rq is a SELECT query"
    return answer


@dataclass(frozen=True)
class Labels:
    """English and Chinese labels of the things an answer names."""

    english: dict[str, str]
    chinese: dict[str, str]

    def of(self, iri: str) -> tuple[str | None, str | None]:
        return self.english.get(iri), self.chinese.get(iri)


def labels_for(iris: Iterable[str]) -> Labels:
    """One query for the labels of every IRI listed (at most a few hundred are asked)."""
    wanted = sorted({iri for iri in iris if iri})[:500]
    terms = [term for term in map(_iri_term, wanted) if term is not None]
    if not terms:
        return Labels({}, {})
    values = " ".join(terms)
    answer = run(load_query("habitat_kg.server", "labels-of").replace("$things", values))
    assert isinstance(answer, Solutions)
    english, chinese = {}, {}
    for row in answer:
        thing = row["thing"].value
        if row["label"] is not None:
            english.setdefault(thing, row["label"].value)
        if row["labelZh"] is not None:
            chinese.setdefault(thing, row["labelZh"].value)
    return Labels(english, chinese)


def _iri_term(iri: str) -> str | None:
    """``<iri>`` for a query, or None for an IRI that is not http(s) (``urn:``, ``javascript:``
    ...): such things get no label lookup and show as they are."""
    try:
        return to_sparql_term("iri", iri, "thing")
    except ValueError:
        return None


@dataclass(frozen=True)
class Cell:
    """A value as a page shows it: text, an optional link (only to where ``safe_href`` allows),
    and the Chinese label beside it."""

    text: str
    href: str | None = None
    chinese: str | None = None
    iri: str | None = None
    numeric: bool = False


def cell(term: Term | None, labels: Labels) -> Cell:
    if term is None:
        return Cell("")
    if term.kind == "uri":
        english, chinese = labels.of(term.value)
        return Cell(english or term.value, safe_href(term.value), chinese, term.value)
    numeric = (term.datatype or "").endswith(("#integer", "#decimal", "#double", "#int"))
    return Cell(term.value, numeric=numeric)


def table(answer: Solutions) -> list[list[Cell]]:
    """The rows of an answer as cells, every IRI with its labels."""
    iris = [t.value for row in answer.rows for t in row if t is not None and t.kind == "uri"]
    labels = labels_for(iris)
    return [[cell(term, labels) for term in row] for row in answer.rows]
