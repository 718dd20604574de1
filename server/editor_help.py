"""What the query page's editor completes from: the vocabulary (``/query/vocabulary``); things
by name come from the search's ``/search/suggest`` (server/search.py).

The vocabulary is the project's prefixes with the ontology's classes and properties (labels in
English and Chinese, comment, domain and range) and the few terms of other vocabularies that
every query uses (``rdfs:label``, ``skos:prefLabel``...). It is read once per served graph: the
ontology does not change while a graph is served.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from habitat_kg.namespaces import HKG, PREFIXES
from habitat_kg.server.graph import ServedGraph, served_graph
from habitat_kg.server.ontology_page import ontology_terms

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
