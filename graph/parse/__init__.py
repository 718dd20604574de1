"""Reading report text: plain functions over text, no RDF.

``read_report`` turns a report file into a :class:`ReportText` (header, sections, numbered
paragraphs, sub-paragraphs, footnotes, each with its source line); ``find_dates``,
``find_symbols``, ``find_references`` and ``find_mentions`` find what a passage talks about.
"""

from habitat_kg.graph.parse.dates import PRECISIONS, TemporalExpression, find_dates
from habitat_kg.graph.parse.findings import Findings, analyse
from habitat_kg.graph.parse.header import header_problem, header_report_id
from habitat_kg.graph.parse.mentions import (
    Gazetteer,
    Mention,
    compile_gazetteer,
    find_mention_spans,
    find_mentions,
)
from habitat_kg.graph.parse.model import (
    Footnote,
    Header,
    HeaderLine,
    Paragraph,
    Passage,
    ReportText,
    Section,
    SubParagraph,
)
from habitat_kg.graph.parse.reader import detect_language, read_report
from habitat_kg.graph.parse.references import (
    ACT_KINDS,
    SYMBOL_PATTERN,
    Reference,
    find_references,
    find_symbols,
    organ_of,
)

__all__ = [
    "ACT_KINDS",
    "PRECISIONS",
    "SYMBOL_PATTERN",
    "Findings",
    "Footnote",
    "Gazetteer",
    "Header",
    "HeaderLine",
    "Mention",
    "Paragraph",
    "Passage",
    "Reference",
    "ReportText",
    "Section",
    "SubParagraph",
    "TemporalExpression",
    "analyse",
    "compile_gazetteer",
    "detect_language",
    "find_dates",
    "find_mention_spans",
    "find_mentions",
    "find_references",
    "find_symbols",
    "header_problem",
    "header_report_id",
    "organ_of",
    "read_report",
]
