"""``habitat-kg network``: the summary, every format, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from habitat_kg.cli import main
from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.network.catalogue import FORMATS


@pytest.fixture
def run(built: BuildResult):
    def invoke(*arguments: str):
        return CliRunner().invoke(main, ["network", *arguments, "--data", str(built.out_dir)])

    return invoke


def test_summary_of_the_partners_network(run) -> None:
    result = run("partners")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "29 nodes, 31 edges" in out
    assert "9 components (largest 17 nodes; 5 isolated)" in out
    assert "most central by degree (links):\n      16  United Nations Human Settlements " in out
    assert "most central by betweenness (normalized, unweighted):\n   0.288  United Nations" in out
    assert "communities (Louvain, seed 2020):" in out


def test_summary_under_a_resolution(run) -> None:
    out = run("partners", "--resolution", "1/5").output
    assert "filters: resolution 1/5" in out and "7 nodes, 16 edges" in out
    assert "1 component (largest 7 nodes)" in out
    assert "(5) FAO, GROOTS Kenya, Market Cities Initiative, UCLG, UNCCD" in out


def test_the_same_summary_twice(run) -> None:
    assert run("units").output == run("units").output


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_written(run, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"out{FORMATS[fmt][0]}"
    result = run("geography", "--resolution", "1/5", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {target} ({fmt}: 13 nodes, 23 edges)\n"
    assert target.stat().st_size > 500
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_the_format_follows_the_file_name(run, tmp_path: Path) -> None:
    assert run("units", "-o", str(tmp_path / "u.gexf")).exit_code == 0
    assert nx.read_gexf(tmp_path / "u.gexf").number_of_nodes() == 32
    assert run("units", "-o", str(tmp_path / "u.zip")).exit_code == 0
    assert sorted(zipfile.ZipFile(tmp_path / "u.zip").namelist()) == ["edges.csv", "nodes.csv"]
    assert (
        run(
            "units",
            "--node",
            "https://w3id.org/habitat-kg/id/org/fao",
            "-o",
            str(tmp_path / "fao.json"),
        ).exit_code
        == 0
    )
    around = json.loads((tmp_path / "fao.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in around["nodes"]} == {
        "https://w3id.org/habitat-kg/id/org/fao",
        "https://w3id.org/habitat-kg/id/org/un-habitat",
    }


def test_format_without_output_names_the_file(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("bipartite", "--format", "graphml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "habitat-kg-bipartite.graphml").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["friends"], "'VIEW': 'friends' is not one of 'partners', 'bipartite'"),
        (["partners", "--resolution", "7/7"], "resolution '7/7': names no resolution"),
        (["partners", "--country", "FRA"], "no activity or event matches country FRA"),
        (["partners", "--country", "ZZZ"], "country 'ZZZ': names no country"),
        (["partners", "--since", "2020-02-30"], "since '2020-02-30': not a date"),
        (["partners", "--format", "svg"], "'--format': 'svg' is not one of 'graphml'"),
        (["partners", "--colour", "pink"], "'--colour': 'pink' is not one of 'category'"),
        (["partners", "-o", "network.txt"], "cannot tell the format from the file name"),
        (["partners", "--node", "https://example.org/x"], "not in the partners view"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    run, arguments: list[str], message: str, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*arguments)
    assert result.exit_code == 2
    assert result.stderr.startswith("habitat-kg: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_help_lists_the_views(run) -> None:
    out = CliRunner().invoke(main, ["network", "--help"]).output
    for view in ("partners", "bipartite", "geography", "units"):
        assert f"{view}: " in out
    assert "zip archive of nodes.csv and edges.csv" in " ".join(out.split())
