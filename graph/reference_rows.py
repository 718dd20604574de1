"""Reading a reference file (CSV): its header, its rows and the checks of their cells, each error
naming the file and the line, so that an analyst can go and fix it."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from habitat_kg.errors import SourceError

_QID = re.compile(r"Q[1-9][0-9]*")
_ALPHA3 = re.compile(r"[A-Z]{3}")


def rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Yield (line number, row) pairs; empty cells become None."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header != list(columns):
                raise SourceError(path, 1, f"header must be {','.join(columns)!r}, got {header!r}")
            for cells in reader:
                line = reader.line_num
                if len(cells) != len(columns):
                    problem = f"expected {len(columns)} columns, got {len(cells)}"
                    raise SourceError(path, line, problem)
                pairs = zip(columns, cells, strict=True)
                yield line, {column: cell(path, line, column, value) for column, value in pairs}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(path, None, f"cannot read the file: {exc}") from exc


def cell(path: Path, line: int, column: str, value: str) -> str | None:
    # Stray spaces would make labels that never match the report text; refuse them.
    if value != value.strip():
        raise SourceError(path, line, f"{column} has leading or trailing spaces: {value!r}")
    return value or None


@dataclass(frozen=True)
class Row:
    """A row of a reference file, with the checks of its cells; each error names the file and
    the line."""

    path: Path
    line: int
    cells: dict[str, str | None]

    def error(self, problem: str) -> SourceError:
        return SourceError(self.path, self.line, problem)

    def required(self, column: str) -> str:
        value = self.cells[column]
        if value is None:
            raise self.error(f"{column} is empty")
        return value

    def wikidata(self) -> str | None:
        value = self.cells["wikidata"]
        if value is not None and not _QID.fullmatch(value):
            raise self.error(f"wikidata must be a QID like Q114, got {value!r}")
        return value

    def country(self, column: str) -> tuple[str, Any]:
        """The ISO 3166-1 alpha-3 code of ``column`` and pycountry's country of it."""
        alpha3 = self.required(column)
        found = pycountry.countries.get(alpha_3=alpha3) if _ALPHA3.fullmatch(alpha3) else None
        if found is None:
            raise self.error(f"{alpha3!r} is not an ISO 3166-1 alpha-3 code")
        return alpha3, found


def keyed_rows(path: Path, columns: tuple[str, ...], key: str) -> Iterator[tuple[Row, str]]:
    """Each row with its key (the value of column ``key``), which must be there and be unique."""
    seen: dict[str, int] = {}
    for line, cells in rows(path, columns):
        row = Row(path, line, cells)
        value = row.required(key)
        if value in seen:
            raise row.error(f"duplicate {value!r} (first on line {seen[value]})")
        seen[value] = line
        yield row, value
