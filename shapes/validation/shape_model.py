"""The shapes of a shapes graph as the SPARQL engine needs them: targets, path, constraints.

Each constraint is one use of a SHACL Core constraint component (SHACL 1.0, section 4) with its
parameter values; a component with one parameter that a shape gives twice (two ``sh:class``)
makes two constraints, as the specification says. The shapes graph is small and read here with
rdflib; the data graph is only ever asked with SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from habitat_kg.shapes.validation.shapes import ShapesError


@dataclass(frozen=True)
class Component:
    """A SHACL Core constraint component: its IRI, the template that finds its violations, the
    parameters it needs and those it may take."""

    name: str
    template: str
    parameters: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def iri(self) -> URIRef:
        return SH[f"{self.name}ConstraintComponent"]


#: Every SHACL Core constraint component, in the order of the specification.
COMPONENTS: tuple[Component, ...] = (
    Component("Class", "class", ("class",)),
    Component("Datatype", "datatype", ("datatype",)),
    Component("NodeKind", "nodeKind", ("nodeKind",)),
    Component("MinCount", "minCount", ("minCount",)),
    Component("MaxCount", "maxCount", ("maxCount",)),
    Component("MinExclusive", "minExclusive", ("minExclusive",)),
    Component("MinInclusive", "minInclusive", ("minInclusive",)),
    Component("MaxExclusive", "maxExclusive", ("maxExclusive",)),
    Component("MaxInclusive", "maxInclusive", ("maxInclusive",)),
    Component("MinLength", "minLength", ("minLength",)),
    Component("MaxLength", "maxLength", ("maxLength",)),
    Component("Pattern", "pattern", ("pattern",), ("flags",)),
    Component("LanguageIn", "languageIn", ("languageIn",)),
    Component("UniqueLang", "uniqueLang", ("uniqueLang",)),
    Component("Equals", "equals", ("equals",)),
    Component("Disjoint", "disjoint", ("disjoint",)),
    Component("LessThan", "lessThan", ("lessThan",)),
    Component("LessThanOrEquals", "lessThanOrEquals", ("lessThanOrEquals",)),
    Component("Not", "not", ("not",)),
    Component("And", "and", ("and",)),
    Component("Or", "or", ("or",)),
    Component("Xone", "xone", ("xone",)),
    Component("Node", "node", ("node",)),
    Component(
        "QualifiedMinCount",
        "qualifiedMinCount",
        ("qualifiedValueShape", "qualifiedMinCount"),
        ("qualifiedValueShapesDisjoint",),
    ),
    Component(
        "QualifiedMaxCount",
        "qualifiedMaxCount",
        ("qualifiedValueShape", "qualifiedMaxCount"),
        ("qualifiedValueShapesDisjoint",),
    ),
    Component("Closed", "closed", ("closed",), ("ignoredProperties",)),
    Component("HasValue", "hasValue", ("hasValue",)),
    Component("In", "in", ("in",)),
)

#: Parameters whose value is an RDF list.
LIST_PARAMETERS = frozenset({"languageIn", "and", "or", "xone", "in", "ignoredProperties"})

#: Predicates of a shape that are not constraint parameters (targets, names, messages, ...).
NOT_PARAMETERS = frozenset(
    {
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.property,
        SH.path,
        SH.severity,
        SH.message,
        SH.deactivated,
        SH.name,
        SH.description,
        SH.order,
        SH.group,
        SH.defaultValue,
        RDF.type,
        RDFS.label,
        RDFS.comment,
        RDFS.subClassOf,
        RDFS.isDefinedBy,
        OWL.versionInfo,
    }
)


@dataclass(frozen=True)
class Constraint:
    """One constraint: a component and the values of its parameters (lists as tuples)."""

    component: Component
    parameters: dict[str, object] = field(hash=False)


@dataclass(frozen=True)
class Shape:
    """A node shape (no path) or a property shape, as far as validation needs it."""

    node: Node
    path: Node | None
    severity: URIRef
    messages: tuple[Literal, ...]
    deactivated: bool
    targets: tuple[tuple[URIRef, Node], ...]
    constraints: tuple[Constraint, ...]
    properties: tuple[Node, ...]


class ShapesGraph:
    """The shapes of ``graph``, read on demand and kept."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._shapes: dict[Node, Shape] = {}
        known = {p for c in COMPONENTS for p in (*c.parameters, *c.optional)}
        self._known_parameters = {SH[name] for name in known}

    def targeted(self) -> list[Shape]:
        """The shapes with a target (explicit, or a shape that is also a class)."""
        graph = self.graph
        nodes = {
            s
            for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in graph.subjects(p, None)
        }
        for kind in (SH.NodeShape, SH.PropertyShape):
            for node in graph.subjects(RDF.type, kind):
                if (node, RDF.type, RDFS.Class) in graph or (node, RDF.type, OWL.Class) in graph:
                    nodes.add(node)
        return sorted((self.shape(node) for node in nodes), key=lambda shape: str(shape.node))

    def shape(self, node: Node) -> Shape:
        """The shape at ``node``; ShapesError when it uses what SHACL Core does not define."""
        if node not in self._shapes:
            self._shapes[node] = self._read(node)
        return self._shapes[node]

    def _read(self, node: Node) -> Shape:
        graph = self.graph
        deactivated = graph.value(node, SH.deactivated)
        return Shape(
            node=node,
            path=graph.value(node, SH.path),
            severity=graph.value(node, SH.severity) or SH.Violation,  # type: ignore[arg-type]
            messages=tuple(m for m in graph.objects(node, SH.message) if isinstance(m, Literal)),
            deactivated=isinstance(deactivated, Literal) and deactivated.value is True,
            targets=tuple(self._targets(node)),
            constraints=tuple(self._constraints(node)),
            properties=tuple(sorted(graph.objects(node, SH.property), key=str)),
        )

    def _targets(self, node: Node) -> Iterator[tuple[URIRef, Node]]:
        graph = self.graph
        for kind in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            for value in sorted(graph.objects(node, kind), key=str):
                yield kind, value
        if (node, RDF.type, RDFS.Class) in graph or (node, RDF.type, OWL.Class) in graph:
            yield SH.targetClass, node

    def _constraints(self, node: Node) -> Iterator[Constraint]:
        graph = self.graph
        unknown = {
            p
            for p in graph.predicates(node, None)
            if p not in NOT_PARAMETERS
            and p not in self._known_parameters
            and str(p).startswith(str(SH))
        }
        if unknown:
            names = ", ".join(sorted(f"sh:{str(p).removeprefix(str(SH))}" for p in unknown))
            raise ShapesError(
                f"{_named(node)} uses {names}, which the sparql engine does not evaluate "
                "(SHACL Core only): validate with --engine pyshacl"
            )
        for component in COMPONENTS:
            yield from self._uses(node, component)

    def _uses(self, node: Node, component: Component) -> Iterator[Constraint]:
        graph = self.graph
        first, *others = component.parameters
        for value in sorted(graph.objects(node, SH[first]), key=str):
            parameters: dict[str, object] = {first: self._parameter(first, value)}
            for name in others:
                other = graph.value(node, SH[name])
                if other is None:
                    break
                parameters[name] = self._parameter(name, other)
            else:
                for name in component.optional:
                    optional = graph.value(node, SH[name])
                    if optional is not None:
                        parameters[name] = self._parameter(name, optional)
                yield Constraint(component, parameters)

    def _parameter(self, name: str, value: Node) -> object:
        if name in LIST_PARAMETERS:
            return tuple(self.graph.items(value))
        return value


def _named(node: Node) -> str:
    return f"shape <{node}>" if isinstance(node, URIRef) else "a shape (blank node)"
