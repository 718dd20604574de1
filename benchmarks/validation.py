"""Validation per size: how long ``habitat-kg validate`` takes with each engine, and whether the
engines find exactly the same results.

``habitat-kg validate --engine sparql|pyshacl`` chooses the engine: ``sparql`` (SHACL Core
compiled to SPARQL and run on the store) and ``pyshacl`` (pySHACL on an rdflib graph, the
reference). Each runs as the command a user types, ``--format csv``, so the time includes
reading the dataset. Both engines are given the same ``--session`` date, and their results are
compared as sorted CSV records (a record per validation result, header included): "identical",
or how many records only one of them wrote.
"""

from __future__ import annotations

import csv
import io
import subprocess
import time
from collections import Counter
from datetime import date
from pathlib import Path

from benchmarks.options import say
from benchmarks.processes import BIN

ENGINES = ("sparql", "pyshacl")
REFERENCE = "pyshacl"


def records(text: str) -> list[tuple[str, ...]]:
    """The CSV records of a report, sorted (a quoted value may hold a line break)."""
    return sorted(tuple(row) for row in csv.reader(io.StringIO(text)) if row)


def compare(ours: list[tuple[str, ...]], reference: list[tuple[str, ...]]) -> dict:
    """Whether two sorted sets of records are the same; if not, how many records (counted with
    repetition) only one side has, and a few of them to look at."""
    only_ours = Counter(ours) - Counter(reference)
    only_reference = Counter(reference) - Counter(ours)
    return {
        "identical": not only_ours and not only_reference,
        "only_sparql": sum(only_ours.values()),
        "only_pyshacl": sum(only_reference.values()),
        "examples_sparql": [list(r) for r in list(only_ours)[:5]],
        "examples_pyshacl": [list(r) for r in list(only_reference)[:5]],
    }


def run_engine(
    data: Path, engine: str, session: date, limit: float
) -> tuple[dict, list[tuple[str, ...]] | None]:
    """One ``habitat-kg validate`` run: its time and exit status, and its sorted records."""
    command = [str(BIN / "habitat-kg"), "validate", "--data", str(data), "--format", "csv"]
    command += ["--session", session.isoformat(), "--engine", engine]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"past {limit:g} s, stopped"}, None
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: results found
        error = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return {"seconds": None, "note": f"failed: {error[0][:160]}"}, None
    found = records(done.stdout.decode())
    return {"seconds": seconds, "exit": done.returncode, "results": max(0, len(found) - 1)}, found


def measure_validation(
    data: Path, skipped: dict[str, str], limit: float, session: date | None = None
) -> dict:
    """Every engine on the dataset in ``data`` (those in ``skipped`` not run: their reason is
    kept), and the sparql engine's results compared with pySHACL's."""
    session = session or date.today()
    engines: dict[str, dict] = {}
    found: dict[str, list[tuple[str, ...]]] = {}
    for engine in ENGINES:
        if engine in skipped:
            engines[engine] = {"seconds": None, "note": skipped[engine]}
            say(f"  validation, {engine}: {skipped[engine]}")
            continue
        say(f"  validation, {engine} engine ...")
        engines[engine], rows = run_engine(data, engine, session, limit)
        outcome = engines[engine]
        if rows is not None:
            found[engine] = rows
            say(f"    {outcome['seconds']:.1f} s, {outcome['results']} results")
        else:
            say(f"    {outcome['note']}")
    result: dict = {"session": session.isoformat()}
    result["engines"] = engines
    if "sparql" in found and REFERENCE in found:
        result["agreement"] = compare(found["sparql"], found[REFERENCE])
        same = result["agreement"]
        say(
            "    sparql and pyshacl: "
            + (
                "identical"
                if same["identical"]
                else f"{same['only_sparql'] + same['only_pyshacl']} records differ"
            )
        )
    return result


if __name__ == "__main__":
    from benchmarks.validation_turns import main

    main()
