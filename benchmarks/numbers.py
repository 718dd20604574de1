"""Summaries of measured samples, shared by the tables and the targets."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (with few samples, p99 is the slowest)."""
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(samples: Sequence[float] | None) -> float | None:
    return statistics.median(samples) if samples else None


def ms(seconds: float | None) -> str:
    """Milliseconds with one decimal, or two significant digits below 1 ms."""
    if seconds is None:
        return "—"
    value = seconds * 1000
    return f"{value:.1f}" if value >= 1 else f"{value:.2g}"


def timing(result: dict | None) -> tuple[float | None, float | None, str | None]:
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


def question_median(results: dict, series: str, question: str) -> float | None:
    """The median latency of a stored question in one series (pyoxigraph, endpoint, ...)."""
    return timing(results["latency"].get(series, {}).get(question))[0]


def paced_median(results: dict, question: str) -> float | None:
    """The median of the raw pyoxigraph call paced like a server's requests (None: not run)."""
    return median(results["latency"].get("pyoxigraph", {}).get(question, {}).get("paced"))


def raw_baseline(results: dict, question: str) -> float | None:
    """What the endpoint is judged against: the paced raw call, or (in a run without paced
    calls) the back-to-back one."""
    paced = paced_median(results, question)
    return paced if paced is not None else question_median(results, "pyoxigraph", question)


def endpoint_within(raw: float | None, endpoint: float | None) -> bool | None:
    """The endpoint target for one question: within 1.5 × the raw call + 2 ms (None: unknown)."""
    if raw is None or endpoint is None:
        return None
    return endpoint <= 1.5 * raw + 0.002
