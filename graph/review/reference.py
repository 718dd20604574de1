"""What the gazetteer says of the places and organizations accepted statements link to.

The gazetteer knows far more than the graph's reference layer: cities from GeoNames, regions
from ISO 3166-2, UN system entities from its own list. An accepted statement that links to one
of those would leave a node the graph says nothing of (no type, no name), so the accepted file
describes it, citing the gazetteer: its type, its labels in English and Chinese, and the
place that contains it. Countries (the reference layer has the Member States) and what the
curated files or the reference layer already describe are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from rdflib import RDF, RDFS, Literal, Node, URIRef

from habitat_kg.namespaces import HKG, ID

_PLACES = frozenset({"city", "region"})
_REGION = str(ID["region/"])


class Known(Protocol):
    """What the gazetteer knows of an entity (``KnownEntity``)."""

    iri: URIRef
    category: str
    rdf_type: URIRef
    labels: tuple[tuple[str, str], ...]
    container: URIRef | None
    source: str


Describe = Callable[[URIRef], "Known | None"]


def reference_facts(linked: Iterable[Node], describe: Describe) -> list[tuple[Node, Node, Node]]:
    """Type, labels and container of each linked entity known only to the gazetteer."""
    facts: list[tuple[Node, Node, Node]] = []
    seen: set[URIRef] = set()
    waiting = [node for node in linked if isinstance(node, URIRef)]
    while waiting:
        iri = waiting.pop()
        if iri in seen:
            continue
        seen.add(iri)
        known = describe(iri)
        if known is None or known.source == "curated" or known.category == "country":
            continue
        facts.append((iri, RDF.type, known.rdf_type))
        for language, text in known.labels:
            if language in ("en", "zh"):
                facts.append((iri, RDFS.label, Literal(text, lang=language)))
        if known.container is not None and known.category in _PLACES:
            inside = HKG.inRegion if str(known.container).startswith(_REGION) else HKG.inCountry
            facts.append((iri, inside, known.container))
            waiting.append(known.container)
    return facts
