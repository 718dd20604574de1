"""The builder: sources in ``graph/sources/`` to one dataset, one named graph per layer.

The same sources always give byte-identical files: no blank nodes, every layer sorted before it is
written, and nothing taken from the clock or the machine. Files are written into a fresh folder
that replaces the old one only once every file is complete; the build writes only into a folder
that is empty or that an earlier build wrote (see ``habitat_kg.outputs``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import DCTERMS, RDF, RDFS, SKOS, VOID, BNode, Dataset, Graph, Literal, Node, URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.curated import (
    ACCEPTED_FOLDER,
    BACKGROUND_SOURCES,
    UNNAMED_CLASSES,
    CuratedSource,
    check_mentions,
    load_curated,
    reify,
    surface_forms,
    unused_mentions,
)
from habitat_kg.graph.document import document_layer
from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.graph.reference import gazetteer as place_gazetteer
from habitat_kg.graph.reference import reference_layer
from habitat_kg.graph.resolution import mandates_graph, read_resolution
from habitat_kg.graph.search import INDEX_FILE, build_index
from habitat_kg.namespaces import HKG, LAYERS, ORG, PREFIXES, header, report, section
from habitat_kg.ontology import graph as ontology_graph
from habitat_kg.outputs import (
    BUILD_MARKER,
    build_marker_text,
    check_build_folder,
    new_staging_folder,
    remove_abandoned,
    replace_folder,
    writing,
)
from habitat_kg.project import DATASET_FILE
from habitat_kg.rdf import rdflib_internals_quiet

#: The files a build writes: the dataset, and the merged graph in three more syntaxes.
OUTPUTS = {
    "trig": DATASET_FILE,
    "turtle": "habitat-kg.ttl",
    "nt": "habitat-kg.nt",
    "json-ld": "habitat-kg.jsonld",
    # the full-text index of names and texts the server searches (habitat_kg.graph.search)
    "search": INDEX_FILE,
}


@dataclass
class BuildResult:
    """What a build made and what its checks noticed."""

    out_dir: Path
    layers: dict[str, Graph]
    reports: list[ReportText]
    #: (report part, entity) pairs the parser found that no curated statement uses.
    unused_mentions: list[tuple[URIRef, URIRef]] = field(default_factory=list)

    @property
    def dataset_path(self) -> Path:
        return self.out_dir / DATASET_FILE


def report_id_of(path: Path) -> str:
    """``eb-2020-2_item-7.zh.txt`` is the report ``eb-2020-2/item-7`` in Chinese."""
    return path.name.split(".", 1)[0].replace("_", "/")


def build(
    sources: Path, out_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> BuildResult:
    """Build every layer from ``sources`` and write the dataset to ``out_dir``.

    ``out_dir`` must be absent, empty, or a folder an earlier build wrote (TargetError otherwise,
    raised before the sources are read).
    """
    result = build_layers(sources, out_dir, progress)
    progress("writing")
    write_dataset(result.layers, out_dir)
    return result


def build_layers(
    sources: Path, out_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> BuildResult:
    """What ``build`` does before it writes: every layer built from ``sources`` and checked,
    kept in memory (``write_dataset`` writes them). The server's reload uses it to serve the
    layers that changed before the files are written (habitat_kg.server.reload)."""
    check_build_folder(out_dir.resolve() if out_dir.is_symlink() else out_dir, OUTPUTS.values())
    progress("ontology")
    ontology = _read_ontology()
    progress("reference data")
    reference = reference_layer(sources)
    curated_sources = [load_curated(path) for path in _curated_files(sources)]
    progress(f"{len(curated_sources)} curated file(s)")
    mentionable = _mentionable_names(curated_sources, reference, ontology)
    reports, document = _document_layer(sources, mentionable, progress)
    unnamed = _subclasses(ontology, set(UNNAMED_CLASSES))
    quads = [quad for source in curated_sources for quad in source.quads]
    names = surface_forms(quads, reference + document, unnamed)
    contexts = _citation_contexts(reports)
    uses: set[tuple[URIRef, URIRef]] = set()
    for source in curated_sources:
        uses |= check_mentions(source, names, contexts.get)
    curated = reify(quads)
    _prefer_curated_names(document, curated)
    for name, graph in (("ontology", ontology), ("reference", reference), ("document", document)):
        _describe_layer(name, graph)
    _describe_layer("curated", curated)
    layers = _each_triple_once(
        {"ontology": ontology, "reference": reference, "document": document, "curated": curated}
    )
    # A sub-paragraph's mentions are used by the statements that cite its paragraph.
    mentions = [
        (
            document.value(part, DCTERMS.isPartOf)
            if (part, RDF.type, HKG.SubParagraph) in document
            else part,
            entity,
        )
        for part, entity in document.subject_objects(HKG.mentions)
    ]
    return BuildResult(out_dir, layers, reports, unused_mentions(mentions, uses))


#: What each layer holds, said by the layer about itself (its IRI resolves to this).
LAYER_DESCRIPTIONS = {
    "ontology": ("Ontology layer", "本体层", "The classes, properties and concept schemes."),
    "reference": (
        "Reference layer",
        "参考数据层",
        "UN Member States, subnational regions and cities, with ISO 3166 and M49 codes.",
    ),
    "document": (
        "Document layer",
        "文件层",
        "What the builder parses out of the report texts: parts, text, dates, symbols, mentions.",
    ),
    "curated": (
        "Curated layer",
        "人工整理层",
        "Hand-curated statements, each reified with the report part it is derived from.",
    ),
}


def _describe_layer(name: str, graph: Graph) -> None:
    english, chinese, description = LAYER_DESCRIPTIONS[name]
    layer = LAYERS[name]
    graph.add((layer, RDF.type, VOID.Dataset))
    graph.add((layer, RDFS.label, Literal(english, lang="en")))
    graph.add((layer, RDFS.label, Literal(chinese, lang="zh")))
    graph.add((layer, DCTERMS.description, Literal(description, lang="en")))


def _prefer_curated_names(document: Graph, curated: Graph) -> None:
    """A curated label replaces the parser's placeholder (a document's symbol) in its language."""
    named = {(s, label.language) for s, label in curated.subject_objects(RDFS.label)}
    for subject, label in list(document.subject_objects(RDFS.label)):
        if (subject, getattr(label, "language", None)) in named:
            document.remove((subject, RDFS.label, label))


def _each_triple_once(layers: dict[str, Graph]) -> dict[str, Graph]:
    """Keep a triple only in the first layer that states it.

    The default graph is the merge of the layers, and SPARQL counts on a merge being a set;
    stores that form the union on the fly (Oxigraph) would return a repeated triple twice.
    A curated statement the parser already found keeps its reified provenance.
    """
    # a set, not a Graph: the same terms compare equal, at a fraction of rdflib's cost per triple
    seen: set[tuple[Node, Node, Node]] = set()
    for graph in layers.values():
        for triple in list(graph):
            if triple in seen:
                graph.remove(triple)
            else:
                seen.add(triple)
    return layers


def mention_gazetteer(sources: Path) -> dict[str, URIRef]:
    """The names of the organizations and places the sources know, for finding mentions."""
    curated_sources = [load_curated(path) for path in _curated_files(sources)]
    return _mentionable_names(curated_sources, reference_layer(sources), _read_ontology())


def _read_ontology() -> Graph:
    return ontology_graph()


def _curated_files(sources: Path) -> list[Path]:
    # Hand-written files in curated/, and the statements analysts accepted in a review (written
    # by habitat_kg.graph.review) in curated/accepted/.
    curated = sources / "curated"
    return sorted(curated.glob("*.trig")) + sorted((curated / ACCEPTED_FOLDER).glob("*.trig"))


def _report_files(sources: Path) -> list[Path]:
    files = sorted((sources / "report").glob("*.txt"))
    if not files:
        raise SourceError(sources / "report", None, "no report text (*.txt) to build from")
    return files


def _document_layer(
    sources: Path, gazetteer: dict[str, URIRef], progress: Callable[[str], None]
) -> tuple[list[ReportText], Graph]:
    graph = Graph()
    reports = []
    for path in _report_files(sources):
        progress(f"report {path.name}")
        text = read_report(path)
        label = path.relative_to(sources.parent).as_posix()
        graph += document_layer(text, report_id_of(path), gazetteer, label)
        reports.append(text)
    # Resolutions and decisions: their operative paragraphs and the mandates these give.
    for path in sorted((sources / "resolution").glob("*.txt")):
        progress(f"resolution {path.name}")
        graph += mandates_graph(read_resolution(path))
    return reports, graph


def _mentionable_names(
    curated_sources: Iterable[CuratedSource], reference: Graph, ontology: Graph
) -> dict[str, URIRef]:
    """Surface forms of organizations and places: what the parser looks for in the text.

    Labels and alternative labels count; hidden labels ("该股", "the Unit") do not, since they name
    something only in the paragraph that uses them. A name shared by two entities is dropped.
    """
    # ORG's own hierarchy (FormalOrganization under Organization) is not in our ontology graph.
    roots = {ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, HKG.Place}
    kinds = _subclasses(ontology, roots)
    curated = Graph()
    for source in curated_sources:
        for _, s, p, o in source.quads:
            curated.add((s, p, o))
    entities = {s for s, o in curated.subject_objects(RDF.type) if o in kinds}
    found: dict[str, set[URIRef]] = {}
    for entity in sorted(entities):
        for prop in (RDFS.label, SKOS.altLabel):
            for name in curated.objects(entity, prop):
                found.setdefault(str(name), set()).add(entity)
    for name, entity in place_gazetteer(reference).items():
        found.setdefault(name, set()).add(entity)
    return {name: next(iter(owners)) for name, owners in sorted(found.items()) if len(owners) == 1}


def _subclasses(ontology: Graph, roots: set[URIRef]) -> set[Node]:
    found: set[Node] = set(roots)
    for root in roots:
        found |= set(ontology.transitive_subjects(RDFS.subClassOf, root))
    return found


def _citation_contexts(reports: Iterable[ReportText]) -> dict[URIRef, str]:
    """The text a curated block may cite, by the IRI of the part that carries it."""
    contexts: dict[URIRef, str] = {}
    for text in reports:
        base = report(report_id_of(text.path))
        contexts[header(base)] = "\n".join(line.text for line in text.header.lines)
        headings = {s.number: s.heading for s in text.sections}
        for number, heading in headings.items():
            contexts[section(base, number)] = heading
        for paragraph in text.paragraphs:
            parts = [paragraph.text, *(sub.text for sub in paragraph.subparagraphs)]
            parts.append(headings.get(paragraph.section, ""))
            contexts[URIRef(f"{base}/paragraph/{paragraph.number}")] = "\n".join(parts)
        for note in text.footnotes:
            contexts[URIRef(f"{base}/footnote/{note.number}")] = note.text
    for background in BACKGROUND_SOURCES:
        contexts[background] = ""
    return contexts


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


def _renamed(node: Node, key: Callable[[Node], str]) -> Node:
    return BNode(key(node)) if isinstance(node, BNode) else node


def write_dataset(layers: dict[str, Graph], out_dir: Path) -> None:
    """Write every output into a new folder, then put it in place of ``out_dir`` at once.

    A target holding anything a build did not write is refused (TargetError) before anything
    is touched; so is one the system will not let us write (a full disk, a read-only file
    system), and then the previous build is left whole and no staging folder is left behind.
    """
    target = out_dir.resolve() if out_dir.is_symlink() else out_dir
    check_build_folder(target, OUTPUTS.values())
    with writing(out_dir, "the build here"):
        remove_abandoned(target, OUTPUTS.values())
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = new_staging_folder(target)
        try:
            layers = {name: stable_blank_nodes(graph) for name, graph in layers.items()}
            merged = _merged(layers)
            (staging / OUTPUTS["trig"]).write_bytes(_trig(layers))
            (staging / OUTPUTS["turtle"]).write_bytes(_serialize(merged, "turtle"))
            (staging / OUTPUTS["nt"]).write_bytes(_sorted_lines(_serialize(merged, "nt")))
            json_ld = _stable_json_ld(_serialize(merged, "json-ld"))
            (staging / OUTPUTS["json-ld"]).write_bytes(json_ld)
            build_index(merged, staging / OUTPUTS["search"])
            marker = build_marker_text(OUTPUTS.values())
            (staging / BUILD_MARKER).write_text(marker, encoding="utf-8")
            check_build_folder(target, OUTPUTS.values())  # still ours now that we are done
            replace_folder(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _trig(layers: dict[str, Graph]) -> bytes:
    """TriG with the graphs in the order of ``LAYERS`` (rdflib's own order varies by run)."""
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    blocks = [header]
    for name, identifier in LAYERS.items():
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, replace=True)
        for triple in layers[name]:
            graph.add(triple)
        body = _serialize(graph, "turtle").decode("utf-8")
        statements = [line for line in body.splitlines() if not line.startswith("@prefix")]
        indented = "\n".join(f"    {line}" if line else "" for line in statements).strip("\n")
        blocks.append(f"<{identifier}> {{\n{indented}\n}}\n")
    return "\n".join(blocks).encode("utf-8")


def _merged(layers: dict[str, Graph]) -> Graph:
    merged = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace, replace=True)
    for name in LAYERS:
        for triple in sorted(layers[name], key=lambda t: tuple(term.n3() for term in t)):
            merged.add(triple)
    return merged


def _serialize(graph: Graph | Dataset, fmt: str) -> bytes:
    with rdflib_internals_quiet():
        data = graph.serialize(format=fmt, encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _stable_json_ld(data: bytes) -> bytes:
    """Expanded JSON-LD in one order: nodes by ``@id``, each property's values sorted."""
    nodes = json.loads(data)
    for node in nodes:
        for values in node.values():
            if isinstance(values, list):
                values.sort(key=lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda node: node.get("@id", ""))
    return json.dumps(nodes, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")
