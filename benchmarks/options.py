"""What the benchmark commands share: progress lines, the options of a measured run (sizes,
folders, calls per question and time limits) and the results file a side run adds its part to."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from habitat_kg.server.questions import all_questions


def say(message: str) -> None:
    """A progress line, on stderr: stdout carries the tables."""
    print(message, file=sys.stderr, flush=True)


def add_run_options(parser: argparse.ArgumentParser, sizes: str) -> None:
    """The options every measured run takes (``sizes``: the default of ``--sizes``)."""
    parser.add_argument("--sizes", default=sizes, help="10k,100k,1M,10M")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument(
        "--datasets", type=Path, default=Path("benchmarks/data"), help="generated datasets"
    )
    parser.add_argument("--reps", type=int, default=20, help="calls per question")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per question at most")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds one call may take")
    parser.add_argument("--load-limit", type=float, default=900.0)
    parser.add_argument("--questions", help="names of stored questions (default: all)")


def question_names(args: argparse.Namespace) -> list[str]:
    """The stored questions a run asks: ``--questions``, else all of them."""
    return args.questions.split(",") if args.questions else [q.name for q in all_questions()]


def add_to_results(
    args: argparse.Namespace,
    part: str,
    measure: Callable[[str], dict],
    report_lines: Callable[[dict], list[str]],
) -> dict:
    """A side run: ``measure`` each size of ``--sizes`` into ``part`` of ``OUT/results.json``
    (saved after every size, so that a run cut short keeps what it measured), print its table,
    and write the main run's tables again when the file holds a main run's results."""
    from benchmarks import run  # run calls the side runs: imported when one is run alone

    saved = args.out / "results.json"
    all_results = json.loads(saved.read_text()) if saved.is_file() else {}
    for size in args.sizes.split(","):
        all_results.setdefault(size, {})[part] = measure(size)
        args.out.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(all_results, indent=1, default=str))
    print("\n".join(report_lines(all_results)))
    if all("loads" in r for r in all_results.values()):
        run.write_results(run.parse_args(["--out", str(args.out)]), all_results)
    return all_results
