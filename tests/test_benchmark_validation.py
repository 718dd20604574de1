"""The validation benchmark times each step of a validation in a fresh process, runs a git
revision's code in turns with the working tree's, and compares the two runs' results."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from habitat_kg.graph.build import BuildResult

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The benchmark's modules (benchmarks/ is a folder of the repository, not installed)."""
    monkeypatch.syspath_prepend(str(REPO))
    from benchmarks import generate, validation_turns

    return SimpleNamespace(generate=generate, turns=validation_turns)


def test_each_phase_is_timed_in_turns_with_the_baseline_and_the_results_compared(
    built: BuildResult, tmp_path: Path, bench: SimpleNamespace
) -> None:
    bench.generate.generate(3_000, tmp_path / "data" / "3k", data=built.out_dir)
    options = ["--sizes", "3k", "--datasets", str(tmp_path / "data"), "--baseline", "HEAD"]
    bench.turns.main([*options, "--session", "2020-10-27", "--out", str(tmp_path / "out")])

    measured = json.loads((tmp_path / "out" / "validation.json").read_text(encoding="utf-8"))
    runs = measured["3k"]["runs"]
    assert [(run["code"], run["turn"]) for run in runs] == [("this", 1), ("baseline", 1)]
    for run in runs:
        assert list(run["phases"]) == list(bench.turns.PHASES)
        assert run["phases"]["load"]["wall"] > 0 and run["cpu"] > 0
        assert run["results"] > 0 and run["triples"] > 2_000
    # HEAD's code is this code: the same records, to the byte
    assert measured["3k"]["agreement"] == {"identical": True, "only_this": 0, "only_baseline": 0}
    text = (tmp_path / "out" / "validation.md").read_text(encoding="utf-8")
    assert "- 3k: results of this code and the baseline: identical" in text
    rows = [line for line in text.splitlines() if line.startswith("| 3k |")]
    assert len(rows) == 2 and all(re.search(r"\| \d+\.\d \(\d+\.\d\) \|", row) for row in rows)


def test_the_baseline_code_is_laid_out_as_the_installed_package_maps_it(
    tmp_path: Path, bench: SimpleNamespace
) -> None:
    root = bench.turns.baseline_code("HEAD", tmp_path)
    package = root / "habitat_kg"
    assert (package / "queries.py").is_file()  # habitat_kg/ itself
    assert (package / "shapes" / "validation" / "engine.py").is_file()  # shapes/
    assert (package / "server" / "store" / "oxigraph.py").is_file()  # server/
