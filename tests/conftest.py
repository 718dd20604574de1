"""Shared fixtures: the graph is built once per test session from the project's own sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from review_report import with_the_report

from habitat_kg.graph.build import BuildResult, build
from habitat_kg.server.store import Store, open_store

#: Fixtures shared by several test modules, from modules of this folder.
pytest_plugins = ["alone", "listeners"]

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "graph" / "sources"


@pytest.fixture(scope="session", autouse=True)
def _private_user_folders(tmp_path_factory: pytest.TempPathFactory):
    """A command run with no project makes one in the per-user data folder: the tests get their
    own (platformdirs follows XDG_DATA_HOME), never the user's."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("user-data")))
    # The compiled gazetteer is cached per user (platformdirs follows XDG_CACHE_HOME).
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    patch.delenv("HABITAT_KG_PROJECT", raising=False)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The dataset built from ``graph/sources`` into a temporary folder."""
    return build(SOURCES, tmp_path_factory.mktemp("build") / "data")


@pytest.fixture(scope="session")
def store(built: BuildResult) -> Store:
    """The built dataset in the default store (Oxigraph in memory)."""
    store = open_store("memory")
    store.load_dataset(built.dataset_path)
    return store


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A private copy of the sources that a test may break."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture
def review_sources(sources_copy: Path) -> Path:
    """A copy of the bundled sources with the review tests' report (tests/review_report.py)."""
    return with_the_report(sources_copy)


@pytest.fixture(scope="session")
def app(built: BuildResult):
    """The web application serving the built dataset (one per test session)."""
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    app = create_app({"DATA": str(built.out_dir), "TESTING": True})
    yield app
    close_app(app)  # no query worker outlives the tests


@pytest.fixture
def client(app):
    return app.test_client()
