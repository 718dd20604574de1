"""Folders the tool writes: a folder of other files is refused and left as it was, a build is
swapped in whole, a killed build's staging folder is cleaned up by the next, modes follow umask."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from folders import contents
from rdflib import Graph, Literal, URIRef

from habitat_kg.cli import main
from habitat_kg.errors import TargetError
from habitat_kg.graph.build import OUTPUTS, BuildResult, build, write_dataset
from habitat_kg.graph.ingest import ingest_with_proposals
from habitat_kg.namespaces import LAYERS
from habitat_kg.outputs import BUILD_MARKER, STORE_MARKER
from habitat_kg.server.store.oxigraph import LOADED_NOTE, OxigraphStore

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "graph" / "sources"
REPORT = Path(__file__).parent / "data" / "reports" / "english-report.en.txt"


def tiny_layers(triples: int = 1) -> dict[str, Graph]:
    """Layers small enough to write in a moment (what is written does not matter here)."""
    layers = {name: Graph() for name in LAYERS}
    for number in range(triples):
        layers["curated"].add((URIRef(f"urn:x:{number}"), URIRef("urn:p"), Literal(number)))
    return layers


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


# -- the build target -------------------------------------------------------------------------


def test_a_folder_of_other_files_is_refused_by_build_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "papers"
    (target / "drafts").mkdir(parents=True)
    (target / "thesis.tex").write_text("mine", encoding="utf-8")
    (target / "drafts" / "one.txt").write_text("also mine", encoding="utf-8")
    before = contents(tmp_path)
    result = CliRunner().invoke(main, ["build", "--sources", str(SOURCES), "--data", str(target)])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"habitat-kg: error: {target}: not a habitat-kg build folder")
    assert "drafts, thesis.tex" in result.output and "nothing was changed" in result.output
    assert contents(tmp_path) == before  # nothing touched, no staging folder beside it


def test_a_file_given_as_the_build_folder_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(SOURCES), "--data", str(target)])
    assert result.exit_code == 2, result.output
    assert f"{target}: a file is in the way" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_refusal_comes_before_the_sources_are_read(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.csv").write_text("x", encoding="utf-8")
    with pytest.raises(TargetError, match=r"not a habitat-kg build folder: it holds mine\.csv"):
        build(tmp_path / "no-sources-here", tmp_path / "data")


def test_a_build_folder_marks_itself_and_is_replaced_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "data"
    write_dataset(tiny_layers(1), out)
    marker = (out / BUILD_MARKER).read_text(encoding="utf-8").splitlines()
    assert marker[0].startswith("habitat-kg build folder")
    assert sorted(line.removeprefix("file ") for line in marker[2:]) == sorted(OUTPUTS.values())
    write_dataset(tiny_layers(2), out)
    assert "urn:x:1" in (out / OUTPUTS["nt"]).read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing left beside it


def test_a_build_folder_with_a_file_added_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "data"
    write_dataset(tiny_layers(), out)
    (out / "analysis.ipynb").write_text("{}", encoding="utf-8")
    before = contents(out)
    with pytest.raises(TargetError, match=r"also holds files no build wrote: analysis\.ipynb"):
        write_dataset(tiny_layers(2), out)
    assert contents(out) == before


def test_a_forged_marker_does_not_make_a_folder_a_build_folder(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / BUILD_MARKER).write_text("something else\n", encoding="utf-8")
    (out / "habitat-kg.trig").write_text("x", encoding="utf-8")
    with pytest.raises(TargetError, match="was not written by habitat-kg build"):
        write_dataset(tiny_layers(), out)


def test_a_build_folder_from_before_the_marker_is_still_recognised(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    for name in OUTPUTS.values():
        (out / name).write_text("old", encoding="utf-8")
    write_dataset(tiny_layers(), out)
    assert (out / BUILD_MARKER).is_file()


def test_an_empty_folder_is_built_into(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    write_dataset(tiny_layers(), tmp_path / "data")
    assert (tmp_path / "data" / OUTPUTS["trig"]).is_file()


def test_a_symbolic_link_to_a_build_folder_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "data").symlink_to(tmp_path / "real")
    write_dataset(tiny_layers(), tmp_path / "data")
    write_dataset(tiny_layers(2), tmp_path / "data")
    assert (tmp_path / "data").is_symlink()
    assert (tmp_path / "real" / OUTPUTS["trig"]).is_file()


@pytest.mark.usefixtures("umask_022")
def test_folders_the_tool_makes_follow_the_umask(tmp_path: Path) -> None:
    write_dataset(tiny_layers(), tmp_path / "data")
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o755  # mkdtemp would make 0700
    os.umask(0o027)
    write_dataset(tiny_layers(2), tmp_path / "data")
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o750
    OxigraphStore(tmp_path / "store")
    assert (tmp_path / "store").stat().st_mode & 0o777 == 0o750


# -- a build killed on the way ----------------------------------------------------------------


def test_a_killed_build_leaves_the_old_dataset_and_the_next_build_cleans_up(
    built: BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    shutil.copytree(built.out_dir, out)
    before = contents(out)
    code = "import sys; from habitat_kg.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", code, "build", "--sources", str(SOURCES), "--data", str(out)]
    builder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".data.staging-*")) and builder.poll() is None:
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.005)
        os.kill(builder.pid, signal.SIGKILL)  # as the OOM killer or `kill -9` would
    finally:
        builder.wait()
    assert builder.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    leftovers = list(tmp_path.glob(".data.staging-*"))
    assert [p.name.split("-")[1] for p in leftovers] == [str(builder.pid)]
    assert contents(out) == before  # the old dataset, whole

    build(SOURCES, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".data.build-cache", "data"]
    assert contents(out) == before  # the same sources give the same bytes


def test_a_staging_folder_of_a_running_build_is_left_alone(tmp_path: Path) -> None:
    running = tmp_path / f".data.staging-{os.getppid()}-0123abcd"
    running.mkdir()
    (running / OUTPUTS["trig"]).write_text("half", encoding="utf-8")
    legacy = tmp_path / ".data-k2j4_x9q"  # what tempfile.mkdtemp named it before
    legacy.mkdir()
    (legacy / OUTPUTS["nt"]).write_text("half", encoding="utf-8")
    unrelated = tmp_path / ".data-settings"
    unrelated.mkdir()
    (unrelated / "keep.txt").write_text("mine", encoding="utf-8")
    write_dataset(tiny_layers(), tmp_path / "data")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["data", running.name, unrelated.name]
    )


# -- the on-disk store, ingest and -o ---------------------------------------------------------


def test_a_store_folder_of_other_files_is_refused_and_left_as_it_was(
    built: BuildResult, tmp_path: Path
) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    result = CliRunner().invoke(
        main, ["stats", "--data", str(built.out_dir), "--store", f"oxigraph:{folder}"]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f"habitat-kg: error: {folder}: not an Oxigraph store made by habitat-kg (it holds cat.jpg)"
    )
    assert contents(folder) == {"cat.jpg": b"\xff\xd8"}


def test_an_oxigraph_store_not_made_here_is_refused(tmp_path: Path) -> None:
    import pyoxigraph

    foreign = pyoxigraph.Store(str(tmp_path / "theirs"))
    foreign.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:a"),
            pyoxigraph.NamedNode("urn:b"),
            pyoxigraph.NamedNode("urn:c"),
        )
    )
    foreign.flush()
    del foreign
    with pytest.raises(TargetError, match="not an Oxigraph store made by habitat-kg"):
        OxigraphStore(tmp_path / "theirs")


def test_a_store_made_here_is_reopened_also_from_before_the_marker(
    built: BuildResult, tmp_path: Path
) -> None:
    store = OxigraphStore(tmp_path / "store")
    store.load_dataset(built.dataset_path)
    del store
    assert (tmp_path / "store" / STORE_MARKER).is_file()
    (tmp_path / "store" / STORE_MARKER).unlink()  # as a store made before the marker
    assert (tmp_path / "store" / LOADED_NOTE).is_file()
    OxigraphStore(tmp_path / "store").load_dataset(built.dataset_path)
    assert (tmp_path / "store" / STORE_MARKER).is_file()


def test_ingest_refuses_a_file_where_its_folder_must_be(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    shutil.rmtree(sources / "review", ignore_errors=True)
    (sources / "review").write_text("a file", encoding="utf-8")
    before = contents(sources)
    with pytest.raises(TargetError, match=r"review: a file is in the way: habitat-kg writes"):
        ingest_with_proposals(REPORT, sources)
    assert contents(sources) == before


def test_an_export_does_not_replace_a_folder(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "habitat-kg-partners.graphml").mkdir()  # where the export would go
    arguments = ["network", "partners", "--format", "graphml", "--data", str(built.out_dir)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 2, result.output
    assert "habitat-kg-partners.graphml: is a folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["habitat-kg-partners.graphml"]
    assert (tmp_path / "habitat-kg-partners.graphml").is_dir()
