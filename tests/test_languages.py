"""Languages (issue 17): the switch between English and Chinese, remembered in a cookie; labels
by language; a paragraph's curated statements in English beside its Chinese text; links on an
entity page that read from its side ("mentioned in", not "mentions of")."""

from __future__ import annotations

import html
import json
import re

import pytest
from flask.testing import FlaskClient

from habitat_kg.server.languages import CATALOGUE, COOKIE

PAGE = {"Accept": "text/html"}
FAO = "/id/org/fao"
PARAGRAPH = "/id/report/eb-2020-2/item-7/paragraph/21"


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url, headers=PAGE)
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def _dl(page: str, heading: str) -> list[tuple[str, str]]:
    """(dt, dd) pairs of the definition list under ``heading``, tags stripped."""
    section = page.split(heading, 1)[1].split("</section>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", section)
    return [(re.sub("<[^>]+>", "", dt).strip(), re.sub("<[^>]+>", " ", dd)) for dt, dd in pairs]


@pytest.mark.parametrize("url", ["/", "/queries", "/ontology", FAO])
def test_every_page_offers_both_languages(client: FlaskClient, url: str) -> None:
    english, chinese = _text(client, url + "?lang=en"), _text(client, url + "?lang=zh")
    assert '<html lang="en">' in english and '<html lang="zh">' in chinese
    assert ">Stored questions</a>" in english and ">常用问题</a>" in chinese
    assert 'data-lang="zh"' in english and 'data-lang="en"' in chinese


def test_the_choice_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    response = client.get("/queries?lang=zh", headers=PAGE)
    assert f"{COOKIE}=zh" in response.headers["Set-Cookie"]
    assert "Cookie" in response.headers["Vary"]
    assert '<html lang="zh">' in _text(client, "/ontology")  # no parameter: the cookie
    assert '<html lang="en">' in _text(client, "/ontology?lang=en")
    assert '<html lang="en">' in _text(client, "/ontology")
    client.delete_cookie(COOKIE)


@pytest.mark.parametrize("asked", ["de", "xx", "<script>", ""])
def test_a_language_not_offered_shows_english(client: FlaskClient, asked: str) -> None:
    response = client.get(f"/ontology?lang={asked}", headers=PAGE)
    assert "Set-Cookie" not in response.headers
    assert '<html lang="en">' in response.get_data(as_text=True)
    client.set_cookie(COOKIE, "<b>fr")
    assert '<html lang="en">' in _text(client, "/ontology")
    client.delete_cookie(COOKIE)


def test_the_switch_keeps_the_other_parameters_escaped(client: FlaskClient) -> None:
    body = client.get('/ontology?x="><script>alert(1)</script>', headers=PAGE).get_data(True)
    assert "<script>alert(1)" not in body
    assert "x=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;lang=zh" in body


def test_labels_of_things_follow_the_language(client: FlaskClient) -> None:
    english, chinese = _text(client, FAO + "?lang=en"), _text(client, FAO + "?lang=zh")
    assert "<h1>Food and Agriculture Organization of the United Nations <span" in english
    assert "<h1>联合国粮食及农业组织 <span" in chinese
    assert "<h2>Facts</h2>" in english and "<h2>事实</h2>" in chinese


def test_a_paragraph_shows_its_statements_in_english_beside_the_chinese(
    client: FlaskClient,
) -> None:
    for lang in ("en", "zh"):
        page = _text(client, PARAGRAPH + f"?lang={lang}")
        pair = page.split('<div class="paragraph-pair">', 1)[1].split("</section>", 1)[0]
        chinese, statements = pair.split("</blockquote>", 1)
        assert "包容性城市的专家组会议" in chinese
        assert "<li><em>partner</em> → Geneva Human Rights Platform</li>" in statements
        assert "<li><em>for resolution or decision</em> → Resolution 1/4</li>" in statements
        assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"<h3>.*?</h3>", "", statements))


@pytest.mark.parametrize(
    ("url", "lang", "reads"),
    [
        (FAO, "en", ("mentioned in", "Paragraph 26")),
        (FAO, "en", ("partner in", "Strengthening urban-rural linkages")),
        (FAO, "zh", ("被提及于", "第26段")),
        (PARAGRAPH, "en", ("source of", "")),
        ("/id/org/un-habitat", "en", ("responsible for", "")),
        ("/id/org/un-habitat", "en", ("prepared", "The New Urban Agenda Illustrated")),
    ],
)
def test_incoming_links_read_from_this_side(
    client: FlaskClient, url: str, lang: str, reads: tuple[str, str]
) -> None:
    response = client.get(f"{url}?lang={lang}", headers=PAGE)
    page = html.unescape(response.get_data(as_text=True))
    heading = CATALOGUE["zh"]["What points to it"] if lang == "zh" else "What points to it"
    pairs = _dl(page, heading)
    assert pairs, "nothing points to it"
    assert any(dt == reads[0] and reads[1] in dd for dt, dd in pairs), pairs[:8]
    assert not any(
        dt.endswith(" of") and dt in {"mentions of", "prepared by of"} for dt, _ in pairs
    )
    assert not any(dt in {"mentions", "prepared by", "partner"} for dt, _ in pairs)


@pytest.mark.parametrize(
    ("code", "name"),
    [("fr", "Égypte"), ("es", "Egipto"), ("ru", "Египет"), ("ar", "مصر")],
)
def test_the_other_un_languages_name_things(client: FlaskClient, code: str, name: str) -> None:
    """A country's page in another UN language is headed by its name in it (pycountry's, in
    the reference layer), the English and Chinese beside; the interface stays in English."""
    page = _text(client, f"/id/country/EGY?lang={code}")
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert re.sub("<[^>]+>", "", heading).split() == [name, "Egypt", "埃及"], heading
    assert ">Stored questions</a>" in page
    assert ('dir="rtl"' in page) == (code == "ar")
    client.delete_cookie(COOKIE)


def test_search_finds_and_shows_names_in_the_other_un_languages(client: FlaskClient) -> None:
    for typed in ("Égypte", "Египет", "مصر"):
        results = client.get("/search", query_string={"q": typed, "format": "json"}).get_json()
        assert results["results"][0]["iri"].endswith("/id/country/EGY"), typed
    page = _text(client, "/search?q=Egypt&type=country&lang=fr")
    assert re.search(r'<a class="hit" href="/id/country/EGY">Égypte</a>', page)
    client.delete_cookie(COOKIE)


def test_the_switch_offers_the_six_un_languages(client: FlaskClient) -> None:
    page = _text(client, "/ontology?lang=en")
    offered = re.findall(r'data-lang="([a-z]+)"', page)
    assert offered == ["zh", "fr", "es", "ru", "ar"]


def test_the_scripts_words_are_in_the_page_as_json(client: FlaskClient) -> None:
    """JSON in a script block the browser never runs; < and > escaped so that no string of
    the catalogue can end the block."""
    raw = client.get("/?lang=zh", headers=PAGE).get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="page-words">(.*?)</script>', raw)
    words = json.loads(block.group(1))
    assert words["Running…"] == "运行中…" and words["New query tab"] == "新查询标签页"
    assert "<" not in block.group(1) and ">" not in block.group(1)
    english = client.get("/?lang=en", headers=PAGE).get_data(as_text=True)
    assert '<script type="application/json" id="page-words">{}</script>' in english
    client.delete_cookie(COOKIE)


def test_every_catalogue_string_keeps_its_fields() -> None:
    """A translation names the same {fields} as its English, so that none is lost or unknown."""
    fields = re.compile(r"\{[a-z0-9]*\}")
    for english, chinese in CATALOGUE["zh"].items():
        source = CATALOGUE["en"].get(english, english)
        assert sorted(set(fields.findall(source))) == sorted(set(fields.findall(chinese))), english


def test_network_nodes_are_named_in_the_other_un_languages(client: FlaskClient) -> None:
    raw = client.get("/network?lang=ru", headers=PAGE).get_data(as_text=True)
    data = json.loads(re.search(r'id="network-data"[^>]*>(.*?)</script>', raw, re.S).group(1))
    shown = {
        n["data"]["id"].rsplit("/", 1)[-1]: n["data"]["display"] for n in data["elements"]["nodes"]
    }
    assert shown["MEX"] == "Мексика"
    assert shown["fao"].startswith("FAO")  # no Russian name: the English (short) one
    client.delete_cookie(COOKIE)


#: English phrases the catalogue translates (whole phrases: a single word may be a name in
#: the data), longest first.
TRANSLATED = sorted(
    (english for english in CATALOGUE["zh"] if " " in english.strip() and "{" not in english),
    key=len,
    reverse=True,
)
#: What the data says, not the interface: cells, IRIs, quotes, code, scripts, texts marked
#: as written in English (the stored questions' descriptions), links to things.
_DATA = re.compile(
    r"<(td|pre|code|script|style|blockquote)\b.*?</\1>|<(p|span) [^>]*lang=\"en\".*?</\2>"
    r"|<a href=\"(?:#id-|/id/)[^>]*>.*?</a>|<[^>]*class=\"(?:iri|object)\"[^>]*>.*?<",
    re.S,
)


def english_left(page: str) -> list[str]:
    """The English phrases the catalogue translates still in a page's interface words (its
    text, tooltips, labels and placeholders, the data left out)."""
    page = _DATA.sub(" ", page)
    said = re.findall(r'(?:placeholder|title|aria-label)="([^"]*)"', page)
    chrome = html.unescape(re.sub(r"\s+", " ", " ".join([re.sub(r"<[^>]+>", " ", page), *said])))
    return [e for e in TRANSLATED if re.search(rf"(?<![A-Za-z]){re.escape(e)}(?![A-Za-z])", chrome)]


@pytest.mark.parametrize(
    ("url", "chinese"),
    [
        ("/queries", "常用问题"),
        ("/queries/partners-on-several-resolutions", "在查询编辑器中打开"),
        ("/queries/activities-of-an-organization?organization=FAO", "组织、部门或职位"),
        ("/ontology", "可粘贴的前缀"),
        ("/validate", "届会前的完整性检查"),
        ("/mandates", "任务授权登记册"),
        ("/mandates/matrix", "各报告中的任务授权"),
        ("/mandates/schedule", "待办日程"),
        ("/mandates/dec-ha-1-3-governance-transition", "各报告所述执行状况"),
    ],
)
def test_every_page_reads_in_chinese(client: FlaskClient, url: str, chinese: str) -> None:
    """With ?lang=zh a page's chrome is the catalogue's Chinese: no English phrase it
    translates is left (the browser test checks the query, search and network pages)."""
    raw = client.get(url + ("&" if "?" in url else "?") + "lang=zh", headers=PAGE).get_data(True)
    assert chinese in raw
    assert english_left(raw) == []
    client.delete_cookie(COOKIE)


@pytest.mark.parametrize("code", ["fr", "ar"])
def test_the_mandate_registry_takes_every_language_the_switch_offers(
    client: FlaskClient, code: str
) -> None:
    """The switch offers six languages on every page: the registry shows the names in English
    for those the graph has no names in, not a 400; a language not offered is still one."""
    page = _text(client, f"/mandates?lang={code}")
    assert f'<html lang="{code}"' in page and "<h1>Mandate registry <span" in page
    assert client.get("/mandates?lang=xx", headers=PAGE).status_code == 400
    client.delete_cookie(COOKIE)
