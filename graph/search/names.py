"""Things by name: what a stored question's parameter or a network filter was given, found.

A value may be a name in any language the graph has (``Food and Agriculture Organization of
the United Nations``, ``FAO``, ``联合国粮食及农业组织``, ``Germany``, ``德国``), the IRI, a CURIE
(``id:org/fao``), a resolution's number (``1/5``, ``res:1/3``, ``dec:1/3``, ``decision 1/3``) or a
country's ISO alpha-3 code (``DEU``). Names are compared whole, ignoring case, accents and
spacing; a value that names nothing of the kind asked is refused with the names that come
closest (:class:`UnknownName`). A value that names several things (the Assembly adopted both a
resolution 1/3 and a decision 1/3, so ``1/3`` names both) gives them all: the caller answers for
each and says so.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from habitat_kg.graph.search.building import Thing, folded_name
from habitat_kg.graph.search.index import IndexMissing, LookupTooSlow, SearchIndex
from habitat_kg.namespaces import HKG, ORG, PREFIXES, PROV

#: What each kind of value may name: instances of these classes (None: anything).
KINDS: dict[str, frozenset[str] | None] = {
    "resolution": frozenset(
        str(c) for c in (HKG.ResolutionOrDecision, HKG.Resolution, HKG.Decision)
    ),
    "country": frozenset({str(HKG.Country)}),
    "place": frozenset({str(HKG.Place)}),
    "organization": frozenset(
        str(c)
        for c in (
            ORG.Organization,
            ORG.FormalOrganization,
            ORG.OrganizationalUnit,
            ORG.Post,
            PROV.Agent,
        )
    ),
    "document": frozenset({str(HKG.Document)}),
    "event": frozenset({str(HKG.Event)}),
    "mandate": frozenset({str(HKG.Mandate)}),
    "thing": None,
}

#: How a kind is called in a message.
KIND_WORDS = {
    "resolution": "resolution or decision",
    "country": "country",
    "place": "place",
    "organization": "organization, unit or post",
    "document": "document",
    "event": "event",
    "mandate": "mandate",
    "thing": "thing",
}
#: Suggestions a refusal offers.
SUGGESTIONS = 5
#: Names compared by spelling with a value that names nothing, at most.
_SPELLING_POOL = 20_000

_NUMBER = re.compile(
    r"(?:(?P<kind>resolution|res|decision|dec)\s*[:.\s]\s*)?(?P<number>\d{1,4}/\d{1,3})",
    re.IGNORECASE,
)
_CURIE = re.compile(r"(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s:]\S*)")


class UnknownName(ValueError):
    """A value that names nothing of its kind; the message offers the closest names."""

    def __init__(self, parameter: str, value: str, problem: str, offered: list[Thing]) -> None:
        self.parameter = parameter
        self.value = value
        self.offered = offered
        shown = "; ".join(_shown(thing) for thing in offered)
        #: what is wrong with the value, with the names offered instead
        self.problem = problem + (f"; did you mean: {shown}?" if shown else "")
        super().__init__(f"parameter {parameter!r}: {value!r} {self.problem}")


def _shown(thing: Thing) -> str:
    names = " / ".join(dict.fromkeys(n for n in (thing.label_en, thing.label_zh) if n))
    return names or thing.iri


@dataclass(frozen=True)
class Names:
    """Name lookups in one search index."""

    index: SearchIndex

    def resolve(self, kind: str, value: str, parameter: str) -> list[Thing]:
        """The things of ``kind`` that ``value`` names (at least one; several when it is
        ambiguous); UnknownName when it names none or is empty."""
        classes = KINDS[kind]
        words = KIND_WORDS[kind]
        text = " ".join(value.split())
        if not text:
            raise UnknownName(parameter, value, f"is empty: give a {words}", self._some(kind))
        try:
            found = self._found(kind, text, classes)
        except LookupTooSlow as error:
            raise UnknownName(parameter, value, str(error), []) from None
        if found:
            return found
        offered = self.offered(text, kind)
        raise UnknownName(parameter, value, f"names no {words} in the graph", offered)

    def _found(self, kind: str, text: str, classes: frozenset[str] | None) -> list[Thing]:
        iri = _expanded(text)
        if iri is not None:
            thing = self.index.thing(iri)
            if thing is None and classes is None and _readable_iri(iri):
                # the index holds the things that have a name or a text; any other is taken
                # as given when any thing will do
                return [Thing(iri, "", "", "")]
            return [thing] if thing is not None and self.index.is_of(iri, classes) else []
        number = _NUMBER.fullmatch(text)
        if kind == "resolution" and number:
            wanted = {"res": "Resolution", "dec": "Decision"}.get(
                (number["kind"] or "")[:3].lower()
            )
            found = self.index.named(number["number"], classes)
            return [t for t in found if wanted is None or t.type == wanted]
        return self.index.named(text, classes)

    def offered(self, text: str, kind: str) -> list[Thing]:
        """The things of ``kind`` whose names come closest to ``text``."""
        try:
            hits = self.index.suggest(text, SUGGESTIONS, KINDS[kind])
            if not hits:
                hits = self.index.search(text, SUGGESTIONS, KINDS[kind])
        except LookupTooSlow:
            return []
        return [hit.thing for hit in hits] or self._spelled_alike(text, kind) or self._some(kind)

    def _spelled_alike(self, text: str, kind: str) -> list[Thing]:
        """Things of ``kind`` with a name spelled much like ``text`` (Germny: Germany)."""
        named = self.index.names_of(KINDS[kind], _SPELLING_POOL)
        close = difflib.get_close_matches(folded_name(text), list(named), SUGGESTIONS, 0.7)
        return list(dict.fromkeys(thing for name in close for thing in named[name]))[:SUGGESTIONS]

    def _some(self, kind: str) -> list[Thing]:
        return self.index.some(KINDS[kind], SUGGESTIONS)


def names_in(folder: Path) -> Names | None:
    """Name lookups in the index built into ``folder``; None when it has none."""
    try:
        return Names(SearchIndex.in_folder(folder))
    except IndexMissing:
        return None


def _readable_iri(text: str) -> bool:
    return not any(c in text for c in ' <>"{}|\\^`') and text.isprintable()


def _expanded(text: str) -> str | None:
    """The IRI ``text`` is or abbreviates with a known prefix (``id:org/fao``), else None."""
    if text.startswith(("http://", "https://")):
        return text
    match = _CURIE.fullmatch(text)
    if match and match["prefix"] in PREFIXES:
        return PREFIXES[match["prefix"]] + match["local"]
    return None
