"""The SHACL shapes of habitat-kg: data only, one Turtle file per concept.

``records.ttl`` holds what every record has (names, sources, links, dates), one file per group
of classes holds the shapes of those classes (``review.ttl`` the provenance of reviewed
statements, ``mandates.ttl`` operative paragraphs, mandates and their status by report), and
``session-readiness.ttl`` and ``mandate-checks.ttl`` what an analyst checks before a session.
The shapes use the prefix ``hkgsh:`` (:data:`SHAPES`). The session date is a parameter: each
literal typed :data:`SESSION_DATE` stands for it (or for a number of years before it) and is
replaced by the validator (``habitat_kg.shapes.validation``) before it validates.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

SHAPES = "https://w3id.org/habitat-kg/shapes#"

#: Datatype of the placeholder literals that stand for the date of the session.
SESSION_DATE = SHAPES + "SessionDate"


def shape_files() -> list[Path]:
    """The bundled shapes files, in a stable order (by name)."""
    package = files("habitat_kg.shapes")
    paths = []
    for resource in sorted(package.iterdir(), key=lambda entry: entry.name):
        if resource.name.endswith(".ttl") and resource.is_file():
            # The package is installed as files (editable or wheel), so the path outlives this.
            with as_file(resource) as path:
                paths.append(Path(path))
    return paths
