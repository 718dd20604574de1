"""Adding the text of a resolution or decision to a project's sources (``sources/resolution/``).

``ingest`` recognises one by its title ("Resolution 3/4: …", "Decision 2024/1: …", "第3/6号决议：…")
before any numbered paragraph; a report has none. The text is read in full first
(``graph.resolution.read_resolution``: a text it cannot read is refused with its file and
line) and written whole or not at all, under the act's identifier from its title
(``ha-3-4.en.txt``), as reports are: the same text again changes nothing, another text for the
same resolution or decision is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from habitat_kg.errors import SourceError, source_text
from habitat_kg.graph.parse.structure import PARAGRAPH
from habitat_kg.graph.resolution import Operative, ResolutionText, analyse, read_resolution
from habitat_kg.graph.resolution.structure import TITLE_EN, TITLE_ZH
from habitat_kg.graph.review.files import refuse_file_in_the_way, write_together
from habitat_kg.graph.review.screening import check_size

RESOLUTION_FOLDER = "resolution"


@dataclass(frozen=True)
class ResolutionIngest:
    """What ingesting a resolution or decision found and wrote."""

    text: ResolutionText
    operatives: tuple[Operative, ...]
    #: Where the text is in the sources.
    path: Path
    #: False when the very same text was already there (nothing written).
    new_text: bool

    def mandates(self) -> list[Operative]:
        return [operative for operative in self.operatives if operative.is_mandate]


def is_resolution_text(path: Path) -> bool:
    """True when the file's first title-like line, before any numbered paragraph, is the title
    of a resolution or decision; False for anything else (the report reader says what is
    wrong with a file that is neither)."""
    try:
        text = source_text(path)
    except (SourceError, OSError):
        return False
    for line in text.removeprefix("\ufeff").split("\n"):
        line = line.strip()
        if TITLE_EN.match(line) or TITLE_ZH.match(line):
            return True
        if PARAGRAPH.match(line):
            return False
    return False


def ingest_resolution(
    path: Path, sources: Path, identifier: str | None = None, max_mb: float = 0.0
) -> ResolutionIngest:
    """Copy the resolution or decision at ``path`` into ``sources/resolution/``.

    ``identifier`` (the command's --id), when given, must be the one the title gives. Raises
    SourceError, writing nothing, for a text that cannot be read as a resolution or decision,
    or that another text in the sources already gives.
    """
    check_size(path, max_mb)
    text = read_resolution(path)
    operatives = analyse(text)
    if identifier is not None and identifier != text.identifier:
        raise SourceError(
            path,
            text.title_line,
            f"its title makes it {text.identifier}, not {identifier}: the id of a resolution "
            "or decision comes from its title (leave out --id)",
        )
    folder = sources / RESOLUTION_FOLDER
    target = folder / f"{text.identifier}.{text.language}.txt"
    raw = path.read_bytes()
    same = _same_act(path, text, folder, target, raw)
    if same is not None:
        return ResolutionIngest(text, operatives, same, new_text=False)
    refuse_file_in_the_way(target, sources)
    write_together({target: raw})
    return ResolutionIngest(text, operatives, target, new_text=True)


def _same_act(
    path: Path, text: ResolutionText, folder: Path, target: Path, raw: bytes
) -> Path | None:
    """The file in the sources that already holds this very text; None when none holds the
    act; SourceError when one holds another text of it."""
    if not folder.is_dir():
        return None
    for existing in sorted(folder.glob("*.txt")):
        if existing.name.split(".", 1)[0] != text.identifier and not _gives(existing, text):
            continue
        if existing.read_bytes() == raw:
            return existing
        what = f"{text.kind} {text.number} ({text.identifier})"
        raise SourceError(
            path,
            text.title_line,
            f"{what} is already in {existing} with another text: remove that file from the "
            "sources first to replace it",
        )
    return None


def _gives(existing: Path, text: ResolutionText) -> bool:
    """Whether a file under another name gives the same act (one the builder cannot read is
    left for the builder to report)."""
    try:
        return read_resolution(existing).identifier == text.identifier
    except SourceError:
        return False
