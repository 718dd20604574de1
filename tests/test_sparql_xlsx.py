"""format=xlsx (issue 17): a SELECT answer as a workbook that openpyxl reads back; numbers stay
numbers, a text starting with "=" stays text (never a formula); CONSTRUCT is not offered it."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from openpyxl import load_workbook

COUNTS = (
    'SELECT ?kind (COUNT(*) AS ?n) ("=1+1" AS ?formula) WHERE { ?s a ?kind } '
    "GROUP BY ?kind ORDER BY DESC(?n) LIMIT 5"
)


def test_select_as_xlsx_is_read_back_by_openpyxl(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": COUNTS, "format": "xlsx"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("kind", "n", "formula")
    assert len(rows) == 6
    assert all(isinstance(row[1], int) and row[1] > 0 for row in rows[1:])
    assert all(row[2] == "=1+1" for row in rows[1:])
    assert sheet.cell(2, 3).data_type == "s"


def test_construct_is_not_offered_xlsx(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": "xlsx"},
    )
    assert response.status_code == 406
    assert "format=xlsx is not offered" in response.get_data(as_text=True)


def test_results_include_names_scripts_that_are_served(client: FlaskClient) -> None:
    """The one-line include of the result views points at files the app serves."""
    import re

    from flask import render_template_string

    from tests.results_page import scripts_and_styles

    with client.application.test_request_context("/"):
        html = render_template_string('{% include "_results.html" %}')
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(sources) == len(scripts_and_styles()) >= 5
    for source in sources:
        response = client.get(source)
        response.close()
        assert response.status_code == 200, source
