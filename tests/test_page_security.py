"""No script of someone else's in the pages, and odd addresses answered 404 (issue 13, items 2, 7).

Three layers are tested apart, so that each must hold on its own: every echo of the request is
escaped or plain text, values from the data link only when http(s) or mailto, and every answer
carries headers that refuse inline script. The browser half is test_page_security_browser.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from habitat_kg.namespaces import BASE
from habitat_kg.server.answers import Labels, cell
from habitat_kg.server.questions import all_questions
from habitat_kg.server.security import safe_href
from habitat_kg.server.store import Term

#: Values that would run a script if a page wrote them unescaped, in text or in an attribute.
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=2">',
    "'><svg onload='window.__pwned=3'>",
)
#: What must never reach an HTML answer as written (escaped, it reads &lt;script&gt;...).
RAW_MARKUP = re.compile(r"<script>window|<img src=x|<svg onload", re.IGNORECASE)

#: Every query-string field some page or download reads, and each stored question's fields.
FIELDS = sorted(
    {"format", "query", "run", "view", "resolution", "country", "since", "until", "node", "q"}
    | {"limit"}
    | {"colour", "session", "severity", "thing"}
    | {p.name for q in all_questions() for p in q.parameters}
)

HOSTILE = BASE + "id/test/hostile"
#: A graph whose values are attacks: labels with markup, IRIs with the javascript: scheme as
#: values, as types, as the subject of a link, and as a part of the report that names a thing.
HOSTILE_TRIG = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
<https://w3id.org/habitat-kg/graph/curated> {{
  <{HOSTILE}> rdfs:label "<img src=x onerror=\\"window.__pwned=11\\">"@en ,
      "\\"><script>window.__pwned=12</script>"@zh ;
    rdfs:comment "' onmouseover='window.__pwned=13' x='" ;
    rdfs:seeAlso <javascript:window.__pwned=14> , <JavaScript:window.__pwned=15> ,
      <data:text/html,%3Cscript%3Ewindow.__pwned=16%3C/script%3E> , <https://example.org/fine> ;
    a <javascript:window.__pwned=17> .
  <javascript:window.__pwned=18> rdfs:seeAlso <{HOSTILE}> .
  <javascript:window.__pwned=19> hkg:mentions <{HOSTILE}> ;
    hkg:text "<svg onload=window.__pwned=20>" .
  <{BASE}/evil.example/x> rdfs:seeAlso <{HOSTILE}> .
}}
"""


def write_hostile_dataset(folder: Path) -> Path:
    """A data folder holding HOSTILE_TRIG as the served dataset."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "habitat-kg.trig").write_text(HOSTILE_TRIG, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    data = write_hostile_dataset(tmp_path_factory.mktemp("hostile") / "data")
    app = create_app({"DATA": str(data), "TESTING": True, "WORKERS": 1})
    yield app.test_client()
    close_app(app)


class PageParts(HTMLParser):
    """What a page would run or load: its scripts, event handlers, styles and link targets."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self.inline_styles: list[str] = []
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self.inline_scripts.append(self.get_starttag_text() or tag)
        if tag == "style":
            self.inline_styles.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.inline_styles.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and value is not None:
                self.targets.append(value)


def parts(page: str) -> PageParts:
    parser = PageParts()
    parser.feed(page)
    return parser


def assert_headers(response, *, static: bool = False) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("base-uri") == ["'none'"]
    assert directives.get("form-action") == ["'self'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    cache = response.headers.get("Cache-Control", "")
    if static:
        assert "no-store" not in cache  # the site's own files may be kept
    else:
        assert "no-store" in cache, f"{response.request.path}: Cache-Control {cache!r}"


PAGES = (
    "/",
    "/?query=" + quote("ASK { ?s ?p ?o }") + "&run=1",
    "/queries",
    "/queries/partners-of-a-resolution?resolution=1/5",
    "/queries/timeline?since=nonsense",
    "/id/org/fao",
    "/ontology",
    "/network",
    "/network?view=partners&resolution=9/9",
    "/validate?severity=violation",
    "/no/such/page",
    "/id/org/no-such-thing",
)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_headers_and_no_inline_script(client, path: str) -> None:
    response = client.get(path)
    assert response.mimetype == "text/html", path
    assert_headers(response)
    found = parts(response.get_data(as_text=True))
    assert found.inline_scripts == [], "inline scripts break the policy: move them to files"
    assert found.handlers == []
    assert found.inline_styles == []
    assert [t for t in found.targets if not re.match(r"^(https?:|mailto:|[/?#])", t)] == []


@pytest.mark.parametrize(
    "path",
    [
        "/id/org/fao?format=turtle",
        "/ontology?format=jsonld",
        "/queries/events.json",
        "/health",
        "/sparql?query=" + quote("ASK { ?s ?p ?o }"),
        "/sparql?query=" + quote("SELECT nonsense"),
        "/network/download?format=nonsense",
        "/id/foo%20bar",
    ],
)
def test_every_other_answer_has_the_headers(client, path: str) -> None:
    assert_headers(client.get(path))


@pytest.mark.parametrize(
    "path", ["/static/site.css", "/static/query.js", "/network/static/network-page.js"]
)
def test_static_files_have_the_headers_and_may_be_cached(client, path: str) -> None:
    with client.get(path) as response:
        assert response.status_code == 200
        assert_headers(response, static=True)


def test_the_reported_format_echo_is_plain_text(client) -> None:
    response = client.get("/id/org/fao?format=<script>alert(document.domain)</script>")
    assert response.status_code == 406
    assert response.mimetype == "text/plain"
    assert "format=" in response.get_data(as_text=True)


def _routes(app) -> list[str]:
    """Every GET address of the app (static files aside), each placeholder filled by an attack."""
    addresses = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.endswith("static"):
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{argument}>", quote(PAYLOADS[0], safe=""), path)
        addresses.append(path)
    addresses += [f"/queries/{q.name}" for q in all_questions()] + ["/id/org/fao"]
    return sorted(set(addresses))


def test_no_request_value_reaches_an_html_answer_unescaped(app, client) -> None:
    """Each field of each address, set to each attack: an HTML answer holds it only escaped;
    any other answer is not HTML and may not be sniffed as HTML."""
    routes = _routes(app)
    assert "/network" in routes and "/id/<script>window.__pwned=1</script>" not in routes
    checked = 0
    for route in routes:
        for payload in PAYLOADS:
            for field in [None, *FIELDS]:
                url = route if field is None else f"{route}?{field}={quote(payload, safe='')}"
                with client.get(url) as response:
                    body = response.get_data(as_text=True)
                    assert response.status_code < 500, f"{url}: {response.status_code}"
                    assert response.headers.get("X-Content-Type-Options") == "nosniff"
                    if response.mimetype == "text/html":
                        assert not RAW_MARKUP.search(body), f"{url} echoes markup as written"
                        assert parts(body).handlers == [], url
                checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("iri", "href"),
    [
        (BASE + "id/org/fao", "/id/org/fao"),
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
        ("javascript:alert(document.domain)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("urn:isbn:0451450523", None),
        ("//evil.example/", None),
        (BASE + "/evil.example/x", BASE + "/evil.example/x"),  # not a "//host" path here
        (BASE + "\\evil.example", BASE + "\\evil.example"),
        (BASE + "\t/evil.example", BASE + "\t/evil.example"),
        ("", None),
    ],
)
def test_only_http_and_mailto_values_become_links(iri: str, href: str | None) -> None:
    assert safe_href(iri) == href


def test_a_table_cell_links_only_safe_iris() -> None:
    labels = Labels({}, {})
    shown = cell(Term("uri", "javascript:alert(document.domain)"), labels)
    assert shown.href is None and shown.text == "javascript:alert(document.domain)"
    assert cell(Term("uri", BASE + "id/org/fao"), labels).href == "/id/org/fao"


def test_an_entity_page_of_hostile_data_is_inert(hostile_client) -> None:
    response = hostile_client.get("/id/test/hostile")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = parts(page)
    assert found.inline_scripts == [] and found.handlers == [] and found.inline_styles == []
    main = page.split("<main>")[1].split("</main>")[0]
    assert not re.search(r"<(script|img|svg)[\s>]", main)
    unsafe = [t for t in found.targets if re.match(r"^\s*(javascript|data|vbscript):", t, re.I)]
    assert unsafe == []
    assert "https://example.org/fine" in found.targets  # an http(s) value still links
    # the javascript: values are still shown, as text
    assert "javascript:window.__pwned=14" in page and "window.__pwned=18" in page
    assert "//evil.example/x" not in found.targets


def test_the_answer_table_of_question_pages_is_inert(app) -> None:
    """The table stored questions are shown in, filled with hostile values."""
    from flask import render_template

    labels = Labels({"javascript:x()": PAYLOADS[0]}, {"https://example.org/a": PAYLOADS[1]})
    terms = [
        Term("uri", "javascript:x()"),
        Term("uri", "https://example.org/a"),
        Term("literal", PAYLOADS[2]),
        Term("uri", "data:text/html,<script>alert(1)</script>"),
    ]
    with app.test_request_context():
        page = render_template(
            "_table.html", variables=[PAYLOADS[0]], rows=[[cell(t, labels) for t in terms]]
        )
    assert not RAW_MARKUP.search(page)
    found = parts(page)
    assert found.targets == ["https://example.org/a"] and found.handlers == []
    assert "javascript:x()" in page  # shown, as text


# -- item 7: odd addresses ------------------------------------------------------------------

#: Characters no IRI may hold, as a client writes them in a path, and broken percent-escapes.
ODD = (
    "%20",
    "%22",
    "%7B",
    "%7D",
    "%5C",
    "%60",
    "%7C",
    "%3C",
    "%3E",
    "%5E",
    "%00",
    "%0A",
    "%09",
    "%7F",
    "%25zz",
    "%252",
    "%EF%BF%BE",
    "%E2%80%A8",
    "%5B",
)
SPARQL_WORDS = re.compile(r"\b(SELECT|ASK|WHERE|PREFIX|FILTER)\b|\?\w+ \?\w+")


@pytest.mark.parametrize("prefix", ["/id/", "/concept/", "/graph/"])
@pytest.mark.parametrize("odd", ODD)
def test_an_odd_address_is_a_plain_404(client, caplog, prefix: str, odd: str) -> None:
    caplog.set_level(logging.DEBUG)
    for path in (f"{prefix}foo{odd}bar", f"{prefix}{odd}", f"{prefix}org/{odd}x"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 404, f"{path}: {response.status_code} {body[:200]}"
        # plain text, or Flask's own page when no route takes the path (a newline, for one)
        assert response.mimetype == "text/plain" or "Not Found" in body
        assert not SPARQL_WORDS.search(body), body
        assert "Traceback" not in body
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert errors == [], [r.getMessage() for r in errors]


#: Values no IRI, date or name may be, for every field: controls, quotes, broken escapes.
ODD_VALUES = ("\x00", "foo bar", 'a"b{c}', "%zz", "a\\b`c|d^e", "\ufffe", "https://x/\x00")


def test_odd_values_in_any_field_are_refused_in_words(app, client, caplog) -> None:
    """Every field of every address, set to what no IRI, date or name may be: a 4xx or an
    answer, never a 500, an error in the log, or a page's query text in a refusal."""
    caplog.set_level(logging.WARNING)
    for route in _routes(app):
        for value in ODD_VALUES:
            for field in FIELDS:
                url = f"{route}?{field}={quote(value, safe='')}"
                with client.get(url) as response:
                    assert response.status_code < 500, f"{url}: {response.status_code}"
                    refused = response.status_code >= 400 and response.mimetype != "text/html"
                    if refused and route != "/sparql":  # whose parse errors quote the query
                        body = response.get_data(as_text=True)
                        assert not SPARQL_WORDS.search(body), f"{url}: {body[:300]}"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
