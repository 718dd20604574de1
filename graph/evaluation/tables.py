"""The evaluation as tables: the text an analyst reads and the Markdown of the README."""

from __future__ import annotations

from habitat_kg.graph.evaluation.run import GROUPS, HELD_OUT, Evaluation
from habitat_kg.graph.evaluation.scoring import Count, Score
from habitat_kg.graph.extract.proposal import MEASURED_KINDS


def format_evaluation(result: Evaluation, misses: bool = False) -> str:
    """The tables an analyst reads: per kind for each group, per report, the targets."""
    lines = [f"extractor {result.extractor_version}", ""]
    groups = result.groups()
    names = [name for name in GROUPS if name in groups]
    lines.append("precision / recall (matched of proposed / of expected)")
    lines.append(f"{'kind':<12}" + "".join(f"{name:>28}" for name in names))
    for kind in (*MEASURED_KINDS, "links"):
        cells = [_cell(_count(groups[name], kind)) for name in names]
        lines.append(f"{kind:<12}" + "".join(f"{cell:>28}" for cell in cells))
    agreed = [f"{name} {_roles(groups[name])}" for name in names]
    lines.append("partner roles agreeing with the reference: " + ", ".join(agreed))
    lines += ["", "per report (links: resolution + unit + partner + place)"]
    for group in names:
        for found in (f for f in result.files if f.group == group):
            lines.append(
                f"  {found.name:<30} {group:<9} {found.language}  "
                f"{_cell(found.score.links):>26}  {found.seconds:.3f} s, "
                f"{found.paragraphs} paragraphs"
            )
            for half in (MEASURED_KINDS[:4], MEASURED_KINDS[4:]):
                kinds = "".join(f"{kind:>12} {_short(found.score.kinds[kind])}" for kind in half)
                lines.append(f"    {kinds}")
    lines += ["", "targets"]
    for target in result.targets():
        value = "n/a" if target.value is None else f"{target.value:.3f}"
        sign = "<=" if target.at_most else ">="
        verdict = "met" if target.met else "MISSED"
        lines.append(f"  {target.name:<36} {value:>7} (target {sign} {target.goal})  {verdict}")
    lines.append(f"  gazetteer loaded in {result.gazetteer_seconds:.2f} s")
    lines += [f"  note: {note}" for note in result.notes]
    if misses:
        lines += _misses(result)
    return "\n".join(lines)


def markdown_table(result: Evaluation) -> str:
    """Precision and recall per kind, one pair of columns per group of reports."""
    groups = result.groups()
    names = [name for name in GROUPS if name in groups]
    head = "| kind | " + " | ".join(f"{name} precision | {name} recall" for name in names) + " |"
    rows = [head, "| --- |" + " ---: | ---: |" * len(names)]
    for kind in (*MEASURED_KINDS, "links"):
        cells = []
        for name in names:
            count = _count(groups[name], kind)
            cells += [_percent(count.precision).strip(), _percent(count.recall).strip()]
        label = "**links** (resolution+unit+partner+place)" if kind == "links" else kind
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    # The table goes into the README: what it counts must travel with it.
    rows += ["", *(f"Note: {note}." for note in result.notes)] if result.notes else []
    return "\n".join(rows)


def _misses(result: Evaluation) -> list[str]:
    lines = ["", "misses and wrong proposals (held-out reports are never listed)"]
    for found in result.files:
        if found.group == HELD_OUT:
            continue
        lines.append(f"  {found.name}")
        for label, items in (("missed", found.score.missed), ("wrong", found.score.wrong)):
            for item in sorted(items, key=lambda i: (_order(i.passage), i.kind, i.text)):
                lines.append(f"    {label:<6} p{item.passage:<6} {item.kind:<10} {item.text}")
    return lines


def _roles(score: Score) -> str:
    return f"{score.roles_agreed} of {score.roles_compared} matched"


def _count(score: Score, kind: str) -> Count:
    return score.links if kind == "links" else score.kinds[kind]


def _cell(count: Count) -> str:
    shares = f"{_percent(count.precision)} / {_percent(count.recall)}"
    return f"{shares} ({count.matched}/{count.proposed}/{count.expected})"


def _short(count: Count) -> str:
    return f"{_percent(count.precision)}/{_percent(count.recall)}"


def _percent(value: float | None) -> str:
    return "  -" if value is None else f"{100 * value:3.0f}%"


def _order(passage: str) -> tuple[int, str]:
    number, _, rest = passage.partition("(")
    return (int(number) if number.isdigit() else 0, rest)
