"""The triples of a synthetic dataset as N-Triples lines: terms (IRIs, literals), the two layers
the generator writes (``Layers``: document and curated, each curated fact reified as the builder
does) and the things generated triples refer back to (``World``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from habitat_kg.namespaces import BASE

HKG = BASE + "ontology#"
ID = BASE + "id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


@dataclass
class Layers:
    """Where the document and curated triples go; counts what was written."""

    document: TextIO
    curated: TextIO
    triples: int = 0
    statements: int = 0

    def doc(self, s: str, p: str, o: str) -> None:
        self.document.write(f"{s} {p} {o} .\n")
        self.triples += 1

    def fact(self, s: str, p: str, o: str, part: str | None) -> None:
        """A curated triple, reified with the paragraph it comes from (when it has one)."""
        self.curated.write(f"{s} {p} {o} .\n")
        self.triples += 1
        if part is None:
            return
        self.statements += 1
        statement = iri(f"{ID}statement/syn-{self.statements}")
        self.curated.write(
            f"{statement} <{RDF}type> <{HKG}Statement> .\n{statement} <{RDF}subject> {s} .\n"
            f"{statement} <{RDF}predicate> {p} .\n{statement} <{RDF}object> {o} .\n"
            f"{statement} <{PROV}wasDerivedFrom> {part} .\n"
        )
        self.triples += 5

    def labelled(self, thing: str, kind: str, en: str, zh: str, part: str | None) -> None:
        self.fact(thing, f"<{RDF}type>", iri(HKG + kind), part)
        self.fact(thing, f"<{RDFS}label>", text(en, "en"), part)
        self.fact(thing, f"<{RDFS}label>", text(zh, "zh"), part)


@dataclass
class World:
    """The things activities refer to, made before them."""

    countries: list[str]
    cities: list[str]
    organizations: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    resolutions: list[tuple[str, list[str]]] = field(default_factory=list)  # with mandates
    events: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
