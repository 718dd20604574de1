"""Small rdflib helpers shared by the builder and the rdflib store."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pyoxigraph
from rdflib import XSD, BNode, Dataset, Literal, URIRef

if TYPE_CHECKING:  # the store imports this module: no import cycle at run time
    from habitat_kg.server.store.base import Term


@contextmanager
def rdflib_internals_quiet() -> Iterator[None]:
    """Silence the deprecation warnings that rdflib 7.6 raises about its own code.

    Its TriG parser and serializer build the ``ConjunctiveGraph`` and call the
    ``default_context`` that rdflib itself deprecated; only warnings raised from inside rdflib's
    modules are silenced, so a deprecated call of ours still fails the tests.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
        yield


def parse_trig(text: str) -> Dataset:
    """A dataset parsed from TriG text."""
    dataset = Dataset()
    with rdflib_internals_quiet():
        dataset.parse(data=text, format="trig")
    return dataset


def trig_syntax_error(text: str) -> tuple[int | None, str] | None:
    """Where a TriG text is malformed, as (line, message), or None when it is well formed.

    pyoxigraph's parser reports the exact line and column; rdflib's sometimes points elsewhere.
    """
    try:
        for _ in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG):
            pass
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        return error.lineno, message.removeprefix("Parser error ")
    return None


def rdflib_term(term: Term) -> URIRef | BNode | Literal:
    """A store's term as rdflib's (an xsd:string literal stays a plain literal)."""
    if term.kind == "uri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    if term.lang:
        return Literal(term.value, lang=term.lang)
    if term.datatype in (None, str(XSD.string)):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype))


def oxigraph_term(
    node: URIRef | BNode | Literal,
) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    """An rdflib term as pyoxigraph's; a blank node keeps its id (pyoxigraph's parsers would
    give it a new one), so what a query answers names the same node in the rdflib graph."""
    if isinstance(node, URIRef):
        return pyoxigraph.NamedNode(str(node))
    if isinstance(node, BNode):
        return pyoxigraph.BlankNode(str(node))
    if node.language:
        return pyoxigraph.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return pyoxigraph.Literal(str(node), datatype=pyoxigraph.NamedNode(str(node.datatype)))
    return pyoxigraph.Literal(str(node))
