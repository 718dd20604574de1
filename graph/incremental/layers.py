"""Which layer each row of the dataset ends in, from the units that contribute it.

The rules of ``graph/build.py``, row by row:

- each layer describes itself (``LAYER_DESCRIPTIONS``: its type, labels and description);
- a curated label replaces the parser's label of the same thing in the same language (the
  document layer drops it: ``named`` counts the curated layer's labels by subject and language);
- a row is kept only in the first layer that states it, in the order ontology, reference,
  document, curated (the default graph is their union, and SPARQL counts on a union being a set).

So a row's layer depends on the units that give it and, for a document label, on the curated
labels of its subject: a change touches only the rows whose contributors changed and the parser's
labels of the things whose curated labels came or went.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from rdflib import DCTERMS, RDF, RDFS, VOID, Literal

from habitat_kg.graph.incremental.units import Terms
from habitat_kg.namespaces import LAYERS

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
ORDER = tuple(LAYERS)
LABEL = f"<{RDFS.label}>"


def _descriptions() -> dict[str, frozenset[str]]:
    terms = Terms()
    rows: dict[str, set[str]] = {}
    for name, (english, chinese, description) in LAYER_DESCRIPTIONS.items():
        layer = LAYERS[name]
        for triple in (
            (layer, RDF.type, VOID.Dataset),
            (layer, RDFS.label, Literal(english, lang="en")),
            (layer, RDFS.label, Literal(chinese, lang="zh")),
            (layer, DCTERMS.description, Literal(description, lang="en")),
        ):
            rows.setdefault(terms.row(*triple), set()).add(name)
    return {row: frozenset(layers) for row, layers in rows.items()}


#: The rows each layer says of itself, with the layers that say them.
DESCRIPTIONS = _descriptions()


def label_key(row: str) -> tuple[str, str] | None:
    """(subject, language or "") of a row that gives a label; None for any other row."""
    subject, predicate, value = row.split(" ", 2)
    if predicate != LABEL:
        return None
    if not value.startswith('"'):
        return subject, ""
    tail = value[value.rindex('"') + 1 :]
    return subject, tail[1:] if tail.startswith("@") else ""


def final_layer(
    row: str, present: Collection[str], is_named: Callable[[tuple[str, str]], bool]
) -> str | None:
    """The layer ``row`` ends in, given the layers whose units contribute it (``present``)
    and whether a curated label names a (subject, language)."""
    said = DESCRIPTIONS.get(row, frozenset())
    for layer in ORDER:
        if layer in said:
            return layer
        if layer not in present:
            continue
        if layer == "document":
            key = label_key(row)
            if key is not None and is_named(key):
                continue  # a curated label takes its place
        return layer
    return None


@dataclass
class Delta:
    """What a build changed in each layer: rows removed and rows added."""

    removed: dict[str, list[str]] = field(default_factory=dict)
    added: dict[str, list[str]] = field(default_factory=dict)

    def add(self, layer: str, row: str) -> None:
        self.added.setdefault(layer, []).append(row)

    def remove(self, layer: str, row: str) -> None:
        self.removed.setdefault(layer, []).append(row)

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(name for name in ORDER if name in self.removed or name in self.added)

    @property
    def size(self) -> int:
        return sum(map(len, self.removed.values())) + sum(map(len, self.added.values()))

    def nquads(self, rows: Mapping[str, list[str]]) -> bytes:
        """``rows`` (removed or added) as N-Quads, each in its layer's named graph."""
        return "".join(
            f"{row} <{LAYERS[name]}> .\n" for name in ORDER for row in sorted(rows.get(name, ()))
        ).encode("utf-8")


def layer_rows(scan: Iterator[tuple[str, str]], named: set[tuple[str, str]]) -> dict[str, list]:
    """Every row of the dataset by layer, sorted, from a scan of the ledger's rows by row."""
    found: dict[str, list[str]] = {name: [] for name in ORDER}
    said = dict(DESCRIPTIONS)
    is_named = named.__contains__
    current, present = None, []

    def place(row: str, layers: Collection[str]) -> None:
        layer = final_layer(row, layers, is_named)
        if layer is not None:
            found[layer].append(row)

    for row, layer in scan:
        if row != current:
            if current is not None:
                said.pop(current, None)
                place(current, present)
            current, present = row, []
        present.append(layer)
    if current is not None:
        said.pop(current, None)
        place(current, present)
    for row in said:  # a layer's description no unit gives too
        place(row, ())
    for rows in found.values():
        rows.sort()
    return found
