"""How soon ``habitat-kg serve`` answers, and what the server process holds meanwhile (issue 18)::

    python -m benchmarks.startup --data DATA --size 1M [--label before] --out benchmarks/results

``serve`` with its defaults (2 workers: 1 holding the graph in memory, 1 reading the shared
on-disk store) on a generated dataset with no search index beside it, from the start of the
process: when it answers its first query (an ASK through the endpoint), when every worker is
ready (``/health``; the readers of the shared store join once it is loaded), when the search
index it builds is written (a search answers 200, not 503), and the resident memory of the
server's own process (``/proc/PID/status``) at its first answer and at most until then (the
workers and the process writing the index are apart). Give ``--label`` and a ``PYTHONPATH``
holding another version to measure that one beside (``before``). The figures are added to
``OUT/startup.json`` under the size and the label, and ``OUT/startup.md`` is written again.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.processes import BIN, REPO, free_port, stop

#: Seconds the whole start may take before the run gives up.
LIMIT = 1200.0
ASK = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


def _status(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers or {}), timeout=5
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(data: Path, workers: int, limit: float = LIMIT) -> dict:
    """One start of ``serve`` on ``data``, watched until every worker and the index are ready
    (or ``limit`` seconds have passed: what has not happened by then is None)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryFile() as log:
        environment = os.environ | {"XDG_CACHE_HOME": cache}
        command = [
            str(BIN / "habitat-kg"),
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, cwd=REPO, env=environment
        )
        found: dict = {"first_answer_s": None, "all_ready_s": None, "index_ready_s": None}
        peak = 0.0
        try:
            while None in found.values() and time.monotonic() - started < limit:
                if process.poll() is not None:
                    raise RuntimeError(f"serve ended (exit {process.returncode})")
                peak = max(peak, _rss_mib(process.pid))
                now = time.monotonic() - started
                if found["first_answer_s"] is None:
                    if _status(f"{base}sparql?{ASK}")[0] == 200:
                        found["first_answer_s"] = time.monotonic() - started
                        found["rss_first_answer_mib"] = _rss_mib(process.pid)
                    else:
                        time.sleep(0.1)
                    continue
                if found["all_ready_s"] is None:
                    health = json.loads(_status(f"{base}health")[1] or b"{}")
                    ready = health.get("workers", {"ready": 1, "of": 1})  # before: all ready
                    if ready["ready"] >= ready["of"]:
                        found["all_ready_s"] = now
                if found["index_ready_s"] is None:
                    code, body = _status(f"{base}search?q=housing&format=json")
                    if code == 200 or b"could not be built" in body:
                        found["index_ready_s"] = now
                        if code != 200:
                            found["index_failed"] = json.loads(body)["error"]
                time.sleep(0.2)
        finally:
            stop(process)
            log.seek(0)
            said = log.read().decode(errors="replace")
    found["rss_peak_mib"] = peak
    found["said"] = [line for line in said.splitlines() if "joined" in line or "index" in line]
    found["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return found


def rows(results: dict) -> list[list[str]]:
    found = []
    for size, labels in results.items():
        for label, run in labels.items():

            def seconds(key: str, run: dict = run) -> str:
                return "—" if run.get(key) is None else f"{run[key]:.1f}"

            index = seconds("index_ready_s") + (" (failed)" if run.get("index_failed") else "")

            found.append(
                [
                    size,
                    label,
                    seconds("first_answer_s"),
                    seconds("all_ready_s"),
                    index,
                    f"{run.get('rss_first_answer_mib', 0):.0f}",
                    f"{run['rss_peak_mib']:.0f}",
                    " ".join(run["loadavg"]),
                ]
            )
    return found


COLUMNS = [
    "size",
    "version",
    "first answer s",
    "all workers ready s",
    "search index written s",
    "server process RSS at first answer MiB",
    "server process RSS peak MiB",
    "load average",
]


def markdown(results: dict) -> str:
    lines = [
        "# serve: time to first answer",
        "",
        __doc__.split("::")[0].strip(),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder with habitat-kg.trig")
    parser.add_argument("--size", required=True, help="the size's name in the table (1M)")
    parser.add_argument("--label", default="this version")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=float, default=LIMIT, help="seconds to watch at most")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    options = parser.parse_args(argv)
    run = measure(options.data, options.workers, options.limit)
    print(json.dumps(run, indent=1), file=sys.stderr)
    path = options.out / "startup.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    results.setdefault(options.size, {})[options.label] = run
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (options.out / "startup.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
