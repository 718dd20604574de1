"""The peers of issue 18 side by side: Oxigraph's server (in memory, on disk) and Virtuoso are
started and loaded by the benchmark itself and give the same rows as habitat-kg on every question
asked; the verdict names the questions where a peer is faster; the other benchmarks' figures
reach the summary table."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

import pytest

from habitat_kg.graph.build import BuildResult
from habitat_kg.server.questions import get
from habitat_kg.server.store import Store

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = ["events", "partners-on-several-resolutions"]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """The benchmark's modules (benchmarks/ is a folder of the repository, not installed)."""
    monkeypatch.syspath_prepend(str(REPO))
    from benchmarks import peers, run, side_figures, targets

    return SimpleNamespace(peers=peers, run=run, side_figures=side_figures, targets=targets)


def test_every_peer_is_loaded_by_the_benchmark_and_gives_habitat_kg_s_rows(
    built: BuildResult, store: Store, bench: SimpleNamespace
) -> None:
    from benchmarks.http_load import Client
    from benchmarks.peer_servers import oxigraph_in_memory, oxigraph_on_disk, virtuoso

    peers, dataset = bench.peers, built.dataset_path
    expected = {name: len(store.query(get(name).sparql())) for name in QUESTIONS}
    assert all(expected.values())
    with ExitStack() as running:
        started = [
            running.enter_context(oxigraph_in_memory(dataset, 60, 10)),
            running.enter_context(oxigraph_on_disk(dataset, 60, 10)),
            running.enter_context(virtuoso(dataset, 10_000, 60, 10)),
        ]
        clients = {
            peer.server.name: Client(peer.server.url, 10, peer.parameters) for peer in started
        }
        pids = {peer.server.name: peer.server.process.pid for peer in started}
        for name in QUESTIONS:
            found = peers.in_turns(clients, pids, get(name).sparql(), 2, 0.2, 10)
            for label, answer in found.items():
                assert answer["rows"] == expected[name], (name, label)  # the same dataset
                assert len(answer["samples"]) == 2 and not answer["timed_out"], (name, label)
                assert answer["cpu_seconds"] > 0, (name, label)
        for client in clients.values():
            client.close()
    assert bench.run.parse_args(["--only", "peers"]).only == "peers"


def _run(**medians: dict[str, float]) -> dict:
    """A peers run whose questions took these medians (seconds) per server."""
    questions: dict[str, dict] = {}
    for server, by_question in medians.items():
        for name, seconds in by_question.items():
            answer = {"samples": [seconds], "statuses": {"200": 1}, "timed_out": False, "rows": 3}
            questions.setdefault(name, {})[server.replace("_", " ")] = answer
    return {"servers": {}, "questions": questions}


def test_the_verdict_names_each_question_a_peer_answers_faster(bench: SimpleNamespace) -> None:
    peers, targets = bench.peers, bench.targets
    run = _run(
        **{
            "habitat-kg": {"a": 0.010, "b": 0.100},
            "oxigraph_server_(memory)": {"a": 0.008, "b": 0.120},
            "oxigraph_server_(disk)": {"a": 0.030, "b": 0.300},
            "virtuoso": {"a": 0.005, "b": 0.200},
        }
    )
    assert peers.ratio(run, "a", peers.VIRTUOSO) == pytest.approx(2.0)
    met, sentence, short = peers.verdict_words(run)
    assert met is False
    assert "slower than oxigraph server (memory) on 1 of 2 (a 1.2×)" in sentence
    assert "slower than oxigraph server (disk) on 0 of 2 (none)" in sentence
    assert short.endswith("virtuoso faster on 1 (up to 2×)")

    verdicts = targets.peers_side_by_side("1M", {"peers": run})
    assert [v.state for v in verdicts] == [targets.NOT_MET]
    assert targets.peers_side_by_side("100k", {"peers": run}) == []  # judged at 1M and 10M
    missing = targets.peers_side_by_side("10M", {})
    assert missing[0].state == targets.NOT_MEASURED

    run["questions"]["a"]["habitat-kg"]["samples"] = [0.007]
    assert peers.verdict_words(run)[0] is True


def test_the_other_benchmarks_figures_reach_the_summary_or_say_they_were_not_run(
    tmp_path: Path, bench: SimpleNamespace
) -> None:
    side_figures = bench.side_figures
    results = {
        "10k": {
            "cheap_beside_heavy": {"cheap": [0.01, 0.02], "cheap_statuses": {"200": 2}},
            "half_open": {
                "habitat-kg defaults": {
                    "sockets": 150,
                    "served_seconds": 3.5,
                    "closed_seconds": 5.0,
                    "limit": 8.0,
                }
            },
        }
    }
    rows = dict(side_figures.summary_rows(results, side_figures.load(tmp_path)))
    measured = list(rows.values())
    assert measured[0] == "not measured (python -m benchmarks.search)"
    assert measured[1] == "not measured (python -m benchmarks.extraction)"
    assert measured[2] == "not measured (python -m benchmarks.startup)"
    assert measured[3] == "met: p99 20 ms at 10k"
    assert measured[4] == "not met: 3.50 s with 150 sockets held"

    search = {
        "paragraphs": 1000,
        "targets_ms": {"search": 20.0, "autocomplete": 50.0},
        "schemes": {"pairs": {"search_ms": 25.0, "autocomplete_ms": 0.5, "mean_recall": 1.0}},
    }
    (tmp_path / "search.json").write_text(json.dumps(search))
    extraction = {
        "timing": {"median_seconds_per_report": 0.1},
        "targets": [
            {"name": "seconds to propose 30 paragraphs", "value": 0.6, "goal": 2.0, "met": True}
        ],
    }
    (tmp_path / "extraction.json").write_text(json.dumps(extraction))
    measured = list(dict(side_figures.summary_rows(results, side_figures.load(tmp_path))).values())
    assert measured[0].startswith("not met: search median 25 ms (target 20)")
    assert measured[1].startswith("met: 0.6 s per 30 paragraphs")


def test_the_engine_alone_is_asked_in_turns_with_oxigraph_s_server(
    built: BuildResult, bench: SimpleNamespace, tmp_path: Path
) -> None:
    from benchmarks import engine_gap
    from habitat_kg.server.store.forking import allocator_library

    (tmp_path / "data" / "tiny").mkdir(parents=True)
    (tmp_path / "data" / "tiny" / "habitat-kg.trig").symlink_to(built.dataset_path)
    options = ["--sizes", "tiny", "--datasets", str(tmp_path / "data"), "--reps", "2"]
    out = tmp_path / "out"
    found = engine_gap.main([*options, "--questions", ",".join(QUESTIONS), "--out", str(out)])
    engines = {"pyoxigraph", engine_gap.SERVER, "server CPU"}
    if allocator_library("mimalloc") is not None:
        engines.add("pyoxigraph + mimalloc")
    for name in QUESTIONS:
        samples = found["tiny"][name]
        assert set(samples) == engines
        assert all(len(taken) == 2 and min(taken) > 0 for taken in samples.values()), samples
    assert json.loads((out / "engine_gap.json").read_text()) == found
    lines = (out / "engine_gap.md").read_text().splitlines()
    assert sum(line.startswith("| tiny | ") for line in lines) == len(QUESTIONS)
    with pytest.raises(SystemExit, match="no such dataset"):
        engine_gap.main(["--sizes", "absent", "--datasets", str(tmp_path / "data")])
