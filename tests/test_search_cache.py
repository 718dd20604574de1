"""A server whose dataset has no search index beside it builds one from its store: a dataset
built by an older version (no ``habitat-kg.search.sqlite``) and a SPARQL server as the store.
The index goes into the cache folder, never beside the dataset; searches meanwhile get 503 with
Retry-After."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import RunningServer, oxigraph_server

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.search import INDEX_FILE
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app
from habitat_kg.server.search_cache import _PREFIX, KEPT, _forget_old
from habitat_kg.server.store.remote import SparqlStore

ID = "https://w3id.org/habitat-kg/id/"
JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def older_build(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built dataset as a version before search wrote it: no index beside it."""
    folder = tmp_path_factory.mktemp("older") / "data"
    shutil.copytree(built.out_dir, folder)
    (folder / INDEX_FILE).unlink()
    return folder


@pytest.fixture(scope="module")
def remote(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Oxigraph's server holding the dataset: its query URL."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-search")) as server:
        _publish(server, built.dataset_path)
        yield server.query_url


def _publish(server: RunningServer, dataset: Path) -> None:
    SparqlStore(
        server.query_url, update_url=server.update_url, gsp_url=server.gsp_url, environ={}
    ).load_dataset(dataset)


def _searched_until_ready(client, url: str) -> dict:
    """The answer once the index is built (Retry-After honoured, within a minute)."""
    deadline = time.monotonic() + 60
    while True:
        answer = client.get(url, headers=JSON)
        if answer.status_code != 503 or time.monotonic() > deadline:
            break
        assert int(answer.headers["Retry-After"]) > 0
        assert "being built" in answer.get_json()["error"]
        time.sleep(0.2)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


@pytest.mark.parametrize("where", ["older build", "SPARQL server"])
def test_a_server_without_an_index_builds_one(
    where: str, older_build: Path, remote: str, tmp_path: Path, caplog
) -> None:
    config = {"DATA": str(older_build), "TESTING": True, "WORKERS": 1, "SHORT_WORKERS": 0}
    config |= {"SEARCH_CACHE": str(tmp_path / "cache"), "SEARCH_BUILD_WAIT": 0}
    if where == "SPARQL server":
        config["STORE"] = remote
    caplog.set_level("INFO", logger="habitat_kg.server.search_cache")
    app = create_app(config)
    try:
        client = app.test_client()
        first = client.get("/search?q=城乡")  # the build starts; the page says to come back
        assert first.status_code in (200, 503)
        results = _searched_until_ready(client, "/search?q=城乡")["results"]
        assert ID + "topic/urban-rural-linkages" in [r["iri"] for r in results[:3]]
        suggested = client.get("/search/suggest?q=Capacity Dev").get_json()["suggestions"]
        assert suggested[0]["label"] == "Capacity Development and Training Unit"
        page = client.get("/search?q=性别").get_data(as_text=True)
        assert "<mark>性别</mark>" in page
    finally:
        close_app(app)
    built_here = list((tmp_path / "cache").iterdir())
    assert len(built_here) == 1 and built_here[0].suffix == ".sqlite"  # no partial file left
    assert not (older_build / INDEX_FILE).exists()  # nothing written beside the dataset
    progress = [r.getMessage() for r in caplog.records]
    assert any("building it in a process of its own" in line for line in progress)
    read = "properties read" if where == "SPARQL server" else "rows read"
    assert any(read in line for line in progress)
    assert any(line.startswith("search index: ready") for line in progress)


def test_a_build_that_fails_is_named_in_the_answer(
    older_build: Path, tmp_path: Path, caplog
) -> None:
    """The cache folder cannot be made (a file stands where it would be): 503 with the reason,
    not a traceback, and no half-written file."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be (written for testing)\n")
    config = {"DATA": str(older_build), "TESTING": True, "WORKERS": 1, "SHORT_WORKERS": 0}
    config |= {"SEARCH_CACHE": str(blocked / "cache"), "SEARCH_BUILD_WAIT": 60}
    caplog.set_level("INFO", logger="habitat_kg.server.search_cache")
    app = create_app(config)
    try:
        client = app.test_client()
        answer = client.get("/search?q=城乡", headers=JSON)
        assert answer.status_code == 503
        assert "could not be built" in answer.get_json()["error"]
        assert "Traceback" not in answer.get_json()["error"]
        # the next search is told the same at once: no second build
        again = client.get("/search?q=性别", headers=JSON)
        assert again.status_code == 503 and "could not be built" in again.get_json()["error"]
        started = [r for r in caplog.records if "in a process of its own" in r.getMessage()]
        assert len(started) == 1
    finally:
        close_app(app)
    assert blocked.read_text().startswith("a file where")


def test_the_cache_keeps_the_newest_indexes(tmp_path: Path) -> None:
    """Every rebuilt dataset leaves an index behind: the folder keeps the newest few."""
    made = []
    for number in range(KEPT + 3):
        path = tmp_path / f"{_PREFIX}{number:02}.sqlite"
        path.write_text("an index, written for testing\n")
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
        made.append(path)
    (tmp_path / "notes.txt").write_text("not an index (written for testing)\n")
    # a folder given as the cache may hold other databases: never deleted
    (tmp_path / "ledger.sqlite").write_text("not this cache's (written for testing)\n")
    _forget_old(made[-1])
    kept = sorted(p.name for p in tmp_path.glob(_PREFIX + "*.sqlite"))
    assert kept == [p.name for p in made[-KEPT:]]
    assert (tmp_path / "notes.txt").exists() and (tmp_path / "ledger.sqlite").exists()


def test_a_damaged_cached_index_is_built_again_not_a_500(older_build: Path, tmp_path: Path) -> None:
    config = {"DATA": str(older_build), "TESTING": True, "WORKERS": 1, "SHORT_WORKERS": 0}
    config |= {"SEARCH_CACHE": str(tmp_path / "cache"), "SEARCH_BUILD_WAIT": 0}
    app = create_app(config)
    try:
        client = app.test_client()
        _searched_until_ready(client, "/search?q=城乡")
        (cached,) = (tmp_path / "cache").iterdir()
        cached.write_bytes(b"not a database, written for testing" * 100)
        for key in [k for k in app.extensions if "search" in k]:  # opened again, as after a reload
            app.extensions.pop(key)
        answer = client.get("/search?q=城乡", headers={"Accept": "application/json"})
        assert answer.status_code in (503, 200), answer.get_data(as_text=True)
        assert _searched_until_ready(client, "/search?q=城乡")["results"]
    finally:
        close_app(app)


def test_the_index_built_apart_is_the_one_the_build_writes(
    built: BuildResult, older_build: Path, tmp_path: Path
) -> None:
    """Read from the dataset file in batches, staged on disk: the same file, byte for byte."""
    config = {"DATA": str(older_build), "TESTING": True, "WORKERS": 1, "SHORT_WORKERS": 0}
    config |= {"SEARCH_CACHE": str(tmp_path / "cache"), "SEARCH_BUILD_WAIT": 0}
    app = create_app(config)
    try:
        _searched_until_ready(app.test_client(), "/search?q=城乡")
    finally:
        close_app(app)
    (cached,) = (tmp_path / "cache").iterdir()
    assert cached.read_bytes() == (built.out_dir / INDEX_FILE).read_bytes()
