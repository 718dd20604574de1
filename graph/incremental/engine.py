"""One build against the ledger: the units whose files changed are read again, and so are the
units a change reaches through another file; every other unit's contribution is taken from the
ledger. The result is the dataset a build of every file gives (tests/test_incremental_build.py
compares the bytes).

What a change reaches beyond its own file:

- **the mention gazetteer** (the labels of the organizations and places curated files type, and
  the reference data's places; a name two things share is left out): a report's document layer
  is built again when a surface form that came, went or changed owner is spelled in its text;
- **the names the curated checks read** (labels, symbols ... of every thing in every layer but
  the ontology) and **the text each report part gives**: a curated file is checked again when a
  thing its statements use changed names, or a part it cites changed text or came or went;
- **the curated labels**: a document label of a thing leaves (or comes back to) the document
  layer when a curated label of the thing in that language comes or goes (``layers.py``);
- **the layer a row ends in**: a row is kept in the first layer that states it, so a row that
  a unit adds or drops may move between layers (``layers.py``).

The checks run in the order a full build runs them (reference data, curated files, reports,
resolutions, the curated checks), so the first error is the one a full build reports; an error
leaves the ledger as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDFS, URIRef

from habitat_kg.graph.curated import check_mentions, unused_mentions
from habitat_kg.graph.incremental.layers import Delta, final_layer, label_key, layer_rows
from habitat_kg.graph.incremental.ledger import Ledger
from habitat_kg.graph.incremental.sources import Scan, scan
from habitat_kg.graph.incremental.units import (
    Unit,
    curated_source,
    curated_unit,
    graph_unit,
    reference_unit,
    report_unit,
    resolution_unit,
    spellings,
)
from habitat_kg.graph.incremental.versions import Ontology, ontology_unit

Progress = Callable[[str], None]
#: The facts a unit gives, by the step across files that reads them.
GAZETTEER_FACTS = ("typed", "label", "place")
NAME_FACTS = ("name", "unnamed")
UNIT_FACTS = (*GAZETTEER_FACTS, *NAME_FACTS, "context", "mention", "cites", "checks")


@dataclass
class Update:
    """What a build did to the ledger."""

    identity: str
    state: int
    previous: int
    #: The units read again (their file changed, or a change reached them), and the removed.
    read: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: The rows that changed layer (None for a build from an empty ledger: every row is new).
    delta: Delta | None = None
    triples: int = 0
    unused_mentions: list[tuple[URIRef, URIRef]] = field(default_factory=list)
    report_files: list[Path] = field(default_factory=list)
    #: Every row by layer, when the build made them all (a build from an empty ledger).
    rows: dict[str, list[str]] | None = None

    @property
    def changed(self) -> bool:
        return self.state != self.previous


class Build:
    """One build: ``run`` brings the ledger up to date with ``sources``."""

    def __init__(
        self, sources: Path, ledger: Ledger, progress: Progress, *, mentions: bool = True
    ) -> None:
        self.sources = sources
        #: Whether to find the mentions no curated statement uses (every report's, so a
        #: reload that serves the changes alone does without).
        self.mentions = mentions
        self.ledger = ledger
        self.progress = progress
        self.fresh = ledger.is_empty
        self.stored = ledger.digests()
        #: New contributions of the units read again, and the old rows of those changed.
        self.new: dict[str, Unit] = {}
        self.digest: dict[str, str] = {}
        self.old_rows: dict[str, tuple[str, frozenset[str]]] = {}
        self.names_before: dict[str, tuple[str, ...] | None] = {}
        self.contexts_before: dict[str, str | None] = {}
        #: The forms and the entities whose gazetteer entries the changed units may change.
        self.gazetteer_touched: set[str] = set()
        self.typed_touched: set[str] = set()

    def run(self) -> Update:
        ledger = self.ledger
        previous = ledger.state
        found = scan(self.sources)
        self.progress("ontology")
        ontology = self._ontology()
        self.progress("reference data")
        if self.stored.get("reference") != found.reference:
            self._read_unit(
                "reference", found.reference, lambda: reference_unit(self.sources, ontology.unnamed)
            )
        self.progress(f"{len(found.curated)} curated file(s)")
        for name, path, digest in found.curated:
            if self.stored.get(name) != digest:
                self._read_unit(
                    name, digest, lambda p=path: curated_unit(p, ontology.kinds, ontology.unnamed)
                )
        removed = self._removed(found)
        for name in removed:
            self._drop_unit(name)
        self._apply(("reference", *(name for name, _, _ in found.curated)), removed)
        changed_forms = self._update_gazetteer()
        gazetteer = {form: URIRef(entity) for form, entity in ledger.gazetteer().items()}
        reached = self._reports_reached(found, changed_forms)
        for name, path, digest in found.reports:
            if self.stored.get(name) != digest or name in reached:
                self.progress(f"report {path.name}")
                self._read_unit(
                    name,
                    digest,
                    lambda p=path: report_unit(p, self.sources, gazetteer, ontology.unnamed),
                )
        for name, path, digest in found.resolutions:
            if self.stored.get(name) != digest:
                self.progress(f"resolution {path.name}")
                self._read_unit(name, digest, lambda p=path: resolution_unit(p, ontology.unnamed))
        self._apply((*(n for n, _, _ in found.reports), *(n for n, _, _ in found.resolutions)), ())
        self._check_curated(found)
        self.progress("comparing the layers with the last build")
        delta = self._rows()
        update = Update(ledger.identity, previous, previous, sorted(self.new), removed)
        if delta is None:  # every row is new: the layers come from the ledger's rows
            update.rows = layer_rows(ledger.scan(), ledger.all_named())
            ledger.set_meta("triples", str(sum(map(len, update.rows.values()))))
        update.report_files = [path for _, path, _ in found.reports]
        if self.new or removed:
            ledger.set_meta("state", str(previous + 1))
            update.state = previous + 1
        if delta is not None:
            triples = int(ledger.meta("triples") or 0)
            triples += sum(map(len, delta.added.values())) - sum(map(len, delta.removed.values()))
            ledger.set_meta("triples", str(triples))
        update.delta = delta
        update.triples = int(ledger.meta("triples") or 0)
        if self.mentions:
            mentions = [
                (URIRef(key.split("\t", 1)[0]), URIRef(entity))
                for key, entity in ledger.all_facts("mention")
            ]
            uses = {(URIRef(e), URIRef(citation)) for e, citation in ledger.all_facts("use")}
            update.unused_mentions = unused_mentions(mentions, uses)
        return update

    # --- units --------------------------------------------------------------------------------

    def _ontology(self) -> Ontology:
        stored = self.ledger.meta("ontology")
        if stored is not None and "ontology" in self.stored:
            return Ontology.loads(stored)
        ontology, graph = ontology_unit()
        self.ledger.set_meta("ontology", ontology.dumps())
        self.new["ontology"] = graph_unit("ontology", graph)
        self.digest["ontology"] = "ontology"
        self.old_rows["ontology"] = ("ontology", frozenset())
        return ontology

    def _read_unit(self, name: str, digest: str, read: Callable[[], Unit]) -> None:
        self.new[name] = read()
        self.digest[name] = digest

    def _removed(self, found: Scan) -> list[str]:
        present = {"ontology", "reference"}
        for units in (found.curated, found.reports, found.resolutions):
            present.update(name for name, _, _ in units)
        return sorted(set(self.stored) - present)

    def _drop_unit(self, name: str) -> None:
        stored = self.ledger.unit(name)
        if stored is not None:
            self.old_rows[name] = (stored.layer, stored.rows)

    def _apply(self, names: Iterable[str], removed: Iterable[str]) -> None:
        """Put the facts of the units read again (and of the removed, none) in the ledger,
        noting first what the names and contexts they touch were before."""
        changes: dict[str, set[tuple[str, str, str]] | None] = {}
        for name in names:
            if name in self.new:
                changes[name] = set(self.new[name].facts)
        for name in removed:
            changes[name] = None
        for name, facts in changes.items():
            old = self.ledger.facts_of(name, UNIT_FACTS)
            touched = old | (facts or set())
            for kind, key, _ in touched:
                if kind in NAME_FACTS and key not in self.names_before:
                    self.names_before[key] = self._names(key)
                elif kind == "context" and key not in self.contexts_before:
                    self.contexts_before[key] = self._context(key)
            self.gazetteer_touched.update(
                value if kind == "label" else key
                for kind, key, value in touched
                if kind in ("label", "place")
            )
            self.typed_touched.update(key for kind, key, _ in touched if kind == "typed")
            if facts is None:
                self.ledger.drop_unit(name)
            else:
                self.ledger.replace_facts(name, UNIT_FACTS, facts)

    # --- the mention gazetteer ----------------------------------------------------------------

    def _update_gazetteer(self) -> set[str]:
        """Bring the stored gazetteer up to date for the forms the changed units touch;
        return the forms whose entity came, went or changed."""
        ledger = self.ledger
        forms = set(self.gazetteer_touched)
        for entity in self.typed_touched:
            forms.update(value for _, value in ledger.values("label", entity))
        changed = set()
        for form in sorted(forms):
            owners = {
                entity
                for entity in ledger.keys_with_value("label", form)
                if ledger.has_fact("typed", entity)
            }
            owners.update(value for _, value in ledger.values("place", form))
            entity = next(iter(owners)) if len(owners) == 1 else None
            if ledger.gazetteer_entry(form) != entity:
                ledger.set_gazetteer_entry(form, entity)
                changed.add(form)
        return changed

    def _reports_reached(self, found: Scan, forms: set[str]) -> set[str]:
        """The reports whose text spells a form whose entity changed."""
        spelled = [spelling for form in forms for spelling in spellings(form)]
        if not spelled:
            return set()
        reached = set()
        for name, _, _ in found.reports:
            if name not in self.stored:
                continue  # read anyway
            extra = self.ledger.unit_extra(name)
            words = extra.get("spelled") if extra else None
            if words is None or any(spelling in words for spelling in spelled):
                reached.add(name)
        return reached

    # --- the curated checks -------------------------------------------------------------------

    def _names(self, entity: str) -> tuple[str, ...] | None:
        if self.ledger.has_fact("unnamed", entity):
            return None
        forms = sorted({value for _, value in self.ledger.values("name", entity)})
        return tuple(forms) or None

    def _context(self, part: str) -> str | None:
        found = self.ledger.values("context", part)
        return found[-1][1] if found else None  # the last report read gives it, as in a build

    def _check_curated(self, found: Scan) -> None:
        changed_names = {
            key for key, before in self.names_before.items() if self._names(key) != before
        }
        changed_parts = {
            key for key, before in self.contexts_before.items() if self._context(key) != before
        }
        reached = self.ledger.units_with("checks", changed_names)
        reached |= self.ledger.units_with("cites", changed_parts)
        for name, path, _ in found.curated:
            if name not in self.new and name not in reached:
                continue
            unit = self.new.get(name)
            if unit is not None and unit.source is not None:
                source = unit.source
            else:
                source = curated_source(path, self.ledger.unit_extra(name))
            entities = [key for _, key, _ in self.ledger.facts_of(name, ("checks",))]
            names = {URIRef(e): list(forms) for e in entities if (forms := self._names(e))}
            parts = [key for _, key, _ in self.ledger.facts_of(name, ("cites",))]
            contexts = {URIRef(p): text for p in parts if (text := self._context(p)) is not None}
            uses = check_mentions(source, names, contexts.get)
            self.ledger.replace_facts(
                name, ("use",), {("use", str(entity), str(part)) for entity, part in uses}
            )

    # --- the rows -----------------------------------------------------------------------------

    def _rows(self) -> Delta | None:
        """Count the rows of the units read again and of the removed, store the units, and
        return the rows that changed layer (None from an empty ledger: all of them)."""
        ledger = self.ledger
        net: dict[tuple[str, str], int] = {}
        for name, unit in self.new.items():
            layer, old = self.old_rows.get(name) or self._stored_rows(name)
            for row in old - unit.rows if layer == unit.layer else old:
                net[(row, layer)] = net.get((row, layer), 0) - 1
            for row in unit.rows - old if layer == unit.layer else unit.rows:
                net[(row, unit.layer)] = net.get((row, unit.layer), 0) + 1
            ledger.put_unit(name, self.digest[name], unit.layer, unit.rows, unit.extra)
        for name, (layer, old) in self.old_rows.items():
            if name not in self.new:
                for row in old:
                    net[(row, layer)] = net.get((row, layer), 0) - 1
        net = {key: n for key, n in net.items() if n}
        if self.fresh:
            ledger.change_counts(net)
            ledger.change_named(_label_changes(net, set()))
            return None
        return self._delta(net)

    def _stored_rows(self, name: str) -> tuple[str, frozenset[str]]:
        stored = self.ledger.unit(name)
        return (stored.layer, stored.rows) if stored is not None else ("", frozenset())

    def _delta(self, net: dict[tuple[str, str], int]) -> Delta:
        ledger = self.ledger
        rows = {row for row, _ in net}
        before = ledger.counts(rows)
        after = {row: dict(layers) for row, layers in before.items()}
        for (row, layer), n in net.items():
            after[row][layer] = after[row].get(layer, 0) + n
        flipped = {
            (row, layer)
            for (row, layer) in net
            if (before[row].get(layer, 0) > 0) != (after[row].get(layer, 0) > 0)
        }
        label_changes = _label_changes(
            {key: 1 if after[key[0]].get(key[1], 0) > 0 else -1 for key in flipped}, set()
        )
        named_before = ledger.named_counts(label_changes)
        named_after = {key: named_before[key] + n for key, n in label_changes.items()}
        renamed = {
            key for key in label_changes if (named_before[key] > 0) != (named_after[key] > 0)
        }
        for subject, lang in renamed:  # the parser's labels of these things change layer
            for row in ledger.rows_with_prefix(f"{subject} <{RDFS.label}> ", "document"):
                if label_key(row) == (subject, lang) and row not in before:
                    before[row] = after[row] = ledger.counts([row])[row]
        cache: dict[tuple[str, str], bool] = {}

        def named(counts: dict[tuple[str, str], int]) -> Callable[[tuple[str, str]], bool]:
            def is_named(key: tuple[str, str]) -> bool:
                if key in counts:
                    return counts[key] > 0
                if key not in cache:
                    cache[key] = ledger.named_counts([key])[key] > 0
                return cache[key]

            return is_named

        delta = Delta()
        was, now = named(named_before), named(named_after)
        for row in sorted(before):
            old = final_layer(row, _present(before[row]), was)
            new = final_layer(row, _present(after[row]), now)
            if old != new:
                if old is not None:
                    delta.remove(old, row)
                if new is not None:
                    delta.add(new, row)
        ledger.change_counts(net)
        ledger.change_named(label_changes)
        return delta


def _present(counts: dict[str, int]) -> set[str]:
    return {layer for layer, n in counts.items() if n > 0}


def _label_changes(
    net: dict[tuple[str, str], int], _unused: set[str]
) -> dict[tuple[str, str], int]:
    """How the count of curated labels by (subject, language) changes with ``net``."""
    changes: dict[tuple[str, str], int] = {}
    for (row, layer), n in net.items():
        if layer != "curated" or n == 0:
            continue
        key = label_key(row)
        if key is not None:
            changes[key] = changes.get(key, 0) + (1 if n > 0 else -1)
    return changes
