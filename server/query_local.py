"""``habitat-kg query`` without a server: the answer from the built dataset, in the same shape.

With no ``--endpoint`` the command asks the server on ``--port`` when one listens there, else it
opens the project's built dataset and asks it here. Either way the answer is what an endpoint
would send (SPARQL JSON, Turtle or JSON-LD), so it is printed by the same code.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pyoxigraph as ox

from habitat_kg.server.store import QueryError, QueryTimeout, Solutions, Term, Triples, open_dataset
from habitat_kg.server.store.formats import write_triples
from habitat_kg.server.store.query_text import QuerySyntaxError, parser_error, read_query

#: How long to wait for a server to take a connection before answering from the dataset.
_PROBE_SECONDS = 0.5


def server_listens(host: str, port: int) -> bool:
    """Whether something takes TCP connections at ``host:port`` (a server that runs)."""
    try:
        with socket.create_connection((host, port), timeout=_PROBE_SECONDS):
            return True
    except OSError:
        return False


def answer_from_dataset(dataset: Path, store_spec: str, text: str, as_json_ld: bool) -> bytes:
    """The answer to ``text`` from the dataset at ``dataset``, as an endpoint would write it.

    Raises ValueError (a query the store refuses, with the parser's words) and DatasetMissing.
    """
    store = open_dataset(dataset, store_spec)
    try:
        result = store.query(text)
    except QueryError as error:
        raise ValueError(str(_parser_error(str(error), text))) from None
    except QueryTimeout as error:
        raise ValueError(f"the query: {error}") from None
    if isinstance(result, bool):
        return json.dumps({"head": {}, "boolean": result}).encode()
    if isinstance(result, Solutions):
        return json.dumps(_solutions_json(result), ensure_ascii=False).encode("utf-8")
    assert isinstance(result, Triples)
    triples = [ox.Triple(*(_ox_term(term) for term in triple)) for triple in result]
    return write_triples(triples, "jsonld" if as_json_ld else "turtle")


def _parser_error(message: str, text: str) -> QuerySyntaxError:
    """The parser's message with its line and column, as the endpoint words it."""
    try:
        return parser_error(message, read_query(text))
    except QuerySyntaxError as error:
        return error


def _solutions_json(solutions: Solutions) -> dict:
    bindings = []
    for row in solutions.rows:
        binding = {}
        for variable, term in zip(solutions.variables, row, strict=True):
            if term is not None:
                binding[variable] = _term_json(term)
        bindings.append(binding)
    return {"head": {"vars": list(solutions.variables)}, "results": {"bindings": bindings}}


def _term_json(term: Term) -> dict[str, str]:
    described = {"type": term.kind, "value": term.value}
    if term.lang:
        described["xml:lang"] = term.lang
    elif term.datatype and term.kind == "literal":
        described["datatype"] = term.datatype
    return described


def _ox_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "uri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype is None:
        return ox.Literal(term.value)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
