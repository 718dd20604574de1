"""The extractor's benchmark: precision and recall per kind, and its speed::

    python -m benchmarks.extraction --out benchmarks/results --repeats 5

Runs ``habitat-kg evaluate``'s measurement (``habitat_kg.graph.evaluation``) over the bundled
report and the test corpus, and writes ``OUT/extraction.json`` (every count, per report and per
group, the timings and the targets) and ``OUT/extraction.md`` (the table per kind and the
targets). Held-out reports are scored, never itemised.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from habitat_kg.graph.evaluation.command import DEFAULT_CORPUS
from habitat_kg.graph.evaluation.run import evaluate
from habitat_kg.graph.evaluation.tables import markdown_table
from habitat_kg.project import bundled_sources


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per report")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus, bundled_sources(), args.repeats)
    numbers = result.as_json()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "extraction.json").write_text(
        json.dumps(numbers, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    timing = numbers["timing"]
    targets = [
        f"| {t['name']} | {t['value']} | {t['goal']} | {'met' if t['met'] else 'missed'} |"
        for t in numbers["targets"]
    ]
    lines = [
        f"# Extraction (extractor {result.extractor_version})",
        "",
        markdown_table(result),
        "",
        "| target | measured | goal | |",
        "| --- | ---: | ---: | --- |",
        *targets,
        "",
        f"Median seconds per report: {timing['median_seconds_per_report']} "
        f"(median of {args.repeats} runs each); gazetteer load: {timing['gazetteer_seconds']} s.",
    ]
    (args.out / "extraction.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines), file=sys.stdout)
    return numbers


if __name__ == "__main__":
    main()
