"""The curated layer: hand-written statements, each citing the part of a report that says it.

A curated source is a TriG file whose graphs are named by the report part they cite (a paragraph,
a section heading, the header or a footnote). The builder

- gives the blank nodes of qualified associations stable IRIs and expands the role shortcuts
  (``hkg:partner``, ``hkg:funder``, ...) into ``prov:qualifiedAssociation`` nodes with a role, so
  that every agent of an activity can be found one way;
- checks each block against the text it cites: every named entity it uses must be mentioned there;
- reifies every statement (``hkg:Statement`` with ``prov:wasDerivedFrom`` the cited part), so an
  analyst can go from any fact to its words.

Background statements that no report makes (an official title, an English name) live in the same
files under the graph ``hkgsrc:editors`` and cite the editors' curation instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, SKOS, BNode, Graph, Node, URIRef

from habitat_kg.errors import SourceError, source_text
from habitat_kg.namespaces import HKG, ID, PROV, ROLE
from habitat_kg.rdf import MalformedTrig, RdflibTerms, read_trig

#: The shortcut properties and the role each one stands for.
ROLE_SHORTCUTS: dict[URIRef, URIRef] = {
    HKG.responsibleUnit: ROLE.lead,
    HKG.partner: ROLE.partner,
    HKG.funder: ROLE.funder,
    HKG.organizer: ROLE.organizer,
    HKG.participant: ROLE.participant,
}

#: Things the report describes rather than names: they need not be mentioned word for word.
UNNAMED_CLASSES = frozenset(
    {
        HKG.Activity,
        HKG.Mandate,
        HKG.MandateStatus,
        HKG.ProgressReport,
        HKG.ReportPart,
        HKG.TemporalExpression,
        HKG.Statement,
    }
)

#: The source cited by background statements that no report makes.
EDITORS = ID["source/editors"]
#: The source cited by what reference data says of a new node that an analyst accepted (the
#: country a new city lies in): a fact of the gazetteer, not of the paragraph.
GAZETTEER = ID["source/gazetteer"]
#: Sources whose statements are not checked against a report's text.
BACKGROUND_SOURCES = frozenset({EDITORS, GAZETTEER})
#: The folder of ``curated/`` where the statements accepted in a review are written: a folder
#: per report, one file per part of it (``accepted/<report>/paragraph-007.trig``).
ACCEPTED_FOLDER = "accepted"
#: Blocks named under this are provenance of curated statements (who accepted them, when, from
#: which proposal): added to the curated layer as they are, neither checked nor reified.
PROVENANCE = ID["provenance/"]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CuratedSource:
    """One curated TriG file: its statements and the line where each cited block starts."""

    path: Path
    quads: tuple[tuple[URIRef, Node, Node, Node], ...]
    block_lines: Mapping[URIRef, int]

    def error(self, citation: URIRef, problem: str) -> SourceError:
        return SourceError(self.path, self.block_lines.get(citation), problem)


def curated_files(sources: Path) -> list[Path]:
    """Every curated file of a project, in the order a build reads them: the hand-written ones,
    then the statements accepted in reviews (``accepted_files``)."""
    return sorted((sources / "curated").glob("*.trig")) + accepted_files(sources)


def accepted_files(sources: Path) -> list[Path]:
    """The files of the statements accepted in reviews: a folder per report with a file per
    part (``accepted/<report>/paragraph-007.trig``), and the one file per report that projects
    written before kept (``accepted/<report>.trig``, replaced by the folder at the report's
    next save)."""
    folder = sources / "curated" / ACCEPTED_FOLDER
    found = [*folder.glob("*.trig"), *folder.glob("*/*.trig")]
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def load_curated(path: Path) -> CuratedSource:
    """Parse one curated TriG file; a syntax error, or a file that is not UTF-8 text, names its
    file and line."""
    # Line ends as text mode reads them, so that a file saved with CRLF gives the same literals.
    text = source_text(path).replace("\r\n", "\n").replace("\r", "\n")
    try:
        parsed, prefixes = read_trig(text)
    except MalformedTrig as error:
        raise SourceError(path, error.line, f"not valid TriG: {error.message}") from None
    lines = _block_lines(text, prefixes)
    return CuratedSource(path, tuple(curated_statements(parsed, path, lines)), lines)


_BLOCK_START = re.compile(r"^\s*(?:GRAPH\s+)?(<[^>]+>|[A-Za-z][\w-]*:[\w.\-]*)\s*\{")


def _block_lines(text: str, prefixes: Mapping[str, str]) -> dict[URIRef, int]:
    """Where each graph block starts, so that an error can point at it."""
    lines: dict[URIRef, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _BLOCK_START.match(line)
        if not match:
            continue
        name = match.group(1)
        if name.startswith("<"):
            lines.setdefault(URIRef(name[1:-1]), number)
            continue
        prefix, local = name.split(":", 1)
        if prefix in prefixes:  # else not a block (a colon in a long literal's text)
            lines.setdefault(URIRef(prefixes[prefix] + local), number)
    return lines


def curated_statements(
    parsed: Iterable[ox.Quad], path: Path, block_lines: Mapping[URIRef, int]
) -> list[tuple[URIRef, Node, Node, Node]]:
    """Every (citation, subject, predicate, object), blank nodes given stable IRIs, sorted."""
    term = RdflibTerms()
    blocks: dict[ox.NamedNode | ox.DefaultGraph, list[tuple[Node, Node, Node]]] = {}
    for quad in parsed:
        blocks.setdefault(quad.graph_name, []).append(
            (term(quad.subject), term(quad.predicate), term(quad.object))  # type: ignore[arg-type]
        )
    quads: list[tuple[URIRef, Node, Node, Node]] = []
    for name, triples in blocks.items():
        citation = URIRef(name.value) if isinstance(name, ox.NamedNode) else None
        if citation is None or citation not in block_lines:
            line = next(iter(sorted(block_lines.values())), None)
            raise SourceError(path, line, "every statement must stand in a block naming its source")
        named = _skolemize(triples, SourceError(path, block_lines[citation], ""))
        quads.extend((citation, s, p, o) for s, p, o in named)
        quads.extend(_expand_shortcuts(citation, named))
    return sorted(set(quads), key=lambda q: (q[0].n3(), q[1].n3(), q[2].n3(), q[3].n3()))


def _skolemize(
    triples: list[tuple[Node, Node, Node]], where: SourceError
) -> list[tuple[Node, Node, Node]]:
    """Replace each blank node by ``<subject>/association/<agent>``: stable, readable IRIs."""
    agents: dict[Node, list[Node]] = {}
    for subject, predicate, value in triples:
        if predicate == PROV.agent and isinstance(subject, BNode):
            agents.setdefault(subject, []).append(value)
    names: dict[BNode, URIRef] = {}
    for subject, predicate, node in triples:
        if isinstance(node, BNode) and isinstance(subject, URIRef):
            agent = min(agents.get(node, ()), default=None, key=lambda term: term.n3())
            if predicate != PROV.qualifiedAssociation or not isinstance(agent, URIRef):
                raise SourceError(
                    where.path,
                    where.line,
                    f"a blank node under {subject} must be a qualified association with an agent",
                )
            names[node] = URIRef(f"{subject}/association/{_local(agent)}")
    if not names:
        return triples
    return [(names.get(s, s), p, names.get(o, o)) for s, p, o in triples]  # type: ignore[misc]


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-")


def _expand_shortcuts(citation: URIRef, triples: list[tuple[Node, Node, Node]]):
    """``X hkg:partner Y`` also says X has a qualified association with Y in the partner role."""
    for subject, predicate, agent in triples:
        role = ROLE_SHORTCUTS.get(predicate)  # type: ignore[arg-type]
        if role is None or not isinstance(agent, URIRef):
            continue
        association = URIRef(f"{subject}/association/{_local(agent)}")
        yield citation, subject, PROV.qualifiedAssociation, association
        yield citation, association, RDF.type, PROV.Association
        yield citation, association, PROV.agent, agent
        yield citation, association, PROV.hadRole, role
    for subject, predicate, association in triples:
        if predicate == PROV.qualifiedAssociation:
            yield citation, association, RDF.type, PROV.Association
            for s, p, agent in triples:
                if s == association and p == PROV.agent:
                    yield citation, subject, PROV.wasAssociatedWith, agent


def surface_forms(
    quads: Iterable[tuple[URIRef, Node, Node, Node]],
    other_layers: Graph,
    unnamed: set[Node] = UNNAMED_CLASSES,
) -> dict[URIRef, list[str]]:
    """The names of every named entity: its labels, alternative labels and symbols.

    Things of the ``unnamed`` classes (activities, mandates, report parts) are described rather
    than named, and have no names to check.
    """
    name_properties = {RDFS.label, SKOS.altLabel, SKOS.hiddenLabel, HKG.symbol, HKG.acronym}
    types: dict[Node, set[Node]] = {}
    names: dict[URIRef, set[str]] = {}
    triples = [(s, p, o) for _, s, p, o in quads] + list(other_layers)
    for subject, predicate, value in triples:
        if predicate == RDF.type:
            types.setdefault(subject, set()).add(value)
        elif predicate in name_properties and isinstance(subject, URIRef):
            names.setdefault(subject, set()).add(str(value))
    return {
        entity: sorted(forms)
        for entity, forms in names.items()
        if not types.get(entity, set()) & unnamed and not _is_concept(entity)
    }


def _is_concept(entity: URIRef) -> bool:
    return str(entity).startswith(str(ID).replace("/id/", "/concept/"))


def check_mentions(
    source: CuratedSource,
    names: Mapping[URIRef, list[str]],
    context: Callable[[URIRef], str | None],
) -> set[tuple[URIRef, URIRef]]:
    """Every named entity a block uses must be named in the text it cites; return the uses.

    ``context(citation)`` gives the text of a cited part (with its sub-paragraphs and section
    heading), or None when the citation is not a part of a report that the builder knows.
    """
    uses: set[tuple[URIRef, URIRef]] = set()
    flat: dict[URIRef, str] = {}  # each part's text without white space, made once
    checked: dict[tuple[URIRef, URIRef], bool] = {}
    for citation, subject, _, value in source.quads:
        if citation in BACKGROUND_SOURCES or is_provenance(citation):
            continue
        if citation not in flat:
            text = context(citation)
            if text is None:
                raise source.error(citation, f"cites {citation}, which no report has")
            flat[citation] = _WHITESPACE.sub("", text)
        for entity in (subject, value):
            if not isinstance(entity, URIRef) or entity not in names:
                continue
            key = (entity, citation)
            if key not in checked:
                checked[key] = _mentioned(names[entity], flat[citation])
            if not checked[key]:
                forms = " / ".join(names[entity])
                raise source.error(citation, f"{citation} does not mention {entity} ({forms})")
            uses.add(key)
    return uses


def _mentioned(forms: Iterable[str], flat: str) -> bool:
    return any(_WHITESPACE.sub("", form) in flat for form in forms if form)


def is_provenance(citation: Node) -> bool:
    """A block of provenance (see ``PROVENANCE``), not of statements citing a report part."""
    return str(citation).startswith(str(PROVENANCE))


def statement_iri(subject: Node, predicate: Node, value: Node, citation: Node) -> URIRef:
    """The IRI of the reified statement: the same for the same triple and citation."""
    key = " ".join(term.n3() for term in (subject, predicate, value, citation))
    return ID["statement/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]]


def reify(quads: Iterable[tuple[URIRef, Node, Node, Node]]) -> Graph:
    """The curated graph: each statement, and a ``hkg:Statement`` saying where it comes from."""
    graph = Graph()
    for citation, subject, predicate, value in quads:
        graph.add((subject, predicate, value))
        if is_provenance(citation):
            continue
        statement = statement_iri(subject, predicate, value, citation)
        graph.add((statement, RDF.type, HKG.Statement))
        graph.add((statement, RDF.subject, subject))
        graph.add((statement, RDF.predicate, predicate))
        graph.add((statement, RDF.object, value))
        graph.add((statement, PROV.wasDerivedFrom, citation))
    return graph


def unused_mentions(
    mentions: Iterable[tuple[URIRef, URIRef]], uses: set[tuple[URIRef, URIRef]]
) -> list[tuple[URIRef, URIRef]]:
    """(part, entity) pairs the parser found that no curated statement citing the part uses."""
    return sorted((part, entity) for part, entity in mentions if (entity, part) not in uses)
