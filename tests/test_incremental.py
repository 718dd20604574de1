"""The incremental build behind ingest and review: an accepted statement is served by the
running workers (no restart) and the build folder and its search index follow; a second ingest
of the same text changes nothing; a corrected statement outlives a later ingest; a bad source
leaves the ledger and the served graph as they were; a decision writes, and the build reads
again, its paragraph's file alone; a report's one file of an older project is read as it is and
split at its next save; and the build the ledger kept up to date is the build of every file,
byte for byte."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from curation_project import (
    KEY,
    ORIGIN,
    REPORT,
    REPORT_ID,
    curation_app,
    ingested_project,
    signed_in,
    sparql,
)
from flask import Flask
from folders import contents
from rdflib import RDFS, URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import build, build_layers, ledger_rows, written_state
from habitat_kg.graph.dataset_files import OUTPUTS
from habitat_kg.graph.review import (
    accepted_path,
    ingest_with_proposals,
    legacy_accepted_path,
    load_review,
    statement_of,
    update_review,
)
from habitat_kg.graph.review.model import paragraph_of
from habitat_kg.graph.review.store import part_file
from habitat_kg.namespaces import HKG
from habitat_kg.project import DATASET_FILE
from habitat_kg.server.reload import reload_dataset, search_updater, served_version

TOKEN = "test-token-for-incremental-0123456789"
ACTIVITY = "https://w3id.org/habitat-kg/id/activity/eb-2022-1-item-6/"
#: A curated file that does not parse (line 3: a label without its value).
BROKEN = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/habitat-kg/id/report/eb-2022-1/item-6/paragraph/2> {
    <https://w3id.org/habitat-kg/id/activity/x> rdfs:label label .
}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sources with the test report ingested (its proposals pending), built."""
    return ingested_project(tmp_path_factory.mktemp("incremental-project"))


@pytest.fixture(scope="module")
def curating(project: Path) -> Iterator[Flask]:
    with curation_app(project, TOKEN) as app:
        yield app


def _decide(app: Flask, path: str, form: dict[str, str]) -> None:
    client = app.test_client()
    csrf = signed_in(client, TOKEN)
    answer = client.post(
        f"/curate/{KEY}/{path}",
        data={"by": "Tester", "csrf_token": csrf, **form},
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 303, answer.text


def _ask(app: Flask, query: str) -> list[dict]:
    return sparql(app.test_client(), query)


def _settled(app: Flask) -> None:
    """Wait until the build folder has been written behind the served graph."""
    writer = app.extensions["habitat_kg.reload"].writer
    deadline = time.monotonic() + 60
    while writer is not None and writer.busy:
        assert time.monotonic() < deadline, "the build folder was never written"
        time.sleep(0.05)


def _found(app: Flask, text: str) -> set[str]:
    query = urlencode({"q": text, "limit": 50, "format": "json"})
    answer = app.test_client().get(f"/search?{query}")
    assert answer.status_code == 200, answer.text
    return {hit["iri"] for hit in json.loads(answer.data)["results"]}


def test_an_accept_is_served_at_once_and_the_build_folder_and_search_follow(
    curating: Flask, project: Path
) -> None:
    review = load_review(project / "sources", REPORT_ID)
    subject = f"{ACTIVITY}p1"
    of_p1 = [i for i in review.pending() if str(i.proposal.subject) == subject]
    typed = next(i for i in of_p1 if str(i.proposal.predicate).endswith("#type"))
    named = next(i for i in of_p1 if str(i.proposal.predicate).endswith("#label"))
    chosen, label = [typed, named], str(named.proposal.object)
    workers = curating.extensions["habitat_kg"].store.worker_pids()
    generation = served_version(curating).generation
    assert subject not in _found(curating, label)
    _decide(curating, "decide", {"action": "accept", "id": chosen[0].id})
    _decide(curating, "decide", {"action": "accept", "id": chosen[1].id})
    # served by the workers that were running: no restart, no new pool
    rows = _ask(curating, f"SELECT ?l WHERE {{ <{subject}> <{RDFS.label}> ?l }}")
    assert label in {row["l"]["value"] for row in rows}
    assert served_version(curating).generation == generation + 2
    assert curating.extensions["habitat_kg"].store.worker_pids() == workers
    # the search index follows in place, before the build folder is written behind
    assert search_updater(curating).idle.wait(30) and search_updater(curating).made >= 1
    assert subject in _found(curating, label)
    _settled(curating)
    build_folder = project / "build"
    assert subject.encode() in (build_folder / DATASET_FILE).read_bytes()
    assert written_state(build_folder) == ledger_rows(build_folder)[0]
    assert subject in _found(curating, label)


def test_a_second_ingest_changes_nothing(curating: Flask, project: Path) -> None:
    sources = project / "sources"
    before = contents(sources)
    state = ledger_rows(project / "build")[0]
    ingest_with_proposals(REPORT, sources)
    assert contents(sources) == before
    generation = served_version(curating).generation
    result = reload_dataset(curating, wait=60)
    assert result.swapped and not result.changed
    assert served_version(curating).generation == generation
    assert ledger_rows(project / "build")[0] == state


def test_a_corrected_statement_is_not_overwritten_by_a_later_ingest(
    curating: Flask, project: Path
) -> None:
    review = load_review(project / "sources", REPORT_ID)
    funder = next(i for i in review.pending() if str(i.proposal.predicate).endswith("#funder"))
    _decide(curating, "correct", {"id": funder.id, "object": "id:country/DEU"})
    asked = f"SELECT ?o WHERE {{ <{funder.proposal.subject}> <{funder.proposal.predicate}> ?o }}"
    corrected = {"https://w3id.org/habitat-kg/id/country/DEU"}
    assert {row["o"]["value"] for row in _ask(curating, asked)} == corrected
    # a later ingest that accepts everything keeps the correction
    ingest_with_proposals(REPORT, project / "sources", accept=True, by="Tester")
    assert load_review(project / "sources", REPORT_ID).item(funder.id).state == "corrected"
    assert reload_dataset(curating, wait=60).swapped
    assert {row["o"]["value"] for row in _ask(curating, asked)} == corrected


def test_a_bad_source_leaves_the_ledger_and_the_served_graph_unchanged(
    curating: Flask, project: Path
) -> None:
    _settled(curating)
    build_folder = project / "build"
    before = ledger_rows(build_folder)
    dataset = (build_folder / DATASET_FILE).read_bytes()
    generation = served_version(curating).generation
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    served = _ask(curating, count)
    broken = project / "sources" / "curated" / "broken.trig"
    broken.write_text(BROKEN, encoding="utf-8")
    try:
        result = reload_dataset(curating, wait=60)
        assert not result.swapped and result.source == broken and result.line == 3, result.error
        with pytest.raises(SourceError, match=r"broken\.trig:3"):
            build_layers(project / "sources", build_folder)
        assert ledger_rows(build_folder) == before
        assert (build_folder / DATASET_FILE).read_bytes() == dataset
        assert served_version(curating).generation == generation
        assert _ask(curating, count) == served
    finally:
        broken.unlink()


def _files(folder: Path) -> dict[Path, tuple[bytes, int, int]]:
    """Each file's bytes, inode and modification time: a file written again changes either."""
    return {
        path: (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted(folder.iterdir())
    }


def test_a_decision_writes_and_the_build_reads_its_paragraphs_file_alone(
    curating: Flask, project: Path
) -> None:
    sources, build_folder = project / "sources", project / "build"
    _settled(curating)
    folder = accepted_path(sources, REPORT_ID)
    before = _files(folder)
    assert len(before) > 3  # the later ingest accepted every paragraph's proposals
    review = load_review(sources, REPORT_ID)
    item = next(
        i
        for i in review.accepted()
        if str(i.proposal.passage).endswith("/paragraph/3") and i.proposal.kind == "place"
    )
    own = part_file(sources, REPORT_ID, paragraph_of(item.proposal.passage))
    served = f"SELECT ?kind WHERE {{ <{statement_of(item)}> a ?kind }}"
    assert {row["kind"]["value"] for row in _ask(curating, served)} == {str(HKG.Statement)}
    _decide(curating, "decide", {"action": "reject", "id": item.id})
    after = _files(folder)
    assert set(after) == set(before)
    assert [path for path in before if after[path] != before[path]] == [own]
    assert _ask(curating, served) == []  # served without it at once
    # the same decision taken back outside the server: of the curated files, the build reads
    # that one alone (the report's text too where the names its mentions find changed)
    update_review(sources, REPORT_ID, lambda r: r.accept([item.id], "Tester"))
    assert [path for path, seen in _files(folder).items() if seen != after[path]] == [own]
    built = build_layers(sources, build_folder, rows=False)
    curated = [unit for unit in built.update.read if unit.startswith("curated/")]
    assert curated == [f"curated/{own.relative_to(sources / 'curated').as_posix()}"]
    assert reload_dataset(curating, wait=60).swapped


def test_a_report_of_an_older_project_is_read_whole_and_split_at_its_next_save(
    curating: Flask, project: Path
) -> None:
    sources, build_folder = project / "sources", project / "build"
    _settled(curating)
    folder, legacy = accepted_path(sources, REPORT_ID), legacy_accepted_path(sources, REPORT_ID)
    parts = {path.name: path.read_bytes() for path in sorted(folder.iterdir())}
    rows = ledger_rows(build_folder)[1]
    # the one file per report that projects written before kept: the same statements
    legacy.write_bytes(b"".join(parts.values()))
    shutil.rmtree(folder)
    built = build_layers(sources, build_folder, rows=False)
    unit = f"curated/accepted/{legacy.name}"
    assert built.update.read == [unit] and len(built.update.removed) == len(parts)
    assert ledger_rows(build_folder)[1] == rows
    assert load_review(sources, REPORT_ID).accepted()
    # its next save (a decision in one paragraph) writes the folder and removes the old file
    review = load_review(sources, REPORT_ID)
    item = next(i for i in review.accepted() if str(i.proposal.passage).endswith("/paragraph/2"))
    update_review(sources, REPORT_ID, lambda r: r.reject([item.id], "Tester"))
    assert not legacy.exists()
    now = {path.name: path.read_bytes() for path in sorted(folder.iterdir())}
    own = part_file(sources, REPORT_ID, paragraph_of(item.proposal.passage)).name
    assert set(now) == set(parts)
    assert [name for name in parts if now[name] != parts[name]] == [own]
    built = build_layers(sources, build_folder, rows=False)
    assert built.update.removed == [unit] and len(built.update.read) == len(parts)
    assert reload_dataset(curating, wait=60).swapped


def test_a_bad_paragraph_file_is_named_with_its_line(curating: Flask, project: Path) -> None:
    sources = project / "sources"
    _settled(curating)
    path = sorted(accepted_path(sources, REPORT_ID).iterdir())[1]
    original = path.read_bytes()
    before = ledger_rows(project / "build")
    path.write_text(BROKEN, encoding="utf-8")
    try:
        with pytest.raises(SourceError, match=rf"{re.escape(path.name)}:3: not valid TriG"):
            build_layers(sources, project / "build")
        result = reload_dataset(curating, wait=60)
        assert not result.swapped and result.source == path and result.line == 3, result.error
        assert ledger_rows(project / "build") == before
    finally:
        path.write_bytes(original)


def test_the_build_kept_up_to_date_is_the_build_of_every_file(
    curating: Flask, project: Path, tmp_path: Path
) -> None:
    _settled(curating)
    again = build(project / "sources", project / "build")
    assert not again.update.read  # the server's reloads had brought the ledger up to date
    fresh = build(project / "sources", tmp_path / "fresh").out_dir
    for name in OUTPUTS.values():
        assert (project / "build" / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_saves_description_of_linked_things_is_the_gazetteers(project: Path) -> None:
    """A review's save looks up the things it links to rather than indexing every curated
    file's names: what it finds is what the project's gazetteer knows of them."""
    from habitat_kg.graph.gazetteer.loading import load_describer
    from habitat_kg.graph.review.store import project_gazetteer, report_accepted_files

    sources = project / "sources"
    gazetteer = project_gazetteer(sources, REPORT_ID)
    describe = load_describer(sources, report_accepted_files(sources, REPORT_ID))
    review = load_review(sources, REPORT_ID)
    asked = {i.proposal.object for i in review.items} | {i.proposal.subject for i in review.items}
    asked |= {URIRef(gazetteer.known(n).iri) for n in range(0, len(gazetteer), 97)}
    # the things only the curated files know (the lists' come first)
    asked |= {URIRef(gazetteer.known(n).iri) for n in range(len(gazetteer) - 40, len(gazetteer))}
    asked |= {URIRef(f"{ACTIVITY}nothing-known")}
    known = [iri for iri in asked if isinstance(iri, URIRef) and gazetteer.entity(iri)]
    assert len(known) > 20
    assert any(gazetteer.entity(iri).source == "curated" for iri in known)
    for iri in asked:
        if isinstance(iri, URIRef):
            assert describe(iri) == gazetteer.entity(iri), iri
