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


class MalformedTrig(ValueError):
    """A TriG text that does not parse: the line and the parser's message."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_trig(text: str) -> tuple[list[pyoxigraph.Quad], dict[str, str]]:
    """The quads of a TriG text and the prefixes it declares (pyoxigraph's parser: strict W3C
    TriG, and it reports the exact line and column); MalformedTrig where it does not parse."""
    parser = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    try:
        quads = list(parser)
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        raise MalformedTrig(error.lineno, message.removeprefix("Parser error ")) from None
    return quads, dict(parser.prefixes)


def trig_syntax_error(text: str) -> tuple[int | None, str] | None:
    """Where a TriG text is malformed, as (line, message), or None when it is well formed.

    pyoxigraph's parser reports the exact line and column; rdflib's sometimes points elsewhere.
    """
    try:
        read_trig(text)
    except MalformedTrig as error:
        return error.line, error.message
    return None


class RdflibTerms:
    """pyoxigraph's terms as rdflib's, each IRI made once (a file names the same things many
    times); a blank node keeps one rdflib node per label, within one reader."""

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}
        self._blank: dict[str, BNode] = {}
        self._literals: dict[tuple[str, str | None, str], Literal] = {}

    def __call__(
        self, term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    ) -> URIRef | BNode | Literal:
        if isinstance(term, pyoxigraph.NamedNode):
            iri = self._iris.get(term.value)
            if iri is None:
                iri = self._iris[term.value] = URIRef(term.value)
            return iri
        if isinstance(term, pyoxigraph.BlankNode):
            return self._blank.setdefault(term.value, BNode())
        key = (term.value, term.language, term.datatype.value)
        literal = self._literals.get(key)
        if literal is None:
            literal = self._literals[key] = self._literal(term)
        return literal

    def _literal(self, term: pyoxigraph.Literal) -> Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:  # RDF 1.1: the same literal as a plain one
            return Literal(term.value)
        return Literal(term.value, datatype=self(term.datatype))


_XSD_STRING = str(XSD.string)


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
