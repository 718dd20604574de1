"""The naming statements of each curated file, kept between processes: a project of many
reviewed reports has as many accepted files, and ``ingest`` or a review page opened in a new
process would otherwise parse every one of them (all their statements) to learn the few that
name things. Only the files that changed since are parsed again.

A file's naming statements are kept as N-Triples (data, never code) in the per-user cache
folder, named by a hash of the file's bytes and of the code that reads them, so a changed file
or other code is a miss. The folder is the user's own (0700, each file 0600, written whole under
another name first); a file that is refused, unreadable or not N-Triples is a miss too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

import platformdirs
import pyoxigraph as ox
from rdflib import Node

import habitat_kg.graph.curated as curated_module
from habitat_kg.rdf import RdflibTerms, oxigraph_term

FOLDER = "curated-names"
#: Files kept in the folder (one per version of each curated file); the oldest go first.
KEPT = 4096
_CODE: list[bytes] = []


def _code() -> bytes:
    """A hash of the code that says what a curated file's naming statements are."""
    if not _CODE:
        digest = hashlib.sha256()
        for path in (Path(str(curated_module.__file__)), Path(__file__).with_name("lists.py")):
            digest.update(path.read_bytes() + b"\0")
        _CODE.append(digest.digest())
    return _CODE[0]


def cache_folder() -> Path:
    return Path(platformdirs.user_cache_dir("habitat-kg")) / FOLDER


def _path(digest: bytes) -> Path:
    return cache_folder() / (hashlib.sha256(_code() + digest).hexdigest()[:40] + ".nt")


def kept_naming(digest: bytes) -> tuple[tuple[Node, Node, Node], ...] | None:
    """The naming statements kept for the curated file whose bytes hash to ``digest``."""
    path = _path(digest)
    try:
        if not _own(os.lstat(path.parent)):
            return None
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not _own(os.fstat(descriptor)):
            return None
        data = handle.read()
    term = RdflibTerms()
    try:
        parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        return tuple(
            (term(t.subject), term(t.predicate), term(t.object))  # type: ignore[misc]
            for t in parsed
        )
    except (SyntaxError, ValueError):
        return None


def keep_naming(digest: bytes, triples: tuple[tuple[Node, Node, Node], ...]) -> None:
    """Keep ``triples`` for the file whose bytes hash to ``digest``; a cache that cannot be
    written only costs time in the next process."""
    path = _path(digest)
    written = [ox.Triple(*(oxigraph_term(t) for t in triple)) for triple in triples]  # type: ignore[arg-type,misc]
    data = ox.serialize(written, format=ox.RdfFormat.N_TRIPLES) or b""
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _own(os.lstat(path.parent)):
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".names-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        kept = sorted(path.parent.glob("*.nt"), key=lambda f: f.stat().st_mtime)
        for old in kept[:-KEPT]:
            old.unlink(missing_ok=True)


def _own(status: os.stat_result) -> bool:
    """The user's own, and nobody else may write it."""
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or stat.S_ISLNK(status.st_mode):
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()
