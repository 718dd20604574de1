"""A server process holds what serving needs (issue 18): the command line (``serve`` runs in its
process), creating the application, answering a SPARQL query and the front page load none of the
libraries that only some pages or commands use; the page that uses one loads it then. Each runs
in a fresh interpreter, whose sys.modules says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from habitat_kg.graph.build import BuildResult

#: Libraries of the network views, the validation pages and the XLSX answers, not of serving.
NOT_FOR_SERVING = ("numpy", "PIL", "pyshacl", "networkx", "openpyxl", "matplotlib")

_SERVE = """
import json, sys
import habitat_kg.cli  # every command's module, as `habitat-kg serve` imports them
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app

app = create_app({"DATA": sys.argv[1], "TESTING": True})
try:
    client = app.test_client()
    for path in sys.argv[2:]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
finally:
    close_app(app)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def _loaded_after(data: Path, *paths: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after creating the app on ``data`` and
    asking it for ``paths``."""
    done = subprocess.run(
        [sys.executable, "-c", _SERVE, str(data), *paths],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1])) & set(NOT_FOR_SERVING)


@pytest.fixture(scope="module")
def data(built: BuildResult) -> Path:
    return built.out_dir


def test_the_cli_serving_a_query_and_the_front_page_load_none_of_them(data: Path) -> None:
    asked = "/sparql?query=" + "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201"
    assert _loaded_after(data, "/", asked, "/health") == set()


def test_the_network_page_loads_networkx_when_asked(data: Path) -> None:
    # the check above sees a library that a request loads
    assert "networkx" in _loaded_after(data, "/network")
