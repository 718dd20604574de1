"""The curated files' naming statements kept between processes (graph/gazetteer/naming_cache.py):
a process that finds them kept knows what parsing the file gives, a changed file is parsed again,
and a cache folder others may write into is not read."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from habitat_kg.graph.gazetteer import lists
from habitat_kg.graph.gazetteer.naming_cache import cache_folder, kept_naming

REPO = Path(__file__).resolve().parents[1]
CURATED = REPO / "graph" / "sources" / "curated" / "eb-2020-2-item-7.trig"


def _entries(path: Path) -> list[tuple[object, list]]:
    return [(entity, sorted(names)) for entity, names in lists.curated([path])]


def test_a_curated_files_names_are_read_from_the_cache_as_parsed(tmp_path: Path) -> None:
    copy = tmp_path / CURATED.name
    shutil.copy(CURATED, copy)
    lists._READ.clear()
    parsed = _entries(copy)  # parsed, and kept
    digest = hashlib.sha256(copy.read_bytes()).digest()
    kept = kept_naming(digest)
    assert kept is not None and len(kept) > 100
    lists._READ.clear()  # as a new process: only the kept statements
    assert _entries(copy) == parsed
    # a changed file is another key: parsed again, the new name known
    changed = copy.read_text(encoding="utf-8").replace(
        '"UN-Habitat"@en', '"UN-Habitat (changed for testing)"@en', 1
    )
    copy.write_text(changed, encoding="utf-8")
    assert kept_naming(hashlib.sha256(copy.read_bytes()).digest()) is None
    names = {name[0] for _, rows in _entries(copy) for name in rows}
    assert "UN-Habitat (changed for testing)" in names


def test_a_cache_folder_others_may_write_is_not_read(tmp_path: Path) -> None:
    copy = tmp_path / CURATED.name
    shutil.copy(CURATED, copy)
    lists._READ.clear()
    _entries(copy)
    digest = hashlib.sha256(copy.read_bytes()).digest()
    folder = cache_folder()
    os.chmod(folder, 0o777)
    try:
        assert kept_naming(digest) is None
    finally:
        os.chmod(folder, 0o700)
    assert kept_naming(digest) is not None
