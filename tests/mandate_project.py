"""A project holding mandates with statuses, for the registry's tests (a pytest plugin).

Use from a test module with ``pytest_plugins = ["mandate_project"]``. The project is made as an
analyst makes one (``init_project``: the bundled record), then given what issue 16 reads: the
resolution 3/4 and decision 2024/1 texts of the test corpus in ``sources/resolution/``, two
progress reports on them in ``sources/report/`` (the corpus's eb-2024-2/item-5 and
``tests/data/mandates/eb-2025-1_item-4.en.txt``), and the statuses those reports show
(``tests/data/mandates/mandate-status.trig``), all written for testing. Then it is built.

- ``mandate_project``: the project's root (session scope; tests must not change it);
- ``mandate_app``: the web application serving its build; ``mandate_client``: its test client.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from habitat_kg.graph.build import build
from habitat_kg.project import init_project

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
MANDATES = DATA / "mandates"
MANDATE = "https://w3id.org/habitat-kg/id/mandate/"
REPORT = "https://w3id.org/habitat-kg/id/report/"


@pytest.fixture(scope="session")
def mandate_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mandates") / "project"
    init_project(root)
    sources = root / "sources"
    (sources / "resolution").mkdir(exist_ok=True)
    for name in ("resolution_ha-3-4.en.txt", "decision_eb-2024-1.en.txt"):
        shutil.copy(CORPUS / name, sources / "resolution" / name)
    shutil.copy(CORPUS / "eb-2024-2_item-5.en.txt", sources / "report")
    shutil.copy(MANDATES / "eb-2025-1_item-4.en.txt", sources / "report")
    # beside the bundled record's own statuses (sources/curated/mandate-status.trig)
    shutil.copy(MANDATES / "mandate-status.trig", sources / "curated" / "test-mandate-status.trig")
    build(sources, root / "build")
    return root


@pytest.fixture(scope="session")
def mandate_app(mandate_project: Path) -> Iterator[Any]:
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    app = create_app({"DATA": str(mandate_project / "build"), "TESTING": True})
    yield app
    close_app(app)


@pytest.fixture
def mandate_client(mandate_app: Any) -> Any:
    return mandate_app.test_client()
