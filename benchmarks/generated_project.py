"""A project of many reports, generated for testing: the bundled report copied under other
report ids, each copy ingested (its statements proposed, and for some accepted) and given the
bundled report's curated statements with the ids shifted.

Every generated text says what it is: a report copy begins with the line
``[GENERATED FOR TESTING - not a UN document: a copy of report eb-2020-2/item-7]`` (the header
parser takes a bracketed first line for an editorial marker), and every curated copy begins
with a comment saying the same. 100 reports, 40 of them accepted, make some 1.2 million triples.

    python -m benchmarks.generated_project --reports 100 --accepted 40 --out /tmp/project
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

BUNDLED = Path(__file__).resolve().parents[1] / "graph" / "sources"
REPORT_ID = "eb-2020-2/item-7"
REPORT, CURATED = "eb-2020-2_item-7.zh.txt", "eb-2020-2-item-7.trig"
#: The curator named in the provenance of what a generated review accepted.
CURATOR = "Generated for testing"
MARKER = f"[GENERATED FOR TESTING - not a UN document: a copy of report {REPORT_ID}]"


def copy_id(number: int) -> str:
    """The report id of copy ``number``: ``eb-2020-2/item-7-g001``."""
    return f"{REPORT_ID}-g{number:03d}"


def make_project(folder: Path, reports: int, accepted: int = 0, reviewed: bool = True) -> Path:
    """A project's sources in ``folder/sources``: the bundled sources and ``reports - 1``
    copies of its report, the first ``accepted`` of them with every proposal accepted (the
    others' proposals pending when ``reviewed``, else not ingested: text and curated copy only).
    Returns the sources folder."""
    from habitat_kg.graph.review import ingest_with_proposals

    sources = folder / "sources"
    shutil.copytree(BUNDLED, sources)
    text = (BUNDLED / "report" / REPORT).read_text(encoding="utf-8")
    curated = (BUNDLED / "curated" / CURATED).read_text(encoding="utf-8")
    incoming = folder / "incoming"
    incoming.mkdir()
    for number in range(1, reports):
        report_id = copy_id(number)
        copy = incoming / f"{report_id.replace('/', '_')}.zh.txt"
        copy.write_text(f"{MARKER}\n{text}", encoding="utf-8")
        if reviewed or number <= accepted:
            ingest_with_proposals(
                copy, sources, report_id=report_id, accept=number <= accepted, by=CURATOR
            )
        else:
            shutil.copy(copy, sources / "report" / copy.name)
        add_curated_copy(sources, curated, report_id)
    shutil.rmtree(incoming)
    return sources


def add_curated_copy(sources: Path, curated: str, report_id: str) -> Path:
    """The bundled report's curated statements for the copy ``report_id`` (ids shifted)."""
    shifted = curated.replace(REPORT_ID, report_id)
    shifted = shifted.replace(REPORT_ID.replace("/", "-"), report_id.replace("/", "-"))
    note = f"# GENERATED FOR TESTING (not a UN record): {CURATED} with the ids of {report_id}.\n"
    target = sources / "curated" / f"{report_id.replace('/', '-')}.trig"
    target.write_text(note + shifted, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--accepted", type=int, default=40)
    parser.add_argument("--out", type=Path, required=True, help="a new folder")
    options = parser.parse_args()
    started = time.monotonic()
    make_project(options.out, options.reports, options.accepted)
    print(f"{options.out}: {options.reports} reports in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
