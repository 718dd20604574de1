"""Measurements made in a fresh process, so that one store's memory and caches do not colour the
next: ``python -m benchmarks.probes load|latency|paced ...``. Each prints JSON lines on stdout.

- ``load``: open the store, load the dataset, ask one question; a line as soon as it is answered,
  then the seconds the load took and the resident memory (RSS) of the process after it.
- ``latency``: load once (``--store pyoxigraph``: pyoxigraph itself, answers written as JSON,
  with no store interface), then run each stored question (default parameters) ``--reps`` times,
  stopping early when a question has used ``--budget`` seconds; a line before the first call, one
  after it, and one with all the samples, so that the parent can end a question that runs too long
  (the calls are made back to back).
- ``paced``: load the dataset into pyoxigraph itself, then, for each request read from stdin (a
  JSON line: ``question``, ``calls``, ``budget``), time that many calls of the question, each after
  a pause (see ``_timed``), and print their samples: the benchmark asks in turns with the endpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of a process in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            total += rss_mib(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def tree_memory_mib(pid: int) -> dict[str, float]:
    """What a process and its descendants hold together, in MiB: ``pss`` (each page divided by
    the processes that share it, so that a page shared by all counts once in the sum), ``uss``
    (pages of one process only) and ``rss`` (every page of each process, shared ones in each:
    the sum counts a shared page once per process). Linux, /proc/PID/smaps_rollup."""
    total = {"pss": 0.0, "uss": 0.0, "rss": 0.0, "processes": 0}
    for current in _tree(pid):
        fields: dict[str, int] = {}
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines()[1:]:
                name, _, value = line.partition(":")
                fields[name] = int(value.split()[0])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
        total["pss"] += fields.get("Pss", 0) / 1024
        total["uss"] += (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024
        total["rss"] += fields.get("Rss", 0) / 1024
        total["processes"] += 1
    return total


def tree_cpu_seconds(pid: int) -> float:
    """CPU time a process and its descendants have used so far, every thread of each, in seconds
    (Linux, /proc/PID/task/TID/schedstat, nanoseconds): unlike wall time, it hardly grows when
    other work on the machine holds the CPUs."""
    total = 0
    for current in _tree(pid):
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return total / 1e9


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (those alive now)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def load(store_spec: str, dataset: Path) -> None:
    from habitat_kg.server.store import open_store

    started = time.perf_counter()
    store = open_store(store_spec)
    store.load_dataset(dataset)
    loaded = time.perf_counter() - started
    first = store.query("ASK { ?s ?p ?o }")
    answered = time.perf_counter() - started
    _say(answered=first)  # at once: counting the triples of an on-disk store takes a while
    _say(
        load_seconds=loaded,
        first_answer_seconds=answered,
        answer=first,
        rss_mib=rss_mib(),
        triples=store.triple_count(),
    )


class RawPyoxigraph:
    """pyoxigraph asked directly, its answer written as SPARQL JSON (what a server must send):
    the "raw pyoxigraph call" the endpoint is measured against."""

    def __init__(self, dataset: Path) -> None:
        import pyoxigraph as ox

        self._ox = ox
        self._store = ox.Store()

    def load_dataset(self, dataset: Path) -> None:
        self._store.bulk_load(path=str(dataset), format=self._ox.RdfFormat.TRIG)

    def query(self, sparql: str) -> bytes:
        ox = self._ox
        result = self._store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return result.serialize(format=ox.QueryResultsFormat.JSON)


#: The pause before each paced call: shorter than the time a server's worker waits between two
#: requests of one client on loopback (~1.5 ms: the answer goes out, the client reads it and sends
#: the next query, the server reads and passes it on).
PAUSE = 0.001


def latency(store_spec: str, dataset: Path, names: list[str], reps: int, budget: float) -> None:
    from habitat_kg.server.questions import get
    from habitat_kg.server.store import open_store

    store = RawPyoxigraph(dataset) if store_spec == "pyoxigraph" else open_store(store_spec)
    store.load_dataset(dataset)
    _say(ready=True, rss_mib=rss_mib())
    for name in names:
        _say(start=name)
        _question(store, name, get(name).sparql(), reps, budget)


def _question(store, name: str, sparql: str, reps: int, budget: float) -> None:
    """The samples of one question: a line after its first call, then one with all of them."""
    from habitat_kg.server.store import Solutions

    rows = 0

    def call() -> None:
        nonlocal rows
        answer = store.query(sparql)
        rows = len(answer) if isinstance(answer, Solutions) else rows

    samples = _timed(call, reps, budget, first=lambda seconds: _say(first=name, seconds=seconds))
    _say(done=name, rows=rows, samples=samples)


def paced(dataset: Path) -> None:
    """The raw pyoxigraph call paced, on request (JSON lines on stdin, until it closes)."""
    from habitat_kg.server.questions import get

    store = RawPyoxigraph(dataset)
    store.load_dataset(dataset)
    _say(ready=True, rss_mib=rss_mib())
    for line in sys.stdin:
        request = json.loads(line)
        sparql = get(request["question"]).sparql()
        calls, budget = request["calls"], request["budget"]
        _say(paced=_timed(partial(store.query, sparql), calls, budget, pause=PAUSE))


def _timed(
    call: Callable[[], None],
    reps: int,
    budget: float,
    pause: float = 0.0,
    first: Callable[[float], None] | None = None,
) -> list[float]:
    """Seconds of up to ``reps`` calls (fewer once ``budget`` seconds are used), back to back or
    each after ``pause`` seconds of idleness.

    Paced calls are what a server sees: between two requests its worker waits, and on this shared
    machine a query asked after even a millisecond of waiting takes up to twice as long as the same
    query asked back to back (measured at 100k, with pyoxigraph alone: 3.4 -> 8.2 ms). Timing only
    back-to-back calls would count that against the server.
    """
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < reps and (not samples or time.perf_counter() - started < budget):
        if pause:
            time.sleep(pause)
        before = time.perf_counter()
        call()
        samples.append(time.perf_counter() - before)
        if first is not None and len(samples) == 1:
            first(samples[0])
    return samples


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("load", "latency"):
        command = commands.add_parser(name)
        command.add_argument("--store", required=True)
        command.add_argument("--dataset", type=Path, required=True)
    commands.choices["latency"].add_argument("--questions", required=True)
    commands.choices["latency"].add_argument("--reps", type=int, default=20)
    commands.choices["latency"].add_argument("--budget", type=float, default=10.0)
    commands.add_parser("paced").add_argument("--dataset", type=Path, required=True)
    args = parser.parse_args(argv)
    os.nice(0)
    if args.command == "load":
        load(args.store, args.dataset)
    elif args.command == "paced":
        paced(args.dataset)
    else:
        latency(args.store, args.dataset, args.questions.split(","), args.reps, args.budget)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
