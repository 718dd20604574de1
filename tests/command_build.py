"""``habitat-kg build`` run as a user would, its dataset read back to ask it in SPARQL."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from click.testing import CliRunner

from habitat_kg.cli import main


def built_store(sources: Path, data: Path) -> pyoxigraph.Store:
    """The command's build of ``sources`` into ``data`` (it must succeed), its dataset in an
    Oxigraph store."""
    built = CliRunner().invoke(main, ["build", "--sources", str(sources), "--data", str(data)])
    assert built.exit_code == 0, built.output
    store = pyoxigraph.Store()
    store.load((data / "habitat-kg.trig").read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    return store
