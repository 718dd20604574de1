"""Files the user's cache keeps between processes (the gazetteer, curated statements): read
only from a folder and a file of the user's own that nobody else may write, written whole
(never half), the newest few kept. A file refused or unreadable is a miss, never an error:
it only costs the next process the time to make it again."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def trusted(status: os.stat_result) -> bool:
    """Of the user's own, and nobody else may write it (a link is not followed)."""
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or stat.S_ISLNK(status.st_mode):
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()


def private_folder(folder: Path) -> bool:
    """The folder is a real folder of the user's that nobody else may write into."""
    try:
        status = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and trusted(status)


def read_private(path: Path) -> bytes | None:
    """The bytes of ``path``; None if it is missing, unreadable or not trusted."""
    if not private_folder(path.parent):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not trusted(os.fstat(descriptor)):
            return None
        try:
            return handle.read()
        except OSError:
            return None


def write_private(path: Path, data: bytes, kept_pattern: str, kept: int) -> None:
    """Write ``data`` whole at ``path`` (0600, in a 0700 folder), then delete all but the
    ``kept`` newest files of the folder matching ``kept_pattern``; nothing if it cannot."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not private_folder(path.parent):
            return
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        olds = sorted(path.parent.glob(kept_pattern), key=lambda f: f.stat().st_mtime)
        for old in olds[:-kept]:
            old.unlink(missing_ok=True)
    except OSError:
        return
