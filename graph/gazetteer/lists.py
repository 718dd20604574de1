"""Organizations from the project's lists: the UN system and UN-Habitat's own units
(``reference/un-system-entities.csv``), and every organization and place the curated files name.

``un-system-entities.csv`` — ``id,category,rdf_type,name_en,name_zh,acronym,alt_en,alt_zh,source``
    ``id`` is the local name of the IRI under ``id/org/`` (the bundled curated file's ``o:fao``
    is ``fao``), or under ``id/post/`` for a post (``executive-director``); ``category`` one of
    the extractor's entity categories; ``rdf_type`` a class of
    the ontology (``Unit``, ``Branch``, ``UNEntity``...); ``alt_en`` and ``alt_zh`` other names,
    separated by ``|``; ``source`` where the names come from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Node, URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.curated_cache import selected
from habitat_kg.graph.gazetteer.entities import CATEGORY_TYPES, SURE, KnownEntity
from habitat_kg.graph.gazetteer.world import Entry, NameRow
from habitat_kg.graph.reference_rows import rows
from habitat_kg.namespaces import HKG, ID, ORG

UN_SYSTEM_FILE = "un-system-entities.csv"
UN_SYSTEM_COLUMNS = (
    "id",
    "category",
    "rdf_type",
    "name_en",
    "name_zh",
    "acronym",
    "alt_en",
    "alt_zh",
    "source",
)

#: The category of each ontology class a curated entity may have, most specific first.
_CLASS_CATEGORIES: tuple[tuple[URIRef, str], ...] = (
    (HKG.City, "city"),
    (HKG.Region, "region"),
    (HKG.Country, "country"),
    (HKG.MemberState, "country"),
    (HKG.UNEntity, "un-entity"),
    (HKG.University, "university"),
    (HKG.CivilSocietyOrganization, "ngo"),
    (HKG.GoverningBody, "governing-body"),
    (HKG.Bureau, "governing-body"),
    (HKG.WorkingGroup, "governing-body"),
    (HKG.Unit, "unit"),
    (HKG.Branch, "unit"),
    (HKG.Division, "unit"),
    (HKG.Office, "unit"),
    (HKG.Secretariat, "unit"),
    (HKG.AdvisoryGroup, "unit"),
    (HKG.Committee, "unit"),
    (HKG.OrganizationalUnit, "unit"),
    (HKG.Post, "post"),
    (HKG.LocalGovernmentAssociation, "organization"),
    (HKG.Network, "organization"),
    (HKG.Fund, "organization"),
    (HKG.Initiative, "organization"),
    (HKG.Organization, "organization"),
    (ORG.Organization, "organization"),
)


def un_system(reference: Path) -> Iterator[Entry]:
    """The rows of ``un-system-entities.csv``; a bad category or class names its line."""
    path = reference / UN_SYSTEM_FILE
    for line, row in rows(path, UN_SYSTEM_COLUMNS):
        category = row["category"] or ""
        if category not in CATEGORY_TYPES:
            raise SourceError(path, line, f"unknown category {category!r}")
        rdf_type = HKG[row["rdf_type"] or ""]
        if not any(rdf_type == known for known, _ in _CLASS_CATEGORIES):
            raise SourceError(path, line, f"{row['rdf_type']!r} is not an organization class")
        name_en, name_zh = row["name_en"], row["name_zh"]
        if not (row["id"] and name_en and name_zh):
            raise SourceError(path, line, "id, name_en and name_zh are required")
        names: list[NameRow] = [
            (name_en, SURE, "un-list", frozenset(), False),
            (name_zh, SURE, "un-list", frozenset({"zh"}), False),
        ]
        for column, languages in (("alt_en", frozenset()), ("alt_zh", frozenset({"zh"}))):
            for alternative in (row[column] or "").split("|"):
                if alternative:
                    names.append((alternative, 0.9, "un-list", languages, False))
        acronyms = tuple(a for a in (row["acronym"] or "").split("|") if a)
        names += [(acronym, 0.9, "un-list-acronym", frozenset(), False) for acronym in acronyms]
        labels = (("en", name_en), ("zh", name_zh))
        folder = "post/" if category == "post" else "org/"
        entity = KnownEntity(ID[folder + row["id"]], category, rdf_type, labels, acronyms)
        yield entity, names


def curated(files: Iterable[Path]) -> Iterator[Entry]:
    """The organizations and places the curated files describe, with their labels,
    alternative labels and acronyms (not their hidden labels: "该股" names a unit only in the
    paragraph that says it)."""
    return curated_entries(triple for path in files for triple in _naming_triples(path))


def naming_triples_of(files: Iterable[Path]) -> Callable[[Node], list[tuple[Node, Node, Node]]]:
    """The naming statements of the curated ``files`` about one subject (``curated_entries`` of
    them gives what ``curated`` gives of it), looked up file by file as asked."""
    by_file = [_naming_by_subject(path) for path in files]

    def about(subject: Node) -> list[tuple[Node, Node, Node]]:
        return [triple for found in by_file for triple in found.get(subject, ())]

    return about


def curated_entries(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[Entry]:
    """The organizations and places named by the naming statements ``triples``."""
    types: dict[Node, set[Node]] = {}
    values: dict[tuple[Node, Node], set[Node]] = {}
    for subject, predicate, value in triples:
        if predicate == RDF.type:
            types.setdefault(subject, set()).add(value)
        else:
            values.setdefault((subject, predicate), set()).add(value)
    for entity in sorted(s for s in types if isinstance(s, URIRef)):
        found = _category(types[entity])
        if found is None:
            continue
        rdf_type, category = found
        names: list[NameRow] = []
        labels: list[tuple[str, str]] = []
        for predicate, confidence in ((RDFS.label, SURE), (SKOS.altLabel, 0.9)):
            for label in sorted(values.get((entity, predicate), ())):
                language = getattr(label, "language", None) or ""
                languages = frozenset({"zh"}) if language == "zh" else frozenset()
                names.append((str(label), confidence, "curated", languages, False))
                if predicate == RDFS.label and language in ("en", "zh"):
                    labels.append((language, str(label)))
        acronyms = tuple(sorted(str(a) for a in values.get((entity, HKG.acronym), ())))
        names += [(acronym, 0.9, "curated-acronym", frozenset(), False) for acronym in acronyms]
        if not names:
            continue
        labels.sort(key=lambda pair: pair[0] != "en")
        containers = sorted(
            c for c in values.get((entity, HKG.inCountry), ()) if isinstance(c, URIRef)
        )
        yield (
            KnownEntity(
                entity,
                category,
                rdf_type,
                tuple(labels),
                acronyms,
                container=containers[0] if containers else None,
                source="curated",
            ),
            names,
        )


#: The statements of a curated file that name things (see ``_naming_triples``).
_NAMING = frozenset({RDF.type, RDFS.label, SKOS.altLabel, HKG.acronym, HKG.inCountry})
#: Each curated file's naming statements, by its path and content (every review's save asks
#: again, and most files have not changed since).
_Naming = tuple[tuple[tuple[Node, Node, Node], ...], dict[Node, list[tuple[Node, Node, Node]]]]
_READ: dict[tuple[Path, bytes], _Naming] = {}
#: Enough for every file of a large project (a file per part of each report accepted).
_READ_KEPT = 65536


def _naming_triples(path: Path) -> tuple[tuple[Node, Node, Node], ...]:
    return _naming(path)[0]


def _naming_by_subject(path: Path) -> dict[Node, list[tuple[Node, Node, Node]]]:
    return _naming(path)[1]


def _naming(path: Path) -> _Naming:
    try:
        digest = hashlib.sha256(path.read_bytes()).digest()
    except OSError as error:
        raise SourceError(path, None, f"cannot read it: {error.strerror or error}") from None
    key = (path.absolute(), digest)  # a file named two ways is only read twice
    found = _READ.get(key)
    if found is None:
        chosen = selected(path, "names", Path(__file__), lambda quad: quad[2] in _NAMING)
        triples = tuple((s, p, o) for _, s, p, o in chosen)
        by_subject: dict[Node, list[tuple[Node, Node, Node]]] = {}
        for triple in triples:
            by_subject.setdefault(triple[0], []).append(triple)
        found = (triples, by_subject)
        if len(_READ) >= _READ_KEPT:
            _READ.pop(next(iter(_READ)))
        _READ[key] = found
    return found


def _category(types: set[Node]) -> tuple[URIRef, str] | None:
    for rdf_type, category in _CLASS_CATEGORIES:
        if rdf_type in types:
            return rdf_type, category
    return None
