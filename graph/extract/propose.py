"""Proposing the statements of a report: one activity per paragraph and sub-paragraph.

For every passage the gazetteer is asked once what it names; each concept's rules then read the
passage (activity, acts and documents, units, partners, places, dates, figures, status, and the
further activities of clauses at another stage, ``segments``) and the proposals are collected in
the order the review page lists them.  A statement proposed twice
for the same passage (a resolution named by the heading and cited again) is kept once, with the
span of the text that names it and the higher confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from habitat_kg.graph.extract.activity import propose_activity
from habitat_kg.graph.extract.acts import propose_acts, propose_documents
from habitat_kg.graph.extract.agents import (
    propose_country_partners,
    propose_partners,
    propose_units,
)
from habitat_kg.graph.extract.context import PassageContext, Recogniser, SpanMask, activity_iri
from habitat_kg.graph.extract.dates import propose_dates
from habitat_kg.graph.extract.figures import propose_figures
from habitat_kg.graph.extract.places import propose_new_entities, propose_places
from habitat_kg.graph.extract.proposal import KINDS, EntityMatch, Proposal
from habitat_kg.graph.extract.segments import propose_further_activities
from habitat_kg.graph.extract.status import propose_status
from habitat_kg.graph.parse import (
    Paragraph,
    Reference,
    ReportText,
    SubParagraph,
    find_dates,
    find_references,
    find_symbols,
)
from habitat_kg.namespaces import paragraph, subparagraph
from habitat_kg.namespaces import report as report_iri

# "paragraph 4", "paragraphs 2 (a) and 3", 第6段: numbers that are not figures.
_PARAGRAPH_NUMBERS = re.compile(
    r"\b(?:paragraphs?|para\.|item|items|agenda item|session|season)\s+\d+(?:\s*\(\w\))?"
    r"(?:\s*(?:,|and)\s*\d+(?:\s*\(\w\))?)*|第\s*\d+\s*(?:段|项|届|次|季)",
    re.I,
)

#: Changes whenever a rule changes what it proposes; recorded with every accepted statement.
EXTRACTOR_VERSION = "1.1.0"


def propose(text: ReportText, report_id: str, gazetteer: Recogniser) -> list[Proposal]:
    """Every statement the extractor proposes for the paragraphs of ``text``.

    ``gazetteer`` is anything with ``recognise(text, language) -> list[EntityMatch]``.
    """
    proposals: list[Proposal] = []
    units_by_section: dict[int | None, list[EntityMatch]] = {}
    headings: dict[int, tuple[Reference, ...]] = {
        section.number: tuple(find_references(section.title)) for section in text.sections
    }
    for part, number, label in _passages(text):
        section = part.section if isinstance(part, Paragraph) else _section_of(text, number)
        section_units = units_by_section.setdefault(section, [])
        context = _context(
            text,
            report_id,
            gazetteer,
            part,
            number,
            label,
            section_units,
            headings.get(section, ()) if section is not None else (),
        )
        _read(context)
        proposals.extend(_merged(context.proposals))
        section_units.extend(m for m in context.entities if m.category == "unit")
    return proposals


def _passages(text: ReportText) -> Iterator[tuple[Paragraph | SubParagraph, int, str | None]]:
    for part in text.paragraphs:
        yield part, part.number, None
        for child in part.subparagraphs:
            yield child, part.number, child.label


def _section_of(text: ReportText, number: int) -> int | None:
    return text.paragraph(number).section


def _context(
    text: ReportText,
    report_id: str,
    gazetteer: Recogniser,
    part: Paragraph | SubParagraph,
    number: int,
    label: str | None,
    section_units: list[EntityMatch],
    heading_acts: tuple[Reference, ...],
) -> PassageContext:
    report = report_iri(report_id)
    passage = paragraph(report, number) if label is None else subparagraph(report, number, label)
    listed: list[Reference] = []
    if isinstance(part, Paragraph):
        for child in part.subparagraphs:
            listed.extend(find_references(child.text))
    entities = sorted(gazetteer.recognise(part.text, text.language), key=lambda m: m.start)
    return PassageContext(
        report_id=report_id,
        report=report,
        passage=passage,
        activity=activity_iri(report_id, number, label),
        text=part.text,
        language=text.language,
        year=text.year,
        heading_acts=heading_acts,
        listed_acts=tuple(listed),
        entities=entities,
        section_units=list(section_units),
    )


def _read(context: PassageContext) -> None:
    """Every rule, in the order the review page shows the kinds."""
    propose_activity(context)
    propose_acts(context)
    propose_units(context)
    hosts = propose_partners(context)
    propose_country_partners(context)
    dates = find_dates(context.text, context.year, context.language)
    date_spans = [(d.offset, d.offset + len(d.text)) for d in dates]
    propose_places(context, hosts, SpanMask(len(context.text), date_spans))
    main_date = propose_dates(context, dates)
    reserved = [(d.offset, d.offset + len(d.text)) for d in dates]
    for symbol in find_symbols(context.text):
        at = context.text.find(symbol)
        reserved.append((at, at + len(symbol)))
    reserved.extend(m.span() for m in _PARAGRAPH_NUMBERS.finditer(context.text))
    propose_figures(context, reserved)
    propose_documents(context)
    propose_status(context)
    propose_further_activities(context, dates, main_date)
    propose_new_entities(context)


def _merged(proposals: list[Proposal]) -> list[Proposal]:
    """One proposal per statement: resting on words where any rule found them, at the
    highest confidence any rule gave it."""
    best: dict[str, Proposal] = {}
    for proposal in proposals:
        kept = best.get(proposal.id)
        if kept is None:
            best[proposal.id] = proposal
            continue
        confidence = max(kept.confidence, proposal.confidence)
        chosen = proposal if kept.span is None and proposal.span is not None else kept
        best[proposal.id] = replace(chosen, confidence=confidence)
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(best.values(), key=lambda p: (order[p.kind], p.span or (-1, -1)))
