"""The files a build writes: the dataset (TriG, one named graph per layer) and the merged graph
in Turtle, N-Triples and JSON-LD, written by Oxigraph's serializers from the build's rows.

The same rows always give the same bytes: the rows are sorted (a subject's statements are then
together, which the Turtle and TriG writers group), blank nodes keep the names the build gave
them (derived from what they say), and the N-Triples lines are sorted. Files are written into a
fresh folder that replaces the old one only once every file is complete; the build writes only
into a folder that is empty or that an earlier build wrote (see ``habitat_kg.outputs``).
"""

from __future__ import annotations

import hashlib
import heapq
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from habitat_kg.graph.search import INDEX_FILE, build_index_from_rows
from habitat_kg.graph.search.updating import index_lock, keep_newer_index
from habitat_kg.namespaces import LAYERS, PREFIXES
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

#: The files a build writes: the dataset, and the merged graph in three more syntaxes.
OUTPUTS = {
    "trig": DATASET_FILE,
    "turtle": "habitat-kg.ttl",
    "nt": "habitat-kg.nt",
    "json-ld": "habitat-kg.jsonld",
    # the full-text index of names and texts the server searches (habitat_kg.graph.search)
    "search": INDEX_FILE,
}
#: The prefixes the files use; ``id:`` is left out because the local names of its IRIs have
#: slashes, which Turtle would have to escape (``id:org\/fao``).
FILE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}


def write_rows(
    rows: Mapping[str, Sequence[str]],
    out_dir: Path,
    notes: Sequence[str] = (),
    *,
    state: int | None = None,
    written: Callable[[str], None] | None = None,
) -> str:
    """Write every output of the layers' ``rows`` (N-Triples lines without their final " .",
    each layer's sorted) into a new folder, then put it in place of ``out_dir`` at once;
    ``notes`` go into the folder's marker (which build of the ledger it holds). Return the
    SHA-256 of the dataset file.

    ``state`` is the ledger's build the rows are: the search index in ``out_dir``, brought up
    to date in place with a later build meanwhile, is kept rather than replaced by this older
    one (``search.updating``); ``written`` is told the digest once the folder is in place,
    before an update of the index may run.

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
            files = dataset_bytes(rows)
            for name, data in files.items():
                (staging / OUTPUTS[name]).write_bytes(data)
            build_index_from_rows(files["nt"], staging / OUTPUTS["search"])
            marker = build_marker_text(OUTPUTS.values())
            (staging / BUILD_MARKER).write_text(marker, encoding="utf-8")
            digest = hashlib.sha256(files["trig"]).hexdigest()
            with index_lock(target):
                check_build_folder(target, OUTPUTS.values())  # still ours now that we are done
                if state is not None:
                    keep_newer_index(target, staging, state)
                replace_folder(staging, target)
                if written is not None:
                    written(digest)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return digest


def dataset_bytes(rows: Mapping[str, Sequence[str]]) -> dict[str, bytes]:
    """The four RDF files' bytes, by the names of ``OUTPUTS`` (the index is written apart)."""
    quads = "".join(
        f"{row} <{iri}> .\n" for name, iri in LAYERS.items() for row in rows.get(name, ())
    ).encode("utf-8")
    # each row is in one layer only: the merged graph is the layers' rows in one order, and
    # the rows are N-Triples lines already
    merged = "".join(
        f"{row} .\n" for row in heapq.merge(*(rows.get(name, ()) for name in LAYERS))
    ).encode("utf-8")
    return {
        "trig": _serialized(quads, ox.RdfFormat.TRIG, source=ox.RdfFormat.N_QUADS),
        "turtle": _serialized(merged, ox.RdfFormat.TURTLE),
        "nt": merged,
        "json-ld": _serialized(merged, ox.RdfFormat.JSON_LD) + b"\n",
    }


def _serialized(
    data: bytes, fmt: ox.RdfFormat, source: ox.RdfFormat = ox.RdfFormat.N_TRIPLES
) -> bytes:
    parsed = ox.parse(data, format=source)
    written = ox.serialize(parsed, format=fmt, prefixes=FILE_PREFIXES)
    assert written is not None
    return written
