"""The benchmark's results as markdown tables, a verdict on the issue's targets, and a plot."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LATENCY_COLUMNS = [
    "size", "question", "rows", "pyoxigraph p50 ms", "pyoxigraph p99 ms", "oxigraph store p50 ms",
    "endpoint p50 ms", "endpoint p99 ms", "endpoint within 1.5x+2ms", "minimal app p50 ms",
    "rdflib p50 ms", "rdflib-endpoint p50 ms", "rdflib-endpoint / endpoint",
]  # fmt: skip
LOAD_COLUMNS = ["size", "store", "triples", "load s", "RSS after load MiB", "first answer s"]
THROUGHPUT_COLUMNS = [
    "size", "server", "query", "clients", "requests/s", "p50 ms", "p99 ms", "errors",
]  # fmt: skip
VALIDATION_COLUMNS = ["size", "triples", "validation s", "exit status"]
SERVER_COLUMNS = ["size", "server", "start s", "RSS after start MiB"]


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (with few samples, p99 is the slowest)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def ms(seconds: float | None) -> str:
    """Milliseconds with one decimal, or two significant digits below 1 ms."""
    if seconds is None:
        return "—"
    value = seconds * 1000
    return f"{value:.1f}" if value >= 1 else f"{value:.2g}"


def median(samples: Sequence[float] | None) -> float | None:
    return statistics.median(samples) if samples else None


def table(columns: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _timing(result: dict | None) -> tuple[float | None, float | None, str | None]:
    """(p50, p99, note) of a latency result: note says 'timeout' or the error statuses."""
    if result is None:
        return None, None, "not run"
    samples = result.get("samples") or []
    note = "timeout" if result.get("timed_out") else None
    bad = {s: n for s, n in (result.get("statuses") or {}).items() if str(s) != "200"}
    if bad:
        note = "status " + ", ".join(f"{s}×{n}" for s, n in bad.items())
    if not samples:
        return None, None, note
    return median(samples), percentile(samples, 0.99), note


def _cell(value: float | None, note: str | None) -> str:
    return note if value is None and note else ms(value) + (f" ({note})" if note else "")


def latency_rows(size: str, results: dict) -> list[list[Any]]:
    rows = []
    for name, raw in results["latency"]["pyoxigraph"].items():
        raw_p50, raw_p99, raw_note = _timing(raw)
        store, _, store_note = _timing(results["latency"]["oxigraph"].get(name))
        rows_found = results["latency"]["oxigraph"].get(name, {}).get("rows", "—")
        end_p50, end_p99, end_note = _timing(results["latency"]["endpoint"].get(name))
        within = "—"
        if raw_p50 is not None and end_p50 is not None:
            within = "yes" if end_p50 <= 1.5 * raw_p50 + 0.002 else "no"
        mini, _, mini_note = _timing(results["latency"]["minimal app"].get(name))
        rdf, _, rdf_note = _timing(results["latency"].get("rdflib", {}).get(name))
        peer, _, peer_note = _timing(results["latency"].get("rdflib-endpoint", {}).get(name))
        ratio = f"{peer / end_p50:.0f}x" if peer and end_p50 else (peer_note or "—")
        rows.append([
            size, name, rows_found, _cell(raw_p50, raw_note), ms(raw_p99),
            _cell(store, store_note), _cell(end_p50, end_note), ms(end_p99), within,
            _cell(mini, mini_note), _cell(rdf, rdf_note), _cell(peer, peer_note), ratio,
        ])  # fmt: skip
    return rows


def throughput_rows(size: str, results: dict) -> list[list[Any]]:
    rows = []
    for server, by_query in results["throughput"].items():
        for query, run in by_query.items():
            latencies = run["latencies"]
            rows.append([
                size, server, query, run["clients"], f"{run['per_second']:.1f}",
                ms(median(latencies)), ms(percentile(latencies, 0.99) if latencies else None),
                run["errors"],
            ])  # fmt: skip
    return rows


def verdicts(all_results: dict[str, dict]) -> list[str]:
    """The issue's targets, each measured in this run."""
    lines = []
    for size, results in all_results.items():
        rows = latency_rows(size, results)
        ok = sum(1 for row in rows if row[8] == "yes")
        lines.append(f"- {size}: {ok} of {len(rows)} stored questions through the endpoint within "
                     "1.5 × the raw pyoxigraph call + 2 ms (median)")  # fmt: skip
        throughput = results["throughput"]
        for query in ("cheap (ASK)", "heavy (GROUP BY)"):
            ours = throughput.get("habitat-kg", {}).get(query)
            base = throughput.get("minimal app", {}).get(query)
            if ours and base and base["per_second"]:
                share = ours["per_second"] / base["per_second"]
                lines.append(f"- {size}: habitat-kg keeps {share:.0%} of the minimal app's "
                             f"throughput for the {query} query (target ≥ 85%)")  # fmt: skip
        served = results.get("servers", {}).get("habitat-kg")
        if served:
            lines.append(f"- {size}: habitat-kg serve holds {served['rss_mib']:.0f} MiB after "
                         "start (server and query workers; target < 1024 MiB at 1M)")  # fmt: skip
        restart = results["loads"].get("oxigraph on disk (restart)")
        if restart:
            lines.append(f"- {size}: restart on the on-disk store answered its first query "
                         f"{restart['first_answer_wall']:.2f} s after the process started "
                         "(target ≤ 2 s)")  # fmt: skip
        validation = results.get("validation")
        if validation and validation.get("seconds") is not None:
            lines.append(f"- {size}: validation took {validation['seconds']:.1f} s "
                         "(target ≤ 30 s at 1M)")  # fmt: skip
    return lines


def markdown(all_results: dict[str, dict], settings: dict, plot: Path | None) -> str:
    load_rows, server_rows, latency, throughput, validation = [], [], [], [], []
    for size, results in all_results.items():
        for store, load in results["loads"].items():
            load_rows.append(
                [
                    size,
                    store,
                    load.get("triples", "—"),
                    f"{load['load_seconds']:.2f}",
                    f"{load['rss_mib']:.0f}",
                    f"{load.get('first_answer_wall', 0):.2f}",
                ]
                if "load_seconds" in load
                else [size, store, "—", load.get("note", "—"), "—", "—"]
            )
        for server, info in results.get("servers", {}).items():
            server_rows.append([size, server, f"{info['started_seconds']:.1f}",
                                f"{info['rss_mib']:.0f}"])  # fmt: skip
        latency += latency_rows(size, results)
        throughput += throughput_rows(size, results)
        check = results.get("validation") or {}
        seconds = check.get("seconds")
        validation.append([size, results["triples"], "—" if seconds is None else f"{seconds:.1f}",
                           check.get("exit", check.get("note", "—"))])  # fmt: skip
    parts = [
        "# Benchmark",
        "",
        "Settings: " + ", ".join(f"{key} {value}" for key, value in settings.items()),
        "",
        "## Targets",
        "",
        *verdicts(all_results),
        "",
        "## Load time and memory (a fresh process per store)",
        "",
        table(LOAD_COLUMNS, load_rows),
        "",
        "## Servers (start-up and memory, with every process of the server)",
        "",
        table(SERVER_COLUMNS, server_rows),
        "",
        "## Latency of every stored question (raw store call, endpoint, peers)",
        "",
        table(LATENCY_COLUMNS, latency),
        "",
        "## HTTP throughput under concurrent clients",
        "",
        table(THROUGHPUT_COLUMNS, throughput),
        "",
        "## Validation (habitat-kg validate, SHACL shapes, pySHACL)",
        "",
        table(VALIDATION_COLUMNS, validation),
        "",
    ]
    if plot is not None:
        parts += [f"![latency and throughput]({plot.name})", ""]
    return "\n".join(parts)


def plot(all_results: dict[str, dict], path: Path) -> Path:
    """Per size (one row each): median latency per question, and throughput (log scales)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(all_results)
    figure, axes = plt.subplots(
        len(sizes), 2, figsize=(16, 5.5 * len(sizes)), width_ratios=[3, 1], squeeze=False
    )
    series = ["pyoxigraph", "oxigraph", "endpoint", "minimal app", "rdflib", "rdflib-endpoint"]
    for (left, right), size in zip(axes, sizes, strict=True):
        results = all_results[size]
        names = list(results["latency"]["pyoxigraph"])
        shown = [name for name in series if results["latency"].get(name)]
        width = 0.8 / len(shown)
        for index, name in enumerate(shown):
            values = [_timing(results["latency"][name].get(q))[0] for q in names]
            left.bar([i + index * width for i in range(len(names))],
                     [v * 1000 if v else 0 for v in values], width, label=name)  # fmt: skip
        left.set_yscale("log")
        left.set_ylabel("median latency, ms (log)")
        left.set_xticks([i + 0.4 for i in range(len(names))], names, rotation=60, ha="right")
        left.set_title(f"Stored questions at {size} triples")
        left.legend(fontsize="small")
        servers = list(results["throughput"])
        for index, query in enumerate(["cheap (ASK)", "heavy (GROUP BY)"]):
            values = [results["throughput"][s].get(query, {}).get("per_second", 0) for s in servers]
            right.bar([i + index * 0.4 for i in range(len(servers))], values, 0.4, label=query)
        right.set_yscale("log")
        right.set_xticks([i + 0.2 for i in range(len(servers))], servers, rotation=30, ha="right")
        right.set_ylabel("requests/s (log)")
        right.set_title(f"Throughput at {size}, concurrent clients")
        right.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path
