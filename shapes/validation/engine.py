"""The sparql engine: SHACL Core validation as SPARQL queries asked of the store.

pySHACL checks one focus node at a time in Python over an rdflib graph, which takes minutes at a
million triples (and as long again to copy the store into rdflib). Here every constraint of every
shape becomes one query (``compile.py``) that the store answers for all focus nodes at once; the
answers are the results (``results.py``), the same pySHACL gives (the tests compare the two
engines on every example, on the built graph and on the W3C SHACL Core test suite).

A shape the engine cannot evaluate exactly is handed over to pySHACL (``reference.py``), with the
reason, which the report gives: a constraint that cannot be written in SPARQL (a blank node as a
parameter value, an XML Schema datatype whose lexical forms SPARQL cannot check), and every shape
when the data holds literals the store keeps otherwise than written (``"01"^^xsd:integer`` held
as ``"1"``): the queries would see other terms than the data's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from rdflib import BNode, Graph, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from habitat_kg.rdf import rdflib_term
from habitat_kg.server.store import QueryError, Solutions, Store
from habitat_kg.shapes.validation.compile import Compiler
from habitat_kg.shapes.validation.data import literals_as_written, rewritten_literals
from habitat_kg.shapes.validation.reference import messages, pyshacl_results, result_nodes
from habitat_kg.shapes.validation.results import EngineResults, Result
from habitat_kg.shapes.validation.shape_model import Constraint, Shape, ShapesGraph
from habitat_kg.shapes.validation.shapes import NotCompiled, ShapesError

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

#: The property shapes (with the focus of each) whose value nodes are the focus nodes of a
#: shape within them (sh:property), outermost first.
Chain = tuple[tuple[Shape, str], ...]


@dataclass(frozen=True)
class Check:
    """One query: of a constraint of a shape, at the focus nodes ``chain`` leads to."""

    shape: Shape
    constraint: Constraint
    query: str
    chain: Chain


#: What a long validation says of its progress: a few words at a time.
Progress = Callable[[str], None]


def sparql_results(store: Store, shapes: Graph, progress: Progress | None = None) -> EngineResults:
    """The results of validating the store's data (its default graph) against ``shapes``;
    ``progress`` hears how many of the constraint queries are answered, a tenth at a time."""
    model = ShapesGraph(shapes)
    compiler = Compiler(model)
    targeted = [shape for shape in model.targeted() if not shape.deactivated]
    checks: list[Check] = []
    handed: list[tuple[Shape, str]] = []
    rewritten = rewritten_literals(store)
    merged = any(len(forms) > 1 for forms in rewritten.values())
    for shape in targeted:
        if rewritten and (merged or compiler.sees_lexical_forms(shape)):
            handed.append((shape, _rewritten_reason(rewritten, merged)))
            continue
        try:
            checks.extend(list(_checks(compiler, model, shape, compiler.target_focus(shape))))
        except NotCompiled as why:
            handed.append((shape, str(why)))
    answers: list[Solutions] = []
    tenth = max(1, len(checks) // 10)
    with ThreadPoolExecutor(PARALLEL_QUERIES) as pool:
        for answer in pool.map(lambda check: _ask(store, check.query), checks):
            answers.append(answer)
            if progress is not None and (len(answers) % tenth == 0 or len(answers) == len(checks)):
                progress(f"{len(answers)} of {len(checks)} constraint queries answered")
    with literals_as_written():  # an ill-typed value is a finding, not a problem
        as_written = {held: forms[0] for held, forms in rewritten.items()}
        results = [
            _as_written(result, as_written) for result in _results(store, compiler, checks, answers)
        ]
    if not handed:
        return EngineResults(results, shapes)
    if progress is not None:
        progress(f"{len(handed)} shapes handed over to pySHACL")
    found = pyshacl_results(store, shapes, only=[shape.node for shape, _ in handed])
    results.extend(_reference_results(found))
    paths = Graph()
    for triple in (*shapes, *found):
        paths.add(triple)
    return EngineResults(results, paths, tuple((shape.node, why) for shape, why in handed))


def _rewritten_reason(rewritten: dict[Literal, list[Literal]], merged: bool) -> str:
    """Why a shape goes to pySHACL when the store holds literals otherwise than written."""
    held, forms = next(iter(rewritten.items()))
    if merged:
        held, forms = next((h, f) for h, f in rewritten.items() if len(f) > 1)
    example = f"{' and '.join(form.n3() for form in forms)} held as {held.n3()}"
    if merged:
        return f"the store holds two literals of the data as one ({example})"
    return f"it reads literals the store holds otherwise than written ({example})"


def _as_written(result: Result, as_written: dict[Literal, Literal]) -> Result:
    """``result`` naming the literals as the data writes them, not as the store holds them."""
    if not as_written:
        return result
    focus = as_written.get(result.focus, result.focus)  # type: ignore[call-overload]
    value = as_written.get(result.value, result.value)  # type: ignore[call-overload]
    return replace(result, focus=focus, value=value)


def _checks(
    compiler: Compiler, model: ShapesGraph, shape: Shape, focus: str, chain: Chain = ()
) -> Iterator[Check]:
    """Every query of ``shape`` and of its property shapes, at ``focus``."""
    for constraint, query in compiler.queries(shape, focus):
        yield Check(shape, constraint, query, chain)
    inner = compiler.values_focus(shape, focus)
    if shape.path is not None:
        chain = (*chain, (shape, focus))
    for node in shape.properties:
        child = model.shape(node)
        if not child.deactivated:
            yield from _checks(compiler, model, child, inner, chain)


def _ask(store: Store, query: str) -> Solutions:
    try:
        answer = store.query(query)
    except QueryError as error:
        raise ShapesError(f"the store could not evaluate a shape's query: {error}") from None
    assert isinstance(answer, Solutions), "every constraint query is a SELECT"
    return answer


def _results(
    store: Store, compiler: Compiler, checks: list[Check], answers: list[Solutions]
) -> Iterator[Result]:
    """A result per row of the answers, and per way of reaching its focus node.

    Rows are not merged across checks: two constraints of a shape (two sh:class) that a value
    fails are two results, and so is a shape within two property shapes. A shape within a
    property shape is checked once on each value node, but SHACL checks it for each focus node
    the value belongs to: a value of two focus nodes gives its results twice (SHACL 2.3.2, the
    W3C test property-001)."""
    ways: dict[tuple[tuple[Node, str], ...], Counter[Node]] = {}
    for check, answer in zip(checks, answers, strict=True):
        shape, constraint = check.shape, check.constraint
        rows = list(answer)
        if rows and check.chain:
            key = tuple((parent.node, focus) for parent, focus in check.chain)
            if key not in ways:
                ways[key] = _ways(store, compiler, check.chain)
        for row in rows:
            focus = rdflib_term(row["this"])  # type: ignore[arg-type]
            value = rdflib_term(row["value"]) if row.get("value") is not None else None  # type: ignore[arg-type]
            path = rdflib_term(row["path"]) if row.get("path") is not None else shape.path  # type: ignore[arg-type]
            texts = shape.messages or (_generic_message(shape, constraint, focus, value),)
            times = ways[key][focus] if check.chain else 1
            for _ in range(max(times, 1)):
                yield Result(
                    BNode(),
                    focus,
                    value,
                    path,
                    shape.node,
                    constraint.component.iri,
                    shape.severity,
                    texts,
                )


def _ways(store: Store, compiler: Compiler, chain: Chain) -> Counter[Node]:
    """For each node ``chain`` leads to, in how many ways (from how many focus nodes)."""
    ways: Counter[Node] | None = None
    for shape, focus in chain:
        pairs = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {compiler.values(shape)} }}"
        step: Counter[Node] = Counter()
        for row in _ask(store, pairs):
            parent, child = (rdflib_term(row[name]) for name in ("this", "value"))  # type: ignore[arg-type]
            step[child] += 1 if ways is None else ways[parent]
        ways = step
    return ways or Counter()


def _reference_results(found: Graph) -> Iterator[Result]:
    """The results of pySHACL's results graph, as the engine's."""
    for node in result_nodes(found):
        yield Result(
            BNode(),
            found.value(node, SH.focusNode),  # type: ignore[arg-type]
            found.value(node, SH.value),
            found.value(node, SH.resultPath),
            found.value(node, SH.sourceShape),  # type: ignore[arg-type]
            found.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            found.value(node, SH.resultSeverity),  # type: ignore[arg-type]
            messages(found, node),
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
