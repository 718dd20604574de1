"""The search index brought up to date in place (graph/search/updating.py): after several
changes it holds the rows and gives the answers of an index written whole; an index of an
earlier build is left to the whole write, as is a change of the class hierarchy; a build folder
written whole keeps an index newer than its own build and otherwise writes its own."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from habitat_kg.errors import TargetError
from habitat_kg.graph.build import build, build_layers, ledger_rows, record_written
from habitat_kg.graph.dataset_files import dataset_bytes, write_rows
from habitat_kg.graph.incremental.layers import Delta
from habitat_kg.graph.search import INDEX_FILE, Names, SearchIndex, build_index_from_rows
from habitat_kg.graph.search.updating import (
    changed_subjects,
    stored_state,
    update_index,
)
from habitat_kg.outputs import check_build_folder

REPO = Path(__file__).resolve().parents[1]
NEW = "https://w3id.org/habitat-kg/id/org/test-ministry"
#: Statements written for testing, added to a copy of the bundled curated file one by one.
CHANGES = [
    # a new thing, named in two languages, with a description
    f"""<{NEW}> a hkg:University ; rdfs:label "Ministry of Testing Quixotry"@en ,
        "测试奇想部"@zh ; dcterms:description "A ministry written for testing the index."@en .""",
    # named again, typed otherwise, an acronym added
    f"""<{NEW}> a hkg:UNEntity ; rdfs:label "Office of Testing Quixotry"@en ;
        hkg:acronym "OTQ" .""",
    # an existing thing named once more; the new thing keeps its acronym alone
    f"""res:ha-1-1 skos:altLabel "Quixotic strategic plan resolution"@en .
    <{NEW}> hkg:acronym "OTQ" .""",
    # the new thing gone again, the extra name kept
    """res:ha-1-1 skos:altLabel "Quixotic strategic plan resolution"@en .""",
]
QUERIES = ["Quixotry", "quixotic", "OTQ", "测试", "奇想", "strategic plan", "Nairobi", "城市"]


def _with(background: str, statement: str) -> str:
    head, _, tail = background.rpartition("}")
    return f"{head}\n    {statement}\n}}{tail}"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-updating")
    shutil.copytree(REPO / "graph" / "sources", root / "sources")
    build(root / "sources", root / "build")
    return root


@pytest.fixture(scope="module")
def updated(project: Path) -> Path:
    """The project after every change of CHANGES, its index updated in place after each."""
    background = project / "sources" / "curated" / "background.trig"
    original = background.read_text(encoding="utf-8")
    for statement in CHANGES:
        background.write_text(_with(original, statement), encoding="utf-8")
        update = build_layers(project / "sources", project / "build", rows=False).update
        assert update.delta is not None and update.delta.size
        subjects = changed_subjects(update.delta)
        assert subjects
        assert update_index(project / "build", update.previous, update.state, subjects)
        assert stored_state(project / "build" / INDEX_FILE) == update.state
    return project


def _contents(path: Path) -> dict[str, object]:
    """What an index holds, its row numbers aside."""
    db = sqlite3.connect(path)
    try:
        entities = db.execute("SELECT iri, type, label_en, label_zh FROM entity").fetchall()
        classes = db.execute(
            "SELECT e.iri, c.class FROM entity_class c JOIN entity e ON e.id = c.entity"
        ).fetchall()
        fields = db.execute(
            "SELECT e.iri, f.kind, f.lang, f.weight, f.text, f.folded FROM field f "
            "JOIN entity e ON e.id = f.entity"
        ).fetchall()
        for table in ("names", "texts"):  # FTS5 checks its index against what it was given
            db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 0)")
    finally:
        db.close()
    return {"entities": sorted(entities), "classes": sorted(classes), "fields": sorted(fields)}


def _answers(index: SearchIndex) -> list[object]:
    names = Names(index)
    found: list[object] = []
    for query in QUERIES:
        found.append([(h.thing, h.score, h.snippet, h.field) for h in index.search(query)])
        found.append([(h.thing, h.score, h.snippet) for h in index.suggest(query)])
        found.append(names.offered(query, "thing"))
    found.append(index.named("OTQ"))
    return found


def test_an_index_updated_in_place_answers_as_one_written_whole(
    updated: Path, tmp_path: Path
) -> None:
    fresh = tmp_path / INDEX_FILE
    build_index_from_rows(dataset_bytes(ledger_rows(updated / "build")[1])["nt"], fresh)
    in_place = updated / "build" / INDEX_FILE
    assert _contents(in_place) == _contents(fresh)
    answers = _answers(SearchIndex(in_place))
    assert answers == _answers(SearchIndex(fresh))
    index = SearchIndex(in_place)
    assert [h.thing.iri for h in index.search("Quixotry")] == []  # the new thing is gone
    assert index.search("quixotic")[0].thing.iri.endswith("/resolution/ha-1-1")


def test_an_index_of_an_earlier_build_is_left_to_the_whole_write(updated: Path) -> None:
    index = updated / "build" / INDEX_FILE
    before = index.read_bytes()
    state = stored_state(index)
    assert state is not None
    assert not update_index(updated / "build", state + 1, state + 2, [f"<{NEW}>"])
    assert index.read_bytes() == before


def test_a_change_of_the_class_hierarchy_is_left_to_the_whole_write() -> None:
    delta = Delta()
    delta.add("curated", f'<{NEW}> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en')
    assert changed_subjects(delta) == {f"<{NEW}>"}
    delta.add(
        "curated",
        "<urn:x:Kind> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <urn:x:Other>",
    )
    assert changed_subjects(delta) is None


def test_a_folder_written_whole_keeps_a_newer_index_and_else_writes_its_own(
    updated: Path, tmp_path: Path
) -> None:
    folder = updated / "build"
    state, rows = ledger_rows(folder)
    index = folder / INDEX_FILE
    assert stored_state(index) == state
    kept = index.read_bytes()
    # a write behind of an earlier build, finishing after the update: the update's index stays
    write_rows(rows, folder, state=state - 1)
    assert index.read_bytes() == kept
    # the write of this build: its own index, the bytes a build from nothing writes
    write_rows(rows, folder, state=state, written=lambda d: record_written(folder, state, d))
    assert stored_state(index) is None
    fresh = build(updated / "sources", tmp_path / "fresh").out_dir
    assert index.read_bytes() == (fresh / INDEX_FILE).read_bytes()
    # and an update starts from the build the ledger recorded as written
    assert update_index(folder, state, state, [f"<{NEW}>"])


def test_the_journal_of_an_index_being_updated_is_part_of_the_build_folder(
    updated: Path,
) -> None:
    folder = updated / "build"
    journal = folder / f"{INDEX_FILE}-journal"
    journal.write_bytes(b"")
    try:
        check_build_folder(folder, [INDEX_FILE])
    finally:
        journal.unlink()
    stray = folder / "notes.txt-journal"
    stray.write_text("written for testing", encoding="utf-8")
    try:
        with pytest.raises(TargetError, match=r"notes\.txt-journal"):
            check_build_folder(folder, [INDEX_FILE])
    finally:
        stray.unlink()
