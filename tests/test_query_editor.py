"""What the query page's editor is made of and completes from (issue 17, point 3): the vendored
CodeMirror bundle (pinned, with its licences, making no request of its own), the vocabulary and
names routes, and the page's downloads offered by the endpoint's formats."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.store.formats import FORMATS

ROOT = Path(__file__).parent.parent
VENDOR = ROOT / "server" / "static" / "vendor" / "codemirror"
RECIPE = ROOT / "scripts" / "vendor" / "codemirror"


def test_the_bundle_is_pinned_licensed_and_asks_nothing_of_the_internet() -> None:
    pins = json.loads((RECIPE / "package.json").read_text())
    lock = json.loads((RECIPE / "package-lock.json").read_text())["packages"]
    licence = (VENDOR / "LICENSE").read_text()
    for name, version in {**pins["dependencies"], **pins["devDependencies"]}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock[f"node_modules/{name}"]["version"] == version
        if name != "esbuild":  # the bundler is not in the bundle
            assert f"{name} {version} (MIT)" in licence
    bundle = (VENDOR / "codemirror.js").read_text()
    assert "fetch(" not in bundle and "XMLHttpRequest" not in bundle and "WebSocket" not in bundle
    assert set(re.findall(r"https?://[\w./-]+", bundle)) == {"http://www.w3.org/2000/svg"}
    assert "vendor/codemirror/" in (ROOT / "server" / "static" / "vendor" / "README.md").read_text()


def test_the_page_loads_the_editor_and_offers_the_endpoints_formats(client) -> None:
    page = html.unescape(client.get("/").get_data(as_text=True))
    for script in ("vendor/codemirror/codemirror.js", "sparql-words.js", "editor.js", "query.js"):
        assert f'src="/static/{script}"' in page
    offered = re.findall(r'data-kind="(\w+)" data-format="(\w+)"', page)
    wanted = [("solutions", f) for f in ("csv", "tsv", "json", "xlsx") if f in FORMATS]
    assert offered == [*wanted, ("graph", "turtle"), ("graph", "jsonld")]
    with client.get("/static/vendor/codemirror/LICENSE") as licence:
        assert licence.status_code == 200 and b"Marijn Haverbeke" in licence.data


def test_the_vocabulary_has_the_ontologys_terms_in_both_languages(app, client) -> None:
    data = client.get("/query/vocabulary").get_json()
    assert data["prefixes"] == PREFIXES
    terms = {term["curie"]: term for term in data["terms"]}
    assert terms["hkg:Resolution"]["kind"] == "class"
    assert terms["hkg:Resolution"]["labelZh"] == "决议"
    assert terms["hkg:forResolution"]["kind"] == "property"
    assert terms["hkg:forResolution"]["ranges"] == ["hkg:ResolutionOrDecision"]
    assert terms["rdfs:label"]["iri"] == PREFIXES["rdfs"] + "label"
    again = client.get("/query/vocabulary")
    assert again.get_json() == data and again.mimetype == "application/json"


@pytest.mark.parametrize(("typed", "first"), [("nair", "Nairobi"), ("内罗", "内罗毕")])
def test_names_find_things_by_english_or_chinese_label(client, typed: str, first: str) -> None:
    results = client.get("/query/names", query_string={"q": typed}).get_json()["results"]
    assert results[0] == {
        "iri": "https://w3id.org/habitat-kg/id/city/ke-nairobi",
        "curie": "id:city/ke-nairobi",
        "label": first,
        "type": "hkg:City",
    }
    assert len({r["iri"] for r in results}) == len(results)


def test_names_bound_what_they_read_and_answer(client) -> None:
    many = client.get("/query/names", query_string={"q": "a", "limit": "1000"}).get_json()
    assert len(many["results"]) == 20
    quoted = client.get("/query/names", query_string={"q": '" } ?s ?p ?o { "\\'})
    assert quoted.status_code == 200 and quoted.get_json() == {"results": []}


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"q": ""}, "q: give 1 to 100 printable characters"),
        ({"q": "x" * 101}, "q: give 1 to 100 printable characters"),
        ({"q": "nai\x00"}, "q: give 1 to 100 printable characters"),
        ({"q": "nai", "limit": "ten"}, "limit: not a whole number"),
    ],
)
def test_names_refuse_odd_input_in_words(client, query: dict[str, str], problem: str) -> None:
    answer = client.get("/query/names", query_string=query)
    assert answer.status_code == 400 and answer.mimetype == "text/plain"
    assert answer.get_data(as_text=True) == f"400 Bad Request: {problem}\n"
