"""The statements of curated files kept between processes (graph/curated_cache.py): a process
that finds a file's naming statements kept makes the gazetteer and the mandates that parsing it
gives, a changed file is parsed again, and a cache folder others may write into is not read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import habitat_kg.graph.curated_cache as curated_module
from habitat_kg.graph.curated_cache import cache_folder
from habitat_kg.graph.gazetteer import lists
from habitat_kg.graph.mandates.known import curated_acts

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "graph" / "sources" / "curated" / "eb-2020-2-item-7.trig"


def _entries(path: Path) -> list[tuple[object, list]]:
    return [(entity, sorted(names)) for entity, names in lists.curated([path])]


def test_a_curated_files_names_are_read_from_the_cache_as_parsed(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    lists._READ.clear()
    before = set(_kept())
    parsed = _entries(copy)  # parsed, and kept
    acts = curated_acts([copy])
    assert acts and len(set(_kept()) - before) == 2  # the names and the mandates
    lists._READ.clear()  # as a new process: only the kept statements
    parse = curated_module.load_curated
    curated_module.load_curated = None  # type: ignore[assignment]
    try:
        assert _entries(copy) == parsed
        assert curated_acts([copy]) == acts
    finally:
        curated_module.load_curated = parse
    # a changed file is another key: parsed again, the new name known
    changed = copy.read_text(encoding="utf-8").replace(
        '"UN-Habitat"@en', '"UN-Habitat (changed for testing)"@en', 1
    )
    copy.write_text(changed, encoding="utf-8")
    names = {name[0] for _, rows in _entries(copy) for name in rows}
    assert "UN-Habitat (changed for testing)" in names


def test_a_cache_folder_others_may_write_is_not_read(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    acts = curated_acts([copy])
    folder = cache_folder()
    os.chmod(folder, 0o777)
    parse = curated_module.load_curated
    curated_module.load_curated = None  # type: ignore[assignment]
    try:
        with pytest.raises(TypeError):  # not read from the cache: parsed again
            curated_acts([copy])
    finally:
        curated_module.load_curated = parse
        os.chmod(folder, 0o700)
    assert curated_acts([copy]) == acts


def _copy(folder: Path) -> Path:
    """The bundled curated file with a line of its own (a file no other test has kept)."""
    copy = folder / CURATED.name
    text = CURATED.read_text(encoding="utf-8")
    copy.write_text(f"# a copy written for testing in {folder}\n{text}", encoding="utf-8")
    return copy


def _kept() -> list[Path]:
    return sorted(cache_folder().glob("*.nq"))
