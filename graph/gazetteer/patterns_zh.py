"""Names on no list, in Chinese text, found by the word they end with, and places after
在 + a country.

A name ends with a head word (…股, …科, …处, …司, …办事处, …大学, …协会, …委员会, …政府 …).
Where it begins is read from the text before it: a punctuation mark or quotation mark, a word
that introduces a partner (与, 同, 由, 及, 和, 在 …), or the end of a known organization. A known
place inside it is part of it (基加利市政府, 河内市人民委员会, 德国政府); the words before that
place are not (支持肯尼亚政府 names 肯尼亚政府). A one-character head word needs a name of at
least four characters and is refused where it ends a common word (内部, 公司, 此处).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import URIRef

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer.beside_countries import latin_names_after_country
from habitat_kg.graph.gazetteer.entities import (
    ascii_fold,
    country_alpha2,
    new_entity_match,
    org_iri,
    short_hash,
)
from habitat_kg.graph.gazetteer.spans import MatchIndex
from habitat_kg.namespaces import HKG, ID, slug
from habitat_kg.tables import load_table

if TYPE_CHECKING:
    from habitat_kg.graph.gazetteer.gazetteer import Gazetteer

_WORDS = load_table("habitat_kg.graph.gazetteer", "words_zh")
#: Head words, the longest first (words_zh.toml says why each list is there): (category, class).
HEADS: tuple[tuple[str, str, URIRef], ...] = tuple(
    (head, category, HKG[kind]) for head, (category, kind) in _WORDS["heads"].items()
)
_HEAD = re.compile("|".join(re.escape(head) for head, _, _ in HEADS))
_HEAD_INFO = {head: (category, rdf_type) for head, category, rdf_type in HEADS}
_STOP_CHARS = set(_WORDS["stop_chars"])
_STOP_WORDS = tuple(_WORDS["stop_words"])
_VERBS_BEFORE = tuple(_WORDS["verbs_before"])
_NOT_NAMES = tuple(_WORDS["not_names"])
_WORD_AFTER: dict[str, str] = _WORDS["word_after"]
_MIN_NAME: dict[str, int] = _WORDS["min_name"]
_OF_AN_ORGANIZATION = set(_WORDS["of_an_organization"])
_LIST_JOINS = set(_WORDS["list_joins"])
_NEED_PLACE = set(_WORDS["need_place"])
_ENGLISH_FORMS: dict[str, str] = _WORDS["english_forms"]
_PLACE_END = set(_WORDS["place_end"])
_MIN_LENGTH = 4


def find_names(gazetteer: Gazetteer, text: str, known: list[EntityMatch]) -> list[EntityMatch]:
    found: list[EntityMatch] = []
    everything = MatchIndex(known)
    orgs = MatchIndex(m for m in known if m.category not in ("city", "region", "country"))
    places = MatchIndex(m for m in known if m.category in ("city", "region", "country"))
    for head_match in _HEAD.finditer(text):
        head = head_match.group()
        end = head_match.end()
        following = text[end : end + 1]
        if following and following in _WORD_AFTER.get(head, ""):
            continue
        if orgs.overlaps(head_match.start(), end) and not _only_the_head(orgs, head_match):
            continue  # a known organization's own head word
        start = _name_start(text, head_match.start(), orgs, places)
        start = _after_stop_words(text, start, head_match.start(), places)
        if _HEAD_INFO[head][0] in ("government", "unit"):
            start = _through_conjunctions(text, start, places)
        if head in _OF_AN_ORGANIZATION:
            start = _with_its_organization(text, start, orgs)
        name = text[start:end]
        shortest = _MIN_NAME.get(head, _MIN_LENGTH if len(head) == 1 else len(head) + 2)
        if len(name) < shortest:
            continue
        if name.endswith(_NOT_NAMES) and len(name) <= 3:
            continue
        if any(name.endswith(word) for word in _NOT_NAMES if len(word) == 2) and len(head) == 1:
            continue
        category, rdf_type = _HEAD_INFO[head]
        if (
            head == "办事处"
            and not name.startswith(("人居署", "区域", "国家", "联络"))
            and "区域" not in name
        ):
            category, rdf_type = "organization", HKG.Organization
        inside = places.within(start, end)
        if head in _NEED_PLACE and not inside and not everything.within(start, end):
            continue
        container = inside[0].entity if inside and category == "government" else None
        confidence = 0.65 if len(head) > 1 else 0.55
        found.append(
            new_entity_match(
                start,
                end,
                name,
                _readable_iri(gazetteer, text, start, end, head, everything),
                category,
                rdf_type,
                confidence,
                "pattern-zh-head",
                "zh",
                container=container,
            )
        )
    found += _places_after_country(text, known)
    found += _quoted_names(text, everything)
    found += latin_names_after_country(text, known)
    return found


def _only_the_head(orgs: MatchIndex, head: re.Match[str]) -> bool:
    """A known organization named by the head word alone (大学, "universities" in a curated
    file) is a common noun, and no end of a longer name (谢赫·安塔·迪奥普大学)."""
    inside = orgs.within(head.start(), head.end())
    return len(inside) == 1 and inside[0].start == head.start() and inside[0].end == head.end()


def _with_its_organization(text: str, start: int, orgs: MatchIndex) -> int:
    """Begin at the known organization the name is of: directly before it, or before a list of
    subjects joined by 和 and 、 that the name covers (not over other stop characters)."""
    position = start
    while position > 0 and start - position < 20:
        before = orgs.ending_in(position)
        if before is not None and before.end == position:
            return before.start
        previous = text[position - 1]
        if previous in _STOP_CHARS and previous not in _LIST_JOINS:
            break
        position -= 1
    return start


def _name_start(text: str, head_start: int, orgs: MatchIndex, places: MatchIndex) -> int:
    """Walk left from the head word to the first stop character or known organization; a
    known place is passed whole (拉各斯 holds 各, a stop character elsewhere)."""
    start = head_start
    limit = max(0, head_start - 20)
    while start > limit:
        place = places.ending_in(start)
        if place is not None:
            start = place.start
            continue
        previous = text[start - 1]
        # 与 ends a name on its left ("与X合作"), but 参与 is a word of names.
        if previous == "与" and text[start - 2 : start - 1] == "参":
            start -= 2
            continue
        if previous in _STOP_CHARS or previous.isdigit() or text.endswith(_VERBS_BEFORE, 0, start):
            break
        # 等 ends a list before a name (……等组织), but 平等 is a word of names.
        if previous == "等" and text[start - 2 : start - 1] != "平":
            break
        if orgs.ending_in(start) is not None:
            break
        start -= 1
    return start


def _through_conjunctions(text: str, start: int, places: MatchIndex) -> int:
    """肯尼亚住房和城市发展部: a ministry's or unit's name may join its subjects with 和 or
    、; it reaches over them only back to the known place its name begins with."""
    while start > 1 and text[start - 1] in "和、":
        position = start - 1
        while position > 0 and text[position - 1] not in _STOP_CHARS:
            place = places.ending_in(position)
            position = place.start if place is not None else position - 1
        first = places.starting_at(position)
        if first is None or first.category != "country":
            break
        start = position
    return start


#: A name on no list in quotation marks after the kind of body it is: 青年团体“湖畔青年之声”.
_QUOTED = re.compile(r"(?:组织|团体|社团|机构|协会|网络|合作社)“([^“”]{2,20})”")


def _quoted_names(text: str, known: MatchIndex) -> list[EntityMatch]:
    found: list[EntityMatch] = []
    for match in _QUOTED.finditer(text):
        start, end = match.span(1)
        if known.overlaps(start, end):
            continue
        name = match.group(1)
        found.append(
            new_entity_match(
                start,
                end,
                name,
                org_iri(name),
                "ngo",
                HKG.CivilSocietyOrganization,
                0.6,
                "pattern-zh-quoted",
                "zh",
            )
        )
    return found


def _after_stop_words(text: str, start: int, head_start: int, places: MatchIndex) -> int:
    """Drop the words that introduce the name; begin at a known place when one is inside."""
    changed = True
    while changed:
        changed = False
        for word in _STOP_WORDS:
            if text.startswith(word, start) and start + len(word) <= head_start:
                start += len(word)
                changed = True
    inside = [m for m in places.within(start, head_start) if m.start > start]
    if inside:
        first = min(inside, key=lambda m: m.start)
        # Only when the words before it are not themselves a name part ("国家…" is).
        if first.start - start <= 4:
            start = first.start
    return start


def _readable_iri(
    gazetteer: Gazetteer, text: str, start: int, end: int, head: str, known: MatchIndex
) -> URIRef:
    name = text[start:end]
    form = _ENGLISH_FORMS.get(head)
    parts = known.within(start, end)
    if form is None or not parts:
        return org_iri(name)
    words: dict[str, str] = {}
    position = start
    for part in parts:
        if part.start != position:
            return org_iri(name)
        kind = "place" if part.category in ("city", "region", "country") else "org"
        entity = gazetteer.entity(part.entity)
        english = (
            entity.acronyms[0] if entity and entity.acronyms else entity and entity.label("en")
        )
        if not english or kind in words:
            return org_iri(name)
        words[kind] = slug(ascii_fold(english))
        position = part.end
    rest = text[position:end]
    if rest not in (head, "市" + head) or set(words) != form_keys(form):
        return org_iri(name)
    return ID["org/" + form.format(**words)]


def form_keys(form: str) -> set[str]:
    return {key for key in ("place", "org") if "{" + key + "}" in form}


def _places_after_country(text: str, known: list[EntityMatch]) -> list[EntityMatch]:
    """在 + a known country + a name on no list (在喀麦隆姆福乌举办): a city of that country."""
    found: list[EntityMatch] = []
    spans = MatchIndex(known)
    for country_match in known:
        if country_match.category != "country" or country_match.start == 0:
            continue
        if text[country_match.start - 1] not in "在于":
            continue
        start = end = country_match.end
        if spans.starting_at(start) is not None:
            continue
        while end < len(text) and end - start < 5 and "\u4e00" <= text[end] <= "\u9fff":
            if text[end] in _PLACE_END:
                break
            end += 1
        if end < len(text) and text[end] == "市":
            end += 1
        if end - start < 2 or end - start > 5:
            continue
        alpha2 = country_alpha2(country_match.entity)
        if alpha2 is None:
            continue
        name = text[start:end]
        iri = ID[f"city/{alpha2.lower()}-zh-{short_hash(name)}"]
        found.append(
            new_entity_match(
                start,
                end,
                name,
                iri,
                "city",
                HKG.City,
                0.5,
                "pattern-zh-place-country",
                "zh",
                container=country_match.entity,
            )
        )
    return found
