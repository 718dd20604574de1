"""The figures of the other open issues beside the benchmark's own (issue 18, item 5): search
latency (``benchmarks.search``, ``OUT/search.json``), extraction speed (``benchmarks.extraction``,
``OUT/extraction.json``), how soon ``serve`` answers (``benchmarks.startup``,
``OUT/startup.json``), a cheap question beside heavy ones and half-open connections (both
measured by ``benchmarks.run``, in ``results.json``), as rows of the summary table and as a row of
panels in the picture. Each is read from what its own benchmark wrote last; one that has not been
run says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import cheap_beside_heavy, half_open
from benchmarks.numbers import percentile

#: The search index the server uses, among the ways benchmarks.search compares.
SEARCH_SCHEME = "pairs"


def load(out: Path) -> dict[str, dict]:
    """The figures the other benchmarks wrote into ``out`` (an absent file: not there)."""
    found = {}
    for name in ("search", "extraction", "startup"):
        path = out / f"{name}.json"
        if path.is_file():
            found[name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _search(numbers: dict) -> str:
    scheme, goal = numbers["schemes"][SEARCH_SCHEME], numbers["targets_ms"]
    met = scheme["search_ms"] <= goal["search"]
    met = met and scheme["autocomplete_ms"] <= goal["autocomplete"]
    return (
        f"{'met' if met else 'not met'}: search median {scheme['search_ms']:g} ms "
        f"(target {goal['search']:g}), autocomplete {scheme['autocomplete_ms']:g} ms (target "
        f"{goal['autocomplete']:g}), recall {scheme['mean_recall']:.0%}, over "
        f"{numbers['paragraphs']:,} paragraphs"
    )


def _extraction(numbers: dict) -> str:
    timing = numbers["timing"]
    speed = next(t for t in numbers["targets"] if t["name"].startswith("seconds"))
    return (
        f"{'met' if speed['met'] else 'not met'}: {speed['value']:g} s per 30 paragraphs, "
        f"the slowest report (target ≤ {speed['goal']:g} s); median "
        f"{timing['median_seconds_per_report']:g} s per report"
    )


def _startup(numbers: dict) -> str:
    words = []
    for size, runs in numbers.items():
        now = runs.get("this version")
        before = next((run for label, run in runs.items() if label.startswith("before")), None)
        if now is None:
            continue
        said = (
            f"{size}: first answer {now['first_answer_s']:.1f} s, all workers "
            f"{now['all_ready_s']:.1f} s, server process at most "
            f"{now['rss_peak_mib']:.0f} MiB while the index is built"
        )
        if before is not None:
            said += (
                f" (before: first answer {before['first_answer_s']:.1f} s, "
                f"{before['rss_peak_mib']:.0f} MiB)"
            )
        words.append(said)
    return "; ".join(words) or _not_measured("startup")


def _not_measured(benchmark: str) -> str:
    return f"not measured (python -m benchmarks.{benchmark})"


def _side(side: dict, benchmark: str, summary: Callable[[dict], str]) -> str:
    """``summary`` of the figures the side run ``benchmark`` left, if it ran."""
    numbers = side.get(benchmark)
    return summary(numbers) if numbers else _not_measured(benchmark)


def _cheap_beside_heavy(all_results: dict[str, dict]) -> str:
    words, met = [], True
    for size, results in all_results.items():
        run = results.get("cheap_beside_heavy")
        if not run or not run["cheap"]:
            continue
        p99 = percentile(run["cheap"], 0.99)
        answered = set(run["cheap_statuses"]) == {"200"}
        met = met and answered and p99 <= cheap_beside_heavy.TARGET_SECONDS
        words.append(f"p99 {p99 * 1000:.0f} ms at {size}" + ("" if answered else " (refused)"))
    if not words:
        return "not measured"
    return f"{'met' if met else 'not met'}: " + ", ".join(words)


def _half_open(all_results: dict[str, dict]) -> str:
    for results in all_results.values():
        if "half_open" in results:
            figures = results["half_open"]
            ours = next(iter(figures.values()))
            served = ours["served_seconds"]
            met = served is not None and served <= half_open.TARGET_SECONDS
            also = [
                f"{label}: not within {f['limit']:g} s"
                if f["served_seconds"] is None
                else f"{label}: {f['served_seconds']:.2f} s"
                for label in list(figures)[1:]
                for f in [figures[label]]
            ]
            said = "not within the limit" if served is None else f"{served:.2f} s"
            return f"{'met' if met else 'not met'}: {said} with {ours['sockets']} sockets held" + (
                f" ({'; '.join(also)})" if also else ""
            )
    return "not measured"


def summary_rows(all_results: dict[str, dict], side: dict) -> list[list[str]]:
    """Rows of the summary table: target | measured."""
    return [
        [
            "search: a median search within 20 ms, autocomplete within 50 ms (pages' search box)",
            _side(side, "search", _search),
        ],
        [
            "extraction: a 30-paragraph report proposed within 2 s",
            _side(side, "extraction", _extraction),
        ],
        [
            "serve answers once its worker in memory is ready (the readers join later), and "
            "builds a missing search index apart (`benchmarks.startup`)",
            _side(side, "startup", _startup),
        ],
        [
            f"a cheap ASK answered within {cheap_beside_heavy.TARGET_SECONDS:g} s (p99) while "
            "workers + 4 heavy queries run",
            _cheap_beside_heavy(all_results),
        ],
        [
            f"a new client served within {half_open.TARGET_SECONDS:g} s while half-open sockets "
            "hold the server",
            _half_open(all_results),
        ],
    ]


def _bars(
    axis: Any, title: str, names: list[str], values: list[float], target: float, unit: str
) -> None:
    axis.set_title(title, fontsize="medium")
    if not values:
        axis.text(0.5, 0.5, "not measured", ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
        return
    bars = axis.bar(range(len(values)), values, 0.6)
    axis.bar_label(bars, [f"{value:.3g}" for value in values], fontsize="small")
    axis.axhline(target, color="C3", linestyle="--", label=f"target {target:g} {unit}")
    axis.set_xticks(range(len(values)), names, rotation=20, ha="right", fontsize="small")
    axis.set_ylabel(unit)


def plot_row(axes: list[Any], all_results: dict[str, dict], side: dict) -> None:
    """Four panels: search, extraction, cheap beside heavy, half-open; each with its target."""
    search = side.get("search", {}).get("schemes", {}).get(SEARCH_SCHEME)
    _bars(
        axes[0],
        "Search (100,000 paragraphs), median",
        ["search", "autocomplete"],
        [search["search_ms"], search["autocomplete_ms"]] if search else [],
        20,
        "ms",
    )
    if search:
        axes[0].axhline(50, color="C1", linestyle=":", label="autocomplete target 50 ms")
    speed = [
        t for t in side.get("extraction", {}).get("targets", []) if t["name"].startswith("seconds")
    ]
    _bars(
        axes[1],
        "Extraction, slowest report",
        ["s per 30 paragraphs"],
        [speed[0]["value"]] if speed else [],
        2.0,
        "s",
    )
    sizes = [s for s, r in all_results.items() if r.get("cheap_beside_heavy", {}).get("cheap")]
    p99 = [percentile(all_results[s]["cheap_beside_heavy"]["cheap"], 0.99) for s in sizes]
    _bars(
        axes[2],
        "Cheap ASK beside heavy queries, p99",
        sizes,
        p99,
        cheap_beside_heavy.TARGET_SECONDS,
        "s",
    )
    axes[2].set_yscale("log")
    held = next((r["half_open"] for r in all_results.values() if "half_open" in r), {})
    labels = [label.split(" (")[0] for label in held]
    served = [
        f["served_seconds"] if f["served_seconds"] is not None else f["limit"]
        for f in held.values()
    ]
    _bars(
        axes[3],
        "New client beside half-open sockets (at the limit: not served)",
        labels,
        served,
        half_open.TARGET_SECONDS,
        "s",
    )
    for axis in axes:
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize="small")
