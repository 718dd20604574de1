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
from habitat_kg.server.store.formats import GRAPH_FORMATS, AnswerFormat, write_triples

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: The VoID counts asked by the two queries, by the name of their variable.
COUNTS = ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects")
DESCRIPTION_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcterms": "http://purl.org/dc/terms/",
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
