"""The project folder: init, how a command finds its project, and what it writes where."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from folders import contents

from habitat_kg.cli import main
from habitat_kg.project import PROJECT_FILE, bundled_sources, user_project_root

REPORTS = Path(__file__).parent / "data" / "reports"


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_init_makes_a_project_with_a_copy_of_the_bundled_record(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    result = _run("init", str(root))
    assert result.exit_code == 0, result.output
    assert (root / PROJECT_FILE).is_file()
    assert (root / "build").is_dir()
    assert contents(root / "sources") == contents(bundled_sources())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    assert _run("init", str(tmp_path)).exit_code == 0
    assert (tmp_path / PROJECT_FILE).is_file()


@pytest.mark.parametrize("what", ["file-inside", "hidden-file", "sub-folder", "file-itself"])
def test_init_refuses_a_folder_that_holds_anything_and_touches_nothing(
    tmp_path: Path, what: str
) -> None:
    target = tmp_path / "target"
    if what == "file-itself":
        target.write_text("notes\n")
    else:
        target.mkdir()
        if what == "file-inside":
            (target / "notes.txt").write_text("keep me\n")
        elif what == "hidden-file":
            (target / ".env").write_text("SECRET=1\n")
        else:
            (target / "reports").mkdir()
    before = contents(tmp_path)
    result = _run("init", str(target))
    assert result.exit_code == 2
    assert str(target) in result.output and "Traceback" not in result.output
    assert contents(tmp_path) == before


def test_build_writes_into_the_named_project(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    result = _run("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "build" / "habitat-kg.trig").is_file()
    assert _run("stats", "--project", str(root)).exit_code == 0


def test_the_environment_names_the_project(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    result = _run("build", env={"HABITAT_KG_PROJECT": str(root)})
    assert result.exit_code == 0, result.output
    assert (root / "build" / "habitat-kg.trig").is_file()


def test_the_current_folder_is_the_project_when_it_holds_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    monkeypatch.chdir(root)
    assert _run("build").exit_code == 0
    assert (root / "build" / "habitat-kg.trig").is_file()


def test_a_folder_that_is_not_a_project_is_refused(tmp_path: Path) -> None:
    result = _run("build", "--project", str(tmp_path))
    assert result.exit_code == 2
    assert PROJECT_FILE in result.output and "habitat-kg init" in result.output
    assert list(tmp_path.iterdir()) == []


def test_with_no_project_a_per_user_one_is_made_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    root = user_project_root()
    assert root.is_relative_to(tmp_path / "xdg")
    result = _run("build")
    assert result.exit_code == 0, result.output
    assert f"making one at {root}" in result.output
    assert (root / "build" / "habitat-kg.trig").is_file()
    again = _run("stats")
    assert again.exit_code == 0 and "making one" not in again.output


def test_the_projects_settings_apply_and_options_win(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    (root / PROJECT_FILE).write_text('data = "elsewhere"\n', encoding="utf-8")
    assert _run("build", "--project", str(root)).exit_code == 0
    assert (root / "elsewhere" / "habitat-kg.trig").is_file()
    explicit = tmp_path / "given"
    assert _run("build", "--project", str(root), "--data", str(explicit)).exit_code == 0
    assert (explicit / "habitat-kg.trig").is_file()


def test_a_bad_value_in_the_projects_settings_names_the_file(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    (root / PROJECT_FILE).write_text('max-rows = "many"\n', encoding="utf-8")
    result = _run("serve", "--project", str(root), "--port", "0")
    assert result.exit_code == 2
    assert str(root / PROJECT_FILE) in result.output and "max-rows" in result.output


def test_ingest_writes_into_the_projects_sources(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert _run("init", str(root)).exit_code == 0
    report = REPORTS / "english-report.en.txt"
    result = _run("ingest", str(report), "--project", str(root))
    assert result.exit_code == 0, result.output
    assert (root / "sources" / "report").is_dir()
    assert str(root / "sources") in result.output


def test_validating_files_makes_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    result = _run("validate", str(data))
    assert result.exit_code in (0, 1), result.output
    assert not (tmp_path / "xdg").exists()
