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

if TYPE_CHECKING:
    from habitat_kg.graph.gazetteer.gazetteer import Gazetteer

#: Head words, the longest first: (category, class).
HEADS: tuple[tuple[str, str, URIRef], ...] = (
    ("市人民委员会", "government", HKG.Organization),
    ("人民委员会", "government", HKG.Organization),
    ("市政府", "government", HKG.Organization),
    ("州政府", "government", HKG.Organization),
    ("省政府", "government", HKG.Organization),
    ("政府", "government", HKG.Organization),
    ("办事处", "unit", HKG.Office),
    ("联合会", "ngo", HKG.CivilSocietyOrganization),
    ("基金会", "ngo", HKG.CivilSocietyOrganization),
    ("合作社", "ngo", HKG.CivilSocietyOrganization),
    ("委员会", "organization", HKG.Organization),
    ("协会", "ngo", HKG.CivilSocietyOrganization),
    ("联盟", "organization", HKG.Network),
    ("大学", "university", HKG.University),
    ("学院", "university", HKG.University),
    ("研究所", "organization", HKG.Organization),
    ("研究院", "organization", HKG.Organization),
    ("中心", "organization", HKG.Organization),
    ("平台", "organization", HKG.Organization),
    ("咨询小组", "organization", HKG.AdvisoryGroup),
    ("工作组", "governing-body", HKG.WorkingGroup),
    ("倡议", "organization", HKG.Initiative),
    ("网络", "organization", HKG.Network),
    ("股", "unit", HKG.Unit),
    ("科", "unit", HKG.Unit),
    ("处", "unit", HKG.Branch),
    ("司", "unit", HKG.Division),
    ("局", "government", HKG.Organization),
    ("部", "government", HKG.Organization),
)
_HEAD = re.compile("|".join(re.escape(head) for head, _, _ in HEADS))
_HEAD_INFO = {head: (category, rdf_type) for head, category, rdf_type in HEADS}

#: Characters that end a name on its left.
_STOP_CHARS = set(
    "与同由及和在向为对经据将已并是的了有该其各从于把被让请即这那也还以、，。；：！？"
)
_STOP_CHARS |= set("“”‘’《》（）()「」 \n\t")
#: Words that introduce a name without belonging to it.
_STOP_WORDS = (
    "支持",
    "协助",
    "通过",
    "包括",
    "根据",
    "会同",
    "联合",
    "合作",
    "举办",
    "召开",
    "设立",
    "成立",
    "参加",
    "来自",
    "邀请",
    "代表",
    "感谢",
    "资助",
    "供资",
    "当地",
    "非政府组织",
    "以及",
    "其中",
    "建立",
    "一旦",
    "一个",
    "一项",
    "特别关注",
    "关注",
)
#: Verbs that end a walk to the left: what is set up, decided or submitted follows them.
_VERBS_BEFORE = ("设立", "成立", "建立", "决定", "提交", "邀请", "感谢", "召开", "举办")
#: Common words a one-character head word ends: no name.
_NOT_NAMES = (
    "内部",
    "外部",
    "全部",
    "总部",
    "东部",
    "西部",
    "南部",
    "北部",
    "中部",
    "局部",
    "干部",
    "公司",
    "上司",
    "此处",
    "各处",
    "之处",
    "好处",
    "到处",
    "处处",
    "难处",
    "学科",
    "该股",
    "格局",
    "结局",
    "当局",
    "布局",
    "本部",
    "该处",
    "该司",
    "该科",
    "该局",
)
#: Characters after a one-character head word that make it part of a longer word (部分, 处理).
_WORD_AFTER = {
    "部": "分门长署位",
    "处": "理于在置境",
    "司": "法令",
    "局": "势面限",
    "科": "学技研",
    "股": "份东票",
    "中心": "城",
    "政府": "组间",
    "倡议": "者书",
    "网络": "研安化平课",
}
#: Head words that are common nouns in short phrases (全球倡议, 伙伴网络): a longer name only.
_MIN_NAME = {"倡议": 5, "网络": 6}
#: Head words whose name begins with the organization before them: 人居署马德里办事处,
#: 人居署性别问题咨询小组, 执行局方案、预算和行政事项特设工作组 (over its list of subjects).
_OF_AN_ORGANIZATION = {"办事处", "咨询小组", "工作组"}
_LIST_JOINS = set("和、")
#: Head words that make a name only with a known place or organization inside (德国政府,
#: 人居署马德里办事处); alone they are common nouns (地方政府, 国家办事处).
_NEED_PLACE = {"政府", "办事处", "人民委员会", "委员会", "平台"}

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


#: How English writes a Chinese name made of a known place (and organization) and a head word,
#: so that both languages give the same IRI: 基加利市政府 is the City of Kigali.
_ENGLISH_FORMS = {
    "市政府": "city-of-{place}",
    "政府": "government-of-{place}",
    "州政府": "{place}-state-government",
    "大学": "university-of-{place}",
    "办事处": "{org}-{place}-office",
}


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


_PLACE_END = set("举召开组为的和与及、，。；：设启进实试推共参合成建完正已将期等办")


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
