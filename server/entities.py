"""Entity pages: every IRI of the project's namespace resolves here, for people and programs.

``/id/...``, ``/concept/...`` and ``/graph/...`` are the paths of ``https://w3id.org/habitat-kg/``
IRIs. A browser gets a page (labels in both languages, the thing's facts, what points to it,
and the report's words it comes from); a program asking for Turtle, N-Triples or JSON-LD gets
the thing's statements.
"""

from __future__ import annotations

from collections import OrderedDict

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.namespaces import BASE, PREFIXES
from habitat_kg.queries import load_query
from habitat_kg.rdf import oxigraph_term, rdflib_term
from habitat_kg.server import questions
from habitat_kg.server.answers import Cell, labels_for, page_query, run, select, table
from habitat_kg.server.languages import in_language, language, translate
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format
from habitat_kg.server.questions.terms import substitute, to_sparql_term
from habitat_kg.server.security import plain_answer
from habitat_kg.server.store import Solutions, Term, Triples
from habitat_kg.server.store.formats import GRAPH_FORMATS, AnswerFormat, write_triples

blueprint = Blueprint("entities", __name__)

#: A page for a browser, else the thing's statements in an RDF syntax a program asks for.
ENTITY_FORMATS = (PAGE, *GRAPH_FORMATS)
HKG_TEXT = "https://w3id.org/habitat-kg/ontology#text"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@blueprint.get("/id/<path:path>")
def thing(path: str) -> ResponseReturnValue:
    return describe(BASE + "id/" + path)


@blueprint.get("/concept/<path:path>")
def concept(path: str) -> ResponseReturnValue:
    return describe(BASE + "concept/" + path)


@blueprint.get("/graph/<path:path>")
def layer(path: str) -> ResponseReturnValue:
    return describe(BASE + "graph/" + path)


def wanted_format() -> AnswerFormat:
    """HTML for a browser (and for no Accept header: a person with a simple client); an RDF
    syntax when asked by ``format`` or by the Accept header; 406 when nothing offered fits."""
    accept, asked = request.headers.get("Accept"), request.args.get("format")
    try:
        return choose_format(ENTITY_FORMATS, accept, asked, "an entity")
    except NotAcceptable as error:
        abort(plain_answer(str(error), 406))


def describe(iri: str) -> ResponseReturnValue:
    if not is_iri(iri):
        # /id/foo%20bar, /id/%00, /id/%zz: no IRI is written so, and the graph holds none such
        abort(plain_answer("Not found: this address holds characters no IRI may hold.", 404))
    if run(page_query("entity-exists", thing=iri)) is not True:
        abort(404, description=f"The graph says nothing about {iri}.")
    answer_format = wanted_format()
    if answer_format is not PAGE:
        return _as_rdf(iri, answer_format)
    return _as_page(iri)


def is_iri(text: str) -> bool:
    """Whether ``text`` is an IRI as the query engine reads one (RFC 3987: no spaces, quotes,
    braces, controls, bad percent-escapes...), so that it can go into a page's query."""
    try:
        to_sparql_term("iri", text, "thing")
    except ValueError:
        return False
    return True


def _as_rdf(iri: str, answer_format: AnswerFormat) -> Response:
    answer = run(page_query("entity-describe", thing=iri))
    assert isinstance(answer, Triples)
    triples = [
        ox.Triple(*(oxigraph_term(rdflib_term(term)) for term in triple)) for triple in answer
    ]
    body = write_triples(triples, answer_format.name, PREFIXES)
    response = Response(body, mimetype=answer_format.media_type)
    response.headers["Vary"] = "Accept"
    return response


def _as_page(iri: str) -> ResponseReturnValue:
    facts = select("entity-facts", thing=iri)
    incoming = select("entity-incoming", thing=iri)
    evidence = run(questions.get("evidence-for").sparql({"thing": iri}))
    mentions = select("entity-mentions", thing=iri)
    statements = select("entity-statements", thing=iri)
    assert isinstance(evidence, Solutions)
    labels = labels_for([iri])
    english, chinese = in_language(*labels.of(iri))
    native = _name_in_page_language(iri)
    grouped, types = _group_facts(facts)
    response = render_template(
        "entity.html",
        iri=iri,
        english=english,
        chinese=chinese,
        native=native,
        types=types,
        facts=grouped,
        incoming=_incoming_rows(incoming),
        statements=_by_subject([_statement(row) for row in statements]),
        own_text=[row["value"].value for row in facts if row["property"].value == HKG_TEXT],
        evidence=evidence,
        mentions=mentions,
        network="network.network_page" in current_app.view_functions,
    )
    return Response(response, headers={"Vary": "Accept"})


def _group_facts(facts: Solutions) -> tuple[OrderedDict[str, list[Cell]], list[Cell]]:
    """Values by property (its English label), and the thing's types apart."""
    rows = table(Solutions(("value",), tuple((row["value"],) for row in facts)))
    grouped: OrderedDict[str, list[Cell]] = OrderedDict()
    types: list[Cell] = []
    for row, cells in zip(facts, rows, strict=True):
        value = cells[0]
        if row["valueLabel"] is not None:
            value = Cell(row["valueLabel"].value, value.href, _text(row["valueLabelZh"]), value.iri)
        prop = row["property"].value
        if prop == RDF_TYPE:
            types.append(value)
            continue
        name = _label(row, "propertyLabel") or _curie(prop)
        grouped.setdefault(name, []).append(value)
    return grouped, types


def _incoming_rows(incoming: Solutions) -> list[tuple[str, Cell, bool]]:
    """(how the link reads, the thing pointing here, whether that phrase reads from this side).

    A property with an inverse label reads from here ("mentioned in"); one without is shown as
    the pointing thing's own link ("X — prepared by → this"), never as "prepared by of"."""
    rows = table(Solutions(("subject",), tuple((row["subject"],) for row in incoming)))
    shown = []
    for row, cells in zip(incoming, rows, strict=True):
        inverse = _label(row, "inverse")
        phrase = inverse or _label(row, "propertyLabel") or _curie(row["property"].value, True)
        shown.append((phrase, cells[0], inverse is not None or _is_inverse_name(row)))
    return shown


def _statement(row: dict[str, Term | None]) -> tuple[str, str, str]:
    """A curated statement as a line of English, beside the Chinese text whatever the page's
    language (a thing with no English label shows its Chinese one)."""
    subject, prop, value = row["subject"], row["property"], row["object"]
    assert subject is not None and prop is not None and value is not None

    def english(name: str) -> str | None:
        return _text(row.get(name)) or _text(row.get(name + "Zh"))

    return (
        english("subjectLabel") or _curie(subject.value),
        english("propertyLabel") or PROPERTY_NAMES.get(prop.value) or _curie(prop.value),
        english("objectLabel") or _curie(value.value),
    )


def _by_subject(lines: list[tuple[str, str, str]]) -> OrderedDict[str, list[tuple[str, str]]]:
    """The statements grouped under their subject, as a reader takes them in."""
    grouped: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
    for subject, prop, value in lines:
        grouped.setdefault(subject, []).append((prop, value))
    return grouped


def _name_in_page_language(iri: str) -> str | None:
    """The thing's name in a page language other than English and Chinese (countries have
    them in every UN language), None when it has none or the page is in English or Chinese."""
    if language() in ("en", "zh"):
        return None
    terms = {"thing": to_sparql_term("iri", iri, "thing"), "language": f'"{language()}"'}
    answer = run(substitute(load_query("habitat_kg.server", "label-in-language"), terms))
    assert isinstance(answer, Solutions), "label-in-language.rq is a SELECT query"
    found = answer.values("label")
    return str(found[0]) if found and found[0] else None


def _label(row: dict[str, Term | None], name: str) -> str | None:
    """The label ``name`` (English) or ``name + 'Zh'`` in the page's language, else the other."""
    return in_language(_text(row.get(name)), _text(row.get(name + "Zh")))[0]


def _is_inverse_name(row: dict[str, Term | None]) -> bool:
    return row["property"] is not None and row["property"].value in INVERSE_NAMES


def _text(term: Term | None) -> str | None:
    return None if term is None else term.value


#: Plain names for the external properties every thing has.
PROPERTY_NAMES = {
    "http://www.w3.org/2000/01/rdf-schema#label": "name",
    "http://www.w3.org/2004/02/skos/core#altLabel": "also called",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": "called in context",
    "http://www.w3.org/2004/02/skos/core#exactMatch": "same as",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "name",
    "http://purl.org/dc/terms/title": "title",
    "http://www.w3.org/ns/org#subOrganizationOf": "part of",
    "http://www.w3.org/ns/prov#wasAssociatedWith": "involves",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "http://www.w3.org/ns/prov#used": "uses",
}


#: How the external properties read from their object's side.
INVERSE_NAMES = {
    "http://www.w3.org/2004/02/skos/core#exactMatch": "same as",
    "http://www.w3.org/ns/org#subOrganizationOf": "has part",
    "http://www.w3.org/ns/prov#wasAssociatedWith": "involved in",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source of",
    "http://www.w3.org/ns/prov#used": "used by",
    "http://purl.org/dc/terms/isPartOf": "has part",
    "http://purl.org/dc/terms/subject": "subject of",
    "http://www.w3.org/2004/02/skos/core#inScheme": "scheme of",
    "http://www.w3.org/2004/02/skos/core#member": "member of",
    "http://www.w3.org/2004/02/skos/core#topConceptOf": "has top concept",
    "http://www.w3.org/2004/02/skos/core#hasTopConcept": "top concept of",
    "http://www.w3.org/2004/02/skos/core#closeMatch": "close match of",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": "has subclass",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy": "defines",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "has instance",
}


def _curie(iri: str, inverse: bool = False) -> str:
    if inverse and iri in INVERSE_NAMES:
        return translate(INVERSE_NAMES[iri])
    if iri in PROPERTY_NAMES:
        return translate(PROPERTY_NAMES[iri])
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "id":
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri
