"""The engine alone: the same query text asked of pyoxigraph in a Python process and of Oxigraph's
server (the ``oxigraph`` binary), in turns, with no habitat-kg code on the way::

    python -m benchmarks.engine_gap --sizes 10M --datasets /work/data

``benchmarks.peers`` finds habitat-kg's endpoint slower than Oxigraph's in-memory server also on
questions whose cost is all evaluation (one row after seconds of work). This tells how much of
that the engine's build or process explains: pyoxigraph (the ``paced`` probe of
``benchmarks.probes``, the raw call every other table compares with), once with glibc's allocator
and once with mimalloc preloaded as the query workers run (setting ``worker-allocator``), against
``oxigraph serve`` in memory over loopback HTTP. Each question: one untimed call to each, then
``--reps`` turns of one call to each; the medians of wall time (the probe's call is one thread,
so its wall is its CPU) and the server's CPU per call. Writes ``OUT/engine_gap.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.http_load import Client
from benchmarks.numbers import median
from benchmarks.options import add_run_options, question_names, say
from benchmarks.peer_servers import oxigraph_in_memory
from benchmarks.probes import tree_cpu_seconds
from benchmarks.processes import Probe
from benchmarks.report import table
from habitat_kg.server.questions import get
from habitat_kg.server.store.forking import allocator_library

SERVER = "oxigraph serve (memory)"
COLUMNS = [
    "size",
    "question",
    "pyoxigraph ms",
    "pyoxigraph + mimalloc ms",
    "oxigraph serve ms",
    "oxigraph serve CPU ms",
    "pyoxigraph / serve",
]


def probe(dataset: Path, allocator: str | None, limit: float) -> Probe:
    """A loaded ``paced`` probe, with ``allocator``'s library preloaded (None: glibc's)."""
    environment = dict(os.environ)
    environment.pop("LD_PRELOAD", None)
    if allocator is not None:
        environment["LD_PRELOAD"] = allocator
    started = Probe(["paced", "--dataset", str(dataset)], environment)
    if started.next(limit) is None:
        started.stop()
        raise RuntimeError(f"the probe did not load {dataset} within {limit:g} s")
    return started


def measure_size(dataset: Path, args: argparse.Namespace, names: list[str]) -> dict:
    mimalloc = allocator_library("mimalloc")
    probes = {"pyoxigraph": probe(dataset, None, args.load_limit)}
    if mimalloc is not None:
        probes["pyoxigraph + mimalloc"] = probe(dataset, mimalloc, args.load_limit)
    results: dict[str, dict] = {}
    try:
        with oxigraph_in_memory(dataset, args.load_limit, args.limit) as peer:
            # one kept-alive connection: the server's thread for it (whose CPU is counted) lives
            # through the turns
            client, pid = Client(peer.server.url, args.limit), peer.server.process.pid

            def served(sparql: str) -> tuple[float, float]:
                cpu, wall = tree_cpu_seconds(pid), time.perf_counter()
                status, _ = client.ask(sparql)
                if status != 200:
                    raise RuntimeError(f"{SERVER} answered {status}: {client.body[:300]!r}")
                return time.perf_counter() - wall, tree_cpu_seconds(pid) - cpu

            for name in names:
                say(f"  {name}")
                results[name] = _in_turns(get(name).sparql(), name, probes, served, args)
            client.close()
    finally:
        for started in probes.values():
            started.stop()
    return results


def _in_turns(
    sparql: str,
    name: str,
    probes: dict[str, Probe],
    served: Callable[[str], tuple[float, float]],
    args: argparse.Namespace,
) -> dict:
    """One untimed call to each, then ``args.reps`` turns of a call to each: the samples."""
    samples: dict[str, list[float]] = {label: [] for label in (*probes, SERVER, "server CPU")}
    for turn in range(args.reps + 1):
        for label, started in probes.items():
            started.ask(question=name, calls=1, budget=args.limit)
            answer = started.next(args.limit * 2)
            if answer is None:
                raise RuntimeError(f"{label} did not answer {name} within {args.limit * 2:g} s")
            if turn:
                samples[label].extend(answer["paced"])
        wall, cpu = served(sparql)
        if turn:
            samples[SERVER].append(wall)
            samples["server CPU"].append(cpu)
    return samples


def rows(all_results: dict[str, dict]) -> list[list]:
    found = []
    for size, questions in all_results.items():
        for name, samples in questions.items():
            raw, serve = median(samples["pyoxigraph"]), median(samples[SERVER])
            found.append(
                [
                    size,
                    name,
                    _ms(raw),
                    _ms(median(samples.get("pyoxigraph + mimalloc"))),
                    _ms(serve),
                    _ms(median(samples["server CPU"])),
                    f"{raw / serve:.2f}" if raw and serve else "—",
                ]
            )
    return found


def _ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f}"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(parser, sizes="1M")
    args = parser.parse_args(argv)
    names = question_names(args)
    all_results = {}
    for size in args.sizes.split(","):
        dataset = args.datasets / size / "habitat-kg.trig"
        if not dataset.is_file():
            sys.exit(f"{dataset}: no such dataset (python -m benchmarks.generate --sizes {size})")
        say(f"{size}: pyoxigraph and oxigraph serve, in turns ...")
        all_results[size] = measure_size(dataset, args, names)
    text = "\n".join(
        [
            "## The engine alone: pyoxigraph against Oxigraph's server (benchmarks.engine_gap)",
            "",
            "Medians of the same query text, asked in turns; the probe's call is one thread, so "
            "its wall time is its CPU time. `pyoxigraph / serve` above 1: the binary is faster.",
            "",
            table(COLUMNS, rows(all_results)),
        ]
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "engine_gap.json").write_text(json.dumps(all_results, indent=1) + "\n")
    (args.out / "engine_gap.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return all_results


if __name__ == "__main__":
    main()
