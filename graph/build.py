"""The builder: sources in ``graph/sources/`` to one dataset, one named graph per layer.

A build reads each source unit (a report text, a resolution text, a curated TriG file, the
reference CSVs, the ontology) into the rows it contributes to its layer, and keeps them in a
ledger beside the build folder (``graph/incremental``): the next build reads again only the
files that changed and the units a change reaches through another file (a new curated name the
gazetteer finds in a report ...), and moves only the rows that change. The result is the same,
byte for byte, as a build from an empty ledger.

The same sources always give byte-identical files: no random blank nodes, every layer sorted
before it is written, and nothing taken from the clock or the machine. Files are written into a
fresh folder that replaces the old one only once every file is complete; the build writes only
into a folder that is empty or that an earlier build wrote (see ``habitat_kg.outputs``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from habitat_kg.errors import TargetError
from habitat_kg.graph.dataset_files import OUTPUTS, write_rows
from habitat_kg.graph.incremental.engine import Build, Update
from habitat_kg.graph.incremental.layers import LAYER_DESCRIPTIONS, Delta, layer_rows
from habitat_kg.graph.incremental.ledger import Ledger
from habitat_kg.graph.incremental.units import Terms, report_id_of
from habitat_kg.graph.incremental.versions import code_digest, stable_blank_nodes
from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.namespaces import LAYERS
from habitat_kg.outputs import check_build_folder
from habitat_kg.project import DATASET_FILE
from habitat_kg.rdf import RdflibTerms

__all__ = [
    "LAYER_DESCRIPTIONS",
    "OUTPUTS",
    "BuildResult",
    "Delta",
    "build",
    "build_layers",
    "ledger_rows",
    "record_written",
    "report_id_of",
    "stable_blank_nodes",
    "write_dataset",
    "written_state",
]

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build made and what its checks noticed."""

    out_dir: Path
    update: Update
    #: Every row of the dataset by layer (None when the build was asked for its changes only).
    rows: dict[str, list[str]] | None = field(default=None, repr=False)

    @property
    def dataset_path(self) -> Path:
        return self.out_dir / DATASET_FILE

    @property
    def unused_mentions(self) -> list[tuple[URIRef, URIRef]]:
        """(report part, entity) pairs the parser found that no curated statement uses."""
        return self.update.unused_mentions

    @property
    def delta(self) -> Delta | None:
        """The rows that changed layer since the last build (None: a build from nothing)."""
        return self.update.delta

    @property
    def state(self) -> int:
        """Which build of its ledger this is (raised by every build that changed something)."""
        return self.update.state

    @cached_property
    def layers(self) -> dict[str, Graph]:
        """The layers as rdflib graphs (made from the rows on first use)."""
        rows = self.rows if self.rows is not None else ledger_rows(self.out_dir)[1]
        return {name: rows_graph(rows[name]) for name in LAYERS}

    @cached_property
    def reports(self) -> list[ReportText]:
        """The report texts, parsed."""
        return [read_report(path) for path in self.update.report_files]


def build(sources: Path, out_dir: Path, progress: Progress = lambda _: None) -> BuildResult:
    """Build every layer from ``sources`` and write the dataset to ``out_dir``.

    ``out_dir`` must be absent, empty, or a folder an earlier build wrote (TargetError otherwise,
    raised before the sources are read). When no source changed and the folder holds the
    ledger's last build (``written_state``), nothing is written.
    """
    result = build_layers(sources, out_dir, progress, rows=False)
    if not result.update.changed and written_state(out_dir) == result.state:
        progress("nothing changed: the build folder holds this build already")
        return result
    progress("writing")
    if result.rows is None:
        result.rows = ledger_rows(out_dir)[1]
    state = result.state
    write_rows(
        result.rows, out_dir, state=state, written=lambda d: record_written(out_dir, state, d)
    )
    return result


def build_layers(
    sources: Path,
    out_dir: Path,
    progress: Progress = lambda _: None,
    *,
    rows: bool = True,
    mentions: bool = True,
) -> BuildResult:
    """What ``build`` does before it writes: the ledger brought up to date with ``sources``,
    every check run, and (``rows``) every row of the dataset by layer; (``mentions``) the
    mentions no curated statement uses. The server's reload takes the changes alone and serves
    them before the files are written (habitat_kg.server.reload). A bad source leaves the
    ledger as it was (SourceError)."""
    check_build_folder(out_dir.resolve() if out_dir.is_symlink() else out_dir, OUTPUTS.values())
    with Ledger.opened(out_dir, code_digest()) as ledger:
        update = Build(sources, ledger, progress, mentions=mentions).run()
        found = update.rows
        if found is None and rows:
            found = layer_rows(ledger.scan(), ledger.all_named())
    return BuildResult(out_dir, update, found)


def ledger_rows(out_dir: Path) -> tuple[int, dict[str, list[str]]]:
    """The last build's state and rows by layer (one consistent reading of the ledger, whatever
    another build does meanwhile)."""
    with Ledger.opened(out_dir, code_digest(), write=False) as ledger:
        return ledger.state, layer_rows(ledger.scan(), ledger.all_named())


def record_written(out_dir: Path, state: int, digest: str) -> None:
    """Note in the ledger that the build folder now holds its build ``state``, whose dataset
    file has the SHA-256 ``digest`` (see ``written_state``)."""
    with Ledger.opened(out_dir, code_digest()) as ledger:
        ledger.set_meta("written", json.dumps({"state": state, "sha256": digest}))


def written_state(out_dir: Path) -> int | None:
    """The ledger's state when the dataset file in ``out_dir`` is the one its last build wrote
    (so that the changes of the next build apply to it), else None."""
    try:
        with Ledger.opened(out_dir, code_digest(), write=False) as ledger:
            written = json.loads(ledger.meta("written") or "{}")
            state = ledger.state
    except (TargetError, sqlite3.Error, ValueError):
        return None
    if written.get("state") != state:
        return None
    try:
        data = (out_dir / DATASET_FILE).read_bytes()
    except OSError:
        return None
    return state if hashlib.sha256(data).hexdigest() == written.get("sha256") else None


def write_dataset(layers: Mapping[str, Graph], out_dir: Path) -> None:
    """Write layers given as rdflib graphs (see ``dataset_files.write_rows``)."""
    rows = {name: sorted(Terms().rows(stable_blank_nodes(graph))) for name, graph in layers.items()}
    write_rows(rows, out_dir)


def rows_graph(rows: list[str]) -> Graph:
    """Rows (N-Triples lines without their final " .") as an rdflib graph."""
    graph = Graph()
    term = RdflibTerms()
    data = "".join(f"{row} .\n" for row in rows).encode("utf-8")
    for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[arg-type]
    return graph
