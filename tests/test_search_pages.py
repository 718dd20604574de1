"""``/search`` as a page and as JSON, ``/search/suggest``, their refusals and hostile inputs;
stored questions asked by name over HTTP and with ``habitat-kg query``."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from habitat_kg.cli import main
from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import BASE

pytest_plugins = ["browser"]

ID = BASE + "id/"
JSON = {"Accept": "application/json"}


def test_the_search_page_ranks_links_and_marks(client) -> None:
    response = client.get("/search", query_string={"q": "城乡"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    links = re.findall(r'<a class="hit" href="([^"]+)"', page)
    assert "/id/topic/urban-rural-linkages" in links[:3]
    assert "<mark>城乡</mark>" in page
    assert 'name="q"' in page and 'value="城乡"' in page


def test_the_search_answers_json_when_asked(client) -> None:
    for response in (
        client.get("/search?q=性别", headers=JSON),
        client.get("/search?q=性别&format=json"),
    ):
        assert response.status_code == 200
        assert response.mimetype == "application/json"
        results = response.get_json()["results"]
        assert results[0]["iri"] == ID + "topic/gender-equality"
        for result in results:
            assert set(result) >= {"iri", "label", "type", "snippet", "score"}
            assert isinstance(result["score"], float)
        scores = [result["score"] for result in results]
        assert scores == sorted(scores, reverse=True)


def test_the_kind_keeps_one_kind_of_thing(client) -> None:
    results = client.get("/search?q=Germany&type=country", headers=JSON).get_json()["results"]
    assert [r["iri"] for r in results] == [ID + "country/DEU"]


def test_suggestions_for_autocomplete(client) -> None:
    answer = client.get("/search/suggest?q=Capacity Dev").get_json()
    first = answer["suggestions"][0]
    assert first["label"] == "Capacity Development and Training Unit"
    assert first["value"] == first["label"] and first["label_zh"] == "能力发展和培训股"
    zh = client.get("/search/suggest?q=能力发展&type=organization").get_json()["suggestions"]
    assert zh[0]["iri"] == ID + "org/capacity-development-and-training-unit"
    assert zh[0]["value"] == "能力发展和培训股"  # the name that holds what was typed


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/search?q=", "q is empty"),
        ("/search?q=%20%20", "q is empty"),
        ("/search", "q is empty"),
        ("/search?q=" + "x" * 201, "at most 200"),
        ("/search?q=a%00b", "NUL"),
        ("/search?q=a&type=spaceship", "type 'spaceship' is not one of"),
        ("/search?q=a&limit=0", "limit must be"),
        ("/search?q=a&limit=9999", "limit must be"),
        # digits int() refuses: a superscript, and more than it reads
        ("/search?q=a&limit=%C2%B2", "limit must be"),
        ("/search?q=a&limit=" + "9" * 4400, "limit must be"),
        ("/search/suggest?q=a&limit=%C2%B9", "limit must be"),
        ("/search/suggest?q=", "q is empty"),
        ("/search/suggest?q=" + "城" * 201, "at most 200"),
    ],
)
def test_bad_searches_are_400_with_the_reason(client, url: str, message: str) -> None:
    for headers in (JSON, {}):
        response = client.get(url, headers=headers)
        assert response.status_code == 400
        text = response.get_json()["error"] if response.is_json else response.get_data(True)
        assert message in html.unescape(text)


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        'NEAR("a" "b") OR c* AND NOT d',
        "'; DROP TABLE entity; --",
        '城乡" AND "',
        "%s%s%n{0}",
    ],
)
def test_hostile_queries_are_answered_and_escaped(client, query: str) -> None:
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert client.get("/search", query_string={"q": query}, headers=JSON).status_code == 200
    assert client.get("/search/suggest", query_string={"q": query}).status_code == 200


def test_every_page_has_the_search_box(client) -> None:
    for url in ("/", "/queries", "/id/org/fao", "/search?q=FAO"):
        page = client.get(url).get_data(as_text=True)
        assert 'class="site-search"' in page and 'list="site-search-names"' in page, url


def test_question_parameters_by_name_over_http(client) -> None:
    answer = client.get("/queries/partners-of-a-resolution.json?resolution=第1/5号决议")
    assert answer.status_code == 200
    assert ID + "org/fao" in {row["agent"] for row in answer.get_json()["rows"]}
    both = client.get("/queries/resolution-reach.json?resolution=1/3").get_json()
    assert "names 2 things" in both["notes"][0]
    assert ID + "city/ke-nairobi" in {row["place"] for row in both["rows"]}
    page = client.get("/queries/resolution-reach?resolution=1/3").get_data(as_text=True)
    assert 'class="notice"' in page and 'data-suggest="resolution"' in page


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/queries/partners-of-a-resolution?resolution=", "is empty"),
        ("/queries/partners-of-a-resolution?resolution=9/9", "names no resolution or decision"),
        ("/queries/in-a-country?country=Atlantis", "names no country"),
        ("/queries/activities-of-an-organization?organization=Nobody", "names no organization"),
    ],
)
def test_unknown_or_empty_names_are_400_with_suggestions(client, url: str, message: str) -> None:
    json_answer = client.get(url + "&format=json")
    assert json_answer.status_code == 400
    assert message in json_answer.get_json()["error"]
    assert "did you mean: " in json_answer.get_json()["error"]
    assert client.get(url).status_code == 400


def test_the_command_line_takes_names(live_server: str, built: BuildResult) -> None:
    env = {"HABITAT_KG_DATA": str(built.out_dir)}
    endpoint = ["--endpoint", live_server + "/sparql", "--format", "csv"]
    asked = ["query", "--question", "resolution-reach", "--param"]
    result = CliRunner().invoke(main, [*asked, "resolution=第1/3号决定", *endpoint], env=env)
    assert result.exit_code == 0, result.stderr
    assert ID + "city/ke-nairobi" in result.stdout
    both = CliRunner().invoke(main, [*asked, "resolution=1/3", *endpoint], env=env)
    assert both.exit_code == 0 and "note: resolution '1/3' names 2 things" in both.stderr
    for value, problem in (("9/9", "names no resolution"), ("", "is empty")):
        args = ["query", "--question", "partners-of-a-resolution", "--param", f"resolution={value}"]
        refused = CliRunner().invoke(main, [*args, *endpoint], env=env)
        assert refused.exit_code == 2
        assert refused.stderr.count("\n") == 1 and problem in refused.stderr
        assert "did you mean: " in refused.stderr


@pytest.mark.parametrize(
    ("iri", "href"),
    [
        ("javascript:alert(1)", None),
        # not made "//evil.example/x" (another site): the IRI as it is
        (BASE + "/evil.example/x", BASE + "/evil.example/x"),
        ("data:text/html,<b>x</b>", None),
        (BASE + "id/org/fao", "/id/org/fao"),
        ("https://www.un.org/", "https://www.un.org/"),
    ],
)
def test_a_result_links_only_where_a_page_may(client, iri: str, href: str | None) -> None:
    """A thing's IRI (curated data, a remote store) becomes a link only where safe_href allows."""
    from flask import render_template

    from habitat_kg.graph.search import Hit, Thing
    from habitat_kg.server.search import KINDS, _shown

    hit = Hit(Thing(iri, "Organization", "Hostile", ""), "Hostile", 1.0, "label", "Hostile")
    with client.application.test_request_context("/search?q=Hostile"):
        shown = _shown([hit])
        page = render_template("search.html", query="Hostile", kind="", kinds=KINDS, hits=shown)
    assert shown[0]["href"] == href
    links = re.findall(r'<a class="hit" href="([^"]*)"', page)
    assert links == ([html.escape(href)] if href else [])


def test_searches_past_the_few_at_once_are_503_to_ask_again(client) -> None:
    from habitat_kg.server import search

    held = [search._SEARCHES.acquire(blocking=False) for _ in range(search.SEARCHES_AT_ONCE)]
    try:
        assert all(held)
        for url in ("/search?q=城乡", "/search/suggest?q=Capa"):
            response = client.get(url, headers=JSON)
            assert response.status_code == 503 and response.headers["Retry-After"] == "1"
            assert "searches are running" in response.get_json()["error"]
    finally:
        for _ in held:
            search._SEARCHES.release()
    assert client.get("/search?q=城乡", headers=JSON).status_code == 200
