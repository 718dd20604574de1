"""The activity node of a passage: its type and its label.

Every paragraph and sub-paragraph gets one hkg:Activity.  Where its first sentence says plainly
what kind of event or product the activity is about ("An expert group meeting … was held",
讲习班, 网络研讨会, "guidelines"), the activity is typed with that class as well, so that the
event and product questions find it.  Its label is the passage's first clause in the report's
language, extended to the next clause when the first is too short to say anything.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, URIRef

from habitat_kg.graph.extract.context import PassageContext, overlaps, sentences
from habitat_kg.graph.extract.status import describes_the_report
from habitat_kg.namespaces import HKG
from habitat_kg.tables import load_table

_PACKAGE = "habitat_kg.graph.extract"

# (pattern, class), from words.toml: the earliest match in the first sentence wins; at one
# place, the first listed.
_KINDS: tuple[tuple[str, URIRef], ...] = tuple(
    (pattern, HKG[kind]) for pattern, kind in load_table(_PACKAGE, "words")["activity_kinds"]
)
_KIND = re.compile(
    "|".join(f"(?P<k{index}>{pattern})" for index, (pattern, _) in enumerate(_KINDS)), re.I
)
# Words that make an event word a reference to something else, not what the activity is.
_NOT_THE_ACTIVITY = re.compile(r"(?:at|during|on the margins of|在)\s*$", re.I)

_ZH_CLAUSE = re.compile(r"[，。；：]")
_EN_CLAUSE = re.compile(r"[;:]|,(?=\s)|\.(?=\s|$)")
_SHORT = {"zh": 10, "en": 30}
# A leading clause that says why or when, not what: the label starts after it.
_LEAD_IN = re.compile(
    r"^(?:根据|按照|依照|为了|为配合|鉴于|由于|报告所述期间|应|Pursuant to|In response to"
    r"|As requested|Owing to|Due to|In accordance with|In line with|Further to)",
    re.I,
)
_ONLY_A_DATE = re.compile(
    r"(?:在\s*)?[\d\s年月日至和、-]+(?:期间)?|(?:In|From|Between|On|By)?\s*[\w\s]*\d{4}", re.I
)
_LONG = {"zh": 80, "en": 220}


def propose_activity(context: PassageContext) -> None:
    context.propose("activity", RDF.type, HKG.Activity, None, 0.9, "activity.passage")
    label, span = first_clause(context.text, context.language)
    if label:
        label = label[0].upper() + label[1:]  # after a lead-in: "the Unit is ..." -> "The Unit"
        context.propose(
            "activity", RDFS.label, context.literal(label), span, 0.6, "activity.first-clause"
        )
    names = [(m.start, m.end) for m in context.entities]
    kind = None if describes_the_report(context.text) else activity_kind(context.text, names)
    if kind is not None:
        kind_class, kind_span = kind
        context.propose("activity", RDF.type, kind_class, kind_span, 0.6, "activity.kind")


def activity_kind(
    text: str,
    names: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[URIRef, tuple[int, int]] | None:
    """The event or product class the first sentence names (outside ``names``, the spans of
    the organizations and places it names), with where it names it."""
    bounds = sentences(text)
    if not bounds:
        return None
    start, end = bounds[0]
    for match in _KIND.finditer(text, start, end):
        if overlaps(match.span(), list(names)) or _NOT_THE_ACTIVITY.search(
            text[max(start, match.start() - 20) : match.start()]
        ):
            continue
        index = int(match.lastgroup[1:]) if match.lastgroup else None
        if index is not None:
            return _KINDS[index][1], match.span()
    return None


def first_clause(text: str, language: str) -> tuple[str, tuple[int, int] | None]:
    """The first clause (long enough to be a label) and its span in ``text``."""
    clause = _ZH_CLAUSE if language == "zh" else _EN_CLAUSE
    stripped = len(text) - len(text.lstrip())
    end = len(text)
    for match in clause.finditer(text, stripped):
        piece = text[stripped : match.start()].strip()
        if _LEAD_IN.search(piece) or _ONLY_A_DATE.fullmatch(piece):
            stripped = match.end() + len(text[match.end() :]) - len(text[match.end() :].lstrip())
            continue
        if len(piece) >= _SHORT.get(language, 30):
            end = match.start()
            break
    longest = _LONG.get(language, 220)
    if end - stripped > longest:
        cut = text.rfind(" ", stripped, stripped + longest) if language != "zh" else -1
        end = cut if cut > stripped else stripped + longest
    label = text[stripped:end].strip()
    return label, (stripped, stripped + len(label)) if label else None
