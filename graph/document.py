"""The document layer: a parsed report as RDF — its parts, their text, and what the text names.

Every part of the report (sections, paragraphs, sub-paragraphs, footnotes) becomes a resource
with its text as written, its source line and its place in the report.  What the parser finds
in a part hangs off it: the dates it mentions (each a hkg:TemporalExpression with the calendar
span it denotes), the UN documents it cites, the resolutions and decisions it refers to (a
section heading *concerns* them), and the gazetteer entities it mentions.  The cover (header)
is a part too, so that its dates and names can be cited like a paragraph's.

Everything is minted from the report's identifier and the parsed numbers, never from counters
or the clock, and no blank nodes are used: the same report gives the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import DCTERMS, RDF, RDFS, Graph, Literal, URIRef

from habitat_kg.graph import parse
from habitat_kg.namespaces import (
    HKG,
    ID,
    PRECISION,
    PREFIXES,
    decision,
    document,
    footnote,
    header,
    paragraph,
    resolution,
    section,
    subparagraph,
    temporal_expression,
)
from habitat_kg.namespaces import report as report_iri

_OTHER_LANGUAGE = {"zh": "en", "en": "zh"}
_ACT_LABELS = {
    "resolution": ("Resolution {}", "第{}号决议"),
    "decision": ("Decision {}", "第{}号决定"),
}
#: The organs that adopt resolutions and decisions, by the code of their IRIs' local names.
_ORGANS = {"ha": "un-habitat-assembly", "eb": "executive-board"}


def document_layer(
    report: parse.ReportText,
    report_id: str,
    gazetteer: Mapping[str, URIRef],
    source_label: str,
) -> Graph:
    """The document layer of one report.

    ``report_id`` names the report (``eb-2020-2/item-7``), ``gazetteer`` maps surface forms
    to the entities to link as mentions, and ``source_label`` is the source file's path as the
    graph should record it (relative, so that the graph does not depend on the checkout).
    """
    layer = _Layer(report, report_iri(report_id), parse.compile_gazetteer(gazetteer))
    layer.describe_report(report_id, source_label)
    for part in report.sections:
        layer.describe_section(part)
    for part in report.paragraphs:
        layer.describe_paragraph(part)
    for note in report.footnotes:
        layer.describe_footnote(note)
    return layer.graph


class _Layer:
    """The graph being built, with what every description needs to hand."""

    def __init__(
        self, text: parse.ReportText, iri: URIRef, gazetteer: parse.Gazetteer[URIRef]
    ) -> None:
        self.text = text
        self.iri = iri
        self.gazetteer = gazetteer
        self.language = text.language
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace, replace=True)

    # --- the parts -------------------------------------------------------------------------

    def describe_report(self, report_id: str, source_label: str) -> None:
        header = self.text.header
        self._add(self.iri, RDF.type, HKG.ProgressReport)
        title = header.title.text if header.title else None
        self._labels(self.iri, f"Progress report {report_id}", f"进展报告 {report_id}", title)
        if title:
            self._add(self.iri, DCTERMS.title, self._text(title))
        self._add(self.iri, HKG.language, Literal(self.language))
        if header.agenda_item:
            self._add(self.iri, HKG.agendaItem, Literal(header.agenda_item))
        self._add(self.iri, HKG.sourceFile, Literal(source_label))
        self._add(self.iri, HKG.sourceChecksum, Literal(self.text.sha256))
        self.describe_header()

    def describe_header(self) -> None:
        """The cover as a part of its own: what it says can be cited like a paragraph."""
        lines = self.text.header.lines
        if not lines:
            return
        iri = header(self.iri)
        self._part(iri, HKG.ReportPart, lines[0], "Header", "报头")
        self._add(iri, HKG.text, self._text("\n".join(line.text for line in lines)))
        dates_seen = 0
        for line in lines:
            dates_seen = self._annotate(iri, self._analyse(line.text), dates_seen)

    def describe_section(self, part: parse.Section) -> None:
        iri = section(self.iri, part.number)
        self._part(iri, HKG.ReportSection, part, f"Section {part.number}", f"第{part.number}节")
        self._add(iri, HKG.sectionNumber, Literal(part.number))
        self._add(iri, HKG.text, self._text(part.heading))
        self._add(iri, DCTERMS.title, self._text(part.title))
        findings = self._analyse(part.title)
        for kind, organ, number in findings.acts:
            self._add(iri, HKG.concerns, _act(kind, organ, number))
        self._annotate(iri, findings, 0, acts=False)

    def describe_paragraph(self, part: parse.Paragraph) -> None:
        iri = paragraph(self.iri, part.number)
        self._passage(iri, HKG.Paragraph, part, f"Paragraph {part.number}", f"第{part.number}段")
        self._add(iri, HKG.paragraphNumber, Literal(part.number))
        if part.section is not None:
            self._add(iri, HKG.inSection, section(self.iri, part.section))
        for child in part.subparagraphs:
            self.describe_subparagraph(child, iri)

    def describe_subparagraph(self, part: parse.SubParagraph, paragraph_iri: URIRef) -> None:
        iri = subparagraph(self.iri, part.paragraph, part.label)
        english = f"Paragraph {part.paragraph} ({part.label})"
        self._passage(iri, HKG.SubParagraph, part, english, f"第{part.paragraph}段({part.label})")
        self._add(iri, DCTERMS.isPartOf, paragraph_iri)
        # The label as printed, "(a)", as the ontology defines it.
        self._add(iri, HKG.subParagraphLabel, Literal(f"({part.label})"))

    def describe_footnote(self, note: parse.Footnote) -> None:
        iri = footnote(self.iri, note.number)
        self._passage(iri, HKG.Footnote, note, f"Footnote {note.number}", f"脚注{note.number}")
        self._add(iri, HKG.footnoteMarker, Literal(note.marker))
        if note.carrier_line is not None:
            carrier = self.text.passage_at(note.carrier_line)
            if carrier is not None:
                self._add(iri, HKG.footnoteOf, self._iri_of(carrier))

    # --- what the parser found in a part ------------------------------------------------------

    def _analyse(self, text: str) -> parse.Findings[URIRef]:
        return parse.analyse(text, self.language, self.text.year, self.gazetteer)

    def _annotate(
        self, iri: URIRef, findings: parse.Findings[URIRef], dates_before: int, acts: bool = True
    ) -> int:
        """Link a part to its dates, documents, acts and mentions; returns the dates counted."""
        for index, found in enumerate(findings.dates, start=dates_before + 1):
            self._date(iri, index, found)
        for symbol in findings.symbols:
            self._add(iri, HKG.citesDocument, self._document(symbol))
        if acts:
            for kind, organ, number in findings.acts:
                self._add(iri, HKG.refersTo, self._act(kind, organ, number))
        for entity in findings.entities:
            self._add(iri, HKG.mentions, entity)
        return dates_before + len(findings.dates)

    def _date(self, passage: URIRef, index: int, found: parse.TemporalExpression) -> None:
        iri = temporal_expression(passage, index)
        self._add(passage, HKG.mentionsDate, iri)
        self._add(iri, RDF.type, HKG.TemporalExpression)
        # The text as written in the report's language; the ISO form in the other language.
        self._add(iri, RDFS.label, self._text(found.text))
        self._add(iri, RDFS.label, Literal(found.iso, lang=_OTHER_LANGUAGE[self.language]))
        self._add(iri, HKG.text, self._text(found.text))
        self._add(iri, HKG.startDate, Literal(found.start))
        self._add(iri, HKG.endDate, Literal(found.end))
        self._add(iri, HKG.datePrecision, PRECISION[found.precision])

    def _act(self, kind: str, organ: str, number: str) -> URIRef:
        """A resolution or decision the text names: what its number says of it (its kind, the
        organ that adopted it and, for the Assembly's, the session: 2/7 was adopted at the
        second). A curated title or label says more, and replaces these labels."""
        iri = _act(kind, organ, number)
        self._add(iri, RDF.type, HKG.Resolution if kind == "resolution" else HKG.Decision)
        self._add(iri, HKG.resolutionNumber, Literal(number))
        english, chinese = _ACT_LABELS[kind]
        self._labels(iri, english.format(number), chinese.format(number))
        self._add(iri, HKG.adoptedBy, ID[f"org/{_ORGANS[organ]}"])
        if organ == "ha":
            ordinal = number.split("/")[0]
            session = ID[f"session/ha-{ordinal}"]
            self._add(iri, HKG.adoptedAt, session)
            self._add(session, RDF.type, HKG.Session)
            self._add(session, HKG.sessionOf, ID[f"org/{_ORGANS[organ]}"])
            self._add(session, HKG.sessionNumber, Literal(ordinal))
            self._labels(
                session,
                f"Session {ordinal} of the UN-Habitat Assembly",
                f"人居大会第{ordinal}届会议",
            )
        return iri

    def _document(self, symbol: str) -> URIRef:
        iri = document(symbol)
        self._add(iri, RDF.type, HKG.UNDocument)
        self._add(iri, HKG.symbol, Literal(symbol))
        self._labels(iri, symbol, symbol)
        return iri

    # --- helpers ---------------------------------------------------------------------------

    def _part(
        self, iri: URIRef, kind: URIRef, part: parse.Passage, english: str, chinese: str
    ) -> None:
        self._add(iri, RDF.type, kind)
        self._labels(iri, english, chinese)
        self._add(iri, HKG.inReport, self.iri)
        self._add(iri, HKG.sourceLine, Literal(part.line))

    def _passage(
        self,
        iri: URIRef,
        kind: URIRef,
        part: parse.Paragraph | parse.SubParagraph | parse.Footnote,
        english: str,
        chinese: str,
    ) -> None:
        """A part made of running text: the part, its text, and what the text names."""
        self._part(iri, kind, part, english, chinese)
        self._add(iri, HKG.text, self._text(part.text))
        self._annotate(iri, self._analyse(part.text), 0)

    def _labels(self, iri: URIRef, english: str, chinese: str, own: str | None = None) -> None:
        """An English and a Chinese label; ``own`` replaces the one in the report's language."""
        labels = {"en": english, "zh": chinese}
        if own:
            labels[self.language] = own
        for language, label in labels.items():
            self._add(iri, RDFS.label, Literal(label, lang=language))

    def _iri_of(self, passage: parse.Passage) -> URIRef:
        if isinstance(passage, parse.Section):
            return section(self.iri, passage.number)
        if isinstance(passage, parse.Paragraph):
            return paragraph(self.iri, passage.number)
        if isinstance(passage, parse.SubParagraph):
            return subparagraph(self.iri, passage.paragraph, passage.label)
        if isinstance(passage, parse.Footnote):
            return footnote(self.iri, passage.number)
        assert isinstance(passage, parse.HeaderLine)
        return header(self.iri)

    def _text(self, text: str) -> Literal:
        return Literal(text, lang=self.language)

    def _add(self, subject: URIRef, predicate: URIRef, value: URIRef | Literal) -> None:
        self.graph.add((subject, predicate, value))


def _act(kind: str, organ: str, number: str) -> URIRef:
    """The IRI of a resolution or decision reference."""
    return resolution(organ, number) if kind == "resolution" else decision(organ, number)
