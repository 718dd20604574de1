"""The validation report an analyst reads, built from the results of either engine.

pySHACL's own text drops the language tags of the messages and picks one at random; this report
reads the results as ``results.rq`` selects them from a ``sh:ValidationReport`` (``results.py``)
instead: each result with its message in English and in Chinese, grouped by the thing it is
about (named by its English and Chinese labels), then by severity, with counts at the top. A
severity threshold hides what is less severe.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from habitat_kg.namespaces import PREFIXES
from habitat_kg.queries import load_query
from habitat_kg.server.store import Solutions, Store
from habitat_kg.shapes import SHAPES
from habitat_kg.shapes.validation.choices import SEVERITIES
from habitat_kg.shapes.validation.compile import fill
from habitat_kg.shapes.validation.data import quiet_ill_typed_literals
from habitat_kg.shapes.validation.results import Results
from habitat_kg.shapes.validation.run import Validation

#: Severities, most severe first; ``--severity`` names one of them (in any case).

#: Chinese names of the severities, shown beside the English ones.
SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}

#: Prefixes used to write IRIs short: the project's, SHACL's and the shapes'.
SHORT_PREFIXES: dict[str, str] = {**PREFIXES, "sh": str(SH), "hkgsh": SHAPES}


def parse_severity(text: str) -> str:
    """The severity named by ``text`` (``violation``, ``Warning``, ``INFO`` ...)."""
    for severity in SEVERITIES:
        if text.strip().lower() == severity.lower():
            return severity
    names = ", ".join(severity.lower() for severity in SEVERITIES)
    raise ValueError(f"unknown severity {text!r}: expected one of {names}")


def at_or_above(severity: str, threshold: str) -> bool:
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)


@dataclass(frozen=True)
class Finding:
    """One validation result: what is wrong with one thing, in words and in terms."""

    focus: str
    severity: str
    shape: str
    component: str
    path: str | None
    value: str | None
    message_en: str
    message_zh: str
    #: the node of the result in the results graph (to copy it into a Turtle report)
    node: Node = field(compare=False, repr=False)

    @property
    def shape_name(self) -> str:
        return short(self.shape)

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (SEVERITIES.index(self.severity), self.shape, self.path or "", self.value or "")


@dataclass(frozen=True)
class FocusGroup:
    """Everything found about one thing, most severe first."""

    node: str
    label_en: str | None
    label_zh: str | None
    findings: tuple[Finding, ...]

    @property
    def name(self) -> str:
        """What to call the thing: its English label, else its short IRI."""
        return self.label_en or short(self.node)

    @property
    def worst(self) -> str:
        return self.findings[0].severity

    def by_severity(self) -> list[tuple[str, list[Finding]]]:
        return [
            (severity, [f for f in self.findings if f.severity == severity])
            for severity in SEVERITIES
            if any(f.severity == severity for f in self.findings)
        ]


@dataclass(frozen=True)
class Report:
    """A validation report: the things found, grouped, at or above a severity threshold."""

    source: str
    session: date
    threshold: str
    triples: int
    shapes: int
    seconds: float
    #: every finding, grouped by the thing it is about, whatever the threshold
    every_group: tuple[FocusGroup, ...] = field(repr=False)
    results: Results = field(repr=False)
    #: the engine asked for, and the shapes it handed over to pySHACL (short name, reason)
    engine: str = "sparql"
    handed: tuple[tuple[str, str], ...] = ()

    def engines_line(self) -> str:
        """Which engine ran which shapes: never a shape left out without saying so."""
        if self.engine != "sparql":
            return f"Engine:   {self.engine}, all {self.shapes} shapes"
        if not self.handed:
            return f"Engine:   sparql, all {self.shapes} shapes"
        reasons: dict[str, list[str]] = {}
        for shape, reason in self.handed:
            reasons.setdefault(reason, []).append(shape)
        parts = "; ".join(f"{', '.join(shapes)} ({reason})" for reason, shapes in reasons.items())
        return (
            f"Engine:   sparql, but {len(self.handed)} of the {self.shapes} shapes ran in "
            f"pySHACL: {parts}"
        )

    @property
    def groups(self) -> tuple[FocusGroup, ...]:
        """The things with a finding at or above the threshold, the most severe first."""
        groups = []
        for group in self.every_group:
            shown = tuple(f for f in group.findings if at_or_above(f.severity, self.threshold))
            if shown:
                groups.append(replace(group, findings=shown))
        groups.sort(key=lambda g: (SEVERITIES.index(g.worst), g.name.lower(), g.node))
        return tuple(groups)

    @property
    def counts(self) -> dict[str, int]:
        """Results shown, by severity (every severity at or above the threshold, even if 0)."""
        every = self._every_count()
        return {s: every[s] for s in SEVERITIES if at_or_above(s, self.threshold)}

    @property
    def hidden(self) -> dict[str, int]:
        """Results below the threshold, by severity (only those with some)."""
        every = self._every_count()
        return {s: every[s] for s in SEVERITIES if not at_or_above(s, self.threshold) and every[s]}

    def _every_count(self) -> Counter[str]:
        return Counter(f.severity for g in self.every_group for f in g.findings)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def found(self) -> bool:
        """Whether anything at or above the threshold was found (exit status 1)."""
        return self.total > 0

    def findings(self) -> list[Finding]:
        return [finding for group in self.groups for finding in group.findings]

    def at_severity(self, threshold: str) -> Report:
        """The same report with another threshold."""
        return replace(self, threshold=threshold)

    def report_graph(self) -> Graph:
        """The standard ``sh:ValidationReport`` of the results shown, as a graph."""
        graph = Graph()
        for prefix in ("sh", "hkg", "hkgsh", "rdf", "rdfs", "xsd", "skos", "prov", "org"):
            graph.bind(prefix, SHORT_PREFIXES[prefix])
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not self.found)))
        results = self.results.graph()
        for finding in self.findings():
            graph.add((report, SH.result, finding.node))
            for triple in results.cbd(finding.node):
                graph.add(triple)
        return graph


def build_report(validation: Validation, source: str, threshold: str = "Info") -> Report:
    """The report of ``validation``: its results named by the labels the data gives."""
    with quiet_ill_typed_literals():  # an ill-typed value is a finding, not a problem
        findings = list(_findings(validation.found))
    labels = _labels(validation.data, {f.focus for f in findings})
    return Report(
        source=source,
        session=validation.session,
        threshold=threshold,
        triples=validation.data.triple_count(),
        shapes=validation.shapes,
        seconds=validation.seconds,
        every_group=_group(findings, labels),
        results=validation.found,
        engine=validation.engine,
        handed=tuple((short(_node_text(shape)), why) for shape, why in validation.handed),
    )


def _findings(results: Results) -> Iterable[Finding]:
    paths: dict[Node, str] = {}  # a few paths, each written once
    for row in results.rows():
        severity = str(row["severity"]).removeprefix(str(SH))
        untagged = str(row.get("message", ""))
        path = row.get("path")
        if path is not None and path not in paths:
            paths[path] = path_text(results.path_graph(), path)
        yield Finding(
            focus=_node_text(row["focus"]),
            severity=severity if severity in SEVERITIES else "Violation",
            shape=_node_text(row["shape"]),
            component=str(row["component"])
            .removeprefix(str(SH))
            .removesuffix("ConstraintComponent"),
            path=paths[path] if path is not None else None,
            value=_value_text(row["value"]) if "value" in row else None,
            message_en=str(row.get("messageEn", untagged)),
            message_zh=str(row.get("messageZh", untagged)),
            node=row["result"],
        )


def _labels(data: Store, nodes: set[str]) -> dict[str, tuple[str | None, str | None]]:
    """The labels of the IRIs among ``nodes`` (blank nodes and literals have none to ask for)."""
    iris = sorted(node for node in nodes if _IRI.fullmatch(node))
    labels: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(iris), LABELS_AT_ONCE):
        names = " ".join(f"<{iri}>" for iri in iris[start : start + LABELS_AT_ONCE])
        answer = data.query(
            fill(load_query("habitat_kg.shapes.validation", "labels"), {"NODES": names})
        )
        assert isinstance(answer, Solutions), "labels.rq is a SELECT query"
        for row in answer:
            english, chinese = row["labelEn"], row["labelZh"]
            labels[str(row["node"])] = (
                english.value if english is not None else None,
                chinese.value if chinese is not None else None,
            )
    return labels


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*")

#: IRIs whose labels are asked in one query (a query text stays a few hundred kB at most).
LABELS_AT_ONCE = 2000


def _group(
    findings: list[Finding], labels: dict[str, tuple[str | None, str | None]]
) -> tuple[FocusGroup, ...]:
    by_focus: dict[str, list[Finding]] = {}
    for finding in findings:
        by_focus.setdefault(finding.focus, []).append(finding)
    return tuple(
        FocusGroup(focus, *labels.get(focus, (None, None)), tuple(sorted(found, key=_key)))
        for focus, found in by_focus.items()
    )


def _key(finding: Finding) -> tuple[int, str, str, str]:
    return finding.sort_key


def _node_text(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def short(iri: str) -> str:
    """An IRI written with the project's prefixes (``hkg:Activity``), else in angle brackets."""
    if iri.startswith("_:"):
        return iri
    best = max(
        ((prefix, ns) for prefix, ns in SHORT_PREFIXES.items() if iri.startswith(ns)),
        key=lambda pair: len(pair[1]),
        default=None,
    )
    if best is None or not _LOCAL_NAME.fullmatch(iri[len(best[1]) :]):
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]) :]}"


#: Local names a prefixed name can carry as they are (no slash, no space, no final dot).
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


def _value_text(node: Node) -> str:
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype is not None:
            return f'"{node}"^^{short(str(node.datatype))}'
        return f'"{node}"'
    return short(_node_text(node))


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path written as a SPARQL property path (``^hkg:forMandate``)."""
    if isinstance(path, URIRef):
        return short(str(path))
    if (path, RDF.first, None) in graph:
        return "/".join(_grouped(graph, step) for step in graph.items(path))
    for predicate, template in _PATH_FORMS.items():
        inner = graph.value(path, predicate)
        if inner is None:
            continue
        if predicate == SH.alternativePath:
            return "(" + "|".join(_grouped(graph, step) for step in graph.items(inner)) + ")"
        return template.format(_grouped(graph, inner))
    return _node_text(path)


_PATH_FORMS = {
    SH.inversePath: "^{}",
    SH.alternativePath: "({})",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}


def _grouped(graph: Graph, step: Node) -> str:
    """A path inside another, bracketed when it is a sequence (so ``^(a/b)`` reads right)."""
    text = path_text(graph, step)
    return f"({text})" if "/" in text and not text.startswith("(") else text
