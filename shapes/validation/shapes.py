"""The shapes graph: the bundled shapes (or the files given), with the session date filled in.

Shapes given on the command line are checked against the W3C SHACL-for-SHACL shapes before they
are used, so that a mistake in them is reported as one line naming the file (and the line where
the faulty shape is written) rather than as a traceback from the validator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from habitat_kg.errors import SourceError
from habitat_kg.shapes import SESSION_DATE, shape_files
from habitat_kg.shapes.validation.data import literals_as_written, read_text

_LINE = re.compile(r"\bline (\d+)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEARS_BEFORE = re.compile(r"session date minus ([0-9]+) years?")


class ShapesError(ValueError):
    """Shapes that cannot be used for validation; the message names the problem."""


class NotCompiled(ShapesError):
    """A constraint the sparql engine cannot evaluate exactly: its shape goes to pySHACL."""


def parse_session_date(text: str) -> date:
    """The date of ``--session`` / ``?session=``: an ISO date such as 2020-10-27."""
    problem = f"session date {text!r} is not a date: write it as YYYY-MM-DD"
    if not _ISO_DATE.fullmatch(text.strip()):
        raise ValueError(problem)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(problem) from None


def load_shapes(paths: Sequence[Path] = (), session: date | None = None) -> Graph:
    """The shapes graph: ``paths`` (else the bundled shapes), each session-date placeholder
    replaced by ``session`` (today if not given). Shapes from ``paths`` are checked against
    SHACL-for-SHACL first."""
    given = list(paths)
    texts = {path: read_text(path) for path in (given or shape_files())}
    graph = Graph()
    for path, text in texts.items():
        parsed = _parse_shapes(path, text)
        for prefix, namespace in parsed.namespaces():
            graph.bind(prefix, namespace, override=False)
        for triple in parsed:
            graph.add(triple)
    if given:
        _check_shapes(graph, texts)
    return with_session_date(as_read(graph), session or date.today())


def _parse_shapes(path: Path, text: str) -> Graph:
    try:
        with literals_as_written():  # "1"^^xsd:boolean is not sh:uniqueLang's true
            return Graph().parse(data=text, format="turtle")
    except (SyntaxError, ParserError, ValueError) as error:
        match = _LINE.search(str(error))
        line = int(match.group(1)) if match else None
        raise SourceError(path, line, "not valid Turtle: " + _first_line(str(error))) from None


def _first_line(message: str) -> str:
    for line in message.strip().splitlines():
        if line.strip() and not _LINE.match(line.strip()):
            return line.strip()
    return message.strip()


def with_session_date(shapes: Graph, session: date) -> Graph:
    """A copy of ``shapes`` with every literal typed hkgsh:SessionDate replaced by the date."""
    filled = Graph()
    for prefix, namespace in shapes.namespaces():
        filled.bind(prefix, namespace)
    for s, p, o in shapes:
        if isinstance(o, Literal) and o.datatype == URIRef(SESSION_DATE):
            o = Literal(_placeholder_date(str(o), session).isoformat(), datatype=XSD.date)
        filled.add((s, p, o))
    return filled


def _placeholder_date(text: str, session: date) -> date:
    """The date a placeholder stands for: the session date, or ``session date minus N years``
    (the Mandate Registry's age of a mandate); 29 February falls back to the 28th."""
    match = _YEARS_BEFORE.fullmatch(text.strip())
    if match is None:
        return session
    year = session.year - int(match.group(1))
    try:
        return session.replace(year=year)
    except ValueError:
        return session.replace(year=year, day=28)


#: SHACL-for-SHACL walks nested paths shape by shape; pySHACL's default limit of 15 is too low
#: for a sequence inside an alternative inside sh:or.
SHACL_SHACL_DEPTH = 40


@cache
def shacl_shacl() -> Graph:
    """The W3C SHACL-for-SHACL shapes graph, as pySHACL ships it."""
    text = (files("pyshacl") / "assets" / "shacl-shacl.ttl").read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def shacl_shacl_problems(shapes: Graph) -> list[tuple[Node, str]]:
    """(focus node, message) for each way ``shapes`` breaks the SHACL-for-SHACL rules."""
    conforms, results, _ = pyshacl.validate(
        shapes,
        shacl_graph=shacl_shacl(),
        inference="none",
        inplace=False,
        max_validation_depth=SHACL_SHACL_DEPTH,
    )
    if conforms:
        return []
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        detail = results.value(result, SH.resultMessage) or "breaks a SHACL syntax rule"
        where = (
            f" ({shapes.namespace_manager.normalizeUri(path)})" if isinstance(path, URIRef) else ""
        )
        problems.append((focus, f"{detail}{where}"))
    return sorted(problems, key=lambda problem: (str(problem[0]), problem[1]))


#: The predicates of the SHACL path forms other than a sequence (a list).
PATH_FORMS = (
    SH.inversePath,
    SH.alternativePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
)


def as_read(shapes: Graph) -> Graph:
    """``shapes`` as the engines read them: a path node that is a list (a sequence path) and
    also has another path form is read as the sequence, the other form left aside (both engines
    read a list first; the W3C test path-strange-002 expects it). SHACL-for-SHACL would refuse
    such a node: it is checked as read."""
    lists = {node for node in shapes.subjects(RDF.first, None)}
    extra = [
        (node, form, value)
        for node in lists
        for form in PATH_FORMS
        for value in shapes.objects(node, form)
    ]
    if not extra:
        return shapes
    read = Graph()
    for triple in shapes:
        read.add(triple)
    for triple in extra:
        read.remove(triple)
    return read


def _check_shapes(shapes: Graph, texts: dict[Path, str]) -> None:
    problems = shacl_shacl_problems(as_read(shapes))
    if not problems:
        return
    focus, message = problems[0]
    name = shapes.namespace_manager.normalizeUri(focus) if isinstance(focus, URIRef) else "a shape"
    raise ShapesError(f"{_where(focus, shapes, texts)}: not a valid SHACL shape: {name}: {message}")


def _where(focus: Node, shapes: Graph, texts: dict[Path, str]) -> str:
    """``FILE:LINE`` where ``focus`` is first written, to point the analyst at it; the files
    when it cannot be told (a blank node)."""
    if isinstance(focus, URIRef):
        forms = [f"<{focus}>", shapes.namespace_manager.normalizeUri(focus)]
        # where it is described (a line that starts with it), else where it is first named
        for written in (lambda line: line.lstrip().startswith(tuple(forms)), _names(forms)):
            for path, text in texts.items():
                for number, line in enumerate(text.splitlines(), start=1):
                    if written(line):
                        return f"{path}:{number}"
    return ", ".join(str(path) for path in texts)


def _names(forms: list[str]) -> Callable[[str], bool]:
    return lambda line: any(form in line for form in forms)
