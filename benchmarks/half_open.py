"""Half-open connections: how long a new client waits while many sockets hold the server open.

    python -m benchmarks.half_open [--data DIR] [--sockets 150] [--limit 8]

Each socket connects to ``habitat-kg serve`` on loopback, sends the start of a request line
(``GET /sparql?query=ASK``, no line end) and nothing more. While they are held, a new client asks
``GET /health`` and the time until its answer is measured; then the time until the server has
closed the held sockets. It is measured twice: with the server's defaults, and with waitress's own
defaults (``--connection-limit 100``, no deadline for a request's head) for comparison. Prints a
table; ``benchmarks.run`` puts the figures in its results (``report_lines``).
"""

from __future__ import annotations

import argparse
import selectors
import socket
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.processes import BIN, running
from habitat_kg.settings import SETTINGS

#: The start of a request line, never finished.
PARTIAL_REQUEST = b"GET /sparql?query=ASK"
#: Seconds the target allows a new client to wait while the sockets are held.
TARGET_SECONDS = 2.0
#: (label, extra options of ``habitat-kg serve``)
CONFIGURATIONS = [
    ("habitat-kg defaults", []),
    (
        "waitress defaults (100 connections, no head deadline)",
        ["--connection-limit", "100", "--header-timeout", "100000"],
    ),
]
COLUMNS = ["server", "half-open sockets", "new client served in s", "half-open closed after s"]


def hold_half_open(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets connected to the server, each having sent a partial request line."""
    held = []
    for _ in range(count):
        connection = socket.create_connection((host, port), timeout=5)
        connection.sendall(PARTIAL_REQUEST)
        held.append(connection)
    return held


def seconds_to_serve(url: str, limit: float) -> float | None:
    """Seconds until ``url`` answered 200, or None when it did not within ``limit``."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=limit) as response:
            response.read()
            return time.monotonic() - started if response.status == 200 else None
    except (urllib.error.URLError, OSError):
        return None


def seconds_until_closed(held: list[socket.socket], limit: float) -> float | None:
    """Seconds until the server had closed every held socket, or None if not within ``limit``."""
    started = time.monotonic()
    open_sockets = set(held)
    with selectors.DefaultSelector() as selector:
        for connection in held:
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
        while open_sockets:
            left = limit - (time.monotonic() - started)
            if left <= 0:
                return None
            for key, _events in selector.select(timeout=left):
                connection = key.fileobj
                try:
                    ended = connection.recv(4096) == b""  # type: ignore[union-attr]
                except (ConnectionResetError, BlockingIOError) as error:
                    ended = isinstance(error, ConnectionResetError)
                if ended:
                    selector.unregister(connection)
                    open_sockets.discard(connection)  # type: ignore[arg-type]
    return time.monotonic() - started


def measure(
    data: Path,
    sockets: int = 150,
    limit: float = 8.0,
    configurations: list[tuple[str, list[str]]] = CONFIGURATIONS,
) -> dict[str, dict]:
    """The figures of each configuration (a label, options of ``habitat-kg serve``), served
    from the dataset in ``data`` (built there by ``habitat-kg serve`` when missing)."""
    results: dict[str, dict] = {}
    for label, options in configurations:
        command = [str(BIN / "habitat-kg"), "serve", "--data", str(data), "--port", "{port}"]
        with running(label, [*command, "--workers", "1", *options], "/sparql", 600) as server:
            base = server.url.removesuffix("/sparql")
            host, port = base.removeprefix("http://").split(":")
            held = hold_half_open(host, int(port), sockets)
            try:
                served = seconds_to_serve(base + "/health", limit)
                closed = seconds_until_closed(held, limit)
            finally:
                for connection in held:
                    connection.close()
        results[label] = {
            "sockets": sockets,
            "served_seconds": served,
            "closed_seconds": closed,
            "limit": limit,
        }
    return results


def rows(results: dict[str, dict]) -> list[list[str]]:
    def seconds(value: float | None, limit: float) -> str:
        return f"{value:.2f}" if value is not None else f"not within {limit:g}"

    return [
        [
            label,
            str(figures["sockets"]),
            seconds(figures["served_seconds"], figures["limit"]),
            seconds(figures["closed_seconds"], figures["limit"]),
        ]
        for label, figures in results.items()
    ]


def report_lines(all_results: dict[str, dict]) -> list[str]:
    """The section of ``benchmark.md`` for the sizes whose results hold ``half_open``."""
    from benchmarks.report import table

    measured = [(size, r["half_open"]) for size, r in all_results.items() if "half_open" in r]
    if not measured:
        return []
    timeout = SETTINGS["header-timeout"].default
    lines = [
        "## Half-open connections",
        "",
        f"A new client's `GET /health` while sockets that sent a partial request line hold the "
        f"server (target: served within {TARGET_SECONDS:g} s); header-timeout {timeout} s.",
        "",
    ]
    for size, results in measured:
        lines += [f"Served from the {size} dataset:", "", table(COLUMNS, rows(results)), ""]
    return lines


def main(argv: list[str] | None = None) -> dict[str, dict]:
    parser = argparse.ArgumentParser(description="half-open connections against habitat-kg serve")
    parser.add_argument("--data", type=Path, help="a data folder (default: the bundled graph)")
    parser.add_argument("--sockets", type=int, default=150)
    parser.add_argument("--limit", type=float, default=8.0, help="seconds to wait at most")
    args = parser.parse_args(argv)
    from benchmarks.report import table

    with tempfile.TemporaryDirectory(prefix="habitat-kg-half-open-") as scratch:
        results = measure(args.data or Path(scratch) / "data", args.sockets, args.limit)
    print(table(COLUMNS, rows(results)))
    return results


if __name__ == "__main__":
    main()
