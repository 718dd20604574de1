"""SHACL Core shapes as SPARQL queries, one per constraint, that select the violations.

Each component has a template (``queries/components/<name>.rq``) in the manner of SHACL-SPARQL's
validators, with placeholders filled here:

- ``$FOCUS``: a group that binds ``?this`` to each focus node, once;
- ``$VALUES``: binds ``?value`` to each value node of ``?this`` (the path, or the focus node itself
  for a node shape); ``$HAS_VALUE`` tests a bound ``?value`` the same way;
- the component's parameters (``$minCount``, ``$class``, ...) as SPARQL terms;
- ``$FAILING`` / ``$CONFORMING`` / ``$FAILED``: for the components that take shapes (sh:node,
  sh:not, sh:and, sh:or, sh:xone, qualified value shapes), the value nodes that fail (or conform
  to) those shapes, found by the same queries with the value nodes (or more) as focus nodes.

Set-at-a-time queries replace pySHACL's node-at-a-time loop; nothing is walked by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from habitat_kg.queries import load_query
from habitat_kg.shapes.validation.datatypes import well_formed
from habitat_kg.shapes.validation.shape_model import Constraint, Shape, ShapesGraph
from habitat_kg.shapes.validation.shapes import NotCompiled, ShapesError

#: Shapes within shapes deeper than this are taken to refer to themselves.
MAX_DEPTH = 16

#: Path forms that take a step any number of times. From "any node" a path with * or ? also
#: reaches every node of the graph (the zero-length step), so the values from any node would be
#: all nodes; + is left out with them, to be safe, though it reaches only objects of its step.
REPEATED_PATHS = (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)

#: Components that read the text or the datatype of a literal, or compare with given literals.
LEXICAL_COMPONENTS = frozenset({"datatype", "pattern", "minLength", "maxLength", "in", "hasValue"})

#: Parameters whose values are shapes.
SHAPE_PARAMETERS = frozenset({"node", "not", "and", "or", "xone", "qualifiedValueShape"})

_PLACEHOLDER = re.compile(r"\$([A-Za-z_]+)\b")

NOTHING = "{ SELECT ?this WHERE { FILTER (false) } }"


def term(node: Node) -> str:
    """``node`` written in SPARQL; a blank node of the shapes graph cannot be, and is refused."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        text = text.replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None and node.datatype != XSD.string:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    raise NotCompiled("a blank node as the value of a parameter cannot be written in SPARQL")


#: The SHACL path forms with one inner path, and how SPARQL writes each.
UNARY_PATHS = {
    SH.inversePath: "^{}",
    SH.zeroOrMorePath: "{}*",
    SH.oneOrMorePath: "{}+",
    SH.zeroOrOnePath: "{}?",
}
SEQUENCE, ALTERNATIVE = RDF.first, SH.alternativePath


def path_form(shapes: ShapesGraph, path: Node) -> tuple[Node | None, list[Node]]:
    """What a SHACL property path is (SHACL 1.0, section 2.3.1) and the paths inside it: (None,
    []) for a predicate, (SEQUENCE, steps), (ALTERNATIVE, choices), or a UNARY_PATHS form and
    its one path."""
    graph = shapes.graph
    if isinstance(path, URIRef):
        return None, []
    if (path, RDF.first, None) in graph:
        return SEQUENCE, list(graph.items(path))
    for form in UNARY_PATHS:
        inner = graph.value(path, form)
        if inner is not None:
            return form, [inner]
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return ALTERNATIVE, list(graph.items(alternatives))
    raise ShapesError(f"not a SHACL property path: {path}")


def sparql_path(shapes: ShapesGraph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    form, inner = path_form(shapes, path)
    if form is None:
        return f"<{path}>"
    written = [sparql_path(shapes, step) for step in inner]
    if form in UNARY_PATHS:
        return "(" + UNARY_PATHS[form].format(written[0]) + ")"
    return "(" + ("/" if form == SEQUENCE else "|").join(written) + ")"


class Compiler:
    """Writes the queries of the shapes of one shapes graph."""

    def __init__(self, shapes: ShapesGraph) -> None:
        self.shapes = shapes

    # focus nodes ---------------------------------------------------------------------------

    def target_focus(self, shape: Shape) -> str:
        """A group binding ``?this`` once to each focus node the targets of ``shape`` select."""
        branches = [self._target(kind, value) for kind, value in shape.targets]
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"

    def _target(self, kind: URIRef, value: Node) -> str:
        if kind == SH.targetNode:
            return f"{{ VALUES ?this {{ {term(value)} }} }}"
        if kind == SH.targetSubjectsOf:
            return f"{{ ?this {term(value)} ?object }}"
        if kind == SH.targetObjectsOf:
            return f"{{ ?subject {term(value)} ?this }}"
        subclass = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
        return f"{{ ?class {subclass}* {term(value)} . ?this a ?class }}"

    def values(self, shape: Shape) -> str:
        """The pattern binding ``?value`` to the value nodes of ``?this``.

        A path that can be empty (``p?``, ``p*``) has the focus node itself among its values
        (SHACL 2.3.1). SPARQL finds that zero-length step only from a node of the data graph;
        a focus node that is not in it (an sh:targetNode without triples, a literal) is taken
        as its own value when the path finds no other."""
        if shape.path is None:
            return "BIND (?this AS ?value)"
        path = sparql_path(self.shapes, shape.path)
        if not self.can_be_empty(shape.path):
            return f"?this {path} ?value ."
        step = f"OPTIONAL {{ ?this {path} ?valueStep }}"
        return f"{step} BIND (COALESCE(?valueStep, ?this) AS ?value)"

    def can_be_empty(self, path: Node) -> bool:
        """Whether the SHACL property path reaches the node it starts from in zero steps."""
        form, inner = path_form(self.shapes, path)
        if form in (SH.zeroOrMorePath, SH.zeroOrOnePath):
            return True
        if form == SEQUENCE:
            return all(map(self.can_be_empty, inner))
        if form in (ALTERNATIVE, SH.oneOrMorePath):
            return any(map(self.can_be_empty, inner))
        return False

    def has_value(self, shape: Shape) -> str:
        """The pattern testing that a bound ``?value`` is a value node of ``?this``."""
        if shape.path is None:
            return "FILTER (sameTerm(?this, ?value))"
        return f"?this {sparql_path(self.shapes, shape.path)} ?value ."

    def values_focus(self, shape: Shape, focus: str) -> str:
        """A group binding ``?this`` once to each value node of ``shape`` at ``focus``: the
        focus nodes of its property shapes (sh:property).

        A node shape's value nodes are its focus nodes: ``focus`` itself, which every caller
        writes as a group binding ``?this`` once to each node. Wrapping it again would make
        the store build the same set of nodes twice more at each level of nesting."""
        if shape.path is None:
            return focus
        inner = f"{{ SELECT DISTINCT ?value WHERE {{ {focus} {self.values(shape)} }} }}"
        return f"{{ SELECT DISTINCT ?this WHERE {{ {inner} BIND (?value AS ?this) }} }}"

    def candidates(self, shape: Shape, focus: str) -> str:
        """A group binding ``?this`` to the nodes that the shapes in a constraint of ``shape``
        (sh:node, sh:or ...) are checked on: every value node of ``shape`` at ``focus``, or more.

        More does no harm: the query keeps only the verdicts on actual value nodes. The values
        of the path from any node are found without evaluating ``focus`` again at each level of
        nesting, and Oxigraph reads every triple of the path for a join with the focus anyway.
        Not for a path with *, + or ? (see REPEATED_PATHS). The cost: a shape whose focus is a
        few sh:targetNode, on a common path, checks the nested shapes on all the path's values;
        the shapes of this project all target classes."""
        if shape.path is None or self.repeats(shape.path):
            return self.values_focus(shape, focus)
        path = sparql_path(self.shapes, shape.path)
        return f"{{ SELECT DISTINCT ?this WHERE {{ ?anyNode {path} ?this }} }}"

    def repeats(self, path: Node) -> bool:
        """Whether the SHACL property path has a step taken any number of times (*, + or ?)."""
        form, inner = path_form(self.shapes, path)
        return form in REPEATED_PATHS or any(map(self.repeats, inner))

    def sees_lexical_forms(self, shape: Shape, seen: frozenset[Node] = frozenset()) -> bool:
        """Whether a constraint of ``shape`` (or of a shape within it) reads a literal's text or
        datatype, or names literals to compare with: what the store may hold otherwise than the
        data writes it (see ``data.rewritten_literals``)."""
        if shape.node in seen:
            return False
        seen = seen | {shape.node}
        for constraint in shape.constraints:
            if constraint.component.template in LEXICAL_COMPONENTS:
                return True
            for name, value in constraint.parameters.items():
                if name in SHAPE_PARAMETERS:
                    nodes = value if isinstance(value, tuple) else (value,)
                    inner = (self.shapes.shape(node) for node in nodes)  # type: ignore[arg-type]
                    if any(self.sees_lexical_forms(child, seen) for child in inner):
                        return True
        children = (self.shapes.shape(node) for node in shape.properties)
        return any(self.sees_lexical_forms(child, seen) for child in children)

    # queries -------------------------------------------------------------------------------

    def queries(self, shape: Shape, focus: str, depth: int = 0) -> Iterator[tuple[Constraint, str]]:
        """(constraint, query) for each constraint of ``shape`` at ``focus``; each query selects
        ``?this`` (and ``?value`` where the component reports one) for every violation."""
        if depth > MAX_DEPTH:
            raise ShapesError(f"shapes nested deeper than {MAX_DEPTH}: a shape refers to itself")
        for constraint in shape.constraints:
            query = self.query(shape, constraint, focus, depth)
            if query is not None:
                yield constraint, query

    def query(self, shape: Shape, constraint: Constraint, focus: str, depth: int) -> str | None:
        parameters = constraint.parameters
        name = constraint.component.template
        if name in {"uniqueLang", "closed"} and not _true(parameters[name]):
            return None
        name = self._template(shape, constraint)
        fills = {
            "FOCUS": focus,
            "VALUES": self.values(shape),
            "HAS_VALUE": self.has_value(shape),
            "OTHER_VALUES": self.values(shape).replace("?value", "?other"),
            **self._parameters(shape, constraint),
            **self._shape_fills(shape, constraint, focus, depth),
        }
        return fill(load_query("habitat_kg.shapes.validation", f"components/{name}"), fills)

    def _template(self, shape: Shape, constraint: Constraint) -> str:
        """The template of the component, or a variant that is faster with these parameters."""
        name = constraint.component.template
        parameters = constraint.parameters
        if name in {"minCount", "maxCount", "qualifiedMinCount"} and _is_one(parameters[name]):
            name = f"{name}-1"
        if name == "qualifiedMinCount-1" and (shape.path is None or self.repeats(shape.path)):
            name = "qualifiedMinCount"  # the variant asks for the values from every node
        if name in {"minCount-1", "hasValue"} and self._is_sequence(shape.path):
            name = f"{name}-sequence"
        return name

    def _is_sequence(self, path: Node | None) -> bool:
        return path is not None and path_form(self.shapes, path)[0] == SEQUENCE

    def _parameters(self, shape: Shape, constraint: Constraint) -> dict[str, str]:
        fills: dict[str, str] = {}
        for name, value in constraint.parameters.items():
            if name in SHAPE_PARAMETERS:
                continue  # filled by _shape_fills
            if isinstance(value, tuple):
                fills[name] = " ".join(term(item) for item in value)
            elif name in {"equals", "disjoint", "lessThan", "lessThanOrEquals"}:
                fills[name] = sparql_path(self.shapes, value)
            else:
                fills[name] = term(value)
        template = constraint.component.template
        if template == "pattern":
            fills.setdefault("flags", '""')
        if template == "datatype":
            fills["WELL_FORMED"] = well_formed(constraint.parameters["datatype"])  # type: ignore[arg-type]
        if template == "closed":
            fills["allowed"] = " ".join(self._allowed(shape, constraint))
        return fills

    def _allowed(self, shape: Shape, constraint: Constraint) -> list[str]:
        paths = [self.shapes.shape(p).path for p in shape.properties]
        ignored = constraint.parameters.get("ignoredProperties", ())
        allowed = [p for p in (*paths, *ignored) if isinstance(p, URIRef)]  # type: ignore[misc]
        return sorted({term(p) for p in allowed}) or ["<urn:x-habitat-kg:nothing>"]

    # shapes within shapes --------------------------------------------------------------------

    def _shape_fills(
        self, shape: Shape, constraint: Constraint, focus: str, depth: int
    ) -> dict[str, str]:
        template = constraint.component.template
        parameters = constraint.parameters
        candidates = self.candidates(shape, focus)

        def failing(node: Node) -> str:
            return self.failing_values(node, candidates, depth)

        if template in {"node", "not"}:
            return {"FAILING": failing(parameters[template])}
        if template == "and":
            return {"FAILING": "{ " + " UNION ".join(map(failing, parameters["and"])) + " }"}  # type: ignore[arg-type]
        if template == "or":
            return {"FAILING": " ".join(map(failing, parameters["or"]))}  # type: ignore[arg-type]
        if template == "xone":
            return self._xone(parameters["xone"], candidates, depth)  # type: ignore[arg-type]
        if template.startswith("qualified"):
            return {"CONFORMING": self._qualified(shape, constraint, candidates, depth)}
        return {}

    def failing(self, node: Node, focus: str, depth: int) -> str:
        """A group binding ``?this`` to each node at ``focus`` that does not conform to the shape
        at ``node`` (deactivated shapes conform)."""
        shape = self.shapes.shape(node)
        if shape.deactivated:
            return NOTHING
        branches = [f"{{ {query} }}" for _, query in self.queries(shape, focus, depth + 1)]
        inner = self.values_focus(shape, focus)
        for child in shape.properties:
            branches.append(self.failing(child, inner, depth + 1))
        if not branches:
            return NOTHING
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(branches) + " } }"

    def failing_values(self, node: Node, candidates: str, depth: int, flag: str = "") -> str:
        """A group binding ``?value`` to each candidate that fails the shape at ``node``."""
        failing = self.failing(node, candidates, depth)
        return f"{{ SELECT (?this AS ?value){flag} WHERE {{ {failing} }} }}"

    def conforming_values(self, node: Node, candidates: str, depth: int) -> str:
        """A group binding ``?value`` to each candidate that conforms to the shape at ``node``."""
        failing = self.failing(node, candidates, depth)
        return f"{{ SELECT (?this AS ?value) WHERE {{ {candidates} MINUS {failing} }} }}"

    def _xone(self, nodes: Sequence[Node], candidates: str, depth: int) -> dict[str, str]:
        flags = [f"?failed{index}" for index in range(len(nodes))]
        failed = " ".join(
            "OPTIONAL " + self.failing_values(node, candidates, depth, f" (1 AS {flag})")
            for node, flag in zip(nodes, flags, strict=True)
        )
        sum_failed = " + ".join(f"COALESCE({flag}, 0)" for flag in flags) or "0"
        return {"FAILED": failed, "CONFORMING": f"({len(nodes)} - ({sum_failed}))"}

    def _qualified(self, shape: Shape, constraint: Constraint, candidates: str, depth: int) -> str:
        qualified = constraint.parameters["qualifiedValueShape"]
        parts = [f"MINUS {self.failing_values(qualified, candidates, depth)}"]  # type: ignore[arg-type]
        if _true(constraint.parameters.get("qualifiedValueShapesDisjoint")):
            for sibling in self._siblings(shape, qualified):  # type: ignore[arg-type]
                parts.append(f"MINUS {self.conforming_values(sibling, candidates, depth)}")
        return " ".join(parts)

    def _siblings(self, shape: Shape, qualified: Node) -> list[Node]:
        """The qualified value shapes of the property shapes beside ``shape`` (SHACL 4.7.3)."""
        graph = self.shapes.graph
        siblings = set()
        for parent in graph.subjects(SH.property, shape.node):
            for property_shape in graph.objects(parent, SH.property):
                siblings.update(graph.objects(property_shape, SH.qualifiedValueShape))
        siblings.discard(qualified)
        return sorted(siblings, key=str)


def fill(template: str, fills: dict[str, str]) -> str:
    """``template`` with each ``$NAME`` replaced; a placeholder left unfilled is a mistake."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fills:
            raise ShapesError(f"the query template needs ${name}, which the shape does not give")
        return fills[name]

    # the comments go: a query is also written inside another, where a comment would hide the rest
    text = "\n".join(line for line in template.splitlines() if not line.lstrip().startswith("#"))
    return _PLACEHOLDER.sub(replace, text)


def _is_one(value: object) -> bool:
    return isinstance(value, Literal) and value.value == 1 and not isinstance(value.value, bool)


def _true(value: object) -> bool:
    """Whether a parameter is ``true``: SHACL names the literal true, and ``"1"^^xsd:boolean``,
    another way to write the same value, leaves the constraint off (W3C test uniqueLang-002)."""
    return isinstance(value, Literal) and value.datatype == XSD.boolean and str(value) == "true"
