"""Names for the entity pickers: things whose English or Chinese label starts with what the
curator typed, from the gazetteer (what the extractor knows) and from the served graph (what
is already curated, such as a new organization accepted from an earlier report)."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from habitat_kg.queries import load_query
from habitat_kg.server.answers import run
from habitat_kg.server.curation.page import curie
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.store import Solutions

#: How many of the gazetteer's suggestions are ranked for the ``limit`` shown.
_WINDOW = 5


def suggest(gazetteer: Any, prefix: str, limit: int) -> list[dict[str, str]]:
    """At most ``limit`` things, each once: ``iri``, ``curie``, ``label``, ``type``, ``where``;
    the exact name first, then the gazetteer's order (countries, cities by population, the
    others: see Gazetteer.suggest), then what only the served graph knows."""
    found: dict[str, dict[str, str]] = {}
    for iri, label, rdf_type in gazetteer.suggest(prefix, limit * _WINDOW):
        found.setdefault(str(iri), _entry(str(iri), str(label), str(rdf_type)))
        found[str(iri)]["where"] = _where(gazetteer, iri)
    for entry in served_suggestions(prefix, limit):
        found.setdefault(entry["iri"], entry)
    folded = prefix.strip().casefold()
    # sorted() keeps the order within each group: the gazetteer's, then the graph's
    ranked = sorted(found.values(), key=lambda entry: entry["label"].casefold() != folded)
    return ranked[:limit]


def _where(gazetteer: Any, iri: URIRef) -> str:
    """The country a place lies in (many towns share a name): its English name, else any."""
    known = gazetteer.entity(iri)
    if known is None or known.container is None:
        return ""
    container = gazetteer.entity(known.container)
    if container is None:
        return ""
    return container.label("en") or (container.labels[0][1] if container.labels else "")


def served_suggestions(prefix: str, limit: int) -> list[dict[str, str]]:
    query = load_query("habitat_kg.server.curation", "suggest")
    query = query.replace("$prefix", to_sparql_term("text", prefix.lower(), "q"))
    answer = run(query.replace("$limit", str(int(limit))))
    assert isinstance(answer, Solutions)
    return [
        _entry(row["thing"].value, row["label"].value, row["type"].value if row["type"] else "")
        for row in answer
        if row["thing"] is not None and row["label"] is not None
    ]


def _entry(iri: str, label: str, rdf_type: str) -> dict[str, str]:
    return {
        "iri": iri,
        "curie": curie(iri),
        "label": label,
        "type": curie(rdf_type) if rdf_type else "",
        "where": "",
    }
