"""Answers of two stores in a form they agree on (``comparable``): rows as a multiset (order
aside); blank nodes by kind only (each store names them its own way); a ``GROUP_CONCAT`` value
as the sorted list of its parts (SPARQL leaves their order open, and two Oxigraph stores already
differ, one in memory and one on disk too; also when the list is given a language with
``STRLANG(STR(GROUP_CONCAT(...)), "en")``), and an empty ``GROUP_CONCAT`` as unbound (Virtuoso
gives "", Oxigraph leaves it unbound). A literal without datatype is an xsd:string (RDF 1.1):
the remote store already reads Virtuoso's plain literals and ``typed-literal`` so. Nothing else
is normalized: numbers, dates and languages must match.
"""

from __future__ import annotations

import re
from collections import Counter

from habitat_kg.server.store import QueryResult, Solutions, Triples

_GROUP_CONCAT = re.compile(
    r'GROUP_CONCAT\s*\(\s*(?:DISTINCT\s+)?[?$]\w+\s*(?:;\s*SEPARATOR\s*=\s*"([^"]*)")?\s*\)'
    r'(?:\s*\)|\s*,\s*"[^"]*"\s*\))*'  # the ends of STR(...) and STRLANG(..., "en") around it
    r"\s*AS\s+[?$](\w+)",
    re.IGNORECASE,
)


def comparable(result: QueryResult, sparql: str) -> object:
    """The answer in a form two stores agree on (see the module's docstring)."""
    if isinstance(result, bool):
        return result
    if isinstance(result, Triples):
        return Counter(tuple(_term_key(t, None) for t in triple) for triple in result)
    assert isinstance(result, Solutions)
    separators = {var: sep if sep else " " for sep, var in _GROUP_CONCAT.findall(sparql)}
    return Counter(
        tuple(
            _term_key(term, separators.get(var))
            for var, term in zip(result.variables, row, strict=False)
        )
        for row in result.rows
    )


def _term_key(term, separator: str | None) -> tuple | None:
    if term is None:
        return None
    if term.kind == "bnode":
        return ("bnode",)
    if separator is not None:
        if term.value == "":
            return None
        return ("concat", tuple(sorted(term.value.split(separator))), term.datatype)
    return (term.kind, term.value, term.datatype, (term.lang or "").lower())
