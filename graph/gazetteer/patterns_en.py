"""Names on no list, in English text, found by the word that says what they are.

A name ends with its head word ("Data and Analytics Section", "Mvog-Ada Women Builders
Collective") or begins with it ("University of Sierra Leone", "Ministry of Lands, Housing and
Urban Development", "City of Kigali", "Government of Senegal"). Its other words are capitalised,
joined by "of", "for", "and", "on", "&"; it never reaches over another head word ("the Unit and
the Data and Analytics Section" are two names), a possessive or "the". A place name inside it is
part of it: the longest match wins in :func:`recognition._longest_first`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer.beside_countries import acronyms_before_country
from habitat_kg.graph.gazetteer.entities import city_iri, country_alpha2, new_entity_match, org_iri
from habitat_kg.graph.gazetteer.spans import MatchIndex
from habitat_kg.graph.gazetteer.tokens import Token, tokenize
from habitat_kg.namespaces import HKG
from habitat_kg.tables import load_table

if TYPE_CHECKING:
    from habitat_kg.graph.gazetteer.gazetteer import Gazetteer

_WORDS = load_table("habitat_kg.graph.gazetteer", "words_en")
#: Head words a name ends with, and those it begins with followed by "of X" (words_en.toml says
#: why each list is there): (category, class).
SUFFIX_HEADS: dict[str, tuple[str, URIRef]] = {
    word: (category, HKG[kind]) for word, (category, kind) in _WORDS["suffix_heads"].items()
}
PREFIX_HEADS: dict[str, tuple[str, URIRef]] = {
    word: (category, HKG[kind]) for word, (category, kind) in _WORDS["prefix_heads"].items()
}
_CONNECTORS = set(_WORDS["connectors"])
_NOT_NAME = set(_WORDS["not_name"])
_OWN_OFFICE = set(_WORDS["own_office"])
_NEED_PLACE = set(_WORDS["need_place"])
_LOCAL = set(_WORDS["local"])
_UNIT_CATEGORIES = {"unit"}
_PLACE_KINDS = ("city", "region", "country")
#: Population of a town whose name, though shared or a word, names it inside a body's name.
_LARGE_PLACE = 100_000.0
_CAPITAL = re.compile(r"[A-Z][\w'.-]*")


def find_names(gazetteer: Gazetteer, text: str, known: list[EntityMatch]) -> list[EntityMatch]:
    tokens = tokenize(text)
    starts = {t.start: i for i, t in enumerate(tokens)}
    org_tokens = _known_org_tokens(known, tokens)
    found: list[EntityMatch] = []
    for i, token in enumerate(tokens):
        if token.text in SUFFIX_HEADS:
            match = _suffix_name(gazetteer, text, tokens, i, org_tokens)
            if match is not None:
                found.append(match)
        if token.text in PREFIX_HEADS:
            match = _prefix_name(gazetteer, text, tokens, i)
            if match is not None:
                found.append(match)
    found += _places_before_country(text, tokens, starts, known)
    found += acronyms_before_country(text, tokens, starts, known, org_tokens)
    return _joined(text, found)


#: Heads of a part of a university ("Fourah Bay College of the University of Sierra Leone").
_PART_HEADS = ("College", "Institute", "School", "Faculty", "Centre", "Center", "Department")
#: Confidence of a university named only as the parent of the college that acts.
_PARENT_CONFIDENCE = 0.4


def _joined(text: str, found: list[EntityMatch]) -> list[EntityMatch]:
    """In "X College of the University of Y" the college acts; the university is named as its
    parent, kept (so that "Y" is not taken for a place) with a low confidence."""
    ordered = sorted(found, key=lambda m: m.start)
    parents = set()
    for part, whole in itertools.pairwise(ordered):
        between = text[part.end : whole.start]
        if (
            part.text.endswith(_PART_HEADS)
            and between in (" of the ", " of ")
            and whole.category == "university"
        ):
            parents.add(whole)
    return [
        replace(m, confidence=_PARENT_CONFIDENCE, rule="pattern-en-parent") if m in parents else m
        for m in found
    ]


def _known_org_tokens(known: list[EntityMatch], tokens: list[Token]) -> set[int]:
    """Indexes of tokens inside a known organization (a name does not reach into one)."""
    starts = [t.start for t in tokens]
    inside: set[int] = set()
    for match in known:
        if match.category in ("city", "region", "country"):
            continue
        i = bisect.bisect_left(starts, match.start)
        while i < len(tokens) and tokens[i].start < match.end:
            inside.add(i)
            i += 1
    return inside


def _capitalised(token: Token) -> bool:
    return bool(_CAPITAL.fullmatch(token.text)) or token.text.isdigit()


def _glued(tokens: list[Token], left: int) -> bool:
    """Tokens ``left`` and ``left + 1`` are one written word (``Mvog-Ada``, ``Residents'``)."""
    return tokens[left].end == tokens[left + 1].start


def _suffix_name(
    gazetteer: Gazetteer, text: str, tokens: list[Token], head: int, org_tokens: set[int]
) -> EntityMatch | None:
    first = head
    while first > 0:
        previous = tokens[first - 1]
        if first - 1 in org_tokens and tokens[head].text == "Office":
            # An office is named by its organization and its place: UN-Habitat Madrid Office.
            while first > 0 and first - 1 in org_tokens:
                first -= 1
            break
        if first - 1 in org_tokens or previous.text in SUFFIX_HEADS:
            break
        if _capitalised(previous) and previous.text not in _NOT_NAME:
            first -= 1
        elif (
            previous.text in ("-", "'")
            and first >= 2
            and _glued(tokens, first - 2)
            and _capitalised(tokens[first - 2])
        ) or (
            previous.text in _CONNECTORS
            and first >= 2
            and _capitalised(tokens[first - 2])
            and tokens[first - 2].text not in _NOT_NAME | set(SUFFIX_HEADS)
            and first - 2 not in org_tokens
        ):
            first -= 2
        else:
            break
    if first == head:
        return None
    last = _tail(tokens, head + 1, allow_the=False)
    category, rdf_type = SUFFIX_HEADS[tokens[head].text]
    words = {t.text for t in tokens[first:last]}
    if tokens[head].text == "Office" and not words & _OWN_OFFICE:
        category, rdf_type = "organization", HKG.Organization
    if tokens[head].text in ("Council", "Committee", "Commission") and words & _LOCAL:
        category = "government"  # Kigali City Council, Lagos State Planning Commission
    match = _new_org(text, tokens, first, last, category, rdf_type, "pattern-en-suffix")
    if (
        match is not None
        and tokens[head].text in _NEED_PLACE
        and not _place_inside(gazetteer, match.text)
    ):
        return None  # the Urban Agenda Platform is a product; the Geneva ... Platform a body
    if match is not None and category == "government":
        match = replace(match, container=_place_inside(gazetteer, match.text))
    return match


def _prefix_name(
    gazetteer: Gazetteer, text: str, tokens: list[Token], head: int
) -> EntityMatch | None:
    if head + 2 >= len(tokens) or tokens[head + 1].text != "of":
        return None
    last = _tail(tokens, head + 1, allow_the=True)
    if last <= head + 2:
        return None
    category, rdf_type = PREFIX_HEADS[tokens[head].text]
    first = head
    # "Hanoi University of Civil Engineering": capitalised words before the head belong to it.
    while first > 0 and _capitalised(tokens[first - 1]) and tokens[first - 1].text not in _NOT_NAME:
        first -= 1
    match = _new_org(text, tokens, first, last, category, rdf_type, "pattern-en-prefix")
    if match is None:
        return None
    return replace(
        match, container=_place_inside(gazetteer, text[tokens[head + 2].start : match.end])
    )


def _tail(tokens: list[Token], position: int, allow_the: bool) -> int:
    """The end of "for Africa", "of Lands, Housing and Urban Development", "for Asia and the
    Pacific" after a head word at ``position - 1``; ``position`` if there is none."""
    count = len(tokens)
    if position >= count or tokens[position].text not in ("of", "for", "on"):
        return position
    i = position + 1
    if i < count and tokens[i].text == "the" and allow_the:
        i += 1
    end = position
    while i < count and _capitalised(tokens[i]) and tokens[i].text not in _NOT_NAME:
        i += 1
        end = i
        # Continue over ", X", "and X", "and the X", "of X" unless X begins another name.
        for joint in ((",",), ("and",), ("&",), ("-",), ("and", "the"), ("of",), ("for",)):
            after = i + len(joint)
            if (
                after < count
                and tuple(t.text for t in tokens[i:after]) == joint
                and _capitalised(tokens[after])
                and not _is_head(tokens[after])
            ):
                i = after
                break
    return end


def _is_head(token: Token) -> bool:
    return token.text in SUFFIX_HEADS or token.text in PREFIX_HEADS


def _new_org(
    text: str,
    tokens: list[Token],
    first: int,
    last: int,
    category: str,
    rdf_type: URIRef,
    rule: str,
) -> EntityMatch | None:
    start, end = tokens[first].start, tokens[last - 1].end
    name = text[start:end]
    if "\n" in name or len(name) < 6:
        return None
    confidence = 0.7 if category in _UNIT_CATEGORIES else 0.65
    return new_entity_match(
        start, end, name, org_iri(name), category, rdf_type, confidence, rule, "en"
    )


def _place_inside(gazetteer: Gazetteer, name: str) -> URIRef | None:
    """The city, region or country a government's name names (Kigali City Council)."""
    tokens = tokenize(name)
    for hit in gazetteer.lookup(tokens, "en"):
        places = [
            n
            for n in hit.names
            if gazetteer.known(n.entity).category in _PLACE_KINDS
            and (not n.needs_context or gazetteer.known(n.entity).weight >= _LARGE_PLACE)
        ]
        if places:
            return gazetteer.known(max(places, key=gazetteer.rank).entity).iri
    return None


def _places_before_country(
    text: str, tokens: list[Token], starts: dict[int, int], known: list[EntityMatch]
) -> list[EntityMatch]:
    """ "in Mfou, Cameroon": a capitalised word on no list before a comma and a known country,
    after "in" or in a list of places, is a city of that country."""
    found: list[EntityMatch] = []
    taken = {(m.start, m.end) for m in known}
    spans = MatchIndex(known)
    for country_match in known:
        if country_match.category != "country":
            continue
        index = starts.get(country_match.start)
        if index is None or index < 2 or tokens[index - 1].text != ",":
            continue
        last = index - 1
        first = last
        while first > 0 and last - first < 4:
            hyphen = tokens[first - 1].text == "-" and first >= 2 and _glued(tokens, first - 2)
            if not (hyphen or _capitalised(tokens[first - 1])):
                break
            first -= 1
        while first < last and not _capitalised(tokens[first]):
            first += 1
        if first == last or (tokens[first].start, tokens[last - 1].end) in taken:
            continue
        before = tokens[first - 1].text if first > 0 else ""
        if before not in ("in", "In", "and", ";", ":", ","):
            continue
        start, end = tokens[first].start, tokens[last - 1].end
        if spans.overlaps(start, end):
            continue
        alpha2 = country_alpha2(country_match.entity)
        if alpha2 is None:
            continue
        name = text[start:end]
        found.append(
            new_entity_match(
                start,
                end,
                name,
                city_iri(alpha2, name),
                "city",
                HKG.City,
                0.6,
                "pattern-en-place-country",
                "en",
                container=country_match.entity,
            )
        )
    return found
