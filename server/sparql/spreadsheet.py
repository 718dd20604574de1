"""SELECT and ASK answers as an Excel workbook (format=xlsx): one sheet, a header row of the
variables, one row per solution; numbers stay numbers so a spreadsheet can sum them."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {f"{_XSD}{name}" for name in ("integer", "decimal", "double", "float", "int", "long")}


def _cell(term: dict[str, str] | None) -> object:
    if term is None:
        return None
    value = term.get("value", "")
    if term.get("datatype") in _NUMBERS:
        try:
            return float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
    return value


def _text_cell(sheet: object, value: object) -> object:
    """A text stays text: openpyxl would store one starting with "=" as a formula."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def workbook_of(json_answer: bytes) -> bytes:
    """The SPARQL JSON results ``json_answer`` written as an .xlsx workbook."""
    answer = json.loads(json_answer)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("answer")
    if "boolean" in answer:
        sheet.append(["answer"])
        sheet.append([bool(answer["boolean"])])
    else:
        names = answer.get("head", {}).get("vars", [])
        sheet.append(names)
        for row in answer.get("results", {}).get("bindings", []):
            sheet.append([_text_cell(sheet, _cell(row.get(name))) for name in names])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
