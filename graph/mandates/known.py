"""The mandates a project knows: from the resolution and decision texts in its sources, and from
its curated statements (the bundled record's mandates, which carry no paragraph number).

A report's paragraphs are compared with every operative paragraph of the acts it covers, not
only the mandates: a paragraph about what a resolution *welcomes* must not be taken as evidence
for one of its requests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, URIRef

from habitat_kg.graph.curated import curated_files
from habitat_kg.graph.curated_cache import Quad, selected
from habitat_kg.graph.resolution import analyse, mandate_iri, read_resolution, text_iri
from habitat_kg.graph.resolution.addressees import KNOWN
from habitat_kg.graph.resolution.model import Operative, ResolutionText
from habitat_kg.namespaces import HKG

#: Addressees inside the Secretariat: the Executive Director's report accounts for what is
#: asked of them. Anyone else (Member States, the Board, partners) makes a mandate
#: non-applicable to the report, as the UN Mandate Registry counts it.
SECRETARIAT = frozenset({"executive-director", "un-habitat", "secretary-general"})
_SECRETARIAT_NODES = frozenset(known.node for known in KNOWN if known.key in SECRETARIAT)
#: What an activity is for, in the curated record: the activity's paragraph shows the mandate.
FOR_MANDATE = (HKG.forMandate, HKG.implements)
#: The statements of a curated file ``curated_acts`` reads.
_READ = frozenset(
    {
        RDF.type,
        RDFS.label,
        HKG.mandatedBy,
        HKG.operativeRequest,
        HKG.object,
        HKG.addressee,
        HKG.partOf,
        *FOR_MANDATE,
    }
)


@dataclass(frozen=True)
class OperativePart:
    """An operative paragraph or sub-paragraph of a known act, mandate or not."""

    #: The mandate's IRI (for a paragraph that is no mandate: the IRI it would have).
    iri: URIRef
    #: ``4``, ``2`` with ``label`` ``a``; None for a curated mandate with no paragraph number.
    number: int | None
    label: str
    text: str
    language: str
    is_mandate: bool
    #: True when whom it asks is inside the Secretariat.
    secretariat: bool
    #: Paragraphs whose sub-paragraphs carry the requests.
    chapeau: bool = False
    #: The mandate's labels by language, as the graph gives them.
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number}({self.label})" if self.label else str(self.number)


@dataclass(frozen=True)
class KnownAct:
    """A resolution or decision with its operative parts."""

    iri: URIRef
    kind: str
    number: str
    title: str
    parts: tuple[OperativePart, ...]
    #: Curated statements: (cited report part, mandate) for each activity that is for a mandate.
    activities: tuple[tuple[URIRef, URIRef], ...] = ()

    def mandates(self) -> list[OperativePart]:
        return [part for part in self.parts if part.is_mandate]

    def cited(self, number: int, label: str) -> list[OperativePart]:
        """The mandates a citation of paragraph ``number`` (``label``) names: a chapeau's
        citation names its sub-paragraphs."""
        own = [p for p in self.parts if p.number == number and p.label == label]
        if own and own[0].is_mandate:
            return own
        if not label:
            return [p for p in self.parts if p.number == number and p.label and p.is_mandate]
        return []


def acts_of_resolution(text: ResolutionText) -> KnownAct:
    """A resolution or decision text as a known act."""
    parts = tuple(_part(text, operative) for operative in analyse(text))
    return KnownAct(text_iri(text), text.kind, text.number, text.title, parts)


def _part(text: ResolutionText, operative: Operative) -> OperativePart:
    keys = {addressee.key for addressee in operative.addressees}
    passage = operative.passage
    return OperativePart(
        iri=mandate_iri(text, passage),
        number=passage.number,
        label=passage.label,
        text=operative.object or passage.text,
        language=text.language,
        is_mandate=operative.is_mandate,
        secretariat=bool(keys & SECRETARIAT),
        chapeau=operative.chapeau,
        labels=_labels(text, passage.key),
    )


def _labels(text: ResolutionText, key: str) -> tuple[tuple[str, str], ...]:
    """As the resolution's graph labels its mandates (graph/resolution/rdf.py)."""
    if text.kind == "resolution":
        return (
            ("en", f"Resolution {text.number}, OP {key}"),
            ("zh", f"第{text.number}号决议执行部分第{key}段"),
        )
    return (
        ("en", f"Decision {text.number}, OP {key}"),
        ("zh", f"第{text.number}号决定执行部分第{key}段"),
    )


def known_acts(sources: Path) -> dict[URIRef, KnownAct]:
    """Every act the project's sources give operative parts for, by IRI: resolution texts
    first; an act only the curated statements describe gets its mandates from them."""
    acts: dict[URIRef, KnownAct] = {}
    for path in sorted((sources / "resolution").glob("*.txt")):
        act = acts_of_resolution(read_resolution(path))
        acts.setdefault(act.iri, act)
    for act in curated_acts(curated_files(sources)):
        acts.setdefault(act.iri, act)
    return acts


def _describes(quad: Quad) -> bool:
    return quad[2] in _READ


def curated_acts(files: Iterable[Path]) -> list[KnownAct]:
    """Acts whose mandates curated statements describe (``hkg:mandatedBy``), with the
    paragraphs whose activities are for each mandate."""
    quads = [
        quad for path in files for quad in selected(path, "mandates", Path(__file__), _describes)
    ]
    mandates = {s for _, s, p, o in quads if p == RDF.type and o == HKG.Mandate}
    by_act: dict[URIRef, list[URIRef]] = {}
    texts: dict[URIRef, list[tuple[str, str]]] = {}
    addressees: dict[URIRef, set[URIRef]] = {}
    labels: dict[URIRef, dict[str, str]] = {}
    activities: dict[URIRef, set[tuple[URIRef, URIRef]]] = {}
    for citation, subject, predicate, value in quads:
        if subject in mandates and predicate == HKG.mandatedBy and isinstance(value, URIRef):
            by_act.setdefault(value, []).append(subject)
        elif subject in mandates and predicate in (HKG.operativeRequest, HKG.object):
            language = getattr(value, "language", None) or "en"
            texts.setdefault(subject, []).append((language, str(value)))
        elif subject in mandates and predicate == RDFS.label:
            labels.setdefault(subject, {})[getattr(value, "language", None) or "en"] = str(value)
        elif subject in mandates and predicate == HKG.addressee and isinstance(value, URIRef):
            addressees.setdefault(subject, set()).add(value)
        elif predicate in FOR_MANDATE and value in mandates and isinstance(value, URIRef):
            activities.setdefault(value, set()).add((citation, value))
    # What is done for a part of a mandate (a Board decision carrying out an Assembly one) is
    # done for the whole too.
    for _, part, predicate, whole in quads:
        if predicate == HKG.partOf and part in mandates and whole in mandates:
            for citation, _ in sorted(activities.get(part, ())):  # type: ignore[arg-type]
                activities.setdefault(whole, set()).add((citation, whole))  # type: ignore[arg-type]
    acts = []
    for act, members in sorted(by_act.items()):
        parts = []
        for mandate in sorted(set(members)):
            language, words = sorted(texts.get(mandate, [("en", "")]))[0]
            asked = addressees.get(mandate)
            parts.append(
                OperativePart(
                    iri=mandate,
                    number=None,
                    label="",
                    text=words,
                    language=language,
                    is_mandate=True,
                    # The bundled record's mandates are what the Executive Director reports on.
                    secretariat=not asked or bool(asked & _SECRETARIAT_NODES),
                    labels=tuple(sorted(labels.get(mandate, {}).items())),
                )
            )
        found = sorted(pair for mandate in set(members) for pair in activities.get(mandate, ()))
        kind = "decision" if "/decision/" in str(act) else "resolution"
        number = str(act).rsplit("/", 1)[-1].split("-", 1)[-1].replace("-", "/")
        acts.append(KnownAct(act, kind, number, "", tuple(parts), tuple(found)))
    return acts
