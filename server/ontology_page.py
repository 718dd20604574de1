"""``/ontology``: the vocabulary analysts write queries against, and what its IRI dereferences to.

The ontology IRI (``https://w3id.org/habitat-kg/ontology``) and its terms (``...ontology#Session``)
resolve here: a person gets a page of every class and property (labels in both languages, comment,
domain and range, the W3C or UN term it aligns with, how much the graph uses it, and an example
query for each class); a program asking for Turtle or JSON-LD gets the ontology itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.namespaces import HKG, PREFIXES
from habitat_kg.ontology import graph as ontology_graph
from habitat_kg.ontology import turtle as ontology_turtle
from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.server.answers import select
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format
from habitat_kg.server.security import plain_answer
from habitat_kg.server.store.formats import FORMATS

blueprint = Blueprint("ontology", __name__)

#: What ``/ontology`` is offered in: the page, then the ontology itself.
ONTOLOGY_FORMATS = (PAGE, FORMATS["turtle"], FORMATS["jsonld"])

OWL = "http://www.w3.org/2002/07/owl#"
KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object",
    OWL + "DatatypeProperty": "data",
    OWL + "AnnotationProperty": "annotation",
}


@dataclass(frozen=True)
class Term:
    """A class or property of the ontology as the reference page shows it."""

    name: str
    kind: str
    label: str
    label_zh: str
    comment: str
    parents: tuple[str, ...]
    matches: tuple[str, ...]
    domains: tuple[str, ...]
    ranges: tuple[str, ...]
    uses: int

    @property
    def example(self) -> str:
        """A first query for a class: its things with their English and Chinese labels."""
        return (
            f"PREFIX hkg: <{HKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
            f"SELECT ?thing ?label ?labelZh\nWHERE {{\n  ?thing a hkg:{self.name} .\n"
            '  OPTIONAL { ?thing rdfs:label ?label FILTER (LANG(?label) = "en") }\n'
            '  OPTIONAL { ?thing rdfs:label ?labelZh FILTER (LANG(?labelZh) = "zh") }\n'
            "}\nORDER BY ?label\nLIMIT 100"
        )


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri


def _split(value: object) -> tuple[str, ...]:
    return tuple(sorted(curie(iri) for iri in str(value or "").split()))


def ontology_terms() -> list[Term]:
    uses = {row["term"].value: int(row["uses"].value) for row in select("ontology-usage")}
    terms = []
    for row in select("ontology-terms"):
        iri = row["term"].value
        terms.append(
            Term(
                name=iri.removeprefix(str(HKG)),
                kind=KINDS[row["kind"].value],
                label=str(row["label"] or ""),
                label_zh=str(row["labelZh"] or ""),
                comment=str(row["comment"] or ""),
                parents=_split(row["parents"]),
                matches=_split(row["matches"]),
                domains=_split(row["domains"]),
                ranges=_split(row["ranges"]),
                uses=uses.get(iri, 0),
            )
        )
    return terms


@blueprint.get("/ontology")
def ontology_page() -> ResponseReturnValue:
    accept, asked = request.headers.get("Accept"), request.args.get("format")
    try:
        chosen = choose_format(ONTOLOGY_FORMATS, accept, asked, "the ontology")
    except NotAcceptable as error:
        abort(plain_answer(str(error), 406))
    if chosen.name == "turtle":
        return Response(ontology_turtle().encode("utf-8"), mimetype="text/turtle")
    if chosen.name == "jsonld":
        return _as_json_ld()
    terms = ontology_terms()
    schemes: dict[str, list] = {}
    for row in select("concept-schemes"):
        schemes.setdefault(str(row["schemeLabel"] or row["scheme"]), []).append(row)
    return render_template(
        "ontology.html",
        classes=[t for t in terms if t.kind == "class"],
        properties=[t for t in terms if t.kind != "class"],
        schemes=schemes,
        prefixes=PREFIXES,
    )


def _as_json_ld() -> Response:
    graph = ontology_graph()
    with rdflib_internals_quiet():
        body = graph.serialize(format="json-ld")
    return Response(body, mimetype="application/ld+json")
