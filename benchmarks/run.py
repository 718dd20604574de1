"""The benchmark in one command::

    python -m benchmarks.run --sizes 10k,100k --out benchmarks/results

For each size it generates the dataset (``benchmarks.generate``, seeded; kept in
``benchmarks/data/<size>``, see ``--datasets``), then measures:

- load time and memory after load per store, each in a fresh process (Oxigraph in memory,
  Oxigraph on disk and its restart to a first answer, rdflib);
- the latency (median, 99th percentile) of every stored question: the raw pyoxigraph call
  (answer written as JSON), the Oxigraph store of habitat-kg (answer as ``Term`` objects), the
  same query through ``habitat-kg serve``'s endpoint, the minimal Flask + waitress + pyoxigraph
  app, rdflib's store, and rdflib-endpoint;
- HTTP throughput and latency under concurrent clients for a cheap (ASK) and a heavy
  (GROUP BY) question, against each server;
- the time ``habitat-kg validate`` takes on the dataset.

Progress goes to stderr; the table to stdout, ``OUT/benchmark.md``, ``OUT/benchmark.png`` and the
raw numbers to ``OUT/results.json``. A question that runs past ``--limit`` seconds is stopped (its
process ended) and reported as a time-out. rdflib and rdflib-endpoint are skipped above
``--rdflib-max`` triples (they take minutes per question there).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from benchmarks import report
from benchmarks.generate import generate, parse_size
from benchmarks.http_load import load_test, repeat
from benchmarks.probes import tree_rss_mib
from benchmarks.processes import (
    BIN,
    Probe,
    habitat_kg_server,
    minimal_server,
    rdflib_endpoint_server,
)
from habitat_kg.questions import all_questions, get

CHEAP = "ASK { ?s a <https://w3id.org/habitat-kg/ontology#Activity> }"
HEAVY = "partners-on-several-resolutions"  # GROUP BY with HAVING over the whole graph


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_loads(args: argparse.Namespace, dataset: Path, size: int, scratch: Path) -> dict:
    loads: dict[str, dict] = {}
    disk = scratch / "oxigraph-store"
    stores = [("oxigraph in memory", "memory"), ("oxigraph on disk", f"oxigraph:{disk}"),
              ("oxigraph on disk (restart)", f"oxigraph:{disk}"), ("rdflib", "rdflib")]  # fmt: skip
    for name, spec in stores:
        if spec == "rdflib" and size > args.rdflib_max:
            loads[name] = {"note": f"skipped above {args.rdflib_max} triples"}
            continue
        say(f"  load: {name} ...")
        probe = Probe(["load", "--store", spec, "--dataset", str(dataset)])
        try:
            result = probe.next(args.load_limit)
        finally:
            probe.stop()
        if result is None:
            loads[name] = {"note": f"no answer within {args.load_limit:g} s"}
            continue
        result["first_answer_wall"] = time.monotonic() - probe.started
        loads[name] = result
    shutil.rmtree(disk, ignore_errors=True)
    return loads


def measure_raw(args: argparse.Namespace, spec: str, dataset: Path, names: list[str]) -> dict:
    """Latency of each question on a store in a probe; a question past the limit ends the
    probe (the only way to stop an evaluation) and a new one takes the remaining questions."""
    results: dict[str, dict] = {}
    remaining = list(names)
    while remaining:
        probe = Probe(["latency", "--store", spec, "--dataset", str(dataset), "--questions",
                       ",".join(remaining), "--reps", str(args.reps), "--budget",
                       str(args.budget)])  # fmt: skip
        try:
            if probe.next(args.load_limit) is None:
                raise RuntimeError(f"{spec}: the dataset did not load in {args.load_limit:g} s")
            while remaining:
                name = remaining[0]
                probe.next(args.limit)  # start
                if probe.next(args.limit) is None:  # the first call did not end in time
                    results[name] = {"timed_out": True, "samples": []}
                    remaining.pop(0)
                    say(f"    {spec} {name}: past {args.limit:g} s, stopped")
                    break
                done = probe.next(args.budget + args.limit)
                results[name] = done or {"timed_out": True, "samples": []}
                remaining.pop(0)
                if done is None:
                    break
        finally:
            probe.stop()
    return {name: results[name] for name in names}


def measure_http(args: argparse.Namespace, url: str, names: list[str]) -> tuple[dict, bool]:
    """Latency of each question through an endpoint; stops at the first time-out (the server
    may still be busy with it) and says so."""
    results = {}
    for name in names:
        samples = repeat(url, get(name).sparql(), args.reps, args.budget, args.limit)
        results[name] = asdict(samples)
        if samples.timed_out:
            return results, True
    return results, False


def measure_server(args: argparse.Namespace, start, names: list[str], results: dict,
                   label: str) -> None:  # fmt: skip
    """Questions and throughput through one kind of server; restarted after a time-out."""
    remaining = list(names)
    latencies: dict[str, dict] = {}
    throughput_done = False
    while remaining or not throughput_done:
        with start() as server:
            results.setdefault("servers", {}).setdefault(label, {
                "started_seconds": server.started_seconds,
                "rss_mib": tree_rss_mib(server.process.pid),
            })  # fmt: skip
            if remaining:
                say(f"  {label}: questions ({len(remaining)}) ...")
                measured, stopped = measure_http(args, server.url, remaining)
                latencies.update(measured)
                remaining = [n for n in remaining if n not in measured]
                if stopped:
                    say(f"    {label}: a question passed {args.limit:g} s; restarting the server")
                    continue
            heavy = get(HEAVY).sparql()
            for query_name, sparql in (("cheap (ASK)", CHEAP), ("heavy (GROUP BY)", heavy)):
                say(f"  {label}: {args.clients} clients, {query_name}, {args.duration:g} s ...")
                run = load_test(server.url, sparql, args.clients, args.duration, args.limit)
                results.setdefault("throughput", {}).setdefault(label, {})[query_name] = {
                    "clients": args.clients, "per_second": run.per_second,
                    "latencies": run.latencies, "errors": run.errors,
                }  # fmt: skip
            throughput_done = True
    results["latency"][label] = latencies


def measure_validation(args: argparse.Namespace, data: Path) -> dict:
    command = [str(BIN / "habitat-kg"), "validate", "--data", str(data), "--format", "json"]
    say("  validation ...")
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, timeout=args.validation_limit)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"past {args.validation_limit:g} s"}
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        error = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return {"seconds": None, "note": f"failed: {error[0][:120]}"}
    return {"seconds": seconds, "exit": done.returncode}


def measure_size(args: argparse.Namespace, label: str, data: Path, names: list[str]) -> dict:
    size = parse_size(label)
    dataset = data / "habitat-kg.trig"
    results: dict = {"latency": {}, "throughput": {}, "servers": {}}
    with tempfile.TemporaryDirectory(prefix="habitat-kg-bench-") as scratch:
        results["loads"] = measure_loads(args, dataset, size, Path(scratch))
    results["triples"] = results["loads"]["oxigraph in memory"].get("triples", size)
    say("  raw pyoxigraph: questions ...")
    results["latency"]["pyoxigraph"] = measure_raw(args, "pyoxigraph", dataset, names)
    say("  oxigraph store: questions ...")
    results["latency"]["oxigraph"] = measure_raw(args, "memory", dataset, names)
    if size <= args.rdflib_max:
        say("  raw rdflib: questions ...")
        results["latency"]["rdflib"] = measure_raw(args, "rdflib", dataset, names)
    start_limit = args.load_limit

    def ours():
        return habitat_kg_server(data, "memory", args.workers, args.limit, start_limit)

    measure_server(args, ours, names, results, "habitat-kg")
    results["latency"]["endpoint"] = results["latency"].pop("habitat-kg")
    measure_server(args, lambda: minimal_server(dataset, start_limit), names, results,
                   "minimal app")  # fmt: skip
    if size <= args.rdflib_max:
        measure_server(args, lambda: rdflib_endpoint_server(dataset, start_limit), names,
                       results, "rdflib-endpoint")  # fmt: skip
    results["validation"] = (
        measure_validation(args, data) if args.validation else {"seconds": None, "note": "off"}
    )
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="habitat-kg benchmark (see benchmarks/run.py)")
    parser.add_argument("--sizes", default="10k,100k", help="10k,100k,1M,10M")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument(
        "--datasets", type=Path, default=Path("benchmarks/data"), help="generated datasets"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=20, help="calls per question")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per question at most")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds one call may take")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each load test")
    parser.add_argument("--workers", type=int, default=2, help="habitat-kg serve query workers")
    parser.add_argument("--rdflib-max", type=parse_size, default=parse_size("100k"))
    parser.add_argument("--load-limit", type=float, default=900.0)
    parser.add_argument("--validation-limit", type=float, default=900.0)
    parser.add_argument("--no-validation", dest="validation", action="store_false")
    parser.add_argument("--questions", help="names of stored questions (default: all)")
    parser.add_argument(
        "--base", type=Path, help="a build whose ontology and reference layers to use"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, dict]:
    args = parse_args(argv)
    names = args.questions.split(",") if args.questions else [q.name for q in all_questions()]
    args.out.mkdir(parents=True, exist_ok=True)
    all_results: dict[str, dict] = {}
    for label in args.sizes.split(","):
        data = args.datasets / label
        if not (data / "habitat-kg.trig").is_file():
            say(f"{label}: generating the dataset ...")
            generate(parse_size(label), data, args.seed, args.base)
        say(f"{label}: measuring ...")
        all_results[label] = measure_size(args, label, data, names)
    settings = {key: getattr(args, key) for key in ("reps", "budget", "limit", "clients",
                                                     "duration", "workers", "seed")}  # fmt: skip
    (args.out / "results.json").write_text(json.dumps(all_results, indent=1, default=str))
    picture = report.plot(all_results, args.out / "benchmark.png")
    text = report.markdown(all_results, settings, picture)
    (args.out / "benchmark.md").write_text(text, encoding="utf-8")
    print(text)
    return all_results


if __name__ == "__main__":
    main()
