"""``habitat-kg mandates``: the registry exported as CSV, JSON and a formatted XLSX workbook,
read back (openpyxl reads the workbook), and its one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from habitat_kg.cli import main
from habitat_kg.server.mandates.tables import REGISTRY_COLUMNS
from habitat_kg.server.mandates.workbook import STATUS_COLOURS

pytest_plugins = ["mandate_project"]

MANDATE = "https://w3id.org/habitat-kg/id/mandate/"
REPORT = "https://w3id.org/habitat-kg/id/report/"


def export(project: Path, *arguments: str):
    return CliRunner().invoke(main, ["mandates", "--project", str(project), *arguments])


def test_csv_one_row_per_mandate(mandate_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "registry.csv"
    result = export(mandate_project, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {target} (csv: ")
    with target.open(encoding="utf-8", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert tuple(header) == REGISTRY_COLUMNS
    iris = [row[0] for row in rows]
    assert len(iris) == len(set(iris)) and MANDATE + "ha-3-4/op-1" in iris
    op3 = dict(zip(header, rows[iris.index(MANDATE + "ha-3-4/op-3")], strict=True))
    assert op3["addressees"] == "Member States" and op3["latest status"] == "non-applicable"
    assert op3["evidence"] == REPORT + "eb-2024-2/item-5/paragraph/7"


def test_json_has_the_statuses_and_the_matrix(mandate_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "registry.data"
    result = export(mandate_project, "--format", "JSON", "-o", str(target))
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text(encoding="utf-8"))
    mandates = {m["iri"].removeprefix(MANDATE): m for m in document["mandates"]}
    op1 = mandates["ha-3-4/op-1"]
    assert [s["status"]["key"] for s in op1["statuses"]] == ["in-progress", "completed"]
    assert op1["reporting_to"]["en"].startswith("Executive Board")
    reports = [r["name"] for r in document["matrix"]["reports"]]
    assert reports.index("eb-2024-2/item-5") < reports.index("eb-2025-1/item-4")


def test_xlsx_formatted_with_links_and_a_coloured_matrix(
    mandate_project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "registry.xlsx"
    result = export(mandate_project, "-o", str(target))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Registry", "Matrix"]
    sheet = book["Registry"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["mandate", "name", "resolution"] and "evidence 1" in header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.column_dimensions["E"].width == 60  # the operative paragraph
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    op2b = rows[MANDATE + "ha-3-4/op-2b"]
    assert op2b[0].hyperlink.target == MANDATE + "ha-3-4/op-2b"
    evidence = op2b[header.index("evidence 1")]
    assert evidence.value == "paragraph 4"
    assert evidence.hyperlink.target == REPORT + "eb-2025-1/item-4/paragraph/4"
    assert op2b[header.index("operative paragraph")].alignment.wrap_text
    assert op2b[header.index("latest status")].value == "in progress"

    matrix = book["Matrix"]
    heads = [cell.value for cell in matrix[1]]
    later = next(i for i, h in enumerate(heads) if h and h.startswith("eb-2025-1/item-4"))
    assert heads[later] == "eb-2025-1/item-4\n2025-03-25"
    by_name = {row[0].value: row for row in matrix.iter_rows(min_row=2)}
    cell = by_name["Resolution 3/4, OP 1"][later]
    assert cell.value == "completed"
    assert cell.fill.fgColor.rgb.endswith(STATUS_COLOURS["completed"][0])
    assert by_name["Resolution 3/4, OP 1"][0].hyperlink.target == MANDATE + "ha-3-4/op-1"
    assert matrix.freeze_panes == "B2" and matrix.auto_filter.ref


def test_an_export_replaces_the_file_whole(mandate_project: Path, tmp_path: Path) -> None:
    target = tmp_path / "registry.csv"
    target.write_text("an older export that is much longer than nothing\n" * 500)
    assert export(mandate_project, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("mandate,name,")
    assert [p.name for p in tmp_path.iterdir()] == ["registry.csv"]  # no temporary file left


def test_errors_are_one_line(mandate_project: Path, tmp_path: Path) -> None:
    unknown = export(mandate_project, "-o", str(tmp_path / "registry.txt"))
    assert unknown.exit_code == 2
    assert "cannot tell the format from the file name 'registry.txt'" in unknown.output
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    refused = export(mandate_project, "--format", "csv", "-o", str(folder))
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    unbuilt = CliRunner().invoke(
        main, ["mandates", "--data", str(empty), "-o", str(tmp_path / "r.csv")]
    )
    assert unbuilt.exit_code == 2
    missing = empty / "habitat-kg.trig"
    assert unbuilt.output.strip() == (
        f"habitat-kg: error: {missing}: no built graph here; run 'habitat-kg build' first"
    )
    assert not (tmp_path / "r.csv").exists()
