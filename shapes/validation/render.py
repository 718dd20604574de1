"""A validation report written out: text for a person, JSON, CSV and Turtle for programs.

HTML is in ``html.py``. Every renderer takes a :class:`Report` and returns text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.shapes.validation.data import quiet_ill_typed_literals
from habitat_kg.shapes.validation.report import SEVERITY_ZH, Finding, FocusGroup, Report, short


def _plural(count: int, severity: str) -> str:
    word = severity.lower()
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_line(report: Report) -> str:
    """``Found 1 violation, 22 warnings and 37 infos about 45 things.`` (or that none was)."""
    if not report.found:
        return f"Nothing found at or above {report.threshold.lower()}: the data conforms."
    parts = [_plural(count, severity) for severity, count in report.counts.items() if count]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    things = len(report.groups)
    return f"Found {listed} about {things} thing{'s' if things != 1 else ''}."


def hidden_line(report: Report) -> str | None:
    """What the threshold hides, if anything."""
    if not report.hidden:
        return None
    parts = ", ".join(_plural(count, severity) for severity, count in report.hidden.items())
    return f"Not shown: {parts} (below {report.threshold.lower()})."


def shown_value(finding: Finding) -> str | None:
    """The value of a result, unless it is only the thing itself again (node-level rules)."""
    if finding.value is None or finding.value == short(finding.focus):
        return None
    return finding.value


def render_text(report: Report) -> str:
    lines = [
        "habitat-kg validation report",
        f"Data:     {report.source} ({report.triples:,} triples)",
        f"Shapes:   {report.shapes} shapes; session date {report.session.isoformat()}; "
        f"severity {report.threshold.lower()} and above; {report.seconds:.1f} s",
        summary_line(report),
    ]
    hidden = hidden_line(report)
    if hidden:
        lines.append(hidden)
    lines.append(report.engines_line())
    for group in report.groups:
        lines.extend(["", *_text_group(group)])
    return "\n".join(lines) + "\n"


def _text_group(group: FocusGroup) -> list[str]:
    title = group.name + (f"  {group.label_zh}" if group.label_zh else "")
    lines = [title, f"  {group.node}"]
    for severity, findings in group.by_severity():
        lines.append(f"  {severity} {SEVERITY_ZH[severity]}")
        for finding in findings:
            lines.append(f"    - {finding.message_en}")
            if finding.message_zh and finding.message_zh != finding.message_en:
                lines.append(f"      {finding.message_zh}")
            lines.append(f"      {_details(finding)}")
    return lines


def _details(finding: Finding) -> str:
    parts = []
    if finding.path:
        parts.append(f"path {finding.path}")
    value = shown_value(finding)
    if value:
        parts.append(f"value {value}")
    if not finding.shape.startswith("_:"):  # a shape without a name cannot be looked up
        parts.append(f"shape {finding.shape_name}")
    return " · ".join(parts)


def report_as_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, the shape of the JSON format."""
    return {
        "source": report.source,
        "session": report.session.isoformat(),
        "severity": report.threshold,
        "conforms": not report.found,
        "triples": report.triples,
        "shapes": report.shapes,
        "seconds": round(report.seconds, 3),
        "engine": report.engine,
        "ranInPySHACL": [{"shape": shape, "reason": why} for shape, why in report.handed],
        "counts": report.counts,
        "hidden": report.hidden,
        "focusNodes": [
            {
                "node": group.node,
                "label": {"en": group.label_en, "zh": group.label_zh},
                "results": [
                    {
                        "severity": f.severity,
                        "message": {"en": f.message_en, "zh": f.message_zh},
                        "path": f.path,
                        "value": f.value,
                        "shape": f.shape,
                        "constraint": f.component,
                    }
                    for f in group.findings
                ],
            }
            for group in report.groups
        ],
    }


def render_json(report: Report) -> str:
    return json.dumps(report_as_dict(report), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "severity",
    "focus_node",
    "label_en",
    "label_zh",
    "message_en",
    "message_zh",
    "path",
    "value",
    "shape",
    "constraint",
)


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for group in report.groups:
        for f in group.findings:
            writer.writerow(
                (
                    f.severity,
                    group.node,
                    group.label_en or "",
                    group.label_zh or "",
                    f.message_en,
                    f.message_zh,
                    f.path or "",
                    f.value or "",
                    f.shape,
                    f.component,
                )
            )
    return out.getvalue()


def render_turtle(report: Report) -> str:
    """The standard ``sh:ValidationReport`` of the results shown."""
    shown, graph = report.report_graph(), Graph()
    for prefix, namespace in shown.namespaces():
        graph.bind(prefix, namespace)
    for triple in shown:
        graph.add(tuple(map(_as_written, triple)))  # type: ignore[arg-type]
    with rdflib_internals_quiet():
        turtle = graph.serialize(format="turtle")
    return "".join(f"# {line}\n" for line in _engine_lines(report)) + turtle


def _engine_lines(report: Report) -> list[str]:
    """The engines line as Turtle comments, the shapes handed over one a line."""
    if not report.handed:
        return [report.engines_line().replace("Engine:   ", "engine: ")]
    lines = [f"engine: sparql; these {len(report.handed)} shapes ran in pySHACL:"]
    return lines + [f"  {shape}: {why}" for shape, why in report.handed]


class _TypedLiteral(Literal):
    """A literal that Turtle writes with its datatype: rdflib writes an integer, a decimal, a
    double or a boolean bare (``none`` for ``"none"^^xsd:boolean``, which is not Turtle, or
    ``1`` for ``"1"^^xsd:boolean``, an integer), whatever its text."""

    __slots__ = ()

    def _literal_n3(self, use_plain: bool = False, qname_callback: Any = None) -> str:
        return super()._literal_n3(False, qname_callback)


def _as_written(node: Node) -> Node:
    """``node``, or a literal Turtle must write typed: one whose text is not the canonical
    text of its value (an ill-typed value, a boolean written 1)."""
    if not isinstance(node, Literal) or node.datatype not in _BARE_DATATYPES:
        return node
    with quiet_ill_typed_literals():
        canonical = Literal(str(node), datatype=node.datatype, normalize=True)
        if node.ill_typed or str(canonical) != str(node):
            return _TypedLiteral(str(node), datatype=node.datatype, normalize=False)
    return node


#: The datatypes rdflib writes in Turtle without quotes.
_BARE_DATATYPES = frozenset({XSD.integer, XSD.decimal, XSD.double, XSD.boolean})
