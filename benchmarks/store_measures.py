"""The stores measured in probe processes (``benchmarks.probes``): load time and memory after
load per store, and the latency of each stored question through the store's own call."""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from benchmarks.numbers import median, ms
from benchmarks.options import say
from benchmarks.processes import Probe


def measure_loads(
    args: argparse.Namespace, dataset: Path, skipped: dict[str, str], scratch: Path
) -> dict:
    """Load time, memory after load and the first answer's wall time of each store, each in a
    fresh probe process (the on-disk store twice: loaded, then reopened)."""
    loads: dict[str, dict] = {}
    disk = scratch / "oxigraph-store"
    stores = [
        ("oxigraph in memory", "memory"),
        ("oxigraph on disk", f"oxigraph:{disk}"),
        ("oxigraph on disk (restart)", f"oxigraph:{disk}"),
        ("rdflib", "rdflib"),
    ]
    for name, spec in stores:
        if spec in skipped:
            loads[name] = {"note": "skipped (see below)"}
            continue
        say(f"  load: {name} ...")
        probe = Probe(["load", "--store", spec, "--dataset", str(dataset)])
        try:
            answered = probe.next(args.load_limit)
            first_answer_wall = time.monotonic() - probe.started
            result = probe.next(args.load_limit) if answered is not None else None
        finally:
            probe.stop()
        if result is None:
            loads[name] = {"note": f"no answer within {args.load_limit:g} s"}
            say(f"    no answer within {args.load_limit:g} s")
            continue
        result["first_answer_wall"] = first_answer_wall
        loads[name] = result
        say(
            f"    {result['load_seconds']:.1f} s, {result['rss_mib']:.0f} MiB, first answer "
            f"{result['first_answer_wall']:.2f} s after the start"
        )
    shutil.rmtree(disk, ignore_errors=True)
    return loads


def measure_raw(
    args: argparse.Namespace, label: str, spec: str, dataset: Path, names: list[str]
) -> dict:
    """Latency of each question on a store in a probe; a question past the limit ends the probe
    (the only way to stop an evaluation) and a new one takes the remaining questions."""
    results: dict[str, dict] = {}
    remaining = list(names)
    while remaining:
        probe = Probe(
            [
                "latency",
                "--store",
                spec,
                "--dataset",
                str(dataset),
                "--questions",
                ",".join(remaining),
                "--reps",
                str(args.reps),
                "--budget",
                str(args.budget),
            ]
        )
        try:
            say(f"    {label}: loading the dataset ...")
            if probe.next(args.load_limit) is None:
                raise RuntimeError(f"{spec}: the dataset did not load in {args.load_limit:g} s")
            while remaining:
                name = remaining[0]
                probe.next(args.limit)  # start
                if probe.next(args.limit) is None:  # the first call did not end in time
                    results[name] = {"timed_out": True, "samples": []}
                    remaining.pop(0)
                    say(f"    {label} {name}: past {args.limit:g} s, stopped")
                    break
                done = probe.next(args.budget + args.limit)
                results[name] = done or {"timed_out": True, "samples": []}
                remaining.pop(0)
                progress(label, name, results[name])
                if done is None:
                    break  # the probe may still be busy with it: a new one takes the rest
        finally:
            probe.stop()
    return {name: results[name] for name in names}


def progress(where: str, name: str, result: dict) -> None:
    """A progress line for one question: its calls and their median, or that none answered."""
    samples = result.get("samples") or []
    if samples:
        typical = ms(median(samples))
        paced = result.get("paced")
        also = f", paced {ms(median(paced))} ms" if paced else ""
        say(f"    {where} {name}: {len(samples)} calls, median {typical} ms{also}")
    else:
        say(f"    {where} {name}: no answer in time")
