"""What the query page's editor completes from: the vocabulary (``/query/vocabulary``) and the
things of the graph by name (``/query/names?q=``).

The vocabulary is the project's prefixes with the ontology's classes and properties (labels in
English and Chinese, comment, domain and range) and the few terms of other vocabularies that
every query uses (``rdfs:label``, ``skos:prefLabel``...). It is read once per served graph: the
ontology does not change while a graph is served.

``/query/names`` answers as the search's ``/search/suggest`` does (``{"results": [{"iri",
"label", "type"}]}``), from the labels of the served graph; the editor asks the search first and
this route when the search is not there.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from habitat_kg.namespaces import HKG, PREFIXES
from habitat_kg.queries import load_query
from habitat_kg.server.answers import run
from habitat_kg.server.graph import ServedGraph, served_graph
from habitat_kg.server.ontology_page import curie, ontology_terms
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.security import plain_answer
from habitat_kg.server.store import Solutions

blueprint = Blueprint("editor", __name__)

#: Terms of other vocabularies that queries of this graph use again and again.
COMMON_TERMS: tuple[tuple[str, str, str], ...] = (
    ("rdf:type", "property", "type (also written a)"),
    ("rdfs:label", "property", "label (one per language: @en, @zh)"),
    ("rdfs:comment", "property", "comment"),
    ("skos:prefLabel", "property", "preferred label of a concept"),
    ("skos:altLabel", "property", "other name of a concept"),
    ("skos:inScheme", "property", "the concept scheme a concept belongs to"),
    ("skos:Concept", "class", "concept (statuses, roles, modes...)"),
    ("owl:Class", "class", "class of the ontology"),
    ("owl:ObjectProperty", "class", "property linking two things"),
    ("owl:DatatypeProperty", "class", "property giving a value"),
)

#: Shortest and longest text /query/names looks for, and the most names it answers.
NAME_LENGTH = (1, 100)
MOST_NAMES = 20
_VOCABULARY = "habitat_kg.editor_vocabulary"


@blueprint.get("/query/vocabulary")
def vocabulary() -> ResponseReturnValue:
    """The prefixes, classes and properties the editor offers as JSON."""
    graph = served_graph()
    kept: tuple[ServedGraph, Response] | None = current_app.extensions.get(_VOCABULARY)
    if kept is None or kept[0] is not graph:
        kept = (graph, jsonify(vocabulary_terms()))
        current_app.extensions[_VOCABULARY] = kept
    return Response(kept[1].get_data(), mimetype="application/json")


def vocabulary_terms() -> dict[str, Any]:
    """``prefixes`` (name to namespace) and ``terms`` (``curie``, ``kind``: class or property,
    ``label``, ``labelZh``, ``comment``, ``domains``, ``ranges``), the ontology's first."""
    terms: list[dict[str, Any]] = [
        {
            "curie": f"hkg:{term.name}",
            "iri": str(HKG) + term.name,
            "kind": "class" if term.kind == "class" else "property",
            "label": term.label,
            "labelZh": term.label_zh,
            "comment": term.comment,
            "domains": list(term.domains),
            "ranges": list(term.ranges),
        }
        for term in ontology_terms()
    ]
    for name, kind, label in COMMON_TERMS:
        prefix, _, local = name.partition(":")
        terms.append(
            {
                "curie": name,
                "iri": PREFIXES[prefix] + local,
                "kind": kind,
                "label": label,
                "labelZh": "",
                "comment": "",
                "domains": [],
                "ranges": [],
            }
        )
    return {"prefixes": PREFIXES, "terms": terms}


@blueprint.get("/query/names")
def names() -> ResponseReturnValue:
    """Things whose English or Chinese label holds ``q`` (those that start with it first):
    ``{"results": [{"iri", "curie", "label", "type"}]}``."""
    text = request.args.get("q", "").strip()
    low, high = NAME_LENGTH
    if not low <= len(text) <= high or not _printable(text):
        return plain_answer(f"400 Bad Request: q: give {low} to {high} printable characters", 400)
    try:
        limit = min(max(int(request.args.get("limit", "10")), 1), MOST_NAMES)
    except ValueError:
        return plain_answer("400 Bad Request: limit: not a whole number", 400)
    return jsonify(results=things_named(text, limit))


def things_named(text: str, limit: int) -> list[dict[str, str]]:
    """At most ``limit`` things whose label holds ``text`` (case folded), each once."""
    # $rows first: the text, put in second, is not read again for a $name
    query = load_query("habitat_kg.server", "names-like").replace("$rows", str(limit * 4))
    answer = run(query.replace("$text", to_sparql_term("text", text.lower(), "q")))
    assert isinstance(answer, Solutions)
    found: dict[str, dict[str, str]] = {}
    for row in answer:
        iri = row["thing"].value
        if iri in found:
            continue
        kind = row["type"].value if row["type"] is not None else ""
        found[iri] = {
            "iri": iri,
            "curie": curie(iri),
            "label": row["name"].value,
            "type": curie(kind) if kind else "",
        }
        if len(found) == limit:
            break
    return list(found.values())


def _printable(text: str) -> bool:
    return not any(unicodedata.category(c) in {"Cc", "Cs", "Cn"} for c in text)
