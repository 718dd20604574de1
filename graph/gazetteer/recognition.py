"""Recognising named things in a passage: known names, then name patterns, then the longest
non-overlapping ones.

A place name alone can be a word or part of another name. The rules here decide with the text
around it: a name marked as needing context (a small town, a name several cities share, a
two-character Chinese form) is kept only when the text names its country, or puts it after
"in"/"at"/在/于, or writes "X, Country"; an English place name directly followed by a
capitalised word is part of that longer name ("Nairobi Convention", "Florence Nightingale",
"Hanoi University"), not a place.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from rdflib import URIRef

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer.entities import KnownEntity, Name
from habitat_kg.graph.gazetteer.patterns_en import find_names as find_names_en
from habitat_kg.graph.gazetteer.patterns_zh import find_names as find_names_zh
from habitat_kg.graph.gazetteer.tokens import Hit, Token, tokenize
from habitat_kg.graph.parse.dates_en import MONTH_NAMES

if TYPE_CHECKING:
    from habitat_kg.graph.gazetteer.gazetteer import Gazetteer

_PLACES = ("city", "region", "country")
_BEFORE_PLACE_EN = {"in", "at", "from", "to", "near", "In", "At", "From", "across"}
_BEFORE_PLACE_ZH = {"在", "赴", "到"}
#: Capitalised words that may follow a place without making it part of a longer name.
_AFTER_PLACE_OK = {"I", "II", "III", "The"}

_TITLE = re.compile(r"《[^《》]{1,80}》")
_MONTHS = frozenset(MONTH_NAMES)

#: Population from which "in X" alone confirms a city.
_LARGE_TOWN = 100_000.0
#: Population (ten times for a capital) of a city taken as a place at a sentence's start.
_SURE_AT_SENTENCE_START = 5_000_000.0

#: Bonus to a place that its context confirms.
_CONTEXT_BONUS = 0.05


def recognise(gazetteer: Gazetteer, text: str, language: str) -> list[EntityMatch]:
    tokens = tokenize(text)
    hits = gazetteer.lookup(tokens, language)
    countries = _countries_named(gazetteer, hits)
    candidates: list[EntityMatch] = []
    for hit in hits:
        match = _known_match(gazetteer, text, tokens, hit, language, countries)
        if match is not None:
            candidates.append(match)
    candidates = _longest_first(candidates)
    candidates += _pattern_matches(gazetteer, text, language, candidates)
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]
    if titles:
        # A place inside a title (《内罗毕公约》) names the title's subject, not a place.
        starts = [start for start, _ in titles]

        def in_title(match: EntityMatch) -> bool:
            i = bisect.bisect_right(starts, match.start - 1) - 1
            return i >= 0 and titles[i][0] < match.start and match.end < titles[i][1]

        candidates = [m for m in candidates if m.category not in _PLACES or not in_title(m)]
    return _longest_first(candidates)


def _pattern_matches(
    gazetteer: Gazetteer, text: str, language: str, known: list[EntityMatch]
) -> list[EntityMatch]:
    find_names = find_names_zh if language == "zh" else find_names_en
    return find_names(gazetteer, text, known)


def _countries_named(gazetteer: Gazetteer, hits: list[Hit]) -> set[URIRef]:
    """The countries a text names by a name that is sure on its own."""
    named: set[URIRef] = set()
    for hit in hits:
        for name in hit.names:
            entity = gazetteer.known(name.entity)
            if entity.category == "country" and not name.needs_context:
                named.add(entity.iri)
    return named


def _known_match(
    gazetteer: Gazetteer,
    text: str,
    tokens: list[Token],
    hit: Hit,
    language: str,
    countries: set[URIRef],
) -> EntityMatch | None:
    first, last = tokens[hit.first], tokens[hit.last - 1]
    placed = _place_context(tokens, hit, language)
    best: tuple[tuple, Name, bool] | None = None
    for name in hit.names:
        entity = gazetteer.known(name.entity)
        in_named_country = entity.container is not None and entity.container in countries
        country_said = in_named_country or _followed_by_country(gazetteer, tokens, hit, entity)
        # "in Bar" is no evidence for a region or a small town called Bar: they need their
        # country named.
        large = entity.category == "city" and entity.weight >= _LARGE_TOWN
        confirmed = country_said or (placed and large)
        if name.needs_context and not confirmed:
            continue
        if language == "zh" and name.needs_context and text[last.end : last.end + 1] not in "市县":
            # A short Chinese form of a small town is a word more often than a place (联合,
            # 青年, 合作): only "X市" or "X县" makes it one.
            continue
        # A country's own name means the country, not a town named after it.
        key = (entity.category == "country", in_named_country, *gazetteer.rank(name))
        if best is None or key > best[0]:
            best = (key, name, confirmed)
    if best is None:
        return None
    _, name, confirmed = best
    entity = gazetteer.known(name.entity)
    if entity.category in _PLACES and language != "zh":
        if _not_a_place(tokens, hit):
            return None
        # "Male and female ...": a sentence's first word is capitalised anyway, so only a
        # large city or a confirmed one is taken there.
        if (
            not confirmed
            and entity.category != "country"
            and entity.weight < _SURE_AT_SENTENCE_START
            and _sentence_start(tokens, hit)
        ):
            return None
    confidence = name.confidence
    if entity.category in _PLACES and confirmed:
        confidence = min(0.99, confidence + _CONTEXT_BONUS)
    return _entity_match(
        entity, text[first.start : last.end], first.start, last.end, confidence, name.rule
    )


def _entity_match(
    entity: KnownEntity, text: str, start: int, end: int, confidence: float, rule: str
) -> EntityMatch:
    return EntityMatch(
        start=start,
        end=end,
        text=text,
        entity=entity.iri,
        category=entity.category,
        rdf_type=entity.rdf_type,
        confidence=round(confidence, 3),
        rule=rule,
        known=True,
        labels=entity.literals(),
        container=entity.container,
    )


def _place_context(tokens: list[Token], hit: Hit, language: str) -> bool:
    """A place word before the name ("in Mombasa", 在河内), or a comma and a capitalised
    word after it ("Khulna, Bangladesh")."""
    before = tokens[hit.first - 1].text if hit.first > 0 else ""
    if language == "zh":
        return before in _BEFORE_PLACE_ZH
    return before in _BEFORE_PLACE_EN


def _followed_by_country(
    gazetteer: Gazetteer, tokens: list[Token], hit: Hit, entity: KnownEntity
) -> bool:
    """``X, Country`` or ``Country X`` (肯尼亚内罗毕) with the entity's own country."""
    if entity.container is None:
        return False
    after = [t.text for t in tokens[hit.last : hit.last + 6]]
    if after[:1] == [","]:
        for length in range(len(after) - 1, 1, -1):
            for name in gazetteer.names_of(tuple(after[1:length])):
                if gazetteer.known(name.entity).iri == entity.container:
                    return True
    before = [t.text for t in tokens[max(0, hit.first - 8) : hit.first]]
    for start in range(len(before)):
        for name in gazetteer.names_of(tuple(before[start:])):
            if gazetteer.known(name.entity).iri == entity.container:
                return True
    return False


def _sentence_start(tokens: list[Token], hit: Hit) -> bool:
    if hit.last - hit.first > 1:
        return False
    return hit.first == 0 or tokens[hit.first - 1].text in (".", ")", ":", ";", "!", "?")


def _not_a_place(tokens: list[Token], hit: Hit) -> bool:
    """An English place name that is a month ("in March 2025"), a currency ("United States
    dollars") or part of a longer name (directly followed by a capitalised word)."""
    words = [t.text for t in tokens[hit.first : hit.last]]
    if len(words) == 1 and words[0] in _MONTHS:
        return True
    if hit.last >= len(tokens):
        return False
    after = tokens[hit.last]
    if after.text in ("dollars", "dollar"):
        return True
    if tokens[hit.last - 1].end != after.start - 1 and tokens[hit.last - 1].end != after.start:
        return False
    return after.text[:1].isupper() and after.text not in _AFTER_PLACE_OK and after.text.isalpha()


def _longest_first(candidates: list[EntityMatch]) -> list[EntityMatch]:
    """Keep the longest of overlapping matches (a known one before a pattern's of the same
    length, then the surer), and return them in text order."""
    ordered = sorted(
        candidates, key=lambda m: (-(m.end - m.start), not m.known, -m.confidence, m.start)
    )
    taken: list[EntityMatch] = []
    used = bytearray()
    for match in ordered:
        if len(used) < match.end:
            used.extend(b"\0" * (match.end - len(used)))
        if any(used[match.start : match.end]):
            continue
        used[match.start : match.end] = b"\1" * (match.end - match.start)
        taken.append(match)
    return sorted(taken, key=lambda m: m.start)
