"""The source units of a project, as a build reads them: each with the digest of its file.

A unit is one source file (a report's text, a resolution's, a curated file: a hand-written one
or a part of a report's accepted statements, ``curated.accepted_files``), or the reference CSVs
together. The ledger keeps each unit's contribution by the unit's name (its path in the
sources), so that a changed file is read again alone: a decision on one paragraph of a review
changes that paragraph's file, and a build reads that file only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.curated import curated_files
from habitat_kg.graph.reference import CITIES_FILE, MEMBER_STATES_FILE, REGIONS_FILE


@dataclass(frozen=True)
class Scan:
    """The source units of a project and their digests, in the order a full build reads them."""

    reference: str
    curated: list[tuple[str, Path, str]]
    reports: list[tuple[str, Path, str]]
    resolutions: list[tuple[str, Path, str]]


def scan(sources: Path) -> Scan:
    reports = sorted((sources / "report").glob("*.txt"))
    if not reports:
        raise SourceError(sources / "report", None, "no report text (*.txt) to build from")
    reference = hashlib.sha256()
    for name in (MEMBER_STATES_FILE, REGIONS_FILE, CITIES_FILE):
        path = sources / "reference" / name
        reference.update(name.encode() + b"\0" + (_read(path) or b"") + b"\0")

    def units(kind: str, paths: list[Path]) -> list[tuple[str, Path, str]]:
        found = []
        for path in paths:
            data = _read(path)
            digest = hashlib.sha256(data).hexdigest() if data is not None else "unreadable"
            found.append((f"{kind}/{path.relative_to(sources / kind).as_posix()}", path, digest))
        return found

    return Scan(
        reference.hexdigest(),
        units("curated", curated_files(sources)),
        units("report", reports),
        units("resolution", sorted((sources / "resolution").glob("*.txt"))),
    )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # the reader says why, and where
        return None
