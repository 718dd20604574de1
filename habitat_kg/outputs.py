"""Folders the tool writes: whose they are, and replacing them whole or not at all.

A build empties and refills its folder, and an on-disk store is cleared and reloaded; pointed at
a folder of someone else's files they would destroy them. So every folder the tool fills carries
a marker file naming the tool, and a non-empty folder without it is refused before anything is
touched. A build is written into a staging folder beside its target, named with the builder's
process id so that a later build can tell a folder left by a killed build (its process gone)
from one still being written, and swapped into place in one step.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from habitat_kg.errors import TargetError

#: The marker of a folder a build wrote; it lists the files the build put there.
BUILD_MARKER = ".habitat-kg-build"
#: The marker of an on-disk Oxigraph store made by this tool (``--store oxigraph:PATH``).
STORE_MARKER = ".habitat-kg-store"

_BUILD_HEADING = "habitat-kg build folder"
_STORE_HEADING = "habitat-kg oxigraph store"
_STAGING = re.compile(r"\.staging-(\d+)-[0-9a-f]+(?:-old)?$")
# What builds before the marker left behind: tempfile.mkdtemp's names, and the folder swapped out.
_LEGACY_LEFTOVER = re.compile(r"-(?:[a-z0-9_]{8}|old)$")


def tool_version() -> str:
    try:
        return version("habitat-kg")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def build_marker_text(files: Iterable[str]) -> str:
    """The marker a build writes: the tool, its version, and every file the build wrote."""
    lines = [
        f"{_BUILD_HEADING}: `habitat-kg build` replaces this folder whole.",
        f"version {tool_version()}",
        *(f"file {name}" for name in sorted(files)),
    ]
    return "\n".join(lines) + "\n"


def store_marker_text() -> str:
    return (
        f"{_STORE_HEADING}: habitat-kg empties and reloads this folder when the dataset "
        f"changes.\nversion {tool_version()}\n"
    )


def check_build_folder(folder: Path, outputs: Iterable[str]) -> None:
    """Refuse (TargetError) a ``folder`` a build must not replace: a file, or a folder holding
    anything but what a build of this tool wrote. Absent or empty is fine.

    Ours is a folder with the build marker whose other files are all listed in it, or, from
    builds made before the marker, a folder holding nothing but files named as ``outputs``.
    """
    present = _entries(folder, "a build")
    if not present:
        return
    marker = folder / BUILD_MARKER
    if BUILD_MARKER in present:
        written = _marked_files(marker, _BUILD_HEADING)
        if written is None:
            raise TargetError(folder, f"{BUILD_MARKER} here was not written by habitat-kg build")
        others = sorted(present - written - {BUILD_MARKER})
        problem = "a build folder, but it also holds files no build wrote:"
    else:
        others = sorted(present - set(outputs))
        problem = "not a habitat-kg build folder: it holds"
    # SQLite's journal of a file the build wrote, while that file is updated in place (the
    # search index: habitat_kg.graph.search.updating)
    others = [name for name in others if name.removesuffix("-journal") not in present - {name}]
    if others:
        raise TargetError(
            folder,
            f"{problem} {_shown(others)}; a build replaces its folder whole, so it writes "
            "only to a new or empty folder or to one an earlier build made; nothing was changed",
        )


def check_store_folder(folder: Path, legacy_note: str) -> bool:
    """Refuse (TargetError) a ``folder`` that is neither absent, empty, nor an Oxigraph store
    this tool made (its marker, or ``legacy_note`` from before the marker); True when it has
    no marker yet (a new or an older store)."""
    present = _entries(folder, "an Oxigraph store")
    if STORE_MARKER in present:
        if _marked_files(folder / STORE_MARKER, _STORE_HEADING) is None:
            raise TargetError(folder, f"{STORE_MARKER} here was not written by habitat-kg")
        return False
    if present and legacy_note not in present:
        raise TargetError(
            folder,
            f"not an Oxigraph store made by habitat-kg (it holds {_shown(sorted(present))}): "
            "the store is emptied and reloaded, so oxigraph:PATH takes a new or empty folder or "
            "a store habitat-kg made; nothing was changed",
        )
    return True


def check_output_file(path: Path) -> None:
    """An output file must not replace a folder (or anything but a file)."""
    if path.is_dir():
        raise TargetError(path, "is a folder: give the name of a file to write")
    if path.exists() and not path.is_file():
        raise TargetError(path, "is not a regular file: give the name of a file to write")


def _entries(folder: Path, what: str) -> set[str]:
    if folder.is_symlink() and not folder.exists():
        raise TargetError(folder, "a symbolic link to nothing: give a folder")
    if folder.exists() and not folder.is_dir():
        raise TargetError(folder, f"a file is in the way: {what} is written to a folder here")
    try:
        return {entry.name for entry in folder.iterdir()} if folder.exists() else set()
    except OSError as error:
        raise TargetError(folder, f"cannot be read: {error.strerror or error}") from None


def _marked_files(marker: Path, heading: str) -> set[str] | None:
    """The files a marker lists, or None if it is not a marker of ours."""
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or not lines[0].startswith(heading):
        return None
    return {line[len("file ") :] for line in lines[1:] if line.startswith("file ")}


def _shown(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# --- staging and swapping -------------------------------------------------------------------


def new_staging_folder(target: Path) -> Path:
    """An empty folder beside ``target`` for writing its next contents, named with this
    process's id; made with the mode the umask gives (mkdtemp's 0700 would stay on the build)."""
    while True:
        staging = target.with_name(f".{target.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        return staging


def remove_abandoned(target: Path, outputs: Iterable[str]) -> list[Path]:
    """Remove the staging folders beside ``target`` whose builder has ended (killed mid-build),
    and the leftovers of older builds that hold nothing but build outputs. Returns them."""
    parent = target.parent
    if not parent.is_dir():
        return []
    own = {*outputs, BUILD_MARKER}
    removed = []
    prefix = f".{target.name}"
    for entry in parent.iterdir():
        if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        rest = entry.name[len(prefix) :]
        staging = _STAGING.fullmatch(rest)
        if staging is not None:
            abandoned = not process_alive(int(staging.group(1)))
        else:
            legacy = _LEGACY_LEFTOVER.fullmatch(rest) is not None
            abandoned = legacy and {child.name for child in entry.iterdir()} <= own
        if abandoned:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this user's or another's): a leftover of a dead
    one may go."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in the place of ``target`` in one step; the old contents are removed.

    Swapping the two names at once (Linux's renameat2 with RENAME_EXCHANGE) leaves no moment
    without a dataset; elsewhere the old folder is moved aside first. What was swapped out keeps
    a staging name until it is removed, so a kill in between leaves nothing a build misses.
    """
    if not target.exists():
        staging.rename(target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    aside = staging.with_name(staging.name + "-old")
    target.rename(aside)
    staging.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (the caller falls back)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextlib.contextmanager
def writing(target: Path, what: str) -> Iterator[None]:
    """An operating system's refusal while writing ``target`` (a full disk, a read-only file
    system, no permission) becomes a TargetError naming ``target`` and the reason."""
    try:
        yield
    except TargetError:
        raise
    except OSError as error:
        raise TargetError(target, f"cannot write {what}: {_reason(error)}") from None


#: Reasons a write fails that the user can act on, by the system's wording of each.
_KNOWN_REASONS = tuple(
    os.strerror(code)
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT)
)


def _reason(error: OSError) -> str:
    """The system's reason; Oxigraph's errors carry it inside a longer text of their own."""
    if error.strerror:
        return error.strerror
    text = str(error)
    return next((reason for reason in _KNOWN_REASONS if reason in text), text)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        # mkstemp makes the file private; the export is an ordinary file
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
