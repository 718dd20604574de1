"""Which paragraphs of a report speak to which mandate.

In order of trust:

1. a paragraph that cites the operative paragraph ("paragraph 2 (a) of resolution 3/4", "第3/6号
   决议第2段", "OP 4"; a citation without an act belongs to the act of the paragraph's section,
   and a section heading's citations to each of its paragraphs that cites none); its lettered
   sub-paragraphs speak to what it cites unless they cite something themselves;
2. a paragraph of a section about an act whose words are closest to one of the act's operative
   paragraphs (words of the act's title and of the section heading do not count, nor the words
   every report uses); when the closest is a paragraph that asks nothing (welcoming, taking
   note), the report paragraph is about that, and no mandate's evidence;
3. a paragraph that cites nothing and matches nothing but names a place or body the paragraph
   before it named, continuing what that one reported on;
4. what the curated record says an activity of the paragraph is for (hkg:forMandate,
   hkg:implements).

A paragraph about the report itself ("The present report is submitted pursuant to paragraph 1
...") is evidence of nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import URIRef

from habitat_kg import namespaces as ns
from habitat_kg.graph.extract.status import describes_the_report
from habitat_kg.graph.mandates.citations import Citation, find_citations
from habitat_kg.graph.mandates.known import KnownAct, OperativePart
from habitat_kg.graph.parse import ReportText, find_references

CITED, CLOSEST, CONTINUED, ACTIVITY = "cited", "closest-words", "continues", "activity-for"
CONFIDENCE = {CITED: 0.85, ACTIVITY: 0.8, CLOSEST: 0.6, CONTINUED: 0.5}
#: Shared word stems (English) or character pairs (Chinese) for a paragraph to be closest to an
#: operative paragraph; more when it already cites another one.
_LEAST_SHARED = {"en": 2, "zh": 3}
_MORE_SHARED = {"en": 3, "zh": 5}
_EN_WORD = re.compile(r"[A-Za-z]+")


def _words_of(text: str) -> list[str]:
    return re.findall(r"\S+", text)


_ZH_RUN = re.compile(r"[\u4e00-\u9fff]+")
_EN_COMMON = frozenset(
    word[:6]
    for word in _words_of(
        """
        about also assembly available board decision director during each executive first
        fourth from have implementation implement including into member other paragraph present
        progress report reports requested requests resolution resources second secretariat
        session states such that their these third this through under united nations which will
        with within been being where were habitat programme
        """
    )
)
_ZH_COMMON = frozenset(
    _words_of(
        """
        决议 决定 执行 主任 会员 员国 报告 大会 人居 居署 秘书 书处 请执
        又请 现有 有资 资源 源范 范围 围内 第二 第三 第四 会议 届会
        """
    )
)
_EN_NAME = re.compile(r"(?<=[^.!?]\s)[A-Z][a-z]{3,}")
_NOT_NAMES = frozenset(
    _words_of(
        """
        United Nations Member States Executive Director Board Assembly Government Division
        Branch Section Office Programme January February March April June July August September
        October November December Through
        """
    )
)


@dataclass(frozen=True)
class Evidence:
    """A report passage that speaks to a mandate, and why it is taken to."""

    mandate: URIRef
    passage: URIRef
    #: Where the passage's words cite the mandate (None: the whole paragraph).
    span: tuple[int, int] | None
    rule: str

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.rule]


@dataclass(frozen=True)
class _Passage:
    iri: URIRef
    text: str
    section: int | None
    #: The paragraph it belongs to (itself for a paragraph).
    paragraph: URIRef


def section_acts(text: ReportText) -> dict[int, list[URIRef]]:
    """The acts each section heading names, by section number."""
    return {
        section.number: list(dict.fromkeys(_act_iri(r.kind, r.organ, r.number) for r in refs))
        for section in text.sections
        if (refs := find_references(section.title))
    }


def covered_acts(
    text: ReportText, acts: Mapping[URIRef, KnownAct], report_id: str | None = None
) -> list[URIRef]:
    """The known acts the report covers: named by a section heading, by the introduction (a
    section naming none), cited by paragraph, or (``report_id`` given) whose mandates the
    curated record says an activity of the report is for."""
    named = section_acts(text)
    found: list[URIRef] = [act for section in sorted(named) for act in named[section]]
    for paragraph in text.paragraphs:
        for citation in find_citations(paragraph.text):
            if citation.act and citation.kind and citation.organ:
                found.append(_act_iri(citation.kind, citation.organ, citation.act))
        if paragraph.section not in named:
            found.extend(
                _act_iri(r.kind, r.organ, r.number) for r in find_references(paragraph.text)
            )
    # Acts whose mandates the curated record says the report's activities are for.
    prefix = f"{ns.report(report_id)}/" if report_id else None
    for iri, act in acts.items():
        if prefix and any(str(citation).startswith(prefix) for citation, _ in act.activities):
            found.append(iri)
    return [act for act in dict.fromkeys(found) if act in acts]


def find_evidence(
    text: ReportText, report_id: str, acts: Mapping[URIRef, KnownAct]
) -> list[Evidence]:
    """Every (mandate, passage) the report shows, for the acts it covers, in text order."""
    report = ns.report(report_id)
    covered = {iri: acts[iri] for iri in covered_acts(text, acts, report_id)}
    named = section_acts(text)
    headings = {section.number: section.title for section in text.sections}
    found: list[Evidence] = []
    previous: tuple[_Passage, list[Evidence]] | None = None
    for paragraph in text.paragraphs:
        iri = ns.paragraph(report, paragraph.number)
        own = _Passage(iri, paragraph.text, paragraph.section, iri)
        section = [covered[a] for a in named.get(paragraph.section or -1, []) if a in covered]
        heading = headings.get(paragraph.section or -1, "")
        shown = _passage_evidence(own, section, covered, heading, text.language, previous)
        found.extend(shown)
        previous = (own, shown) if section else None
        for sub in paragraph.subparagraphs:
            sub_iri = ns.subparagraph(report, paragraph.number, sub.label)
            part = _Passage(sub_iri, sub.text, paragraph.section, iri)
            cited = _cited(part, section, covered, heading)
            inherited = [Evidence(e.mandate, sub_iri, None, e.rule) for e in shown]
            found.extend(cited or inherited)
    found.extend(_activity_evidence(text, report, covered))
    return _unique(found)


def _passage_evidence(
    passage: _Passage,
    section: list[KnownAct],
    covered: Mapping[URIRef, KnownAct],
    heading: str,
    language: str,
    previous: tuple[_Passage, list[Evidence]] | None,
) -> list[Evidence]:
    if describes_the_report(passage.text):
        return []
    cited = _cited(passage, section, covered, heading)
    closest, about_other = _closest(passage, section, heading, language, cited)
    if cited or closest or about_other:
        return cited + closest
    if previous is not None and previous[1] and _shares_a_name(passage.text, previous[0].text):
        return [Evidence(e.mandate, passage.iri, None, CONTINUED) for e in previous[1]]
    return []


def _cited(
    passage: _Passage, section: list[KnownAct], covered: Mapping[URIRef, KnownAct], heading: str
) -> list[Evidence]:
    citations = find_citations(passage.text)
    spans = {id(c): (c.start, c.end) for c in citations}
    if not citations:
        citations = find_citations(heading)
        spans = {id(c): None for c in citations}
    found = []
    for citation in citations:
        for act in _acts_cited(citation, section, covered):
            for part in act.cited(citation.number, citation.label):
                found.append(Evidence(part.iri, passage.iri, spans[id(citation)], CITED))
    return found


def _acts_cited(
    citation: Citation, section: list[KnownAct], covered: Mapping[URIRef, KnownAct]
) -> list[KnownAct]:
    if citation.act is None:
        return section[:1] if len(section) == 1 else []
    if citation.kind is None or citation.organ is None:
        return []
    act = covered.get(_act_iri(citation.kind, citation.organ, citation.act))
    return [act] if act is not None else []


def _closest(
    passage: _Passage,
    section: list[KnownAct],
    heading: str,
    language: str,
    cited: list[Evidence],
) -> tuple[list[Evidence], bool]:
    """The mandates whose words the passage shares most; True when the closest operative
    paragraph asks nothing (the passage is about that)."""
    if not section:
        return [], False
    topic = _words(heading, language)
    for act in section:
        topic |= _words(act.title, language)
    cited_iris = {e.mandate for e in cited}
    already = set().union(
        *(_words(p.text, p.language) for a in section for p in a.parts if p.iri in cited_iris)
    )
    words = _words(passage.text, language) - topic - already
    least = (_MORE_SHARED if cited else _LEAST_SHARED)[language]
    scored: list[tuple[int, OperativePart]] = []
    for act in section:
        for part in act.parts:
            if part.chapeau or part.iri in cited_iris or part.language != language:
                continue
            scored.append((len(words & _words(part.text, part.language)), part))
    if not scored:
        return [], False
    best = max(score for score, _ in scored)
    if best < least:
        return [], False
    winners = [part for score, part in scored if score == best]
    if not all(part.is_mandate for part in winners):
        return [], True
    return [Evidence(part.iri, passage.iri, None, CLOSEST) for part in winners], False


def _words(text: str, language: str) -> set[str]:
    if language == "zh":
        pairs = {run[i : i + 2] for run in _ZH_RUN.findall(text) for i in range(len(run) - 1)}
        return pairs - _ZH_COMMON
    stems = {word.lower()[:6] for word in _EN_WORD.findall(text) if len(word) >= 4}
    return stems - _EN_COMMON


def _shares_a_name(text: str, before: str) -> bool:
    """Both passages name the same place or body (a capitalized word inside a sentence)."""
    names = {name for name in _EN_NAME.findall(text) if name not in _NOT_NAMES}
    return bool(names & set(_EN_NAME.findall(before)))


def _activity_evidence(
    text: ReportText, report: URIRef, covered: Mapping[URIRef, KnownAct]
) -> Iterable[Evidence]:
    prefix = f"{report}/"
    for act in covered.values():
        for citation, mandate in act.activities:
            if str(citation).startswith(prefix) and "/paragraph/" in str(citation):
                yield Evidence(mandate, citation, None, ACTIVITY)


def _unique(found: list[Evidence]) -> list[Evidence]:
    """One piece of evidence per mandate and passage: the most trusted."""
    best: dict[tuple[URIRef, URIRef], Evidence] = {}
    for evidence in found:
        key = (evidence.mandate, evidence.passage)
        if key not in best or evidence.confidence > best[key].confidence:
            best[key] = evidence
    return sorted(best.values(), key=lambda e: (_order(e.passage), str(e.mandate)))


def _order(passage: URIRef) -> tuple[int, str]:
    match = re.search(r"/paragraph/(\d+)(?:/([a-z]+))?$", str(passage))
    return (int(match.group(1)), match.group(2) or "") if match else (10**6, str(passage))


def _act_iri(kind: str, organ: str, number: str) -> URIRef:
    return (ns.resolution if kind == "resolution" else ns.decision)(organ, number)
