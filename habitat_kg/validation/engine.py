"""The sparql engine: SHACL Core validation as SPARQL queries asked of the store.

pySHACL checks one focus node at a time in Python over an rdflib graph, which takes minutes at a
million triples (and as long again to copy the store into rdflib). Here every constraint of every
shape becomes one query (``compile.py``) that the store answers for all focus nodes at once; the
answers are the results (``results.py``), the same pySHACL gives (the tests compare the two
engines on every example and on the built graph).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from habitat_kg.rdf import rdflib_term
from habitat_kg.store import QueryError, Solutions, Store
from habitat_kg.validation.compile import Compiler
from habitat_kg.validation.data import quiet_ill_typed_literals
from habitat_kg.validation.results import EngineResults, Result
from habitat_kg.validation.shape_model import Constraint, Shape, ShapesGraph
from habitat_kg.validation.shapes import ShapesError

#: Queries asked at once: the embedded store answers on as many threads as there are cores.
PARALLEL_QUERIES = 2

#: The text of a result where a shape gives no sh:message, by component.
GENERIC_MESSAGES = {
    "MinCount": "Less than {minCount} values on {this}->{path}",
    "MaxCount": "More than {maxCount} values on {this}->{path}",
    "HasValue": "Node {this}->{path} does not contain a value in the set: {hasValue}",
    "UniqueLang": "More than one String shares the same Language",
    "QualifiedMinCount": "Focus node does not conform to shape {qualifiedValueShape}",
    "QualifiedMaxCount": "Focus node does not conform to shape {qualifiedValueShape}",
}
GENERIC_VALUE_MESSAGE = "Value {value} does not conform to the {component} constraint of {shape}"

Check = tuple[Shape, Constraint, str]


#: What a long validation says of its progress: a few words at a time.
Progress = Callable[[str], None]


def sparql_results(store: Store, shapes: Graph, progress: Progress | None = None) -> EngineResults:
    """The results of validating the store's data (its default graph) against ``shapes``;
    ``progress`` hears how many of the constraint queries are answered, a tenth at a time."""
    model = ShapesGraph(shapes)
    compiler = Compiler(model)
    checks = [
        check
        for shape in model.targeted()
        if not shape.deactivated
        for check in _checks(compiler, model, shape, compiler.target_focus(shape))
    ]
    answers: list[Solutions] = []
    tenth = max(1, len(checks) // 10)
    with ThreadPoolExecutor(PARALLEL_QUERIES) as pool:
        for answer in pool.map(lambda check: _ask(store, check[2]), checks):
            answers.append(answer)
            if progress is not None and (len(answers) % tenth == 0 or len(answers) == len(checks)):
                progress(f"{len(answers)} of {len(checks)} constraint queries answered")
    with quiet_ill_typed_literals():  # an ill-typed value is a finding, not a problem
        return EngineResults(list(_results(checks, answers)), shapes)


def _checks(compiler: Compiler, model: ShapesGraph, shape: Shape, focus: str) -> Iterator[Check]:
    """Every query of ``shape`` and of its property shapes, at ``focus``."""
    for constraint, query in compiler.queries(shape, focus):
        yield shape, constraint, query
    inner = compiler.property_focus(shape, focus)
    for node in shape.properties:
        child = model.shape(node)
        if not child.deactivated:
            yield from _checks(compiler, model, child, inner)


def _ask(store: Store, query: str) -> Solutions:
    try:
        answer = store.query(query)
    except QueryError as error:
        raise ShapesError(f"the store could not evaluate a shape's query: {error}") from None
    assert isinstance(answer, Solutions), "every constraint query is a SELECT"
    return answer


def _results(checks: list[Check], answers: list[Solutions]) -> Iterator[Result]:
    """A result per row of the answers, once each (two constraints of a shape can find it)."""
    seen: set[tuple[Node | None, ...]] = set()
    for (shape, constraint, _), answer in zip(checks, answers, strict=True):
        for row in answer:
            focus = rdflib_term(row["this"])  # type: ignore[arg-type]
            value = rdflib_term(row["value"]) if row.get("value") is not None else None  # type: ignore[arg-type]
            path = rdflib_term(row["path"]) if row.get("path") is not None else shape.path  # type: ignore[arg-type]
            key = (focus, value, path, shape.node, constraint.component.iri)
            if key in seen:
                continue
            seen.add(key)
            messages = shape.messages or (_generic_message(shape, constraint, focus, value),)
            yield Result(
                BNode(),
                focus,
                value,
                path,
                shape.node,
                constraint.component.iri,
                shape.severity,
                messages,
            )


def _generic_message(
    shape: Shape, constraint: Constraint, focus: Node, value: Node | None
) -> Literal:
    name = constraint.component.name
    words = {
        **{key: _text(item) for key, item in constraint.parameters.items()},
        "this": _text(focus),
        "path": _text(shape.path),
        "value": _text(value),
        "component": name,
        "shape": _text(shape.node),
    }
    template = GENERIC_MESSAGES.get(name, GENERIC_VALUE_MESSAGE)
    return Literal(template.format(**words))


def _text(item: object) -> str:
    if isinstance(item, tuple):
        return "(" + " ".join(_text(part) for part in item) + ")"
    if item is None:
        return "-"
    return item.n3() if hasattr(item, "n3") else str(item)
