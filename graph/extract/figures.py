"""Figures the passage gives, each with what it counts.

A figure is a number (digits, "4.2 million", "Thirty-one", 两, 三十) followed, within a few
words, by the noun it counts ("9 francophone countries", 42名学员, 三场……会议).  Where the
ontology has a property for that noun (hkg:numberOfParticipants, hkg:numberOfCountries,
hkg:numberOfMeetings ...) the activity gets it; any other figure becomes a hkg:Figure node
with hkg:figureValue and hkg:countedNoun.  Numbers inside dates, symbols and references to
resolutions are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import XSD

from habitat_kg.graph.extract.context import PassageContext, SpanMask
from habitat_kg.graph.parse import find_references
from habitat_kg.graph.parse.numerals import chinese_numeral
from habitat_kg.namespaces import HKG
from habitat_kg.tables import load_table


def _nouns(table: str) -> tuple[tuple[str, URIRef | None], ...]:
    """The nouns a figure counts, from words.toml: (pattern, property, or None: a hkg:Figure)."""
    rows = load_table("habitat_kg.graph.extract", "words")[table]
    return tuple((row[0], HKG[row[1]] if len(row) > 1 else None) for row in rows)


_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_UNITS += "fifteen sixteen seventeen eighteen nineteen"
_EN_UNITS = {word: index for index, word in enumerate(_UNITS.split(), start=1)}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_EN_TENS |= {"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_EN_WORD = (
    r"(?:(?:" + "|".join(_EN_TENS) + r")(?:-(?:" + "|".join(list(_EN_UNITS)[:9]) + r"))?"
    r"|" + "|".join(sorted(_EN_UNITS, key=len, reverse=True)) + r")"
)
_EN_NUMBER = re.compile(
    r"(?<![\w/.-])(?P<at_least>at least |some |about |nearly |over |more than )?"
    r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + _EN_WORD + r")"
    r"(?P<scale> (?:million|billion|thousand))?(?![\w/-])",
    re.I,
)
# (noun pattern, property or None for a hkg:Figure, the counted noun when generic).
_EN_NOUNS = _nouns("figure_nouns_en")
_EN_NOUN = re.compile(
    r"(?: of the)?(?P<words>(?: [A-Za-z][\w-]*){0,3}?) (?P<noun>"
    + "|".join(f"(?:{noun})" for noun, _ in _EN_NOUNS)
    + r")\b",
    re.I,
)

_ZH_NUMERAL = "一二两三四五六七八九十百千万"
_ZH_NUMBER = re.compile(
    r"(?<![第\d.])(?P<at_least>至少|约|近|超过|逾)?\s*"
    r"(?P<number>\d+(?:\.\d+)?|[" + _ZH_NUMERAL + r"]+(?=[个名份项次场位家所座期批户]))"
    r"\s*(?P<scale>万|百万|亿)?\s*(?P<counter>[个名份项次场位家所座期批户])?"
)
_ZH_NOUNS = _nouns("figure_nouns_zh")
_ZH_NOUN = re.compile(
    "|".join(f"(?P<n{index}>{noun})" for index, (noun, _) in enumerate(_ZH_NOUNS))
)
_ZH_STOP = re.compile(r"[，。；、（）()“”《》：:,;\d" + _ZH_NUMERAL[:10] + "]")
_REVIEWED = re.compile(r"审查|审议|review", re.I)
_REPORT_COUNTS = (HKG.numberOfResolutionsReported, HKG.numberOfDecisionsReported)
# Figures of one that are worth stating: "one decision", 一名工作人员.
_ONE_COUNTS = (*_REPORT_COUNTS, HKG.numberOfStaff)


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    value: int
    prop: URIRef | None
    noun: str
    at_least: bool


def propose_figures(context: PassageContext, spans: list[tuple[int, int]]) -> None:
    """Figures outside ``spans`` (dates, symbols, paragraph numbers) and references."""
    references = [(r.offset, r.offset + len(r.number)) for r in find_references(context.text)]
    reserved = SpanMask(len(context.text), [*spans, *references])
    finder = _chinese_figures if context.chinese else _english_figures
    generic = 0
    for figure in finder(context.text):
        span = (figure.start, figure.end)
        if reserved.covers(span):
            continue
        prop = figure.prop
        sentence = context.text[slice(*context.sentence_of(figure.start))]
        reviewed = (HKG.numberOfProjectDocumentsReviewed, HKG.numberOfConceptNotesReviewed)
        if prop in reviewed and not _REVIEWED.search(sentence):
            prop = HKG.numberOfDocuments
        if prop == HKG.numberOfCountries and figure.at_least:
            prop = HKG.minimumNumberOfCountries
        if figure.value == 1 and prop not in _ONE_COUNTS:
            continue  # "one workshop", 一场会议: an article, not a figure
        value = Literal(figure.value, datatype=XSD.integer)
        if prop is not None:
            subject = context.report if prop in _REPORT_COUNTS else None
            context.propose("figure", prop, value, span, 0.75, "figure.counted", subject)
            continue
        generic += 1
        node = URIRef(f"{context.activity}/figure/{generic}")
        context.propose("figure", HKG.figureValue, value, span, 0.65, "figure.generic", node)
        context.propose("entity", HKG.figure, node, span, 0.65, "figure.generic")
        context.propose("entity", RDF.type, HKG.Figure, span, 0.65, "figure.generic", node)
        noun = context.literal(figure.noun)
        context.propose("entity", HKG.countedNoun, noun, span, 0.65, "figure.generic", node)


def _english_value(number: str, scale: str | None) -> int | None:
    word = number.lower()
    if word in _EN_UNITS:
        value: float = _EN_UNITS[word]
    elif word.split("-")[0] in _EN_TENS:
        tens, _, units = word.partition("-")
        value = _EN_TENS[tens] + (_EN_UNITS[units] if units else 0)
    else:
        value = float(word.replace(",", ""))
    factor = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
    if scale:
        value *= factor[scale.strip().lower()]
    return round(value) if value == round(value) or scale else None


def _english_figures(text: str) -> list[_Figure]:
    found: list[_Figure] = []
    money_noun: str | None = None
    for match in _EN_NUMBER.finditer(text):
        value = _english_value(match["number"], match["scale"])
        if value is None:
            continue
        noun_match = _EN_NOUN.match(text, match.end())
        start = match.start("number") if not match["at_least"] else match.start()
        if noun_match is None:
            if match["scale"] and money_noun:
                found.append(_Figure(start, match.end(), value, None, money_noun, False))
            continue
        noun = noun_match["noun"]
        prop = next(p for pattern, p in _EN_NOUNS if re.fullmatch(pattern, noun, re.I))
        counted = (noun_match["words"].strip() + " " + noun).strip()
        if prop is None and re.search(r"dollars|US\$|USD", noun, re.I):
            money_noun = noun
        if prop is HKG.numberOfCountries and noun == "States" and not noun_match["words"]:
            continue  # "3 States" alone is rare; "Member States" is the usual wording
        at_least = bool(match["at_least"]) and match["at_least"].lower().startswith("at least")
        found.append(_Figure(start, noun_match.end(), value, prop, counted, at_least))
    return found


def _chinese_value(number: str, scale: str | None) -> int | None:
    try:
        if number[0].isdigit():
            value = float(number)
        elif number in ("百", "千", "万"):
            return None
        else:
            value = float(_chinese_large(number))
    except ValueError:
        return None
    value *= {"万": 10_000, "百万": 1_000_000, "亿": 100_000_000}.get(scale or "", 1)
    return round(value)


def _chinese_large(number: str) -> int:
    """Chinese numerals with 百/千 as well as the ones ``chinese_numeral`` reads."""
    for unit, factor in (("千", 1000), ("百", 100)):
        if unit in number:
            high, _, low = number.partition(unit)
            head = chinese_numeral(high) if high else 1
            return head * factor + (_chinese_large(low.lstrip("零")) if low else 0)
    return chinese_numeral(number) if number else 0


# "X项决议中的Y项": Y of the X resolutions (or decisions) adopted are reported on.
_ZH_PART_OF = re.compile(r"中的\s*(?P<number>\d+|[" + _ZH_NUMERAL + r"]+)\s*项")
_ADOPTED = {HKG.numberOfResolutionsReported: HKG.numberOfResolutionsAdopted}


def _chinese_figures(text: str) -> list[_Figure]:
    found: list[_Figure] = []
    for match in _ZH_NUMBER.finditer(text):
        value = _chinese_value(match["number"], match["scale"])
        if value is None:
            continue
        after = text[match.end() : match.end() + 14]
        stop = _ZH_STOP.search(after)
        window = after[: stop.start()] if stop else after
        start = match.start("number") if not match["at_least"] else match.start()
        noun_match = _ZH_NOUN.search(window)
        if noun_match is None or not noun_match.lastgroup:
            # "60人" / "60名" + a verb: people, when 人 follows the number itself.
            if window.startswith("人") and match["counter"] in (None, "名"):
                end = match.end() + 1
                found.append(_Figure(start, end, value, HKG.numberOfParticipants, "人", False))
            continue
        prop = _ZH_NOUNS[int(noun_match.lastgroup[1:])][1]
        end = match.end() + noun_match.end()
        counted = window[: noun_match.end()].strip()
        part = _ZH_PART_OF.match(text, end) if prop in _REPORT_COUNTS else None
        if part is not None:
            # The whole is what was adopted; the part, what the report covers.
            reported = _chinese_value(part["number"], None)
            if reported is not None:
                found.append(
                    _Figure(part.start("number"), part.end(), reported, prop, counted, False)
                )
            prop = _ADOPTED.get(prop)
            if prop is None:
                continue
        found.append(_Figure(start, end, value, prop, counted, match["at_least"] == "至少"))
    return found
