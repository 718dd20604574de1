"""The benchmark in one command::

    python -m benchmarks.run --sizes 10k,100k --out benchmarks/results
    python -m benchmarks.run --sizes 1M --only peers     # habitat-kg beside Oxigraph's server and
                                                         # Virtuoso (benchmarks.peers) alone

For each size it generates the dataset (``benchmarks.generate``, seeded; kept in
``benchmarks/data/<size>``, see ``--datasets``), then measures:

- load time and memory after load per store, each in a fresh process (Oxigraph in memory,
  Oxigraph on disk and its restart to a first answer, rdflib);
- the latency (median, 99th percentile) of every stored question: the raw pyoxigraph call
  (answer written as JSON; back to back, and paced in turns with the endpoint, see
  ``benchmarks.turns``), the Oxigraph store of habitat-kg (answer as ``Term`` objects), the
  same query through ``habitat-kg serve``'s endpoint, the minimal Flask + waitress + pyoxigraph
  app, rdflib's store, and rdflib-endpoint;
- HTTP throughput and latency under concurrent clients for a cheap (ASK) and a heavy
  (GROUP BY) question, against each server;
- the time ``habitat-kg validate`` takes with each engine (``sparql`` and ``pyshacl``) and
  whether their results are identical (``benchmarks.validation``).
- the latency of a cheap ASK while (workers + 4) heavy queries are in flight
  (``benchmarks.cheap_beside_heavy``);
- at the first size only: how long a new client waits while 150 half-open sockets hold the
  server (``benchmarks.half_open``);
- the memory of ``habitat-kg serve`` with 4 workers by how they hold the graph
  (``--memory-workers``, ``benchmarks.worker_memory``), beside the minimal app's; the questions
  through each design up to 1M.

Progress goes to stderr; the table to stdout, ``OUT/benchmark.md``, ``OUT/benchmark.png`` and the
raw numbers to ``OUT/results.json``. The targets of the issue are judged in
``benchmarks.targets`` (which also defines the heavy questions). A question that runs past
``--limit`` seconds is stopped (its process ended) and reported as a time-out.

What is not run at large sizes, each with its reason in the tables ("What was not run, and
why"), so that 10M fits in about 15 minutes on this 2-core machine:

- rdflib and rdflib-endpoint above ``--rdflib-max`` (100k): rdflib's engine takes seconds to
  minutes per question there, and its graph ~3.7 GiB per million triples;
- the concurrent load test of the heavy question above ``--heavy-load-max`` (1M): one heavy
  request alone takes seconds there, so a load test of a few seconds measures a handful of
  requests, not a throughput;
- pySHACL validation above ``--skip-pyshacl-above`` (1M, inclusive: it runs at 1M, the issue's
  anchor): ~200 s at 1M, growing with the graph, on an rdflib graph of ~3.7 GiB per million
  triples (~37 GiB at 10M, more than this machine has); so at 10M the sparql engine runs alone
  and its results are not compared.

At 10M everything else runs, one measurement at a time: Oxigraph in memory holds ~0.34 GiB per
million triples per loaded copy (3.4 GiB at 10M; ``habitat-kg serve`` has a copy in each of its
two query workers, 6.7 GiB, and the probe of the paced raw calls, idle while the endpoint answers,
one more beside it), loading takes ~6 s per million triples in memory and ~7 s on disk, and the
sparql validation engine runs alone within ``--validation-limit`` (600 s). Measured: 14 minutes
at 10M, 25 for the four sizes.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import (
    cheap_beside_heavy,
    half_open,
    peers,
    report,
    side_figures,
    worker_memory,
)
from benchmarks.generate import generate, parse_size
from benchmarks.http_load import LOAD_TEST_HEAVY
from benchmarks.numbers import median
from benchmarks.options import add_run_options, question_names, say
from benchmarks.processes import (
    habitat_kg_server,
    minimal_server,
    rdflib_endpoint_server,
)
from benchmarks.server_measures import measure_server
from benchmarks.store_measures import measure_loads, measure_raw
from benchmarks.turns import PacedRaw
from benchmarks.validation import measure_validation


def not_run(args: argparse.Namespace, size: int) -> dict[str, str]:
    """What is not measured at ``size`` triples, each with the reason the tables print."""
    reasons: dict[str, str] = {}
    if size > args.rdflib_max:
        reasons["rdflib"] = reasons["rdflib-endpoint"] = (
            f"skipped above {args.rdflib_max:,} triples (--rdflib-max): rdflib's engine takes "
            "seconds to minutes per question there, and its graph ~3.7 GiB per million triples"
        )
    if size > args.heavy_load_max:
        reasons["heavy load test"] = (
            f"skipped above {args.heavy_load_max:,} triples (--heavy-load-max): one heavy request "
            f"alone takes seconds there, so {args.clients} clients for {args.duration:g} s "
            "would measure a handful of requests, not a throughput"
        )
    if size > args.skip_pyshacl_above:
        reasons["pyshacl"] = (
            f"skipped above {args.skip_pyshacl_above:,} triples (--skip-pyshacl-above): pySHACL "
            "took ~200 s at 1M and grows with the graph, on an rdflib graph of ~3.7 GiB per "
            "million triples"
        )
    return reasons


def measure_size(args: argparse.Namespace, label: str, data: Path, names: list[str]) -> dict:
    size = parse_size(label)
    dataset = data / "habitat-kg.trig"
    skipped = not_run(args, size)
    for part, reason in skipped.items():
        say(f"  not run: {part}: {reason}")
    results: dict = {"latency": {}, "throughput": {}, "servers": {}, "skipped": skipped}
    with tempfile.TemporaryDirectory(prefix="habitat-kg-bench-") as scratch:
        results["loads"] = measure_loads(args, dataset, skipped, Path(scratch))
    results["triples"] = results["loads"]["oxigraph in memory"].get("triples", size)
    say("  raw pyoxigraph: questions ...")
    results["latency"]["pyoxigraph"] = measure_raw(args, "pyoxigraph", "pyoxigraph", dataset, names)
    say("  oxigraph store: questions ...")
    results["latency"]["oxigraph"] = measure_raw(args, "oxigraph store", "memory", dataset, names)
    if "rdflib" not in skipped:
        say("  raw rdflib: questions ...")
        results["latency"]["rdflib"] = measure_raw(args, "rdflib", "rdflib", dataset, names)
    start_limit = args.load_limit

    def ours():
        return habitat_kg_server(data, "memory", args.workers, args.limit, start_limit)

    say("  raw pyoxigraph, paced in turns with the endpoint: loading the dataset ...")
    raw = PacedRaw(dataset, args.load_limit, args.limit)
    try:
        measure_server(args, ours, names, results, "habitat-kg", skipped, raw)
    finally:
        raw.stop()
    for name, paced in raw.samples.items():
        results["latency"]["pyoxigraph"][name]["paced"] = paced
    results["latency"]["endpoint"] = results["latency"].pop("habitat-kg")
    say(f"  habitat-kg: a cheap ASK beside {args.workers + 4} heavy queries ...")
    results["cheap_beside_heavy"] = cheap_beside_heavy.measured(
        data, args.workers, args.limit, start_limit
    )
    alone = median(results["latency"]["endpoint"].get(LOAD_TEST_HEAVY, {}).get("samples"))
    if "heavy load test" in skipped and alone is not None:
        skipped["heavy load test"] += f" (here one call of {LOAD_TEST_HEAVY} took {alone:.3g} s)"
    measure_server(
        args, lambda: minimal_server(dataset, start_limit), names, results, "minimal app", skipped
    )
    if args.memory_designs:
        say(f"  how {args.design_workers} workers hold the graph (--memory-workers) ...")
        copy = results["loads"]["oxigraph in memory"].get("rss_mib")
        results["worker_memory"] = worker_memory.for_run(data, args, size, copy)
        for left_out in results["worker_memory"]["skipped"]:
            skipped[f"memory design {left_out}"] = (
                f"{left_out} copies of the graph in memory (with the paced probe's) would not "
                "fit in the memory available"
            )
    if "rdflib-endpoint" not in skipped:
        measure_server(
            args,
            lambda: rdflib_endpoint_server(dataset, start_limit),
            names,
            results,
            "rdflib-endpoint",
            skipped,
        )
    if args.validation:
        limit = args.validation_limit
        results["validation"] = measure_validation(data, skipped, limit, args.session)
    else:
        results["validation"] = {"note": "off (--no-validation)"}
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="habitat-kg benchmark (see benchmarks/run.py)")
    add_run_options(parser, sizes="10k,100k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each load test")
    parser.add_argument("--workers", type=int, default=2, help="habitat-kg serve query workers")
    # The sizes up to which a part runs (inclusive): not_run says why each stops there.
    for option, default, part in (
        ("--rdflib-max", "100k", "run rdflib and rdflib-endpoint"),
        ("--heavy-load-max", "1M", "run the heavy question's load test"),
        ("--skip-pyshacl-above", "1M", "validate with pySHACL"),
    ):
        parser.add_argument(
            option, type=parse_size, default=parse_size(default), help=f"{part} up to this size"
        )
    parser.add_argument(
        "--validation-limit", type=float, default=600.0, help="seconds one validation may take"
    )
    parser.add_argument("--no-validation", dest="validation", action="store_false")
    parser.add_argument(
        "--half-open-sockets",
        type=int,
        default=150,
        help="half-open sockets held while a new client is served",
    )
    parser.add_argument("--no-half-open", dest="half_open", action="store_false")
    parser.add_argument(
        "--memory-designs",
        type=lambda value: value.split(","),
        default=["4", "1", "0", "4t4"],
        help="values of --memory-workers to compare, NtT with --worker-threads T "
        "(benchmarks.worker_memory)",
    )
    parser.add_argument(
        "--no-memory-designs", dest="memory_designs", action="store_const", const=[]
    )
    parser.add_argument(
        "--design-workers",
        type=int,
        default=4,
        help="query workers of the servers that compare the designs",
    )
    parser.add_argument(
        "--only", choices=["peers"], help="measure only this part (peers: benchmarks.peers)"
    )
    parser.add_argument(
        "--base", type=Path, help="a build whose ontology and reference layers to use"
    )
    args = parser.parse_args(argv)
    try:
        [parse_size(label) for label in args.sizes.split(",")]
    except ValueError as error:
        parser.error(f"--sizes: {error}")
    args.session = date.today()  # one session date for every validation of the run
    return args


def write_results(args: argparse.Namespace, all_results: dict[str, dict]) -> str:
    """The raw numbers, the plot and the tables of the sizes measured so far; the tables' text."""
    settings = {
        key: getattr(args, key)
        for key in ("reps", "budget", "limit", "clients", "duration", "workers", "seed")
    }
    (args.out / "results.json").write_text(json.dumps(all_results, indent=1, default=str))
    side = side_figures.load(args.out)
    picture = report.plot(all_results, args.out / "benchmark.png", side)
    text = report.markdown(all_results, settings, picture, side)
    (args.out / "benchmark.md").write_text(text, encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> dict[str, dict]:
    args = parse_args(argv)
    if args.only == "peers":
        shared = [
            "--sizes",
            args.sizes,
            "--out",
            str(args.out),
            "--datasets",
            str(args.datasets),
            "--workers",
            str(args.workers),
            "--reps",
            str(args.reps),
            "--budget",
            str(args.budget),
            "--limit",
            str(args.limit),
            "--load-limit",
            str(args.load_limit),
            "--seed",
            str(args.seed),
        ]
        shared += ["--questions", args.questions] if args.questions else []
        return peers.main(shared + (["--base", str(args.base)] if args.base else []))
    names = question_names(args)
    args.out.mkdir(parents=True, exist_ok=True)
    all_results: dict[str, dict] = {}
    text = ""
    for label in args.sizes.split(","):
        data = args.datasets / label
        if not (data / "habitat-kg.trig").is_file():
            say(f"{label}: generating the dataset ...")
            generate(parse_size(label), data, args.seed, args.base)
        say(f"{label}: measuring ...")
        started = time.monotonic()
        all_results[label] = measure_size(args, label, data, names)
        if args.half_open and len(all_results) == 1:  # one size is enough: it does not depend on it
            say(f"{label}: half-open connections ...")
            all_results[label]["half_open"] = half_open.measure(data, args.half_open_sockets)
        say(f"{label}: measured in {time.monotonic() - started:.0f} s")
        # Written after every size: a long run cut short keeps what it measured.
        text = write_results(args, all_results)
    print(text)
    return all_results


if __name__ == "__main__":
    main()
