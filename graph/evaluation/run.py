"""Running the extractor over the measured reports and scoring what it proposes.

Two kinds of reference: the bundled report against its curated file, proposed with a gazetteer
built without that file (it must not serve as a dictionary for itself); and the test corpus's
reports (tests/data/corpus) against their gold files, proposed with the gazetteer of the bundled
sources. Files marked ``"tuning": false`` are held out: their scores are reported, their misses
never listed, so that nobody tunes on them by reading this output.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import report_id_of
from habitat_kg.graph.evaluation.items import (
    curated_items,
    curated_labels,
    gold_items,
    passages_of,
    proposed_items,
)
from habitat_kg.graph.evaluation.scoring import Count, Score, score, summed
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.parse import ReportText, read_report

BUNDLED, TUNING, HELD_OUT = "bundled", "tuning", "held-out"
GROUPS = (BUNDLED, TUNING, HELD_OUT)
#: The issue's targets: (group, measure, at least); links are resolution+unit+partner+place.
LINK_TARGETS = (
    (HELD_OUT, "precision", 0.90),
    (HELD_OUT, "recall", 0.85),
    (BUNDLED, "recall", 0.85),
)
#: A 30-paragraph report must be proposed within this many seconds.
SECONDS_PER_30_PARAGRAPHS = 2.0

#: ``propose(text, report_id, gazetteer) -> proposals``, as graph/extract provides it.
Propose = Callable[[ReportText, str, object], Iterable[Proposal]]


@dataclass
class FileResult:
    """One measured report: where it stands, how long the extractor took, how it scored."""

    name: str
    report_id: str
    group: str
    language: str
    paragraphs: int
    seconds: float
    score: Score
    #: Measured proposals on no paragraph (a heading, the header): not compared.
    outside: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "report_id": self.report_id,
            "group": self.group,
            "language": self.language,
            "paragraphs": self.paragraphs,
            "seconds": round(self.seconds, 4),
            "outside_paragraphs": self.outside,
            **self.score.as_json(),
        }


@dataclass
class Target:
    name: str
    value: float | None
    goal: float
    at_most: bool = False

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value <= self.goal if self.at_most else self.value >= self.goal


@dataclass
class Evaluation:
    files: list[FileResult]
    extractor_version: str
    gazetteer_seconds: float
    repeats: int = 1
    notes: list[str] = field(default_factory=list)

    def group(self, name: str) -> Score:
        return summed(f.score for f in self.files if f.group == name)

    def groups(self) -> dict[str, Score]:
        return {
            name: self.group(name) for name in GROUPS if any(f.group == name for f in self.files)
        }

    def seconds_per_30_paragraphs(self) -> float | None:
        """The slowest report's time, scaled to 30 paragraphs."""
        rates = [30 * f.seconds / f.paragraphs for f in self.files if f.paragraphs]
        return max(rates) if rates else None

    def targets(self) -> list[Target]:
        groups = self.groups()
        found = []
        for group, measure, goal in LINK_TARGETS:
            links = groups[group].links if group in groups else Count()
            value = links.precision if measure == "precision" else links.recall
            label = "untuned reports" if group == HELD_OUT else "bundled report"
            found.append(Target(f"{label}: links {measure}", value, goal))
        found.append(
            Target(
                "seconds to propose 30 paragraphs",
                self.seconds_per_30_paragraphs(),
                SECONDS_PER_30_PARAGRAPHS,
                at_most=True,
            )
        )
        return found

    def as_json(self) -> dict[str, object]:
        per_report = [f.seconds for f in self.files]
        return {
            "extractor_version": self.extractor_version,
            "groups": {name: s.as_json() for name, s in self.groups().items()},
            "files": [f.as_json() for f in self.files],
            "timing": {
                "gazetteer_seconds": round(self.gazetteer_seconds, 4),
                "median_seconds_per_report": round(statistics.median(per_report), 4)
                if per_report
                else None,
                "seconds_per_30_paragraphs": _round(self.seconds_per_30_paragraphs()),
                "repeats": self.repeats,
            },
            "targets": [
                {"name": t.name, "value": _round(t.value), "goal": t.goal, "met": t.met}
                for t in self.targets()
            ],
            "notes": self.notes,
        }


def measure_file(
    text: ReportText,
    report_id: str,
    group: str,
    proposals: Iterable[Proposal],
    expected: Callable[[Mapping[URIRef, object]], list],
    labels_of: Callable[[URIRef], Iterable[str]],
    seconds: float,
    fold: bool = False,
) -> FileResult:
    """Score one report's proposals against what ``expected(passages)`` gives."""
    passages = passages_of(text, report_id, fold=fold)
    ours, outside = proposed_items(proposals, passages, labels_of)
    result = score(ours, expected(passages))
    return FileResult(
        text.path.name,
        report_id,
        group,
        text.language,
        len(text.paragraphs),
        seconds,
        result,
        outside,
    )


def corpus_reports(corpus: Path) -> list[tuple[Path, dict]]:
    """The reports of the test corpus with their gold files (resolutions and decisions are
    measured by issue 16, not here)."""
    if not corpus.is_dir():
        raise SourceError(corpus, None, "no such folder: --corpus names the test corpus folder")
    found = []
    for gold_path in sorted(corpus.glob("*.gold.json")):
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SourceError(gold_path, getattr(error, "lineno", None), f"{error}") from None
        if not isinstance(gold, dict) or gold.get("kind") != "report":
            continue
        try:
            gold_items(gold)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            problem = (
                f"not in the form of tests/data/corpus/README.md: {type(error).__name__} {error}"
            )
            raise SourceError(gold_path, None, problem) from None
        text = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt")
        if not text.is_file():
            raise SourceError(gold_path, None, f"no text beside it: {text.name}")
        found.append((text, gold))
    if not found:
        raise SourceError(corpus, None, "no report gold files (*.gold.json of kind report) here")
    return found


def timed(propose: Propose, text: ReportText, report_id: str, gazetteer, repeats: int):
    """The proposals, and the median of ``repeats`` timings of the call."""
    times, proposals = [], []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        proposals = list(propose(text, report_id, gazetteer))
        times.append(time.perf_counter() - started)
    return proposals, statistics.median(times)


def labels_from(gazetteer, extra: Mapping[URIRef, Iterable[str]] | None = None) -> Callable:
    """An entity's names from the gazetteer (and ``extra``, the curated labels)."""
    describe = getattr(gazetteer, "describe", None)

    def labels_of(iri: URIRef) -> list[str]:
        names = [str(label) for label in (extra or {}).get(iri, ())]
        known = describe(iri) if describe is not None else None
        if known is not None:
            # KnownEntity: labels as (language, text); EntityMatch: labels as literals.
            labels = getattr(known, "labels", ())
            names += [label[1] if isinstance(label, tuple) else str(label) for label in labels]
            names += [str(acronym) for acronym in getattr(known, "acronyms", ())]
        return names

    return labels_of


def measure_bundled(sources: Path, propose: Propose, load_gazetteer, repeats: int) -> FileResult:
    """The bundled report against its curated file, with a gazetteer that leaves it out."""
    texts = sorted((sources / "report").glob("*.txt"))
    if not texts:
        raise SourceError(sources / "report", None, "no bundled report text here")
    path = texts[0]
    report_id = report_id_of(path)
    curated = sources / "curated" / f"{report_id.replace('/', '-')}.trig"
    if not curated.is_file():
        raise SourceError(curated, None, "the bundled report's curated file is missing")
    gazetteer = load_gazetteer(sources, exclude_curated=[curated])
    text = read_report(path)
    proposals, seconds = timed(propose, text, report_id, gazetteer, repeats)
    background = [p for p in sorted((sources / "curated").glob("*.trig")) if p != curated]
    expected_labels = labels_from(gazetteer, curated_labels([curated, *background]))
    return measure_file(
        text,
        report_id,
        BUNDLED,
        proposals,
        lambda passages: curated_items(curated, passages, expected_labels),
        labels_from(gazetteer),
        seconds,
        fold=True,
    )


def measure_corpus(
    reports: list[tuple[Path, dict]], sources: Path, propose: Propose, load_gazetteer, repeats: int
) -> list[FileResult]:
    gazetteer = load_gazetteer(sources)
    results = []
    for path, gold in reports:
        text = read_report(path)
        report_id = report_id_of(path)
        proposals, seconds = timed(propose, text, report_id, gazetteer, repeats)
        group = TUNING if gold.get("tuning") is True else HELD_OUT
        results.append(
            measure_file(
                text,
                report_id,
                group,
                proposals,
                lambda _passages, gold=gold: gold_items(gold),
                labels_from(gazetteer),
                seconds,
            )
        )
    return results


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def evaluate(corpus: Path | None, sources: Path, repeats: int = 1) -> Evaluation:
    """Run the extractor over the bundled report in ``sources`` and the reports of ``corpus``
    (none when None) and score its proposals."""
    reports = corpus_reports(corpus) if corpus is not None else []  # bad input first
    # Imported here: the extractor and the gazetteer are heavy, and the rest of the command
    # line must not pay for them.
    from habitat_kg.graph.extract import EXTRACTOR_VERSION, propose
    from habitat_kg.graph.gazetteer import load_gazetteer

    started = time.perf_counter()
    load_gazetteer(sources)
    gazetteer_seconds = time.perf_counter() - started
    files = [measure_bundled(sources, propose, load_gazetteer, repeats)]
    files += measure_corpus(reports, sources, propose, load_gazetteer, repeats)
    notes = [
        "UN-Habitat itself as a responsible unit is counted neither as expected nor as proposed"
        " (the curated file names it where no unit is named; the gold files never list it)"
    ]
    if any(f.outside for f in files):
        notes.append("proposals on headings or the header are not compared (outside_paragraphs)")
    return Evaluation(files, EXTRACTOR_VERSION, gazetteer_seconds, repeats, notes)
