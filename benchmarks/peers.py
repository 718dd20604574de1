"""The endpoint beside its peers over HTTP (issue 18): every stored question through ``habitat-kg
serve``, Oxigraph's server (in memory and on disk) and Virtuoso, each started and loaded from the
dataset here (``benchmarks.peer_servers``), all up at once and asked in turns::

    python -m benchmarks.peers --sizes 1M          # or: python -m benchmarks.run --only peers

Per question: one untimed call to each server first (its answer's rows are counted, so that a
peer that answers differently shows), then turns of a few calls through each server in a row,
until each has ``--reps`` calls (or the time is up), so that whatever else this shared machine
does weighs on every server alike. The figure per question and peer is the ratio of the medians,
habitat-kg's time over the peer's: above 1, the peer is faster.

The results go into ``results.json`` (``peers`` at each size) and the tables and the picture are
written again: run it after ``benchmarks.run`` with the same ``--out``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

from benchmarks.http_load import Client, Samples, repeat
from benchmarks.numbers import median, ms, timing
from benchmarks.options import add_run_options, add_to_results, question_names, say
from benchmarks.peer_servers import oxigraph_in_memory, oxigraph_on_disk, virtuoso
from benchmarks.probes import tree_cpu_seconds, tree_rss_mib
from benchmarks.processes import habitat_kg_server
from habitat_kg.server.questions import get

ENDPOINT = "habitat-kg"
#: habitat-kg again, its answer cache used (the question asked before): beside, not judged.
ENDPOINT_WARM = "habitat-kg (answer kept)"
#: Sent with every timed call but the warm ones: each server answers anew (habitat-kg's answer
#: cache is bypassed; the peers keep no answers).
COLD = {"Cache-Control": "no-cache"}
OXIGRAPH_MEMORY, OXIGRAPH_DISK = "oxigraph server (memory)", "oxigraph server (disk)"
VIRTUOSO = "virtuoso"
PEERS = (OXIGRAPH_MEMORY, OXIGRAPH_DISK, VIRTUOSO)
#: The peers the target holds the endpoint to: no question slower than through them.
OXIGRAPH_SERVERS = (OXIGRAPH_MEMORY, OXIGRAPH_DISK)
TURN_CALLS = 5  # as benchmarks.turns: few enough that every server sees the same moment


def answer_rows(body: bytes) -> int | None:
    """Rows of a SPARQL JSON answer (an ASK counts one); None when it is not one."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    if "boolean" in answer:
        return 1
    return len(answer.get("results", {}).get("bindings", []))


def _partial(client: Client) -> bool:
    """Whether the last answer is Virtuoso's partial one, past its time limit (a time-out)."""
    return client.headers.get("X-SQL-State", "").upper() == "S1TAT"


def in_turns(
    clients: dict[str, Client],
    pids: dict[str, int],
    sparql: str,
    reps: int,
    budget: float,
    limit: float,
) -> dict[str, dict]:
    """Each server's samples of ``sparql``: one untimed call each, then turns of up to
    ``TURN_CALLS`` calls through each in a row; a server's turn ends after ``budget`` seconds and
    no new round starts after 2 × ``budget`` × servers seconds. A call past ``limit`` seconds
    ends that server's part (timed out). The CPU time the server's processes (``pids``) used
    during its turns is summed beside (``cpu_seconds``)."""
    found = {
        label: {**asdict(Samples()), "rows": None, "bytes": None, "cpu_seconds": 0.0}
        for label in clients
    }
    asking = []
    for label, client in clients.items():
        try:
            status, size = client.ask(sparql)
        except TimeoutError:
            status, size = 0, 0
        if status == 0 or _partial(client):
            found[label]["timed_out"] = True
            client.close()
            continue
        found[label].update(rows=answer_rows(client.body) if status == 200 else None, bytes=size)
        asking.append(label)
    started = time.perf_counter()
    while asking and time.perf_counter() - started < 2 * budget * len(clients):
        for label in list(asking):
            samples = found[label]["samples"]
            calls = min(TURN_CALLS, reps - len(samples))
            cpu = tree_cpu_seconds(pids[label])
            turn = repeat("", sparql, calls, budget, limit, client=clients[label])
            if turn.timed_out or _partial(clients[label]):
                found[label]["timed_out"] = True
                asking.remove(label)
                continue
            found[label]["cpu_seconds"] += tree_cpu_seconds(pids[label]) - cpu
            samples += turn.samples
            statuses = found[label]["statuses"]
            for status, count in turn.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
            if len(samples) >= reps:
                asking.remove(label)
    return found


#: A server has settled when its processes use less than this share of a CPU over a second.
SETTLED_SHARE = 0.05


def settle(pid: int, limit: float) -> float:
    """Wait until the processes of the server ``pid`` stop working in the background after its
    start (habitat-kg's on-disk store for its other workers is made after it first answers):
    its CPU time grows by less than ``SETTLED_SHARE`` of a second in a second, twice in a row,
    or ``limit`` seconds. The seconds waited."""
    started = time.monotonic()
    quiet, before = 0, tree_cpu_seconds(pid)
    while quiet < 2 and time.monotonic() - started < limit:
        time.sleep(1.0)
        now = tree_cpu_seconds(pid)
        quiet = quiet + 1 if 0 <= now - before < SETTLED_SHARE else 0
        before = now
    return time.monotonic() - started


def measure_size(data: Path, args: argparse.Namespace, names: list[str]) -> dict:
    """Start the four servers, ask every question in turns, stop them; the figures."""
    dataset = data / "habitat-kg.trig"
    with dataset.open("rb") as lines:
        triples = sum(1 for _ in lines)  # an upper bound, enough to size Virtuoso
    results: dict = {"servers": {}, "questions": {}}
    starts: dict[str, Callable] = {
        ENDPOINT: lambda: habitat_kg_server(
            data, "memory", args.workers, args.limit, args.load_limit
        ),
        OXIGRAPH_MEMORY: lambda: oxigraph_in_memory(dataset, args.load_limit, args.limit),
        OXIGRAPH_DISK: lambda: oxigraph_on_disk(dataset, args.load_limit, args.limit),
        VIRTUOSO: lambda: virtuoso(dataset, triples, args.load_limit, args.limit),
    }
    starts = {
        label: start
        for label, start in starts.items()
        if label == ENDPOINT or label in args.peers.split(",")
    }
    clients: dict[str, Client] = {}
    pids: dict[str, int] = {}
    with ExitStack() as running:
        for label, start in starts.items():
            say(f"  {label}: starting and loading ...")
            before = time.monotonic()
            started = running.enter_context(start())
            server = getattr(started, "server", started)
            load = getattr(started, "load_seconds", server.started_seconds)
            ready = time.monotonic() - before
            settled = settle(server.process.pid, args.load_limit)
            info = {
                "load_seconds": load,
                "ready_seconds": ready,
                "settled_seconds": settled,
                "rss_mib": tree_rss_mib(server.process.pid),
            }
            results["servers"][label] = info
            say(
                f"    loaded in {load:.1f} s, ready after {ready:.1f} s, settled "
                f"{settled:.1f} s later, {info['rss_mib']:.0f} MiB"
            )
            client = Client(server.url, args.limit, getattr(started, "parameters", ()), COLD)
            running.callback(client.close)
            clients[label] = client
            pids[label] = server.process.pid
            if label == ENDPOINT:
                clients[ENDPOINT_WARM] = Client(server.url, args.limit)
                running.callback(clients[ENDPOINT_WARM].close)
                pids[ENDPOINT_WARM] = server.process.pid
        for name in names:
            found = in_turns(clients, pids, get(name).sparql(), args.reps, args.budget, args.limit)
            results["questions"][name] = found
            medians = (f"{label} {ms(median(found[label]['samples']))} ms" for label in clients)
            say(f"    {name}: " + ", ".join(medians))
    return results


# --- figures and tables ------------------------------------------------------------------------


def ratio(run: dict, name: str, peer: str) -> float | None:
    """habitat-kg's median over the peer's for one question (above 1: the peer is faster)."""
    ours = timing(run["questions"][name].get(ENDPOINT))[0]
    theirs = timing(run["questions"][name].get(peer))[0]
    return ours / theirs if ours and theirs else None


def slower_than(run: dict, peer: str) -> dict[str, float]:
    """The questions on which habitat-kg is slower than ``peer``, with the ratio."""
    found = {name: ratio(run, name, peer) for name in run["questions"]}
    return {name: value for name, value in found.items() if value is not None and value > 1}


def _listed(ratios: dict[str, float]) -> str:
    ordered = sorted(ratios.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {value:.2g}×" for name, value in ordered) or "none"


def verdict_words(run: dict) -> tuple[bool | None, str, str]:
    """The target at one size: (met, the sentence, a few words for the summary)."""
    total = len(run["questions"])
    parts, short, met = [], [], True
    for peer in OXIGRAPH_SERVERS:
        slower = slower_than(run, peer)
        met = met and not slower
        parts.append(f"slower than {peer} on {len(slower)} of {total} ({_listed(slower)})")
        short.append(f"{total - len(slower)} of {total} not slower than {peer}")
    faster = slower_than(run, VIRTUOSO)
    parts.append(f"{VIRTUOSO} faster on {len(faster)} of {total} ({_listed(faster)})")
    short.append(
        f"{VIRTUOSO} faster on {len(faster)}"
        + (f" (up to {max(faster.values()):.2g}×)" if faster else "")
    )
    return met, "habitat-kg's endpoint " + "; ".join(parts), "; ".join(short)


COLUMNS = ["size", "question", "rows", "habitat-kg p50 ms", f"{ENDPOINT_WARM} p50 ms"] + [
    column for peer in PEERS for column in (f"{peer} p50 ms", f"habitat-kg / {peer}")
]
SERVER_COLUMNS = ["size", "server", "load s", "ready s", "RSS after load MiB"]


def rows(size: str, run: dict) -> list[list[str]]:
    found = []
    for name, by_server in run["questions"].items():
        ours = by_server[ENDPOINT]
        p50, _, note = timing(ours)
        row = [size, name, str(ours.get("rows", "—")), ms(p50) + (f" ({note})" if note else "")]
        warm_p50, _, warm_note = timing(by_server.get(ENDPOINT_WARM))
        row.append(ms(warm_p50) + (f" ({warm_note})" if warm_note else ""))
        for peer in PEERS:
            theirs = by_server.get(peer)
            peer_p50, _, peer_note = timing(theirs)
            cell = ms(peer_p50) + (f" ({peer_note})" if peer_note else "")
            if theirs and theirs.get("rows") is not None and theirs["rows"] != ours.get("rows"):
                cell += f" ({theirs.get('rows')} rows)"
            value = ratio(run, name, peer)
            found_ratio = "—" if value is None else f"{value:.2f}" + (" ✗" if value > 1 else "")
            row += [cell, found_ratio]
        found.append(row)
    return found


def cpu_per_call(result: dict | None) -> float | None:
    """CPU seconds the server's processes used per timed call (None: not measured)."""
    if not result or not result.get("samples") or "cpu_seconds" not in result:
        return None
    return result["cpu_seconds"] / len(result["samples"])


CPU_COLUMNS = (
    ["size", "question"]
    + [f"{label} CPU ms" for label in (ENDPOINT, *PEERS)]
    + [f"habitat-kg CPU / {OXIGRAPH_MEMORY} CPU"]
)


def cpu_rows(size: str, run: dict) -> list[list[str]]:
    found = []
    for name, by_server in run["questions"].items():
        cpu = {label: cpu_per_call(by_server.get(label)) for label in (ENDPOINT, *PEERS)}
        ours, same_engine = cpu[ENDPOINT], cpu[OXIGRAPH_MEMORY]
        share = f"{ours / same_engine:.2f}" if ours and same_engine else "—"
        found.append([size, name, *(ms(value) for value in cpu.values()), share])
    return found


def report_lines(all_results: dict[str, dict]) -> list[str]:
    """The section of benchmark.md."""
    from benchmarks.report import table

    runs = {size: r["peers"] for size, r in all_results.items() if "peers" in r}
    if not runs:
        return []
    servers = [
        [
            size,
            label,
            f"{info['load_seconds']:.1f}",
            f"{info['ready_seconds']:.1f}",
            f"{info['rss_mib']:.0f}",
        ]
        for size, run in runs.items()
        for label, info in run["servers"].items()
    ]
    lines = [
        "## Peers over HTTP: Oxigraph's server and Virtuoso (issue 18)",
        "",
        "Every stored question through habitat-kg serve, Oxigraph's server in memory and on disk "
        "(`oxigraph serve`, `oxigraph serve-read-only`, with `--union-default-graph`) and "
        "Virtuoso (Debian's, its queries naming the dataset's graphs), all four up at once, "
        f"asked in turns ({TURN_CALLS} calls through each in a row, after one untimed call each). "
        "habitat-kg / peer is the ratio of the medians: above 1 (✗) the peer is faster. "
        "Every timed call but the kept ones says `Cache-Control: no-cache`: habitat-kg answers "
        f"anew (its answer cache bypassed); {ENDPOINT_WARM} is habitat-kg asked again without "
        "it (the answer kept since the first call), shown beside and not judged. "
        "Target (on the answers anew): no question slower through habitat-kg than through "
        "Oxigraph's server. "
        "A peer whose answer has other rows than habitat-kg's says how many.",
        "",
        table(SERVER_COLUMNS, servers),
        "",
        table(COLUMNS, [row for size, run in runs.items() for row in rows(size, run)]),
        "",
    ]
    for size, run in runs.items():
        met, sentence, _ = verdict_words(run)
        lines.append(f"- {size}: {sentence} — **{'met' if met else 'not met'}**")
    cpu = [row for size, run in runs.items() for row in cpu_rows(size, run)]
    if any(cell != "—" for row in cpu for cell in row[2:]):
        lines += [
            "",
            "CPU time per call, summed over each server's processes and threads during its "
            "turns (/proc schedstat): on a machine shared with other work, wall time also "
            "counts the waits for a CPU, and a request that passes from process to process "
            "(habitat-kg: the HTTP server, then a query worker) waits at each step; CPU time "
            "hardly grows with the load. Virtuoso's includes its background work.",
            "",
            table(CPU_COLUMNS, cpu),
        ]
    return [*lines, ""]


def plot_ratios(axis: object, size: str, run: dict | None) -> None:
    """A panel of the picture: habitat-kg's time over each peer's, per question (log scale)."""
    axis.set_title(f"habitat-kg / peer at {size} (above 1: the peer is faster)")
    if not run:
        axis.text(0.5, 0.5, "not measured", ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
        return
    names = list(run["questions"])
    width = 0.8 / len(PEERS)
    for index, peer in enumerate(PEERS):
        values = [ratio(run, name, peer) or 0 for name in names]
        axis.bar([i + index * width for i in range(len(names))], values, width, label=peer)
    axis.axhline(1, color="black", linewidth=0.8)
    axis.set_yscale("log")
    axis.set_yticks([0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10])
    axis.yaxis.set_major_formatter("{x:g}")
    axis.yaxis.set_minor_formatter("")
    axis.set_xticks(
        [i + 0.4 for i in range(len(names))], names, rotation=60, ha="right", fontsize="small"
    )
    axis.legend(fontsize="small")


def main(argv: list[str] | None = None) -> dict:
    from benchmarks.generate import generate, parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_run_options(parser, sizes="1M")
    parser.add_argument("--workers", type=int, default=2, help="habitat-kg serve query workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--peers", default=",".join(PEERS), help="the peers started, by label (default: all)"
    )
    parser.add_argument(
        "--base", type=Path, help="a build whose base layers the generated datasets take"
    )
    args = parser.parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        # Stopped by its process id, the run still stops the servers it started (ExitStack).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped (SIGTERM)"))
    names = question_names(args)

    def measure(size: str) -> dict:
        data = args.datasets / size
        if not (data / "habitat-kg.trig").is_file():
            say(f"{size}: generating the dataset ...")
            generate(parse_size(size), data, args.seed, args.base)
        say(f"{size}: habitat-kg beside its peers ...")
        return measure_size(data, args, names)

    return add_to_results(args, "peers", measure, report_lines)


if __name__ == "__main__":
    main()
