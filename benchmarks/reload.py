"""How soon a newly accepted statement is served (the live reload, ``habitat_kg.server.reload``)::

    python -m benchmarks.reload --reports 1,100

For each size it makes a project of that many reports (the bundled report and its curated
statements, copied under other report ids: 100 reports make some 850,000 triples), builds it,
serves it (waitress on loopback, two query workers), then three times adds a curated statement
and calls ``reload_dataset`` while a client asks the endpoint every 10 ms whether the statement
is there (see ``WAYS``): the first reload (in place for a small dataset, the workers given every
layer; new workers for a large one), the second (in place: the curated layer alone), and one
with new workers. It prints, for each reload, the time from
the call to the first answer that shows the statement, the time the call took, and the time
until its work in the background was done (the build written, or the old pool ended).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.first_served import FirstServed
from habitat_kg.graph.build import build

BUNDLED = Path(__file__).resolve().parents[1] / "graph" / "sources"
REPORT, CURATED = "eb-2020-2_item-7.zh.txt", "eb-2020-2-item-7.trig"
PROBE = """\
@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix p: <https://w3id.org/habitat-kg/id/report/eb-2020-2/item-7/paragraph/> .

p:26 {{ <https://w3id.org/habitat-kg/id/activity/probe-{n}> a hkg:Activity ;
        rdfs:label "Probe {n}"@en . }}
"""


#: The reloads measured, in this order, and whether each starts new workers.
WAYS = (
    ("first reload", False),
    ("second reload", False),
    ("new_workers=True", True),
)


def make_project(folder: Path, reports: int) -> Path:
    """A project's sources: the bundled ones and ``reports - 1`` copies of its report."""
    sources = folder / "sources"
    shutil.copytree(BUNDLED, sources)
    text = (BUNDLED / "report" / REPORT).read_text(encoding="utf-8")
    curated = (BUNDLED / "curated" / CURATED).read_text(encoding="utf-8")
    for copy in range(1, reports):
        tag = f"-c{copy:03d}"
        (sources / "report" / REPORT.replace("item-7", "item-7" + tag)).write_text(text)
        renamed = curated.replace("eb-2020-2/item-7", f"eb-2020-2/item-7{tag}")
        renamed = renamed.replace("eb-2020-2-item-7", f"eb-2020-2-item-7{tag}")
        (sources / "curated" / CURATED.replace("item-7", "item-7" + tag)).write_text(renamed)
    return sources


def measure_reload(
    app: object, address: str, sources: Path, n: int, new_workers: bool
) -> dict[str, float]:
    from habitat_kg.server.reload import reload_dataset

    (sources / "curated" / f"probe-{n}.trig").write_text(PROBE.format(n=n))
    probe = f"ASK {{ <https://w3id.org/habitat-kg/id/activity/probe-{n}> ?p ?o }}"
    watch = FirstServed(address, probe, timeout=60)
    called = watch.start()
    steps: dict[str, float] = {}

    def progress(step: str) -> None:  # when each stage began, from the call
        if not step.startswith("report "):
            steps[step.split(" ", 1)[0]] = time.monotonic() - called

    result = reload_dataset(app, progress, new_workers=new_workers)  # type: ignore[arg-type]
    returned = time.monotonic()
    assert result.swapped, result.error
    result.settled.wait(3600)
    settled = time.monotonic()
    first_answer = watch.seconds(60)
    return {
        "first_answer_s": first_answer,
        "call_s": returned - called,
        "settled_s": settled - called,
        "triples": result.triples,
        "changed": len(result.changed),
        "in_place": result.in_place,
        # the layers built and checked; compared; handed over (in place) or written (new workers)
        "layers_s": steps.get("comparing", 0.0),
        "handed_s": steps.get("serving", steps.get("writing", 0.0)),
    }


def run(reports: int) -> list[dict[str, float]]:
    from waitress import create_server

    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    with tempfile.TemporaryDirectory(prefix="habitat-kg-reload-") as folder:
        sources = make_project(Path(folder), reports)
        started = time.monotonic()
        build(sources, Path(folder) / "build")
        built_in = time.monotonic() - started
        config = {"DATA": f"{folder}/build", "SOURCES": str(sources), "TIMEOUT": 600}
        app = create_app(config)
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        address = f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
        try:
            rows = [
                measure_reload(app, address, sources, n, new_workers)
                for n, (_, new_workers) in enumerate(WAYS, start=1)
            ]
        finally:
            server.close()
            close_app(app)
    for row, (way, _) in zip(rows, WAYS, strict=True):
        row["reports"], row["build_s"] = reports, built_in
        print(
            f"{reports} report(s), {int(row['triples'])} triples, {way} "
            f"({'in place' if row['in_place'] else 'new workers'}, {row['changed']} "
            "layer(s) changed): first answer "
            f"{row['first_answer_s']:.2f} s, call {row['call_s']:.2f} s, settled "
            f"{row['settled_s']:.2f} s (layers built and checked at {row['layers_s']:.2f} s, "
            f"compared at {row['handed_s']:.2f} s; a full build: {built_in:.1f} s)",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", default="1,100", help="project sizes, in reports")
    options = parser.parse_args()
    for size in options.reports.split(","):
        run(int(size))


if __name__ == "__main__":
    main()
