"""Cheap questions beside heavy ones: the latency of a cheap ASK while (workers + 4) heavy queries
are in flight against ``habitat-kg serve``::

    python -m benchmarks.cheap_beside_heavy [--data DIR] [--workers 2] [--timeout 10]
        [--heavy N] [--heavy-addresses K]

Heavy clients (one thread each, from 127.0.0.1, or spread over K addresses 127.0.1.x) ask a
query that would run for hours, again and again: each gets its answer, a 503 at the time limit,
or a 503 with Retry-After (it then asks again 50 ms later, as an impatient client would).
After a warm-up, another client (from 127.0.0.2: another user) asks a cheap ASK ``--asks``
times, one at a time; its median and 99th percentile are the figure. Run as a module it
measures the server as configured by default and, for comparison, with the protections off (no
worker kept for short queries, no queue bound, no per-client limit); ``benchmarks.run`` calls
:func:`measured` at each size.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.http_load import CHEAP
from benchmarks.numbers import median, percentile
from benchmarks.processes import habitat_kg_server

#: Every triple with every triple with every triple, counted: hours on any graph measured here.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HEAVY_ADDRESS, CHEAP_ADDRESS = "127.0.0.1", "127.0.0.2"
#: Where heavy clients come from when they come from several addresses (127.0.1.1, ...).
HEAVY_NETWORK = "127.0.1."
ACCEPT = "application/sparql-results+json"
#: The settings that turn the protections off, for the comparison.
UNPROTECTED = {"SHORT_WORKERS": "0", "QUEUE_LENGTH": "100000", "CLIENT_QUERIES": "0"}


@dataclass
class CheapBesideHeavy:
    heavy_clients: int
    #: Seconds each cheap ASK took (a refused or failed one counts, with its time).
    cheap: list[float] = field(default_factory=list)
    cheap_statuses: dict[str, int] = field(default_factory=dict)
    #: What the heavy requests got: "answer", "time limit", "busy" (503 + Retry-After), others.
    heavy_outcomes: dict[str, int] = field(default_factory=dict)
    #: One 503 with Retry-After that a heavy client got: its Retry-After and its message.
    busy_example: tuple[str, str] | None = None
    #: Seconds the heavy queries ran before the first cheap ask.
    warm_up: float = 0.0

    @property
    def p50(self) -> float | None:
        return median(self.cheap)

    @property
    def p99(self) -> float | None:
        return percentile(self.cheap, 0.99) if self.cheap else None


def connect(url: str, source: str, timeout: float) -> http.client.HTTPConnection:
    """A connection to ``url``'s server from the ``source`` address."""
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(source, 0)
    )


def ask(
    connection: http.client.HTTPConnection, url: str, sparql: str
) -> tuple[int, dict[str, str], str]:
    """GET ``sparql`` on ``connection``; the status, headers and body."""
    target = f"{urllib.parse.urlsplit(url).path}?{urllib.parse.urlencode({'query': sparql})}"
    connection.request("GET", target, headers={"Accept": ACCEPT})
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    return response.status, dict(response.getheaders()), body


def heavy_outcome(status: int, headers: dict[str, str], body: str) -> str:
    if status == 200:
        return "answer"
    if status == 503 and "Retry-After" in headers:
        return "busy"
    if status == 503 and "time limit" in body:
        return "time limit"
    return f"other {status}"


def measure(
    url: str,
    heavy_clients: int,
    time_limit: float,
    asks: int = 20,
    spacing: float = 0.25,
    warm_up: float = 3.0,
    heavy_addresses: int = 1,
) -> CheapBesideHeavy:
    """Cheap asks while ``heavy_clients`` threads (from ``heavy_addresses`` addresses) keep
    the heavy query in flight."""
    result = CheapBesideHeavy(heavy_clients)
    outcomes: Counter[str] = Counter()
    lock, done = threading.Lock(), threading.Event()
    in_flight: dict[http.client.HTTPConnection, float] = {}  # heavy requests, since when

    def heavy(address: str) -> None:
        while not done.is_set():
            connection = connect(url, address, time_limit + 15)
            with lock:
                in_flight[connection] = time.monotonic()
            outcome: str | None
            try:
                status, headers, body = ask(connection, url, HEAVY)
                outcome = heavy_outcome(status, headers, body)
                if outcome == "busy" and result.busy_example is None:
                    result.busy_example = (headers["Retry-After"], body.strip())
            except TimeoutError:
                outcome = "no answer in time"
            except (OSError, http.client.HTTPException) as error:  # cut at the end: not counted
                outcome = None if done.is_set() else f"failed ({type(error).__name__})"
            finally:
                with lock:
                    in_flight.pop(connection, None)
                connection.close()
            if outcome is not None:
                with lock:
                    outcomes[outcome] += 1
            if outcome != "time limit" and not done.is_set():
                time.sleep(0.05)

    addresses = [
        HEAVY_ADDRESS if heavy_addresses == 1 else f"{HEAVY_NETWORK}{1 + i % heavy_addresses}"
        for i in range(heavy_clients)
    ]
    threads = [threading.Thread(target=heavy, args=(a,), daemon=True) for a in addresses]
    for thread in threads:
        thread.start()
    try:
        time.sleep(warm_up)  # the heavy ones in flight, and the server's first answers to them
        statuses: Counter[str] = Counter()
        for _ in range(asks):
            started = time.perf_counter()
            connection = connect(url, CHEAP_ADDRESS, time_limit + 15)
            try:
                status, _, _ = ask(connection, url, CHEAP)
                statuses[str(status)] += 1
            except (OSError, http.client.HTTPException) as error:
                statuses[type(error).__name__] += 1
            finally:
                connection.close()
            result.cheap.append(time.perf_counter() - started)
            time.sleep(spacing)
        result.cheap_statuses = dict(statuses)
        result.warm_up = warm_up
    finally:
        done.set()
        with lock:  # what is still in flight is cut; one past the time limit had hung
            now = time.monotonic()
            for connection, since in in_flight.items():
                if now - since > time_limit + 2:
                    outcomes["no answer in time"] += 1
                if connection.sock is not None:
                    with contextlib.suppress(OSError):
                        connection.sock.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(10)
    result.heavy_outcomes = dict(outcomes)
    return result


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """The server reads its settings from HABITAT_KG_* variables where no option is given."""
    saved = {f"HABITAT_KG_{k}": os.environ.get(f"HABITAT_KG_{k}") for k in values}
    os.environ.update({f"HABITAT_KG_{k}": v for k, v in values.items()})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def measure_server(
    data: Path,
    workers: int,
    time_limit: float,
    start_limit: float,
    protected: bool = True,
    asks: int = 20,
    heavy_clients: int | None = None,
    heavy_addresses: int = 1,
) -> CheapBesideHeavy:
    """Start ``habitat-kg serve`` on ``data`` (protections on or off) and measure it. The
    warm-up lets the server stop a heavy query on its short lane and load the replacing worker
    once (about as long as it took to start), so that the asks see it as it then stays."""
    with _environment({} if protected else UNPROTECTED):
        server = habitat_kg_server(data, "memory", workers, time_limit, start_limit)
        with server as running:
            warm_up = 2.0 + 1.5 * running.started_seconds
            heavy = heavy_clients or workers + 4
            return measure(running.url, heavy, time_limit, asks, 0.25, warm_up, heavy_addresses)


def measured(data: Path, workers: int, time_limit: float, start_limit: float) -> dict:
    """The figure for ``benchmarks.run`` at one size, as stored in results.json."""
    return asdict(measure_server(data, workers, time_limit, start_limit))


COLUMNS = [
    "size",
    "server",
    "heavy in flight",
    "warm-up s",
    "cheap ASKs",
    "cheap p50 ms",
    "cheap p99 ms",
    "cheap statuses",
    "heavy outcomes",
]
#: The target of the issue: the 99th percentile of a cheap ASK while heavy queries run.
TARGET_SECONDS = 1.0


def row(size: str, label: str, run: dict) -> list[str]:
    """A table row for one measurement (as stored in results.json)."""
    cheap = run["cheap"]

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:.0f}"

    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(run["heavy_outcomes"].items()))
    statuses = ", ".join(f"{k} × {v}" for k, v in sorted(run["cheap_statuses"].items()))
    return [
        size,
        label,
        str(run["heavy_clients"]),
        f"{run['warm_up']:.1f}",
        str(len(cheap)),
        ms(median(cheap)),
        ms(percentile(cheap, 0.99) if cheap else None),
        statuses,
        outcomes,
    ]


def report_lines(all_results: dict[str, dict]) -> list[str]:
    """The section of benchmark.md: a row per size, and whether the target was met."""
    from benchmarks.report import table

    runs = {
        size: r["cheap_beside_heavy"]
        for size, r in all_results.items()
        if "cheap_beside_heavy" in r
    }
    if not runs:
        return []
    met = [
        size
        for size, run in runs.items()
        if run["cheap"]
        and set(run["cheap_statuses"]) == {"200"}
        and percentile(run["cheap"], 0.99) <= TARGET_SECONDS
    ]
    return [
        "## A cheap question beside heavy ones",
        "",
        "A cheap ASK from one client, asked one at a time, while (workers + 4) clients of "
        f"another address keep a heavy query in flight (`{HEAVY}`), after a warm-up; "
        "habitat-kg serve with its default limits. Target: every ASK answered, p99 within "
        f"{TARGET_SECONDS:g} s: met at {len(met)} of {len(runs)} sizes.",
        "",
        table(COLUMNS, [row(size, "habitat-kg", run) for size, run in runs.items()]),
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    from benchmarks.generate import generate, parse_size
    from benchmarks.report import table

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("benchmarks/data/10k"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's time limit")
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--heavy", type=int, help="heavy clients (default: workers + 4)")
    parser.add_argument(
        "--heavy-addresses",
        type=int,
        default=1,
        help="addresses the heavy clients come from (127.0.1.1, ...)",
    )
    parser.add_argument(
        "--no-comparison",
        dest="compare",
        action="store_false",
        help="measure only the server as configured by default",
    )
    args = parser.parse_args(argv)
    if not (args.data / "habitat-kg.trig").is_file():
        print(f"generating a dataset in {args.data} ...", file=sys.stderr)
        generate(
            parse_size(args.data.name if args.data.name[0].isdigit() else "10k"), args.data, 1, None
        )
    rows = []
    configurations = [("protections on (defaults)", True)]
    if args.compare:
        configurations.append(("protections off", False))
    for label, protected in configurations:
        print(f"{label}: heavy queries in flight ...", file=sys.stderr)
        # Unprotected, each ask may wait for the time limit: fewer asks tell as much.
        asks = args.asks if protected else min(args.asks, 5)
        run = measure_server(
            args.data,
            args.workers,
            args.timeout,
            600,
            protected,
            asks,
            args.heavy,
            args.heavy_addresses,
        )
        rows.append(row(args.data.name, label, asdict(run)))
    print(table(COLUMNS, rows))


if __name__ == "__main__":
    main()
