"""Settings come from an option, else the environment, else a config file, else the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from habitat_kg.cli import main


@pytest.fixture
def config(tmp_path: Path, built) -> Path:
    path = tmp_path / "habitat-kg.toml"
    path.write_text(f'data = "{built.out_dir}"\nmax-rows = 5\n', encoding="utf-8")
    return path


def test_a_config_file_gives_settings(config: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(config), "stats"])
    assert result.exit_code == 0, result.output
    assert "193  Member State" in result.output


def test_the_environment_wins_over_the_config_file(config: Path, tmp_path: Path) -> None:
    env = {"HABITAT_KG_DATA": str(tmp_path / "nowhere")}
    result = CliRunner().invoke(main, ["--config", str(config), "stats"], env=env)
    assert result.exit_code == 2 and "nowhere" in result.output


def test_an_option_wins_over_both(config: Path, tmp_path: Path, built) -> None:
    env = {"HABITAT_KG_DATA": str(tmp_path / "nowhere")}
    args = ["--config", str(config), "stats", "--data", str(built.out_dir)]
    assert CliRunner().invoke(main, args, env=env).exit_code == 0


def test_the_config_file_can_come_from_the_environment(config: Path) -> None:
    result = CliRunner().invoke(main, ["stats"], env={"HABITAT_KG_CONFIG": str(config)})
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('colour = "blue"\n', "no setting is called 'colour'"),
        ("data = \n", ":1: not TOML"),
        ("[data]\nx = 1\n", "must be a single value"),
    ],
)
def test_a_bad_config_file_is_one_line_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(path), "stats"])
    assert result.exit_code == 2
    assert (
        result.output.count("\n") == 1 and str(path) in result.output and problem in result.output
    )
