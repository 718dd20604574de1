"""The gazetteer's cache between processes, and the curated files it reads: a compiled form is
keyed by the code and the lists it is made of, a stale or foreign file is compiled again, a
file others could have written is never unpickled, and the statements analysts accepted in a
review are known when the next report is proposed."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest

from habitat_kg.graph.gazetteer import Gazetteer, load_gazetteer, loading
from habitat_kg.namespaces import ID

SOURCES = Path(__file__).resolve().parents[1] / "graph" / "sources"
TEXT = "in Kigali, Rwanda, with UNEP"


class Planted:
    """Unpickling it makes a folder: shows whether a cache file was unpickled at all."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def sources_copy(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "reference", sources / "reference")
    (sources / "curated").mkdir()
    return sources


def planted_cache(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    path = folder / "gazetteer-x.pickle"
    marker = tmp_path / "unpickled"
    path.write_bytes(pickle.dumps(Planted(marker)))
    path.chmod(0o600)
    return path, marker


def test_the_key_follows_the_gazetteer_code(tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "gazetteer"
    shutil.copytree(loading._PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(loading, "_PACKAGE", copy)
    before = loading.code_key()
    assert loading.code_key() == before
    with (copy / "gazetteer.py").open("a", encoding="utf-8") as out:
        out.write("\n# a changed rule\n")
    assert loading.code_key() != before


def test_a_cache_of_other_code_is_compiled_again(tmp_path: Path, monkeypatch) -> None:
    sources = sources_copy(tmp_path)
    cache = tmp_path / "cache"
    loading._LOADED.clear()
    first = load_gazetteer(sources, cache_dir=cache)
    [path] = cache.glob("gazetteer-*.pickle")
    key = path.stem.removeprefix("gazetteer-")
    assert loading.read_cache(path, key) is not None
    # Written by an older version of the code: an attribute the current code uses is missing.
    stale = Gazetteer(())
    del stale._lengths
    for content in (
        (loading._MARK, key, stale),
        (loading._MARK, key, "not a gazetteer"),
        (loading._MARK, "another key", first),
        first,
    ):
        path.write_bytes(pickle.dumps(content))
        assert loading.read_cache(path, key) is None
    # The code's hash is part of the key: changed code never finds the old file.
    monkeypatch.setattr(loading, "code_key", lambda: "changed code")
    loading._LOADED.clear()
    again = load_gazetteer(sources, cache_dir=cache)
    assert again.recognise(TEXT, "en") == first.recognise(TEXT, "en")
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 2


def test_the_cache_is_private_to_the_user(tmp_path: Path) -> None:
    sources = sources_copy(tmp_path)
    cache = tmp_path / "fresh" / "cache"
    loading._LOADED.clear()
    load_gazetteer(sources, cache_dir=cache)
    [path] = cache.glob("gazetteer-*.pickle")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_trusted_file_is_unpickled_and_its_content_checked(tmp_path: Path) -> None:
    # The control for the refusals below: the planted file is read when nothing is wrong.
    path, marker = planted_cache(tmp_path)
    assert loading.read_cache(path, "x") is None
    assert marker.is_dir()


@pytest.mark.parametrize(
    "make_unsafe",
    [
        lambda path: path.chmod(0o620),
        lambda path: path.chmod(0o602),
        lambda path: path.parent.chmod(0o777),
    ],
    ids=["group-writable file", "world-writable file", "world-writable folder"],
)
def test_a_file_others_could_write_is_never_unpickled(tmp_path: Path, make_unsafe) -> None:
    path, marker = planted_cache(tmp_path)
    make_unsafe(path)
    assert loading.read_cache(path, "x") is None
    assert not marker.exists()


def test_a_symbolic_link_is_never_unpickled(tmp_path: Path) -> None:
    path, marker = planted_cache(tmp_path)
    link = path.with_name("gazetteer-link.pickle")
    link.symlink_to(path)
    assert loading.read_cache(link, "x") is None
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_file_of_another_user_is_never_unpickled(tmp_path: Path) -> None:
    path, marker = planted_cache(tmp_path)
    os.chown(path, 65534, 65534)
    assert loading.read_cache(path, "x") is None
    assert not marker.exists()


ACCEPTED = """\
@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix o: <https://w3id.org/habitat-kg/id/org/> .
@prefix p: <https://w3id.org/habitat-kg/id/report/eb-2030-1/item-3/paragraph/> .

p:2 {
    o:lakeside-builders-guild a hkg:CivilSocietyOrganization ;
        rdfs:label "Lakeside Builders Guild"@en .
}
"""


def test_entities_accepted_in_a_review_are_known(tmp_path: Path) -> None:
    sources = sources_copy(tmp_path)
    accepted = sources / "curated" / "accepted" / "eb-2030-1-item-3.trig"
    accepted.parent.mkdir()
    accepted.write_text(ACCEPTED, encoding="utf-8")
    text = "together with the Lakeside Builders Guild in Kigali"
    loading._LOADED.clear()
    known = load_gazetteer(sources, cache_dir=tmp_path / "cache")
    [match] = [m for m in known.recognise(text, "en") if m.text == "Lakeside Builders Guild"]
    assert (match.entity, match.known) == (ID["org/lakeside-builders-guild"], True)
    without = load_gazetteer(sources, exclude_curated=[accepted], cache_dir=tmp_path / "cache")
    assert all(m.entity != match.entity for m in without.recognise(text, "en"))
