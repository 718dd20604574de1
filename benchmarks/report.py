"""The benchmark's results as markdown tables (the targets are judged in ``targets``), and a
plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import cheap_beside_heavy, half_open, peers, side_figures, targets, worker_memory
from benchmarks.numbers import (
    endpoint_within,
    median,
    ms,
    paced_median,
    percentile,
    question_median,
    raw_baseline,
    timing,
)

LATENCY_COLUMNS = [
    "size",
    "question",
    "rows",
    "pyoxigraph p50 ms",
    "pyoxigraph p99 ms",
    "pyoxigraph paced p50 ms",
    "oxigraph store p50 ms",
    "endpoint p50 ms",
    "endpoint p99 ms",
    "endpoint within 1.5 × paced + 2 ms",
    "minimal app p50 ms",
    "rdflib p50 ms",
    "rdflib-endpoint p50 ms",
    "rdflib-endpoint / endpoint",
    "heavy (rdflib-endpoint ≥ 500 ms)",
]
LOAD_COLUMNS = ["size", "store", "triples", "load s", "RSS after load MiB", "first answer s"]
THROUGHPUT_COLUMNS = [
    "size",
    "server",
    "query",
    "clients",
    "requests/s",
    "p50 ms",
    "p99 ms",
    "errors",
]
VALIDATION_COLUMNS = [
    "size",
    "triples",
    "engine",
    "validation s",
    "results",
    "exit status",
    "same results as pySHACL",
]
SERVER_COLUMNS = ["size", "server", "start s", "RSS after start MiB"]
SUMMARY_COLUMNS = ["target", "measured"]
SKIPPED = "skipped (see below)"


def table(columns: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: float | None, note: str | None) -> str:
    return note if value is None and note else ms(value) + (f" ({note})" if note else "")


def latency_rows(size: str, results: dict) -> list[list[Any]]:
    rows = []
    heavy = targets.heavy_questions(results)
    peer_ran = targets.PEER in results["latency"]
    for name, raw in results["latency"]["pyoxigraph"].items():
        raw_p50, raw_p99, raw_note = timing(raw)
        store, _, store_note = timing(results["latency"]["oxigraph"].get(name))
        rows_found = results["latency"]["oxigraph"].get(name, {}).get("rows", "—")
        end_p50, end_p99, end_note = timing(results["latency"]["endpoint"].get(name))
        baseline = raw_baseline(results, name)
        within = {True: "yes", False: "no", None: "—"}[endpoint_within(baseline, end_p50)]
        mini, _, mini_note = timing(results["latency"]["minimal app"].get(name))
        rdf, _, rdf_note = _peer_timing(results, "rdflib", name)
        peer, _, peer_note = _peer_timing(results, targets.PEER, name)
        ratio = f"{peer / end_p50:.0f}x" if peer and end_p50 else (peer_note or "—")
        rows.append(
            [
                size,
                name,
                rows_found,
                _cell(raw_p50, raw_note),
                ms(raw_p99),
                ms(paced_median(results, name)),
                _cell(store, store_note),
                _cell(end_p50, end_note),
                ms(end_p99),
                within,
                _cell(mini, mini_note),
                _cell(rdf, rdf_note),
                _cell(peer, peer_note),
                ratio,
                ("yes" if name in heavy else "no") if peer_ran else "—",
            ]
        )
    return rows


def _peer_timing(results: dict, series: str, name: str) -> tuple:
    if series in results.get("skipped", {}):
        return None, None, "skipped"
    return timing(results["latency"].get(series, {}).get(name))


def throughput_rows(size: str, results: dict) -> list[list[Any]]:
    rows = []
    for server, by_query in results["throughput"].items():
        for query, run in by_query.items():
            if run.get("skipped"):
                rows.append([size, server, query, run["clients"], SKIPPED, "—", "—", "—"])
                continue
            latencies = run["latencies"]
            rows.append(
                [
                    size,
                    server,
                    query,
                    run["clients"],
                    f"{run['per_second']:.1f}",
                    ms(median(latencies)),
                    ms(percentile(latencies, 0.99) if latencies else None),
                    run["errors"],
                ]
            )
    return rows


def validation_rows(size: str, results: dict) -> list[list[Any]]:
    """A row per engine: its time, how many results, and (sparql) whether pySHACL agrees."""
    check = results.get("validation") or {}
    if "engines" not in check:
        return [[size, results["triples"], "—", check.get("note", "—"), "—", "—", "—"]]
    rows = []
    for engine, run in check["engines"].items():
        seconds = run.get("seconds")
        if engine in results.get("skipped", {}):
            took = SKIPPED
        else:
            took = f"{seconds:.1f}" if seconds is not None else run.get("note", "—")
        rows.append(
            [
                size,
                results["triples"],
                engine,
                took,
                run.get("results", "—"),
                run.get("exit", "—"),
                _agreement(engine, check),
            ]
        )
    return rows


def _agreement(engine: str, check: dict) -> str:
    if engine == "pyshacl":
        return "(the reference)"
    same = check.get("agreement")
    if same is None:
        return "not compared"
    if same["identical"]:
        return "identical"
    differing = same["only_sparql"] + same["only_pyshacl"]
    return (
        f"{differing} records differ ({same['only_sparql']} only from sparql, "
        f"{same['only_pyshacl']} only from pySHACL)"
    )


def not_run_lines(all_results: dict[str, dict]) -> list[str]:
    lines = []
    for size, results in all_results.items():
        for part, reason in results.get("skipped", {}).items():
            lines.append(f"- {size}: {part}: {reason}")
    return lines or ["- nothing: every measurement ran at every size"]


def markdown(
    all_results: dict[str, dict], settings: dict, plot: Path | None, side: dict | None = None
) -> str:
    """The tables; ``side``: the other benchmarks' figures (``side_figures.load``)."""
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
            server_rows.append(
                [size, server, f"{info['started_seconds']:.1f}", f"{info['rss_mib']:.0f}"]
            )
        latency += latency_rows(size, results)
        throughput += throughput_rows(size, results)
        validation += validation_rows(size, results)
    summary = targets.summary_rows(all_results) + side_figures.summary_rows(all_results, side or {})
    parts = [
        "# Benchmark",
        "",
        "Settings: " + ", ".join(f"{key} {value}" for key, value in settings.items()),
        "",
        "## Summary (the README's table)",
        "",
        table(SUMMARY_COLUMNS, summary),
        "",
        "## Targets",
        "",
        *targets.target_lines(all_results),
        "",
        "## What was not run, and why",
        "",
        *not_run_lines(all_results),
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
        targets.HEAVY_DEFINITION,
        "",
        targets.PACED_DEFINITION,
        "",
        table(LATENCY_COLUMNS, latency),
        "",
        "## HTTP throughput under concurrent clients",
        "",
        table(THROUGHPUT_COLUMNS, throughput),
        "",
        *peers.report_lines(all_results),
        *worker_memory.report_lines(all_results),
        *cheap_beside_heavy.report_lines(all_results),
        *half_open.report_lines(all_results),
        "## Validation (habitat-kg validate per engine, SHACL shapes)",
        "",
        "Each engine as the command runs it (`--format csv`, reading the dataset included); "
        "the sparql engine's results compared with pySHACL's as sorted CSV records.",
        "",
        table(VALIDATION_COLUMNS, validation),
        "",
    ]
    if plot is not None:
        parts += [f"![latency and throughput]({plot.name})", ""]
    return "\n".join(parts)


#: The series of the paced raw pyoxigraph call, in the plot.
PACED = "pyoxigraph paced"


def _medians(results: dict, series: str, names: list[str]) -> list[float | None]:
    """The median latency of each question in one series of a size's results."""
    if series == PACED:
        return [paced_median(results, name) for name in names]
    return [question_median(results, series, name) for name in names]


def plot(all_results: dict[str, dict], path: Path, side: dict | None = None) -> Path:
    """Per size (one row each): median latency per question, throughput (log scales), memory
    per design and the ratio to each peer (where measured); then a row of the other
    benchmarks' figures (``side_figures``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(all_results)
    designs = any("worker_memory" in results for results in all_results.values())
    with_peers = any("peers" in results for results in all_results.values())
    ratios = [3, 1] + [1] * designs + [2] * with_peers
    figure = plt.figure(figsize=(6 + 4 * len(ratios) + 2 * with_peers, 5.5 * (len(sizes) + 1)))
    grid = figure.add_gridspec(len(sizes) + 1, 1)
    axes = [
        grid[i].subgridspec(1, len(ratios), width_ratios=ratios).subplots()
        for i in range(len(sizes))
    ]
    side_figures.plot_row(
        list(grid[len(sizes)].subgridspec(1, 4).subplots()), all_results, side or {}
    )
    series = [
        "pyoxigraph",
        PACED,
        "oxigraph",
        "endpoint",
        "minimal app",
        "rdflib",
        "rdflib-endpoint",
    ]
    for row, size in zip(axes, sizes, strict=True):
        left, right = row[0], row[1]
        results = all_results[size]
        if designs:
            worker_memory.plot_memory(row[2], size, results.get("worker_memory"))
        if with_peers:
            peers.plot_ratios(row[-1], size, results.get("peers"))
        names = list(results["latency"]["pyoxigraph"])
        medians = {name: _medians(results, name, names) for name in series}
        shown = [name for name in series if any(medians[name])]
        width = 0.8 / len(shown)
        for index, name in enumerate(shown):
            left.bar(
                [i + index * width for i in range(len(names))],
                [v * 1000 if v else 0 for v in medians[name]],
                width,
                label=name,
            )
        left.set_yscale("log")
        left.set_ylabel("median latency, ms (log)")
        left.set_xticks([i + 0.4 for i in range(len(names))], names, rotation=60, ha="right")
        left.set_title(f"Stored questions at {size} triples")
        highest = max((v for name in shown for v in medians[name] if v), default=None)
        if highest is not None:  # a band above the bars for the legend, in one line
            left.set_ylim(top=highest * 1000 * 30)
        left.legend(fontsize="small", ncol=len(shown), loc="upper center")
        servers = list(results["throughput"])
        measured: list[float] = []
        for index, query in enumerate(["cheap (ASK)", "heavy (GROUP BY)"]):
            values = [results["throughput"][s].get(query, {}).get("per_second", 0) for s in servers]
            right.bar([i + index * 0.4 for i in range(len(servers))], values, 0.4, label=query)
            measured += [v for v in values if v > 0]
        right.set_yscale("log")
        if measured:  # from a decade below (close values must not look far apart) to room for
            right.set_ylim(bottom=min(measured) / 10, top=max(measured) * 10)  # the legend
        right.set_xticks([i + 0.2 for i in range(len(servers))], servers, rotation=30, ha="right")
        right.set_ylabel("requests/s (log)")
        right.set_title(f"Throughput at {size}, concurrent clients")
        right.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)
    return path
