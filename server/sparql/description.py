"""``GET /sparql`` with no query: a SPARQL 1.1 Service Description with a VoID description.

The static part (the service, its formats, the dataset's title) is ``service.ttl``; the named
graphs and their counts are asked of the store with ``void-dataset.rq`` and ``void-graphs.rq``
once per server, since the served graph does not change while it is served.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from habitat_kg.queries import load_query
from habitat_kg.server.store import Solutions, Store
from habitat_kg.server.store.formats import FORMATS, GRAPH_FORMATS, AnswerFormat, write_triples

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
FORMATS_NS = "http://www.w3.org/ns/formats/"
#: The W3C's names (http://www.w3.org/ns/formats/) of the endpoint's formats that have one.
W3C_FORMAT_NAMES = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
#: A format the W3C does not name (XLSX) is named by its media type's IANA registration.
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: The VoID counts asked by the two queries, by the name of their variable.
COUNTS = ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects")
DESCRIPTION_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcterms": DCTERMS,
    "formats": "http://www.w3.org/ns/formats/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class DatasetCounts:
    """The VoID counts of the whole dataset and of each named graph (by its IRI)."""

    dataset: dict[str, int]
    graphs: dict[str, dict[str, int]]


def dataset_counts(store: Store) -> DatasetCounts:
    """Ask the store for the VoID counts."""
    whole = _select(store, "void-dataset")
    graphs = _select(store, "void-graphs")
    return DatasetCounts(
        _counts(next(iter(whole))),
        {str(row["graph"]): _counts(row) for row in graphs},
    )


def service_description(endpoint: str, counts: DatasetCounts, answer: AnswerFormat) -> bytes:
    """The description of the endpoint at URL ``endpoint``, written as ``answer`` says."""
    assert answer in GRAPH_FORMATS
    triples = list(ox.parse(_static_part(), format=ox.RdfFormat.TURTLE, base_iri=endpoint))
    triples += _format_triples(ox.NamedNode(endpoint))
    dataset = ox.NamedNode(endpoint + "#dataset")
    default_graph = ox.NamedNode(endpoint + "#default-graph")
    triples += _count_triples(dataset, counts.dataset)
    triples += _count_triples(default_graph, counts.dataset)
    for number, (graph, graph_counts) in enumerate(sorted(counts.graphs.items()), start=1):
        named = ox.BlankNode(f"named{number}")
        subset = ox.NamedNode(f"{endpoint}#graph-{graph.rstrip('/').rsplit('/', 1)[-1]}")
        triples += [
            ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, ox.NamedNode(SD + "NamedGraph")),
            ox.Triple(named, ox.NamedNode(SD + "name"), ox.NamedNode(graph)),
            ox.Triple(named, ox.NamedNode(SD + "graph"), subset),
            ox.Triple(subset, RDF_TYPE, ox.NamedNode(SD + "Graph")),
            ox.Triple(subset, RDF_TYPE, ox.NamedNode(VOID + "Dataset")),
            ox.Triple(dataset, ox.NamedNode(VOID + "subset"), subset),
        ]
        triples += _count_triples(subset, graph_counts)
    return write_triples(_by_subject(triples), answer.name, DESCRIPTION_PREFIXES)


def format_iri(answer: AnswerFormat) -> str:
    """The IRI that names ``answer``'s format in the description (sd:resultFormat)."""
    name = W3C_FORMAT_NAMES.get(answer.name)
    return FORMATS_NS + name if name else IANA_MEDIA_TYPES + answer.media_type


def _format_triples(service: ox.NamedNode) -> list[ox.Triple]:
    """Every format the endpoint answers in, each with its media type and its ``format=``
    name; the list is the endpoint's own, so the description cannot leave one out."""
    triples = []
    for answer in FORMATS.values():
        iri = ox.NamedNode(format_iri(answer))
        triples.append(ox.Triple(service, ox.NamedNode(SD + "resultFormat"), iri))
    for answer in FORMATS.values():
        iri = ox.NamedNode(format_iri(answer))
        triples += [
            ox.Triple(iri, ox.NamedNode(DCTERMS + "format"), ox.Literal(answer.media_type)),
            ox.Triple(iri, ox.NamedNode(RDFS_LABEL), ox.Literal(f"format={answer.name}")),
        ]
    return triples


def _by_subject(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with each subject's together (in order of first mention), so that Turtle
    writes each subject once."""
    grouped: dict[object, list[ox.Triple]] = {}
    for triple in triples:
        grouped.setdefault(triple.subject, []).append(triple)
    return [triple for group in grouped.values() for triple in group]


def _count_triples(subject: ox.NamedNode, counts: dict[str, int]) -> list[ox.Triple]:
    return [
        ox.Triple(subject, ox.NamedNode(VOID + name), ox.Literal(str(value), datatype=XSD_INTEGER))
        for name, value in counts.items()
    ]


def _counts(row: dict) -> dict[str, int]:
    return {name: int(row[name].value) for name in COUNTS}


@cache
def _static_part() -> bytes:
    return (files("habitat_kg.server.sparql") / "service.ttl").read_bytes()


def _select(store: Store, name: str) -> Solutions:
    answer = store.query(load_query("habitat_kg.server", name))
    assert isinstance(answer, Solutions), f"{name} is a SELECT query"
    return answer
