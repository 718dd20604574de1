"""What a ledger's contents were made with: the builder's code and the ontology.

A ledger made by other code (another version of the builder, its parser, the ontology or the
libraries it reads with) is emptied before a build: every unit is then read again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import RDFS, BNode, Graph, Node, URIRef

from habitat_kg import namespaces, rdf
from habitat_kg.graph.curated import UNNAMED_CLASSES
from habitat_kg.namespaces import HKG, ORG
from habitat_kg.ontology import graph as ontology_graph
from habitat_kg.ontology import paths as ontology_paths

#: The classes whose things the mention gazetteer looks for (ORG's own hierarchy,
#: FormalOrganization under Organization, is not in our ontology graph).
GAZETTEER_ROOTS = (ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, HKG.Place)
_LIBRARIES = ("rdflib", "pyoxigraph", "pycountry")


@cache
def code_digest() -> str:
    """A digest of the code and data a build's units depend on: the builder's modules (every
    module of ``habitat_kg.graph``), the namespaces, the ontology, the libraries' versions."""
    digest = hashlib.sha256()
    graph_folder = Path(__file__).resolve().parents[1]
    files = sorted(graph_folder.rglob("*.py"))
    files += [Path(namespaces.__file__), Path(rdf.__file__), *ontology_paths()]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{library} ?\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Ontology:
    """What the build's steps read of the ontology: the kinds of things the gazetteer looks
    for, and the classes of things described rather than named (never checked by name)."""

    kinds: set[Node]
    unnamed: set[Node]

    def dumps(self) -> str:
        return json.dumps(
            {"kinds": sorted(map(str, self.kinds)), "unnamed": sorted(map(str, self.unnamed))}
        )

    @classmethod
    def loads(cls, text: str) -> Ontology:
        data = json.loads(text)
        return cls(set(map(URIRef, data["kinds"])), set(map(URIRef, data["unnamed"])))


def ontology_unit() -> tuple[Ontology, Graph]:
    """The ontology's classes, and its graph with its blank nodes named by what they say."""
    ontology = ontology_graph()
    classes = Ontology(
        subclasses(ontology, set(GAZETTEER_ROOTS)), subclasses(ontology, set(UNNAMED_CLASSES))
    )
    return classes, stable_blank_nodes(ontology)


def subclasses(ontology: Graph, roots: set[Node]) -> set[Node]:
    found: set[Node] = set(roots)
    for root in roots:
        found |= set(ontology.transitive_subjects(RDFS.subClassOf, root))
    return found


def stable_blank_nodes(graph: Graph) -> Graph:
    """The graph with each blank node named by a hash of what it says (an OWL union, a list).

    rdflib names blank nodes at random; a name derived from content keeps the output the same
    from one build to the next. Blank nodes of the ontology never form cycles.
    """

    def key(node: Node) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if node not in names:
            parts = sorted(f"{p.n3()} {key(o)}" for p, o in graph.predicate_objects(node))
            names[node] = "b" + hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]
        return names[node]

    names: dict[Node, str] = {}
    stable = Graph()
    for subject, predicate, value in graph:
        stable.add((_renamed(subject, key), predicate, _renamed(value, key)))
    return stable


def _renamed(node: Node, key: object) -> Node:
    return BNode(key(node)) if isinstance(node, BNode) else node  # type: ignore[operator]
