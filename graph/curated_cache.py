"""The statements of each curated file that a step reads, kept between processes: a project of
many reviewed reports has as many accepted files, and ``ingest`` or a review page opened in a
new process would otherwise parse every one of them (all their statements) to learn the few
that name things (the gazetteer, ``gazetteer/lists.py``) or describe mandates (``mandates/
known.py``). Only the files that changed since are parsed again.

A file's chosen statements are kept as N-Quads (data, never code; the graph is the statement's
citation) in the per-user cache folder, named by a hash of the file's bytes, of the selection
and of the code that reads and chooses them, so a changed file or other code is a miss. The
folder is the user's own (0700, each file 0600, written whole under another name first); a
file that is refused, unreadable or not N-Quads is a miss too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pyoxigraph as ox
from rdflib import Node, URIRef

import habitat_kg.graph.curated as curated_module
from habitat_kg.errors import SourceError
from habitat_kg.graph.curated import load_curated
from habitat_kg.private_cache import read_private, write_private
from habitat_kg.rdf import RdflibTerms, oxigraph_term

FOLDER = "curated-statements"
#: Files kept in the folder (one per version of each curated file and selection); the oldest go
#: first.
KEPT = 4096

Quad = tuple[URIRef, Node, Node, Node]


def selected(
    path: Path, selection: str, reader: Path, wanted: Callable[[Quad], bool]
) -> tuple[Quad, ...]:
    """The statements of the curated file ``path`` that ``wanted`` keeps, in the order
    ``load_curated`` gives them; ``selection`` names the choice and ``reader`` is the module
    that makes it (its code is part of the key)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(path, None, f"cannot read it: {error.strerror or error}") from None
    digest = hashlib.sha256()
    for part in (
        Path(str(curated_module.__file__)).read_bytes(),
        reader.read_bytes(),
        selection.encode(),
        data,
    ):
        digest.update(hashlib.sha256(part).digest())
    kept_at = cache_folder() / (digest.hexdigest()[:40] + ".nq")
    found = _kept(kept_at)
    if found is None:
        found = tuple(quad for quad in load_curated(path).quads if wanted(quad))
        _keep(kept_at, found)
    return found


def cache_folder() -> Path:
    return Path(platformdirs.user_cache_dir("habitat-kg")) / FOLDER


def _kept(path: Path) -> tuple[Quad, ...] | None:
    data = read_private(path)
    if data is None:
        return None
    term = RdflibTerms()
    try:
        return tuple(
            (term(q.graph_name), term(q.subject), term(q.predicate), term(q.object))  # type: ignore[misc]
            for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
        )
    except (SyntaxError, ValueError):
        return None


def _keep(path: Path, quads: tuple[Quad, ...]) -> None:
    """Keep ``quads`` at ``path``; a cache that cannot be written only costs time later."""
    written = [
        ox.Quad(*(oxigraph_term(t) for t in (s, p, o)), oxigraph_term(c))  # type: ignore[misc]
        for c, s, p, o in quads
    ]
    data = ox.serialize(written, format=ox.RdfFormat.N_QUADS) or b""
    write_private(path, data, "*.nq", KEPT)
