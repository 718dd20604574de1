"""Writing several source files as one step: all of them, or none.

Each file is first written to a temporary file in its own folder; all are renamed into place
only once all are complete, then the files the step removes are removed; on any failure every
file and folder written is removed again and every file replaced or removed is put back, so
the sources never hold half an ingest or half a save. A file where a folder must be is one
error naming the place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph

from habitat_kg.errors import SourceError, TargetError


def write_together(files: Mapping[Path, bytes], remove: Iterable[Path] = ()) -> None:
    """Write every file (and remove every file of ``remove``) or none: temporary files first,
    renamed into place at the end.

    A file that is replaced or removed is restored if a later step fails.
    """
    created_dirs: list[Path] = []
    temporaries: dict[Path, Path] = {}
    backups: dict[Path, bytes] = {}
    placed: list[Path] = []
    removing = list(remove)
    try:
        for target, data in files.items():
            _make_dirs(target.parent, created_dirs)
            temporaries[target] = _write_temporary(target, data)
            if target.is_file():
                backups[target] = target.read_bytes()
        for target in removing:
            backups[target] = target.read_bytes()
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
            placed.append(target)
        for target in removing:
            target.unlink()
            placed.append(target)
    except BaseException:
        for leftover in temporaries.values():
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        for target in placed:
            if target in backups:
                with contextlib.suppress(OSError):
                    target.write_bytes(backups[target])
            else:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _make_dirs(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, noting each in ``created`` as it is made."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        created.append(new)


def _write_temporary(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)  # mkstemp makes 0600; sources are ordinary readable files
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def refuse_file_in_the_way(target: Path, sources_dir: Path) -> None:
    """Every folder between the sources and ``target`` must be a folder or not yet exist."""
    for folder in [target.parent, *target.parent.parents]:
        if folder.exists() and not folder.is_dir():
            raise TargetError(folder, f"a file is in the way: habitat-kg writes {target.name} here")
        if folder == sources_dir:
            return


def check_trig(path: Path, trig: str) -> None:
    """Written TriG must parse, or the builder would stop on it; a failure is a bug in the
    writer, reported on the file it was written for. Oxigraph's parser is strict W3C TriG."""
    try:
        for _ in pyoxigraph.parse(trig, format=pyoxigraph.RdfFormat.TRIG):
            pass
    except SyntaxError as error:
        problem = f"the accepted statements would not be valid TriG: {error}"
        raise SourceError(path, None, problem) from None
