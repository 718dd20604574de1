"""The servers measured over HTTP: the latency of each stored question through an endpoint
(in turns with the raw call's paced samples, ``benchmarks.turns``) and throughput under
concurrent clients for a cheap and a heavy query."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from benchmarks.http_load import CHEAP, LOAD_TEST_HEAVY, load_test, repeat
from benchmarks.options import say
from benchmarks.probes import tree_rss_mib
from benchmarks.store_measures import progress
from benchmarks.turns import PacedRaw, in_turns
from habitat_kg.server.questions import get


def measure_http(
    args: argparse.Namespace, label: str, url: str, names: list[str], raw: PacedRaw | None = None
) -> tuple[dict, bool]:
    """Latency of each question through an endpoint (in turns with ``raw``'s paced calls when
    given); stops at the first time-out (the server may still be busy with it) and says so."""
    results = {}
    for name in names:
        sparql = get(name).sparql()
        if raw is None:
            samples = repeat(url, sparql, args.reps, args.budget, args.limit)
        else:
            samples = in_turns(url, name, sparql, raw, args.reps, args.budget, args.limit)
        results[name] = asdict(samples)
        paced = raw.samples.get(name) if raw is not None else None
        progress(label, name, {**results[name], "paced": paced})
        if samples.timed_out:
            return results, True
    return results, False


def measure_server(
    args: argparse.Namespace,
    start,
    names: list[str],
    results: dict,
    label: str,
    skipped: dict[str, str],
    raw: PacedRaw | None = None,
) -> None:
    """Questions (in turns with ``raw``'s paced calls when given) and throughput through one
    kind of server; restarted after a time-out."""
    remaining = list(names)
    latencies: dict[str, dict] = {}
    throughput_done = False
    while remaining or not throughput_done:
        say(f"  {label}: starting (it loads the dataset) ...")
        with start() as server:
            info = {
                "started_seconds": server.started_seconds,
                "rss_mib": tree_rss_mib(server.process.pid),
            }
            results.setdefault("servers", {}).setdefault(label, info)
            say(f"    answering after {info['started_seconds']:.1f} s, {info['rss_mib']:.0f} MiB")
            if remaining:
                say(f"  {label}: questions ({len(remaining)}) ...")
                measured, stopped = measure_http(args, label, server.url, remaining, raw)
                latencies.update(measured)
                remaining = [n for n in remaining if n not in measured]
                if stopped:
                    say(f"    {label}: a question passed {args.limit:g} s; restarting the server")
                    continue
            heavy = get(LOAD_TEST_HEAVY).sparql()
            by_query = results.setdefault("throughput", {}).setdefault(label, {})
            for query_name, sparql in (("cheap (ASK)", CHEAP), ("heavy (GROUP BY)", heavy)):
                if query_name.startswith("heavy") and "heavy load test" in skipped:
                    by_query[query_name] = {"clients": args.clients, "skipped": True}
                    continue
                say(f"  {label}: {args.clients} clients, {query_name}, {args.duration:g} s ...")
                run = load_test(server.url, sparql, args.clients, args.duration, args.limit)
                by_query[query_name] = {
                    "clients": args.clients,
                    "per_second": run.per_second,
                    "latencies": run.latencies,
                    "errors": run.errors,
                }
                say(f"    {run.per_second:.1f} requests/s, {run.errors} errors")
            throughput_done = True
    results["latency"][label] = latencies
