"""The mandate registry's pages (server/mandates) on a project with resolutions, reports and
statuses (tests/mandate_project.py): what each page and its JSON and CSV say, and bad input."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest

from habitat_kg.server.mandates.tables import REGISTRY_COLUMNS

pytest_plugins = ["mandate_project"]

MANDATE = "https://w3id.org/habitat-kg/id/mandate/"
REPORT = "https://w3id.org/habitat-kg/id/report/"
RES_3_4 = "https://w3id.org/habitat-kg/id/resolution/ha-3-4"
MEMBER_STATES = "https://w3id.org/habitat-kg/id/group/member-states"


def json_of(client: Any, url: str) -> Any:
    answer = client.get(url, headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/json"
    return answer.get_json()


def by_iri(mandates: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {m["iri"].removeprefix(MANDATE): m for m in mandates}


def test_the_registry_gives_each_mandate_its_clauses_and_latest_status(mandate_client) -> None:
    registry = json_of(mandate_client, f"/mandates?resolution={quote(RES_3_4)}")
    mandates = by_iri(registry["mandates"])
    assert registry["shown"] == 8 and registry["total"] > 8
    assert sorted(mandates) == [
        f"ha-3-4/op-{n}" for n in ("1", "2a", "2b", "3", "4", "5", "6", "9")
    ]
    first = mandates["ha-3-4/op-1"]
    assert first["label"] == {
        "iri": MANDATE + "ha-3-4/op-1",
        "en": "Resolution 3/4, OP 1",
        "zh": "第3/4号决议执行部分第1段",
    }
    assert first["action"]["en"] == "requests" and first["action"]["zh"] == "请"
    assert [a["en"] for a in first["addressees"]] == [
        "Executive Director of the United Nations Human Settlements Programme"
    ]
    assert first["due"] == "2025-12-31"
    assert first["reporting_session"]["en"] == "Executive Board, session 2024/2"
    assert first["resources"] == "within available resources"
    assert first["paragraph"]["text"].startswith(
        "Requests the Executive Director, within available"
    )
    assert first["url"] == "/mandates/ha-3-4/op-1"
    latest = first["latest_status"]
    assert latest["status"]["key"] == "completed" and latest["as_of"] == "2025-03-25"
    assert latest["report"]["iri"] == REPORT + "eb-2025-1/item-4"
    assert [e["iri"] for e in latest["evidence"]] == [REPORT + "eb-2025-1/item-4/paragraph/2"]
    assert "were finalized by the Urban Practices Branch" in latest["evidence"][0]["text"]
    assert mandates["ha-3-4/op-2a"]["end_clause"] == "for an initial period of three years"
    assert [a["en"] for a in mandates["ha-3-4/op-5"]["addressees"]] == [
        "Member States",
        "local authorities",
    ]


def test_facet_counts_are_those_the_other_filters_leave(mandate_client) -> None:
    registry = json_of(mandate_client, f"/mandates?resolution={quote(RES_3_4)}")
    # (the values the other mandates have, the bundled record's, are counted 0 here)
    statuses = {v["value"]: v["count"] for v in registry["facets"]["status"] if v["count"]}
    assert statuses == {"completed": 2, "in-progress": 1, "non-applicable": 4, "no-indication": 1}
    # the resolution facet counts every resolution, the chosen one marked
    resolutions = {v["en"]: v for v in registry["facets"]["resolution"]}
    assert resolutions["Resolution 3/4"]["count"] == 8 and resolutions["Resolution 3/4"]["selected"]
    assert resolutions["Decision 2024/1"]["count"] == 4
    narrowed = json_of(
        mandate_client, f"/mandates?resolution={quote(RES_3_4)}&status=non-applicable"
    )
    assert sorted(by_iri(narrowed["mandates"])) == [f"ha-3-4/op-{n}" for n in (3, 4, 5, 6)]
    members = json_of(mandate_client, f"/mandates?addressee={quote(MEMBER_STATES)}")
    assert sorted(by_iri(members["mandates"])) == ["eb-2024-1/op-4", "ha-3-4/op-3", "ha-3-4/op-5"]


def test_the_flags_reporting_end_clause_and_age(mandate_client) -> None:
    ended = json_of(mandate_client, "/mandates?end-clause=yes")
    assert "ha-3-4/op-2a" in by_iri(ended["mandates"])
    reporting = by_iri(json_of(mandate_client, "/mandates?reporting=yes")["mandates"])
    assert {"ha-3-4/op-1", "ha-3-4/op-9", "eb-2024-1/op-2"} <= set(reporting)
    assert "ha-3-4/op-3" not in reporting
    # the bundled record's mandates were adopted in 2019: flagged; the session of resolution 3/4
    # has no date in the graph, so its mandates' age is not known
    older = json_of(mandate_client, "/mandates?age=older")["mandates"]
    assert older and all(m["adopted"] <= "2021-12-31" for m in older)
    assert all(m["older_than_five_years"] is True for m in older)
    unknown = by_iri(json_of(mandate_client, "/mandates?age=unknown")["mandates"])
    assert "ha-3-4/op-1" in unknown


def test_the_text_filter_reads_object_and_paragraph(mandate_client) -> None:
    found = json_of(mandate_client, f"/mandates?q=GUIDELINES&resolution={quote(RES_3_4)}")
    assert list(by_iri(found["mandates"])) == ["ha-3-4/op-1"]
    assert found["filters"]["q"] == "GUIDELINES"
    # words of the operative paragraph that the object leaves out
    found = json_of(mandate_client, "/mandates?q=after%20which%20the%20Executive%20Board")
    assert list(by_iri(found["mandates"])) == ["ha-3-4/op-2a"]
    page = mandate_client.get("/mandates?q=guidelines").get_data(as_text=True)
    assert 'value="guidelines"' in page and "/mandates/ha-3-4/op-1" in page


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=done", "status"),
        ("addressee=https%3A%2F%2Fexample.org%2Fnobody", "addressee"),
        ("colour=red", "colour"),
        ("lang=xx", "lang"),
        ("q=" + "x" * 201, "q"),
        ("format=xml", "format"),
        ("age=ancient", "age"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(mandate_client, query: str, parameter: str) -> None:
    answer = mandate_client.get(f"/mandates?{query}")
    assert answer.status_code == 400
    assert answer.mimetype == "text/plain"
    assert f"parameter '{parameter}'" in answer.get_data(as_text=True)
    as_json = mandate_client.get(f"/mandates?{query}", headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.get_json()["parameter"] == parameter


def test_the_registry_as_csv(mandate_client) -> None:
    answer = mandate_client.get(f"/mandates?format=csv&resolution={quote(RES_3_4)}")
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert tuple(rows[0]) == REGISTRY_COLUMNS
    by_mandate = {
        row[0].removeprefix(MANDATE): dict(zip(rows[0], row, strict=True)) for row in rows[1:]
    }
    assert len(by_mandate) == 8
    assert by_mandate["ha-3-4/op-2b"]["latest status"] == "in progress"
    assert by_mandate["ha-3-4/op-2b"]["evidence"] == REPORT + "eb-2025-1/item-4/paragraph/4"
    assert by_mandate["ha-3-4/op-1"]["due"] == "2025-12-31"
    chinese = mandate_client.get(f"/mandates?format=csv&lang=zh&resolution={quote(RES_3_4)}")
    assert "第3/4号决议执行部分第1段" in chinese.get_data(as_text=True)


def test_a_mandate_page_shows_its_statuses_on_a_timeline(mandate_client) -> None:
    page = mandate_client.get("/mandates/ha-3-4/op-2b")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "To support at least ten cities in preparing" in text  # the operative paragraph
    first, second = text.index("2024-11-12"), text.index("2025-03-25")
    assert first < second  # in date order
    assert 'href="/id/report/eb-2024-2/item-5/paragraph/4"' in text
    assert "Through the facility, support is being provided to six cities" in text
    assert "has been postponed" in text
    shape = json_of(mandate_client, "/mandates/ha-3-4/op-2b?format=json")
    assert [(s["as_of"], s["status"]["key"]) for s in shape["statuses"]] == [
        ("2024-11-12", "in-progress"),
        ("2025-03-25", "in-progress"),
    ]
    assert [[e["number"] for e in s["evidence"]] for s in shape["statuses"]] == [["4", "5"], ["4"]]


def test_a_mandate_page_names_the_activities_and_units(mandate_client) -> None:
    shape = json_of(mandate_client, "/mandates/ha-3-4/op-1")
    assert [a["en"] for a in shape["activities"]] == [
        "Guidelines on community-led climate adaptation in informal settlements"
    ]
    assert [u["en"] for u in shape["units"]] == ["Urban Practices Branch"]
    page = mandate_client.get("/mandates/ha-3-4/op-1?lang=zh").get_data(as_text=True)
    assert "Urban Practices Branch" in page and "已完成" in page and "请" in page


def test_unknown_mandates_are_404(mandate_client) -> None:
    assert mandate_client.get("/mandates/ha-3-4/op-99").status_code == 404
    assert mandate_client.get("/mandates/ha-3-4/op%20%3E1").status_code == 404
    assert mandate_client.get("/mandates/ha-3-4/op-1?colour=red").status_code == 400


def test_the_matrix_has_reports_in_date_order_and_a_status_per_cell(mandate_client) -> None:
    matrix = json_of(mandate_client, "/mandates/matrix")
    names = [r["name"] for r in matrix["reports"]]
    assert names.index("eb-2024-2/item-5") < names.index("eb-2025-1/item-4")
    dates = [r["as_of"] for r in matrix["reports"]]
    assert dates == sorted(dates)
    rows = {r["mandate"]["iri"].removeprefix(MANDATE): r["cells"] for r in matrix["rows"]}
    at = {name: names.index(name) for name in ("eb-2024-2/item-5", "eb-2025-1/item-4")}

    def status(mandate: str, report: str) -> str | None:
        cell = rows[mandate][at[report]]
        return cell and cell["status"]["key"]

    assert status("ha-3-4/op-1", "eb-2024-2/item-5") == "in-progress"
    assert status("ha-3-4/op-1", "eb-2025-1/item-4") == "completed"
    assert status("ha-3-4/op-9", "eb-2024-2/item-5") == "no-indication"
    assert status("ha-3-4/op-9", "eb-2025-1/item-4") is None
    page = mandate_client.get("/mandates/matrix").get_data(as_text=True)
    # colour and words: the cell's class and its text
    assert 'class="cell mstatus-completed"' in page and "✓</span> completed" in page
    table = mandate_client.get("/mandates/matrix?format=csv").get_data(as_text=True)
    header, *lines = list(csv.reader(io.StringIO(table)))
    assert header[:2] == ["mandate", "name"]
    assert "eb-2025-1/item-4 (2025-03-25)" in header
    op1 = next(line for line in lines if line[0] == MANDATE + "ha-3-4/op-1")
    assert op1[header.index("eb-2025-1/item-4 (2025-03-25)")] == "completed"


def test_the_schedule_lists_what_is_due_from_a_date(mandate_client) -> None:
    schedule = json_of(mandate_client, "/mandates/schedule?date=2024-06-01")
    assert schedule["date"] == "2024-06-01"
    due = [
        (d["date"], d["kind"], d["mandate"]["iri"].removeprefix(MANDATE)) for d in schedule["due"]
    ]
    assert due[:2] == [
        ("2024-11-12", "report", "eb-2024-1/op-2"),
        ("2024-11-12", "report", "ha-3-4/op-1"),
    ]
    assert ("2025-12-31", "deadline", "ha-3-4/op-1") in due
    assert ("2026-12-31", "deadline", "ha-3-4/op-2b") in due
    # the Assembly's fourth session has no date in the graph: listed last
    assert due[-1] == (None, "report", "ha-3-4/op-9")
    assert [d for d in due if d[0]] == sorted(d for d in due if d[0])
    later = json_of(mandate_client, "/mandates/schedule?date=2025-01-01")
    assert all(d["date"] is None or d["date"] >= "2025-01-01" for d in later["due"])
    assert mandate_client.get("/mandates/schedule?date=2025-13-01").status_code == 400
    page = mandate_client.get("/mandates/schedule?date=2024-06-01").get_data(as_text=True)
    assert "UN-Habitat Assembly, session 4" in page


def test_the_registry_is_in_the_site_navigation(mandate_client) -> None:
    assert 'href="/mandates"' in mandate_client.get("/").get_data(as_text=True)


class _Markup(HTMLParser):
    """What the content security policy forbids: inline scripts, styles and event handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.forbidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        # a JSON data block is never run (the page's words for its scripts)
        data_block = dict(attrs).get("type") == "application/json"
        if tag == "script" and "src" not in names and not data_block:
            self.forbidden.append("inline script")
        if tag == "style" or "style" in names:
            self.forbidden.append(f"inline style on <{tag}>")
        self.forbidden += [f"handler {n} on <{tag}>" for n in names if n.startswith("on")]


@pytest.mark.parametrize(
    "path",
    [
        "/mandates",
        "/mandates?lang=zh&status=completed&q=plan",
        "/mandates/ha-3-4/op-2a",
        "/mandates/matrix?lang=zh",
        "/mandates/schedule?date=2024-06-01",
    ],
)
def test_the_pages_keep_the_security_policy(mandate_client, path: str) -> None:
    answer = mandate_client.get(path)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    assert "'unsafe-inline'" not in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    markup = _Markup()
    markup.feed(answer.get_data(as_text=True))
    assert markup.forbidden == []


def test_the_text_filter_is_echoed_escaped(mandate_client) -> None:
    page = mandate_client.get("/mandates?q=" + quote('"><script>x()</script>'))
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script>x()" not in body
    assert "&#34;&gt;&lt;script&gt;" in body or "&quot;&gt;&lt;script&gt;" in body
