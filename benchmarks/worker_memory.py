"""How the query workers hold the graph, side by side: the memory ``habitat-kg serve`` holds with
``--workers`` workers, per design, beside the minimal app's, and what each design costs in
latency and throughput::

    python -m benchmarks.worker_memory --sizes 1M [--designs 4,1,0] [--no-latency]

A design is a value of ``--memory-workers``: how many workers hold the graph in memory (4 of 4:
each a copy, as before issue 18), the others reading one on-disk store they share (1: one in
memory, which takes the queries first; 0: all on disk); ``NtT`` adds ``--worker-threads T``
(4t4: the 4 workers are threads of one process reading one copy in memory).

Memory is summed over the server's processes (the server, the fork server, the workers, from
/proc/PID/smaps_rollup): PSS, where a page shared by n processes counts 1/n in each, so that the
sum is what they hold together; USS (pages of one process only); and RSS as the main table gives
it (a shared page once per process). It is read after start, after the stored questions, and
after a load test of concurrent clients (every worker busy), and the design's figure is the
highest of the three. The page cache that holds the files of the shared store is not in any
process: its size on disk is given beside (the system gives it back when memory is short).

Latency: every stored question through the endpoint, in turns with the paced raw pyoxigraph
call (``benchmarks.turns``), judged as the main table judges it (within 1.5 × raw + 2 ms).
Throughput: ``--clients`` clients for ``--duration`` s on the cheap and the heavy question of the
main load test, beside the minimal app's.

The results go into ``results.json`` (``worker_memory`` at each size) and the tables are written
again (``benchmark.md``): run it after ``benchmarks.run`` with the same ``--out``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.http_load import CHEAP, LOAD_TEST_HEAVY, load_test
from benchmarks.numbers import endpoint_within, median
from benchmarks.options import add_run_options, add_to_results, question_names, say
from benchmarks.probes import tree_memory_mib
from benchmarks.processes import habitat_kg_server, minimal_server
from benchmarks.turns import PacedRaw, in_turns
from habitat_kg.server.questions import get

#: The share of the minimal app's memory the server may hold (issue 18).
MEMORY_SHARE = 1.25


def _highest(readings: list[dict]) -> dict:
    return {key: max(r[key] for r in readings) for key in ("pss", "uss", "rss")}


def _shared_store_mib(server_pid: int) -> float | None:
    """The size on disk of the shared store of the server (None: it has none)."""
    import tempfile

    folders = list(Path(tempfile.gettempdir()).glob(f"habitat-kg-shared-{server_pid}-*"))
    if not folders:
        return None
    used = subprocess.run(["du", "-sk", str(folders[0])], capture_output=True, text=True)
    return int(used.stdout.split()[0]) / 1024 if used.returncode == 0 else None


def _throughput(url: str, clients: int, duration: float, limit: float) -> dict:
    runs = {}
    heavy = get(LOAD_TEST_HEAVY).sparql()
    for name, sparql in (("cheap (ASK)", CHEAP), ("heavy (GROUP BY)", heavy)):
        run = load_test(url, sparql, clients, duration, limit)
        runs[name] = {"per_second": run.per_second, "errors": run.errors}
        say(f"      {name}: {run.per_second:.1f} requests/s, {run.errors} errors")
    return runs


def _latency(url: str, raw: PacedRaw, args: argparse.Namespace) -> dict:
    raw.samples = {}  # this design's turns only
    within, worst, questions = 0, 0.0, {}
    names = question_names(args)
    for question in map(get, names):
        samples = in_turns(
            url, question.name, question.sparql(), raw, args.reps, args.budget, args.limit
        )
        ours, paced = median(samples.samples), median(raw.samples.get(question.name))
        ok = endpoint_within(paced, ours)
        within += bool(ok)
        if ours and paced:
            worst = max(worst, ours / paced)
        questions[question.name] = {"endpoint": ours, "paced": paced, "within": ok}
    say(
        f"      {within} of {len(questions)} questions within 1.5 × raw + 2 ms "
        f"(slowest {worst:.1f} × raw)"
    )
    return {"within": within, "questions": questions, "worst_ratio": worst}


def measure_design(data: Path, design: str, args: argparse.Namespace, raw: PacedRaw | None) -> dict:
    memory_workers, threads = parse_design(design)
    options = ("--memory-workers", str(memory_workers), "--worker-threads", str(threads))
    start = habitat_kg_server(data, "memory", args.workers, args.limit, args.load_limit, *options)
    with start as server:
        readings = [tree_memory_mib(server.process.pid)]
        result: dict = {
            "memory_workers": memory_workers,
            "worker_threads": threads,
            "start_seconds": server.started_seconds,
            "shared_store_mib": _shared_store_mib(server.process.pid),
        }
        say(f"    started in {server.started_seconds:.1f} s: PSS {readings[0]['pss']:.0f} MiB")
        if raw is not None:
            result["latency"] = _latency(server.url, raw, args)
            readings.append(tree_memory_mib(server.process.pid))
        result["throughput"] = _throughput(server.url, args.clients, args.duration, args.limit)
        readings.append(tree_memory_mib(server.process.pid))
    result["readings"] = readings
    result["memory"] = _highest(readings)
    say(f"    PSS {result['memory']['pss']:.0f} MiB at most")
    return result


def measure_size(data: Path, args: argparse.Namespace) -> dict:
    dataset = data / "habitat-kg.trig"
    results: dict = {"workers": args.workers, "designs": {}}
    say("  minimal app ...")
    with minimal_server(dataset, args.load_limit) as server:
        readings = [tree_memory_mib(server.process.pid)]
        throughput = _throughput(server.url, args.clients, args.duration, args.limit)
        readings.append(tree_memory_mib(server.process.pid))
    results["minimal app"] = {"memory": _highest(readings), "throughput": throughput}
    say(f"    PSS {results['minimal app']['memory']['pss']:.0f} MiB")
    for design in args.designs:
        say(f"  habitat-kg serve, {args.workers} workers, design {design} ...")
        raw = PacedRaw(dataset, args.load_limit, args.limit) if args.latency else None
        try:
            results["designs"][design] = measure_design(data, design, args, raw)
        finally:
            if raw is not None:
                raw.stop()
    return results


def for_run(data: Path, run_args: argparse.Namespace, size: int, copy_mib: float | None) -> dict:
    """The designs measured in ``benchmarks.run`` at one size: the questions up to 1M (where
    the target holds them), and only the designs whose copies of the graph fit in the memory
    available now (the others named in ``skipped``)."""
    from benchmarks.generate import parse_size

    args = argparse.Namespace(**vars(run_args))
    args.workers = run_args.design_workers
    args.latency = size <= parse_size("1M")
    available = _available_mib()
    copies = 1 + int(args.latency)  # the paced probe holds one more
    fits = [
        n
        for n in map(str, run_args.memory_designs)
        if not copy_mib or (_copies(n, args.workers) + copies) * copy_mib < 0.8 * available
    ]
    args.designs = fits
    measured = measure_size(data, args)
    measured["skipped"] = [n for n in map(str, run_args.memory_designs) if n not in fits]
    return measured


def parse_design(design: str) -> tuple[int, int]:
    """``--memory-workers`` and ``--worker-threads`` of a design named N or NtT."""
    memory_workers, _, threads = str(design).partition("t")
    return int(memory_workers), int(threads or 1)


def _copies(design: str, workers: int) -> int:
    """The copies of the graph in memory a design holds."""
    memory_workers, threads = parse_design(design)
    in_memory = min(memory_workers, workers)
    return -(-in_memory // threads)


def _available_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


COLUMNS = [
    "size",
    "design",
    "PSS MiB",
    "× minimal app",
    "USS MiB",
    "RSS MiB",
    "shared store on disk MiB",
    "start s",
    "questions within 1.5 × raw + 2 ms",
    "slowest / raw",
    "cheap req/s (× minimal)",
    "heavy req/s (× minimal)",
]


def design_name(design: dict, workers: int) -> str:
    memory_workers, threads = design["memory_workers"], design.get("worker_threads", 1)
    if memory_workers >= workers and threads >= workers:
        return f"all {workers} workers threads of one process (one copy in memory)"
    if threads > 1:
        return f"{memory_workers} in memory as threads, {threads} to a process"
    if memory_workers >= workers:
        return f"all {workers} workers in memory (a copy each)"
    if memory_workers == 0:
        return f"all {workers} workers read one shared on-disk store"
    return f"{memory_workers} in memory, {workers - memory_workers} read one shared on-disk store"


def rows(size: str, run: dict) -> list[list[str]]:
    base = run["minimal app"]
    found = [
        [
            size,
            "minimal app (one process, 8 threads)",
            f"{base['memory']['pss']:.0f}",
            "1.00",
            f"{base['memory']['uss']:.0f}",
            f"{base['memory']['rss']:.0f}",
            "—",
            "—",
            "—",
            "—",
            f"{base['throughput']['cheap (ASK)']['per_second']:.0f}",
            f"{base['throughput']['heavy (GROUP BY)']['per_second']:.1f}",
        ]
    ]
    for design in run["designs"].values():
        memory, latency = design["memory"], design.get("latency")
        shared = design.get("shared_store_mib")
        share = memory["pss"] / base["memory"]["pss"]

        def rate(query: str, design: dict = design) -> str:
            ours, refused = (design["throughput"][query][key] for key in ("per_second", "errors"))
            theirs = base["throughput"][query]["per_second"]
            also = f", {refused} refused" if refused else ""
            return f"{ours:.1f} ({ours / theirs:.2f}{also})" if theirs else f"{ours:.1f}{also}"

        found.append(
            [
                size,
                design_name(design, run["workers"]),
                f"{memory['pss']:.0f}",
                f"{share:.2f}" + (" ✓" if share <= MEMORY_SHARE else ""),
                f"{memory['uss']:.0f}",
                f"{memory['rss']:.0f}",
                "—" if shared is None else f"{shared:.0f}",
                f"{design['start_seconds']:.1f}",
                f"{latency['within']} of {len(latency['questions'])}" if latency else "not run",
                f"{latency['worst_ratio']:.1f}" if latency else "—",
                rate("cheap (ASK)"),
                rate("heavy (GROUP BY)"),
            ]
        )
    return found


def plot_memory(axis: Any, size: str, run: dict | None) -> None:
    """A panel of the benchmark's picture: PSS per design beside the minimal app's, and the
    target's line (1.25 × the minimal app)."""
    axis.set_title(f"Memory at {size}, {run['workers'] if run else '—'} workers (PSS)")
    if not run:
        axis.text(0.5, 0.5, "not measured", ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
        return
    base = run["minimal app"]["memory"]["pss"]
    names = ["minimal app"] + [_short_name(d) for d in run["designs"].values()]
    values = [base] + [d["memory"]["pss"] for d in run["designs"].values()]
    axis.bar(range(len(values)), values, 0.6, color=["grey"] + ["C0"] * (len(values) - 1))
    axis.axhline(
        base * MEMORY_SHARE, color="C3", linestyle="--", label=f"{MEMORY_SHARE} × the minimal app"
    )
    axis.set_xticks(range(len(values)), names, rotation=30, ha="right")
    axis.set_ylabel("MiB, summed over the server's processes")
    axis.legend(fontsize="small")


def _short_name(design: dict) -> str:
    threads = design.get("worker_threads", 1)
    return f"{design['memory_workers']} in memory" + (f", {threads} threads" if threads > 1 else "")


def report_lines(all_results: dict[str, dict]) -> list[str]:
    """The section of benchmark.md."""
    from benchmarks.report import table

    runs = {size: r["worker_memory"] for size, r in all_results.items() if "worker_memory" in r}
    if not runs:
        return []
    found = [row for size, run in runs.items() for row in rows(size, run)]
    return [
        "## Memory by how the query workers hold the graph (issue 18)",
        "",
        "habitat-kg serve with the workers below (`--memory-workers`, `--worker-threads`), "
        "beside the minimal app. "
        "Memory summed over the server's processes: PSS (a page shared by n processes counts "
        "1/n in each; the highest of after start, after the questions and after the load test), "
        "USS (pages of one process only) and RSS (a shared page once per process). Target: PSS "
        f"at most {MEMORY_SHARE} × the minimal app's (✓), with every question within 1.5 × the "
        "raw call + 2 ms at 1M. The shared store's files are held by the page cache, which the "
        "system gives back when memory is short: their size on disk is beside. Throughput: "
        "requests/s of concurrent clients, and the share of the minimal app's. Taken on a "
        "machine shared with other work: timings are noisy, compare within a size.",
        "",
        table(COLUMNS, found),
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(parser, sizes="1M")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--designs",
        default="4,1,0,4t4",
        help="values of --memory-workers (NtT: --worker-threads T)",
    )
    parser.add_argument(
        "--no-latency",
        dest="latency",
        action="store_false",
        help="skip the questions (and the paced probe's graph)",
    )
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duration", type=float, default=5.0)
    args = parser.parse_args(argv)
    args.designs = args.designs.split(",")
    os.nice(0)

    def measure(size: str) -> dict:
        say(f"{size}: how the workers hold the graph ...")
        return measure_size(args.datasets / size, args)

    add_to_results(args, "worker_memory", measure, report_lines)


if __name__ == "__main__":
    main()
