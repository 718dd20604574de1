"""A disk that refuses a write (full, read-only, a path the system will not make) is one line
naming the place and the reason, exit status 2, and leaves the previous build as it was; a
curated file that is not text is an error naming the file and the line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from folders import contents
from test_build_targets import REPORT, SOURCES, tiny_layers

from habitat_kg.cli import main
from habitat_kg.errors import SourceError, TargetError
from habitat_kg.graph.build import BuildResult, build, write_dataset
from habitat_kg.graph.ingest import ingest_with_proposals
from habitat_kg.server.store.oxigraph import OxigraphStore

CLI = "import sys; from habitat_kg.cli import main; sys.exit(main())"


def _mount(arguments: list[str], what: str) -> None:
    done = subprocess.run(["mount", *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount {what} here ({done.stderr.strip() or 'mount failed'}): this test "
            "needs root with CAP_SYS_ADMIN, as in CI's container"
        )


class Mounts:
    """Folders mounted for one test under its temporary folder, all unmounted after it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.mounted: list[Path] = []

    def tmpfs(self, size: str) -> Path:
        """A tmpfs of ``size`` (a disk that fills up)."""
        folder = self._folder("disk")
        _mount(["-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], "a tmpfs")
        return folder

    def read_only(self, folder: Path) -> Path:
        """A read-only view of ``folder`` (a bind mount: a mode of 0555 does not stop root)."""
        view = self._folder("read-only")
        _mount(["--bind", str(folder), str(view)], "a bind mount")
        _mount(["-o", "remount,ro,bind", str(view)], "a read-only bind mount")
        return view

    def _folder(self, stem: str) -> Path:
        folder = self.root / f"{stem}-{len(self.mounted)}"
        folder.mkdir()
        self.mounted.append(folder)
        return folder

    def unmount_all(self) -> None:
        for folder in reversed(self.mounted):
            subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[Mounts]:
    mounts = Mounts(tmp_path)
    yield mounts
    mounts.unmount_all()


@pytest.fixture
def small_disk(mounts: Mounts) -> Callable[[str], Path]:
    return mounts.tmpfs


@pytest.fixture
def read_only(mounts: Mounts) -> Callable[[Path], Path]:
    return mounts.read_only


def one_error_line(stderr: str) -> str:
    """The error line, checking that it ends stderr and is the only one (the build's progress
    steps may come before it)."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.splitlines()
    assert [line for line in lines if "error" in line.lower()] == lines[-1:], stderr
    assert lines[-1].startswith("habitat-kg: error: "), stderr
    return lines[-1]


def build_into(target: str) -> tuple[int, str]:
    """Exit status and error line of ``habitat-kg build`` into ``target``."""
    result = CliRunner().invoke(main, ["build", "--sources", str(SOURCES), "--data", target])
    return result.exit_code, one_error_line(result.stderr)


# -- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_stops_the_build_with_one_line_and_keeps_the_last_build(
    small_disk: Callable[[str], Path],
) -> None:
    disk = small_disk("256k")
    # the build before: a few KiB, and the search index's empty tables (a page each)
    write_dataset(tiny_layers(), disk / "data")
    before = contents(disk)
    status, line = build_into(f"{disk}/data")
    assert status == 2
    assert line == (
        f"habitat-kg: error: {disk}/data: cannot write the build here: No space left on device"
    )
    assert contents(disk) == before  # the last build whole, no half-written staging folder


def test_a_full_disk_while_loading_the_store_is_one_line(
    built: BuildResult, small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("1m")
    arguments = ["stats", "--data", str(built.out_dir), "--store", f"oxigraph:{disk}/store"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert line == (
        f"habitat-kg: error: {disk}/store: cannot write the Oxigraph store here: "
        "No space left on device"
    )


def test_a_full_disk_leaves_no_half_written_ingest(
    tmp_path: Path, small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("256k")
    sources = disk / "sources"
    (sources / "report").mkdir(parents=True)
    shutil.copytree(SOURCES / "reference", sources / "reference")  # the gazetteer reads it
    before = contents(sources)
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "filler").write_bytes(b"\0" * (free - 8 * 1024))  # the review will not fit beside it
    with pytest.raises(TargetError, match="No space left on device"):
        ingest_with_proposals(REPORT, sources)
    assert contents(sources) == before


def test_a_full_disk_leaves_no_half_written_export(
    built: BuildResult, small_disk: Callable[[str], Path]
) -> None:
    disk = small_disk("64k")
    (disk / "filler").write_bytes(b"\0" * 60 * 1024)
    target = disk / "partners.graphml"
    arguments = ["network", "partners", "-o", str(target), "--data", str(built.out_dir)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert line == f"habitat-kg: error: {target}: cannot write the export: No space left on device"
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


# -- a read-only file system, and a path the system will not make -----------------------------


def test_a_read_only_build_folder_is_one_line_and_left_as_it_was(
    built: BuildResult, tmp_path: Path, read_only: Callable[[Path], Path]
) -> None:
    shutil.copytree(built.out_dir, tmp_path / "writable" / "data")
    view = read_only(tmp_path / "writable")
    before = contents(view)
    status, line = build_into(f"{view}/data")
    assert status == 2
    assert line == (
        f"habitat-kg: error: {view}/data: cannot write the build here: Read-only file system"
    )
    assert contents(view) == before


def test_a_read_only_store_folder_is_one_line(
    tmp_path: Path, read_only: Callable[[Path], Path]
) -> None:
    (tmp_path / "writable").mkdir()
    view = read_only(tmp_path / "writable")
    with pytest.raises(TargetError, match="store: cannot write the Oxigraph store here: Read-only"):
        OxigraphStore(view / "store")


def test_ingest_into_read_only_sources_is_an_error_naming_them(
    tmp_path: Path, read_only: Callable[[Path], Path]
) -> None:
    shutil.copytree(SOURCES, tmp_path / "writable" / "sources")
    view = read_only(tmp_path / "writable")
    with pytest.raises(TargetError, match=r"sources: cannot write the report.*: Read-only file"):
        ingest_with_proposals(REPORT, view / "sources")


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_path_under_proc_is_one_line_not_a_traceback(
    built: BuildResult, tmp_path: Path, command: str
) -> None:
    # /proc refuses every new folder, for root too; no mount needed.
    arguments = (
        ["build", "--sources", str(SOURCES), "--data", "/proc/habitat-kg/data"]
        if command == "build"
        else ["serve", "--data", str(built.out_dir), "--store", "oxigraph:/proc/x", "--port", "0"]
    )
    done = subprocess.run(
        [sys.executable, "-c", CLI, *arguments], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    target = "/proc/habitat-kg/data" if command == "build" else "/proc/x"
    line = one_error_line(done.stderr)
    assert line.startswith(f"habitat-kg: error: {target}: cannot write")
    assert "No such file or directory" in line
    assert done.stdout == ""


# -- curated files that are not text ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b"@prefix x: <urn:x:> .\n\xff\xfe\x00\x01", 2, "not UTF-8 text: byte 0xff"),
        (b'@prefix x: <urn:x:> .\n\nx:a x:b "a\x00b" .\n', 3, "a NUL byte: this is a binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not UTF-8 text: byte 0x89"),
    ],
)
def test_a_binary_curated_file_is_named_with_its_line(
    sources_copy: Path, tmp_path: Path, content: bytes, line: int, problem: str
) -> None:
    binary = sources_copy / "curated" / "picture.trig"
    binary.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        build(sources_copy, tmp_path / "out")
    assert str(raised.value).startswith(f"{binary}:{line}: {problem}")
    assert not (tmp_path / "out").exists()
