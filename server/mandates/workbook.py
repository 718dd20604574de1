"""The registry as an Excel workbook: the sheet "Registry" (one row per mandate) and the sheet
"Matrix" (mandates by reports, each cell coloured by its status and saying it in words).

Formatted for reading, not only for loading: a bold frozen header with an auto filter, column
widths, wrapped text, the mandate's IRI and each evidence paragraph's IRI as hyperlinks.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from habitat_kg.server.mandates.model import Mandate
from habitat_kg.server.mandates.tables import (
    REGISTRY_COLUMNS,
    matrix_cells,
    matrix_columns,
    registry_row,
)

#: Fill and font colours of each status (as the pages' stylesheet has them; text stays legible).
STATUS_COLOURS = {
    "completed": ("D7F0DC", "14532D"),
    "in-progress": ("DCE8FA", "1E3A8A"),
    "not-implemented": ("FADBD8", "7F1D1D"),
    "non-applicable": ("ECECEC", "374151"),
    "no-indication": ("FDF1C7", "713F12"),
}
_WIDE = {"name": 40, "operative paragraph": 60, "object": 50, "resources": 30, "end clause": 30}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E5E7EB")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LINK_FONT = Font(color="1D4ED8", underline="single")


def registry_workbook(mandates: list[Mandate], today: date) -> bytes:
    """The workbook's bytes (XLSX)."""
    book = Workbook()
    registry = book.active
    assert registry is not None
    registry.title = "Registry"
    _registry_sheet(registry, mandates, today)
    _matrix_sheet(book.create_sheet("Matrix"), mandates)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _registry_sheet(sheet: Worksheet, mandates: list[Mandate], today: date) -> None:
    evidence_columns = max((len(m.latest.evidence) for m in mandates if m.latest), default=0)
    header = [c for c in REGISTRY_COLUMNS if c != "evidence"]
    header += [f"evidence {n}" for n in range(1, evidence_columns + 1)]
    sheet.append(header)
    for mandate in mandates:
        row = registry_row(mandate, today)
        del row[REGISTRY_COLUMNS.index("evidence")]
        latest = mandate.latest
        evidence = latest.evidence if latest else []
        sheet.append(row + [f"paragraph {e.number}" for e in evidence])
        line = sheet.max_row
        _link(sheet.cell(line, 1), mandate.iri)
        for offset, item in enumerate(evidence):
            _link(sheet.cell(line, len(header) - evidence_columns + 1 + offset), item.iri)
    _format(sheet, header, "C2")


def _matrix_sheet(sheet: Worksheet, mandates: list[Mandate]) -> None:
    columns = matrix_columns(mandates)
    sheet.append(["mandate", *(f"{c.name}\n{c.date}" for c in columns)])
    for mandate in mandates:
        cells = matrix_cells(mandate, columns)
        sheet.append([mandate.label.en, *(s.value.en if s else "" for s in cells)])
        line = sheet.max_row
        _link(sheet.cell(line, 1), mandate.iri)
        for offset, status in enumerate(cells):
            if status is None or status.key not in STATUS_COLOURS:
                continue
            fill, ink = STATUS_COLOURS[status.key]
            cell = sheet.cell(line, 2 + offset)
            cell.fill = PatternFill("solid", fgColor=fill)
            cell.font = Font(color=ink, bold=status.key == "completed")
    _format(sheet, ["name"] + ["status"] * len(columns), "B2")
    sheet.column_dimensions["A"].width = 60


def _link(cell: object, iri: str) -> None:
    cell.hyperlink = iri  # type: ignore[attr-defined]
    cell.font = _LINK_FONT  # type: ignore[attr-defined]


def _format(sheet: Worksheet, header: list[str], frozen: str) -> None:
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    for index, name in enumerate(header, start=1):
        width = _WIDE.get(name, 24 if name in {"resolution", "addressees", "units"} else 16)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = sheet.dimensions
