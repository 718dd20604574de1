"""The benchmark runs end to end at a tiny size, quickly, and writes the table it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.graph.build import BuildResult

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = ["events", "partners-on-several-resolutions", "timeline"]
SERVERS = ["habitat-kg", "minimal app", "rdflib-endpoint"]
TIMED = ["pyoxigraph p50 ms", "oxigraph store p50 ms", "endpoint p50 ms", "minimal app p50 ms"]
TIMED += ["rdflib p50 ms", "rdflib-endpoint p50 ms"]


def _rows(text: str, heading: str) -> list[list[str]]:
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_the_benchmark_at_a_tiny_size_writes_its_tables_and_plot(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(REPO))
    from benchmarks import report, run

    options = ["--sizes", "5k", "--out", str(tmp_path), "--datasets", str(tmp_path / "data")]
    options += ["--base", str(built.out_dir)]
    options += ["--reps", "2", "--budget", "0.2", "--limit", "10", "--clients", "2"]
    run.main([*options, "--duration", "0.3", "--questions", ",".join(QUESTIONS)])
    text = (tmp_path / "benchmark.md").read_text(encoding="utf-8")

    latency = _rows(text, "Latency of every stored question")
    assert latency[0] == report.LATENCY_COLUMNS
    assert [row[1] for row in latency[2:]] == QUESTIONS
    for row in latency[2:]:
        measured = dict(zip(report.LATENCY_COLUMNS, row, strict=True))
        for column in TIMED:
            assert float(measured[column]) > 0, (row[1], column)
        assert measured["endpoint within 1.5x+2ms"] in {"yes", "no"}

    loads = _rows(text, "Load time and memory")
    assert loads[0] == report.LOAD_COLUMNS
    assert {row[1] for row in loads[2:]} == {
        "oxigraph in memory", "oxigraph on disk", "oxigraph on disk (restart)", "rdflib",
    }  # fmt: skip
    assert all(float(row[3]) >= 0 and float(row[4]) > 10 for row in loads[2:])

    throughput = _rows(text, "HTTP throughput")
    assert throughput[0] == report.THROUGHPUT_COLUMNS
    assert {(row[1], row[2]) for row in throughput[2:]} == {
        (server, query) for server in SERVERS for query in ("cheap (ASK)", "heavy (GROUP BY)")
    }
    assert all(float(row[4]) > 0 and row[7] == "0" for row in throughput[2:])

    validation = _rows(text, "Validation")
    assert validation[0] == report.VALIDATION_COLUMNS
    assert float(validation[2][2]) > 0

    assert (tmp_path / "benchmark.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "## Targets" in text and "restart on the on-disk store" in text
