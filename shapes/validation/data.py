"""The data to validate: the built dataset (a store), RDF files, or an endpoint.

Validation runs on a store: files and an endpoint's triples are read into rdflib first (for
their error messages, with file and line), then into an Oxigraph store in memory with the
ontology beside them (``store_of``). pySHACL needs an rdflib ``Graph`` of the store's triples
(``graph_from_store``), with plain strings: RDF 1.1 makes ``"x"`` and ``"x"^^xsd:string`` the same
term, but pySHACL's ``sh:in`` does not, so the strings Oxigraph returns typed are made plain there
(``rdflib_term``), whatever the data was read from.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import warnings
import xml.sax
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.error import URLError
from weakref import WeakKeyDictionary

import pyoxigraph
import rdflib
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import OWL, RDF, XSD
from rdflib.term import Node

from habitat_kg.errors import SourceError
from habitat_kg.namespaces import BASE
from habitat_kg.ontology import paths as ontology_paths
from habitat_kg.queries import load_query
from habitat_kg.rdf import oxigraph_term, rdflib_internals_quiet, rdflib_term
from habitat_kg.server.store import Store, Triples
from habitat_kg.server.store.oxigraph import OxigraphStore

#: RDF formats by file extension, and whether the format holds named graphs.
FORMATS: dict[str, tuple[str, bool]] = {
    ".ttl": ("turtle", False),
    ".turtle": ("turtle", False),
    ".nt": ("nt", False),
    ".n3": ("n3", False),
    ".rdf": ("xml", False),
    ".owl": ("xml", False),
    ".xml": ("xml", False),
    ".trig": ("trig", True),
    ".nq": ("nquads", True),
    ".jsonld": ("json-ld", True),
    ".json": ("json-ld", True),
}

#: Formats with one statement per line, where the bad line is found by reading line by line.
LINE_FORMATS = frozenset({"nt", "nquads"})

_LINE = re.compile(r"\bline (\d+)")


class EndpointError(ValueError):
    """A SPARQL endpoint that could not be asked for its graph: the message names it."""


def graph_from_store(store: Store) -> Graph:
    """Every triple of the store's default graph (the union of the layers)."""
    answer = store.query(load_query("habitat_kg.shapes.validation", "everything"))
    assert isinstance(answer, Triples), "everything.rq is a CONSTRUCT query"
    graph = Graph()
    with literals_as_written():
        for triple in answer:
            graph.add(tuple(rdflib_term(term) for term in triple))  # type: ignore[arg-type]
    return graph


def store_of(graph: Graph) -> Store:
    """An Oxigraph store in memory holding ``graph`` and the ontology (unless ``graph`` holds
    it already, as the built dataset does: read twice, its blank nodes would be doubled).
    The store remembers ``graph``, for ``data_graph`` and ``rewritten_literals``."""
    store = OxigraphStore()
    with_ontology = (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) not in graph
    if with_ontology:
        for part in ontology_paths():
            store.load_dataset(part)
    store.add_graph(graph)
    _SOURCES[store] = (graph, with_ontology)
    return store


#: The graph each store made by ``store_of`` was made from, and whether the ontology was added.
_SOURCES: WeakKeyDictionary[Store, tuple[Graph, bool]] = WeakKeyDictionary()


def data_graph(store: Store) -> Graph:
    """The data of ``store`` as an rdflib graph of its own: the triples as read (with the
    ontology) for a store made by ``store_of``, else a copy of the store's."""
    if store not in _SOURCES:
        return graph_from_store(store)
    source, with_ontology = _SOURCES[store]
    graph = graph_from_store(_ontology_store()) if with_ontology else Graph()
    with literals_as_written():
        for subject, predicate, value in source:
            if isinstance(value, Literal) and value.datatype == XSD.string:
                value = Literal(str(value))  # plain, as rdflib_term makes it (see above)
            graph.add((subject, predicate, value))
    return graph


@cache
def _ontology_store() -> Store:
    store = OxigraphStore()
    for part in ontology_paths():
        store.load_dataset(part)
    return store


def rewritten_literals(store: Store) -> dict[Literal, list[Literal]]:
    """The literals the store holds otherwise than the data writes them: each as held, with the
    literals of the data it stands for (more than one where two of them became one).

    Oxigraph keeps a literal as its value: ``"01"^^xsd:integer`` as ``"1"``, ``"4.0"^^xsd:decimal``
    as ``"4"``, ``"1"^^xsd:boolean`` as ``"true"``, ``"5"^^xsd:byte`` (and ``"300"^^xsd:byte``, out
    of range) as an xsd:integer. Only the graph the store was made from (``store_of``) tells."""
    if store not in _SOURCES:
        return {}
    return held_otherwise(_SOURCES[store][0])


def held_otherwise(source: Graph) -> dict[Literal, list[Literal]]:
    """The literals of ``source`` an Oxigraph store would hold otherwise than written: each as
    it would be held, with the literals it stands for (see ``rewritten_literals``)."""
    typed = sorted(
        {
            value
            for value in source.objects()
            if isinstance(value, Literal)
            and value.datatype is not None
            and value.datatype != XSD.string
        },
        key=str,
    )
    scratch = pyoxigraph.Store()
    predicate = pyoxigraph.NamedNode("urn:x-habitat-kg:literal")
    scratch.extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:x-habitat-kg:{index}"), predicate, term)
        for index, term in enumerate(map(oxigraph_term, typed))
    )
    written: dict[Literal, list[Literal]] = {}
    with literals_as_written():
        for quad in scratch:
            index = int(quad.subject.value.removeprefix("urn:x-habitat-kg:"))  # type: ignore[union-attr]
            kept = quad.object
            held = Literal(kept.value, datatype=URIRef(kept.datatype.value))  # type: ignore[union-attr]
            written.setdefault(held, []).append(typed[index])
    return {
        held: sorted(forms, key=str)
        for held, forms in written.items()
        if any(form != held or form.datatype != held.datatype for form in forms)
    }


def graph_from_files(paths: Sequence[Path]) -> Graph:
    """The union of the RDF files, each read in the format its extension names.

    A file that cannot be read or parsed raises SourceError naming it and, where the parser
    says, the line.
    """
    graph = Graph()
    for path in paths:
        for triple in _parse_file(path):
            graph.add(triple)
    return graph


def _parse_file(path: Path) -> Iterable[tuple[Node, Node, Node]]:
    rdf_format, has_graphs = _format_of(path)
    text = read_text(path)
    try:
        return _parse(text, rdf_format, has_graphs)
    except (SyntaxError, ParserError, ValueError, xml.sax.SAXParseException) as error:
        line = _error_line(error, text, rdf_format, has_graphs)
        problem = f"not valid {_FORMAT_NAMES[rdf_format]}: {_first_line(error)}"
        raise SourceError(path, line, problem) from None


def _format_of(path: Path) -> tuple[str, bool]:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(
            path, None, f"cannot tell the RDF format from {suffix or 'no extension'}; use {known}"
        )
    return FORMATS[suffix]


def read_text(path: Path) -> str:
    """The text of a file, or SourceError saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(path, None, "no such file") from None
    except IsADirectoryError:
        raise SourceError(path, None, "is a folder, not a file") from None
    except PermissionError:
        raise SourceError(path, None, "not allowed to read it") from None
    except UnicodeDecodeError as error:
        raise SourceError(path, None, f"not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise SourceError(path, None, f"cannot read it: {error.strerror}") from None


def _parse(text: str, rdf_format: str, has_graphs: bool) -> list[tuple[Node, Node, Node]]:
    with rdflib_internals_quiet(), literals_as_written():
        if has_graphs:
            dataset = Dataset()
            dataset.parse(data=text, format=rdf_format)
            return [triple for graph in dataset.graphs() for triple in graph]
        graph = Graph()
        graph.parse(data=text, format=rdf_format)
        return list(graph)


_FORMAT_NAMES = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "n3": "Notation3",
    "xml": "RDF/XML",
    "trig": "TriG",
    "nquads": "N-Quads",
    "json-ld": "JSON-LD",
}


def _error_line(error: Exception, text: str, rdf_format: str, has_graphs: bool) -> int | None:
    if isinstance(error, xml.sax.SAXParseException):
        return error.getLineNumber()
    if isinstance(error, json.JSONDecodeError):
        return error.lineno
    if rdf_format in LINE_FORMATS:
        return _first_bad_line(text, lambda line: _parse(line, rdf_format, has_graphs))
    match = _LINE.search(str(error))
    return int(match.group(1)) if match else None


def _first_bad_line(text: str, parse: Callable[[str], object]) -> int | None:
    """In a format of one statement per line, the first line that does not parse alone."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parse(line)
        except Exception:  # any parser failure marks the line; the message comes from the file
            return number
    return None


def _first_line(error: Exception) -> str:
    if isinstance(error, xml.sax.SAXParseException):
        return error.getMessage()
    for line in str(error).strip().splitlines():
        if line.strip() and not _LINE.match(line.strip()):
            return line.strip().rstrip(":")
    return type(error).__name__


def graph_from_endpoint(url: str, timeout: int = 60) -> Graph:
    """Every triple of the default graph of the SPARQL endpoint at ``url`` (a CONSTRUCT).

    Endpoints cap their answers (ours at max-rows, Virtuoso at its ResultSetMaxRows), often
    without saying so; the triples received are checked against the endpoint's own count, so
    that a cut graph is an error rather than a report on part of the graph.
    """
    if not re.match(r"^https?://", url):
        raise EndpointError(f"{url}: not an http(s) URL of a SPARQL endpoint")
    text = _ask_endpoint(
        url, load_query("habitat_kg.shapes.validation", "everything"), "turtle", timeout
    )
    try:
        triples = _parse(text, "turtle", False)
    except (SyntaxError, ParserError, ValueError) as error:
        raise EndpointError(f"{url}: the answer is not Turtle: {_first_line(error)}") from None
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    counted = _ask_endpoint(
        url, load_query("habitat_kg.shapes.validation", "count-triples"), "json", timeout
    )
    try:
        expected = int(json.loads(counted)["results"]["bindings"][0]["triples"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise EndpointError(f"{url}: the endpoint did not say how many triples it holds") from None
    if len(graph) < expected:
        raise EndpointError(
            f"{url}: the endpoint sent {len(graph)} of its {expected} triples (it cuts long "
            "answers; raise its row limit, or validate the built graph itself)"
        )
    return graph


def _ask_endpoint(url: str, query: str, answer_format: str, timeout: int) -> str:
    """The text of the endpoint's answer to ``query`` in ``answer_format`` (turtle or json)."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(TURTLE if answer_format == "turtle" else JSON)
    client.setTimeout(timeout)
    try:
        with client.query().response as response:
            body = response.read()
    except SPARQLWrapperException as error:
        raise EndpointError(
            f"{url}: the endpoint refused the query: {_first_line(error)}"
        ) from None
    except URLError as error:
        raise EndpointError(f"{url}: cannot reach the endpoint: {error.reason}") from None
    except (TimeoutError, OSError) as error:
        raise EndpointError(f"{url}: cannot reach the endpoint: {error}") from None
    return body.decode("utf-8", errors="replace")


class _ProcessSwitch:
    """A process-wide setting changed while any thread needs it changed: the first to enter
    changes it, the last to leave puts it back (saving and restoring in each thread would
    leave it changed when two threads overlap, as two validations served at once do)."""

    def __init__(self, change: Callable[[], object], restore: Callable[[object], None]) -> None:
        self._change = change
        self._restore = restore
        self._lock = threading.Lock()
        self._users = 0
        self._saved: object = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._saved = self._change()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._restore(self._saved)


def _quiet_term_log() -> int:
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    return level


def _written_literals() -> bool:
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    return normalize


_QUIET_TERM_LOG = _ProcessSwitch(
    _quiet_term_log,
    lambda level: logging.getLogger("rdflib.term").setLevel(level),  # type: ignore[arg-type]
)
_LITERALS_AS_WRITTEN = _ProcessSwitch(
    _written_literals, lambda normalize: setattr(rdflib, "NORMALIZE_LITERALS", normalize)
)


@contextmanager
def quiet_ill_typed_literals() -> Iterator[None]:
    """rdflib logs a traceback for every literal whose text does not fit its datatype (such as
    ``"2020-13-45"^^xsd:date``) and warns of some (``"none"^^xsd:boolean``); the shapes report
    those as findings, so the log and the warnings are noise."""
    with _QUIET_TERM_LOG.held(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.term")
        yield


@contextmanager
def literals_as_written() -> Iterator[None]:
    """Literals read as they are written. rdflib rewrites a literal into the canonical form of
    its value when it can (``"01"^^xsd:integer`` as ``"1"``) and also when it cannot:
    ``"none"^^xsd:boolean`` becomes ``"false"``, an ill-typed value turned into a well-typed one
    that sh:datatype then passes. The switch is rdflib's, for the whole process: it is off only
    while a file is read, and rdflib's ill-typed literal warnings are kept quiet meanwhile."""
    with _LITERALS_AS_WRITTEN.held(), quiet_ill_typed_literals():
        yield
