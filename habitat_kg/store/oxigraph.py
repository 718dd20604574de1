"""The default store: pyoxigraph, in memory or on disk, asked directly (no rdflib conversion)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from habitat_kg.store.base import QueryError, QueryResult, Solutions, Term, Triples


def _term(node: object) -> Term | None:
    if node is None:
        return None
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.datatype.value, node.language)
    raise QueryError(f"the store returned a term this interface does not carry: {node!r}")


class OxigraphStore:
    """pyoxigraph's store; ``path`` keeps it on disk between starts."""

    def __init__(self, path: Path | None = None) -> None:
        self._store = ox.Store(str(path)) if path is not None else ox.Store()

    def load_dataset(self, path: Path) -> None:
        self._store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(variable.value for variable in result.variables)
            rows = tuple(tuple(_term(solution[name]) for name in variables) for solution in result)
            return Solutions(variables, rows)
        return Triples(
            tuple((_term(t.subject), _term(t.predicate), _term(t.object)) for t in result)
        )

    def triple_count(self) -> int:
        return len(self._store)
