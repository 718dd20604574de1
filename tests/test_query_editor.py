"""What the query page's editor is made of and completes from (issue 17, point 3): the vendored
CodeMirror bundle (pinned, with its licences, making no request of its own), the vocabulary
route, and the page's downloads offered by the endpoint's formats."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

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
