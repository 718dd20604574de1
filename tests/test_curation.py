"""The review routes of ``serve --curate`` through Flask's test client: they exist only when
asked for, need the token and a session, refuse writes from elsewhere, and save decisions that
the served graph then shows."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from curation_project import (
    KEY,
    ORIGIN,
    REPORT_ID,
    curation_app,
    ingested_project,
    pending_ids,
    signed_in,
    sparql,
)

from habitat_kg.graph.review import load_review, save_review
from habitat_kg.namespaces import HKG
from habitat_kg.server.languages import COOKIE

HABITAT_KG = shutil.which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
TOKEN = "test-token-for-curation-0123456789"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project's sources holding the bundled record and the test report, ingested."""
    return ingested_project(tmp_path_factory.mktemp("curation-project"))


@pytest.fixture(scope="module")
def curating(project: Path):
    with curation_app(project, TOKEN) as app:
        yield app


@pytest.fixture
def client(curating):
    return curating.test_client()


def test_every_route_needs_the_token(client) -> None:
    for path in ("/curate/", f"/curate/{KEY}", "/curate/suggest?q=Nai"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "token" in answer.text
    assert client.get("/curate/?token=not-the-token").status_code == 403
    assert client.post(f"/curate/{KEY}/decide", headers={"Origin": ORIGIN}).status_code == 403


def test_the_token_opens_a_session_kept_in_a_strict_cookie(client) -> None:
    answer = client.get(f"/curate/{KEY}?token={TOKEN}")
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/curate/{KEY}"  # the token leaves the address bar
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/curate" in cookie
    assert TOKEN not in cookie
    index = client.get("/curate/")
    assert index.status_code == 200
    assert REPORT_ID in index.text


def test_the_review_pages_read_in_chinese(client) -> None:
    """Their chrome from the catalogue: no English phrase it translates left with ?lang=zh."""
    from test_languages import english_left  # the languages test's reading of a page's chrome

    signed_in(client, TOKEN)
    for url, chinese in (("/curate/", "审核建议的陈述"), (f"/curate/{KEY}", "保存更正")):
        page = client.get(url, query_string={"lang": "zh"}).text
        assert chinese in page and english_left(page) == [], url
    client.delete_cookie(COOKIE)


def test_only_loopback_host_names_are_answered(client) -> None:
    signed_in(client, TOKEN)
    answer = client.get(f"/curate/{KEY}", headers={"Host": "evil.example:8080"})
    assert answer.status_code == 403
    assert "loopback" in answer.text
    # under a loopback name the token is asked for, not refused for the name
    loopback = client.get(f"/curate/{KEY}?token={TOKEN}", headers={"Host": "127.0.0.1:8080"})
    assert loopback.status_code == 303


def test_a_write_needs_this_sessions_csrf_token_and_origin(client, project) -> None:
    csrf = signed_in(client, TOKEN)
    target = pending_ids(project / "sources")[0]
    form = {"action": "accept", "id": target, "by": "Tester", "csrf_token": csrf}
    refused = [
        ({**form, "csrf_token": "0" * 64}, {"Origin": ORIGIN}),  # a forged token
        ({k: v for k, v in form.items() if k != "csrf_token"}, {"Origin": ORIGIN}),
        (form, {"Origin": "http://evil.example"}),  # another site
        (form, {}),  # says nowhere where it comes from
    ]
    for data, headers in refused:
        answer = client.post(f"/curate/{KEY}/decide", data=data, headers=headers)
        assert answer.status_code == 403, (data, headers)
    undo = client.post(f"/curate/{KEY}/undo", data={}, headers={"Origin": ORIGIN})
    assert undo.status_code == 403  # undo is a write like the others
    assert target in pending_ids(project / "sources")  # nothing was written
    # a Referer of this site stands in for a missing Origin
    good = client.post(
        f"/curate/{KEY}/decide", data=form, headers={"Referer": f"{ORIGIN}/curate/{KEY}"}
    )
    assert good.status_code == 303


@pytest.mark.parametrize(
    ("route", "data", "field"),
    [
        ("decide", {"action": "burn", "id": "x"}, "action"),
        ("decide", {"action": "accept", "id": "0000000000000000"}, "id"),
        ("decide", {"action": "accept"}, "id"),
        ("correct", {"id": "PLACE", "object": "Nairobi, not an IRI"}, "object"),
        ("correct", {"id": "nope", "object": "id:org/fao"}, "id"),
        ("add", {"passage": "PASSAGE", "kind": "weather", "object": "x"}, "kind"),
        ("add", {"passage": "PASSAGE", "kind": "date", "object": "May 2022"}, "object"),
        ("add", {"passage": "PASSAGE", "kind": "figure", "object": "some"}, "object"),
        ("add", {"passage": "PASSAGE", "kind": "place", "object": "javascript:alert(1)"}, "object"),
        (
            "add",
            {"passage": "https://example.org/1", "kind": "place", "object": "id:x"},
            "passage",
        ),
        (
            "add",
            {
                "passage": "PASSAGE",
                "kind": "place",
                "predicate": "hkg:funder",
                "object": "id:org/fao",
            },
            "predicate",
        ),
        ("accept-passage", {"passage": "urn:x"}, "passage"),
        ("decide", {"action": "accept", "id": "PLACE", "by": ""}, "by"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, project, route, data, field) -> None:
    csrf = signed_in(client, TOKEN)
    review = load_review(project / "sources", REPORT_ID)
    place = next(i for i in review.items if i.proposal.kind == "place")
    values = {k: v.replace("PASSAGE", str(place.proposal.passage)) for k, v in data.items()}
    values = {k: place.id if v == "PLACE" else v for k, v in values.items()}
    values = {"by": "Tester", **values, "csrf_token": csrf}
    answer = client.post(f"/curate/{KEY}/{route}", data=values, headers={"Origin": ORIGIN})
    assert answer.status_code == 400, answer.text
    assert f"{field}:" in answer.text
    assert "Traceback" not in answer.text


def funded_by_germany(review):
    """The proposal that paragraph 3's funder is "the Government of Germany"."""
    return next(
        i
        for i in review.pending()
        if i.proposal.kind == "partner" and str(i.proposal.predicate).endswith("#funder")
    )


def test_accepting_and_correcting_are_served_at_once(client, project) -> None:
    csrf = signed_in(client, TOKEN)
    sources = project / "sources"
    review = load_review(sources, REPORT_ID)
    unit = next(i for i in review.pending() if i.proposal.kind == "unit")
    funder = funded_by_germany(review)
    posted = {"by": "Ana Curator", "csrf_token": csrf}
    answer = client.post(
        f"/curate/{KEY}/decide",
        data={**posted, "action": "accept", "id": unit.id, "anchor": "p2"},
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("done=accept#p2")
    answer = client.post(
        f"/curate/{KEY}/correct",
        data={**posted, "id": funder.id, "object": "id:country/DEU"},
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 303, answer.text
    after = load_review(sources, REPORT_ID)
    assert after.item(unit.id).state == "accepted" and after.item(unit.id).by == "Ana Curator"
    assert after.item(funder.id).state == "corrected"
    p = unit.proposal
    rows = sparql(client, f"SELECT * WHERE {{ <{p.subject}> <{p.predicate}> <{p.object}> }}")
    assert rows, "the accepted statement is served"
    q = funder.proposal
    corrected = f"SELECT ?o WHERE {{ <{q.subject}> <{q.predicate}> ?o }}"
    objects = {row["o"]["value"] for row in sparql(client, corrected)}
    assert objects == {"https://w3id.org/habitat-kg/id/country/DEU"}
    page = client.get(f"/curate/{KEY}?done=correct")
    assert "Saved: corrected." in page.text
    assert "does not show it yet" not in page.text


def test_a_paragraph_accepted_at_once_and_a_missed_statement_added(client, project) -> None:
    csrf = signed_in(client, TOKEN)
    sources = project / "sources"
    passage = f"https://w3id.org/habitat-kg/id/report/{REPORT_ID}/paragraph/8"
    waiting = [
        i.id
        for i in load_review(sources, REPORT_ID).pending()
        if str(i.proposal.passage) == passage
    ]
    assert waiting
    posted = {"by": "Ana <b>&amp;</b>", "csrf_token": csrf, "passage": passage}
    answer = client.post(f"/curate/{KEY}/accept-passage", data=posted, headers={"Origin": ORIGIN})
    assert answer.status_code == 303, answer.text
    review = load_review(sources, REPORT_ID)
    assert {review.item(i).state for i in waiting} == {"accepted"}
    page = client.get(f"/curate/{KEY}").text  # the name is shown as written, as text
    assert "Ana &lt;b&gt;&amp;amp;&lt;/b&gt;" in page and "<b>&amp;</b>" not in page
    # paragraph 11: "The working group met online on 17 January 2022"
    eleventh = f"https://w3id.org/habitat-kg/id/report/{REPORT_ID}/paragraph/11"
    added = {
        **posted,
        "passage": eleventh,
        "kind": "date",
        "object": "2022-01-17",
        "predicate": "hkg:endDate",
    }
    answer = client.post(f"/curate/{KEY}/add", data=added, headers={"Origin": ORIGIN})
    assert answer.status_code == 303, answer.text
    activity = "https://w3id.org/habitat-kg/id/activity/eb-2022-1-item-6/p11"
    rows = sparql(client, f"SELECT ?d WHERE {{ <{activity}> <{HKG}endDate> ?d }}")
    assert {row["d"]["value"] for row in rows} >= {"2022-01-17"}


def test_a_statement_the_graph_cannot_hold_is_refused_and_undone(client, project) -> None:
    """An entity the paragraph does not name breaks the build: the write is undone."""
    csrf = signed_in(client, TOKEN)
    sources = project / "sources"
    before = (sources / "review" / f"{KEY}.json").read_bytes()
    passage = f"https://w3id.org/habitat-kg/id/report/{REPORT_ID}/paragraph/9"
    answer = client.post(
        f"/curate/{KEY}/add",
        data={
            "by": "Ana",
            "csrf_token": csrf,
            "passage": passage,
            "kind": "place",
            "object": "id:city/ke-nairobi",
        },
        headers={"Origin": ORIGIN},
    )
    assert answer.status_code == 400
    assert "object: not saved" in answer.text and "does not mention" in answer.text
    assert (sources / "review" / f"{KEY}.json").read_bytes() == before


def test_the_page_shows_spans_and_rows_and_escapes_the_text(client, project) -> None:
    signed_in(client, TOKEN)
    page = client.get(f"/curate/{KEY}").text
    review = load_review(project / "sources", REPORT_ID)
    spanned = [i for i in review.items if i.proposal.span]
    assert spanned
    for item in spanned[:20]:
        assert f'id="row-{item.id}"' in page
        assert re.search(rf'<mark class="span" data-ids="[^"]*\b{item.id}\b', page)
    assert "Accept the paragraph" in page and "Add a statement" in page
    assert "<script>" not in page  # the page's only script is a file: <script src=...>
    assert "Yaoundé" in page


def test_suggestions_come_from_the_gazetteer_and_the_graph(client) -> None:
    signed_in(client, TOKEN)
    found = client.get("/curate/suggest?q=nairo").get_json()
    assert any(entry["iri"].endswith("/city/ke-nairobi") for entry in found)
    assert all({"iri", "curie", "label", "type"} <= set(entry) for entry in found)
    chinese = client.get("/curate/suggest?q=" + quote("联合国粮食")).get_json()
    assert any(entry["iri"].endswith("/org/fao") for entry in chinese)
    assert client.get("/curate/suggest?q=").status_code == 400


def test_serve_curate_prints_the_address_with_the_token_once(project: Path) -> None:
    token = "token-from-the-environment-0123"
    environment = {**os.environ, "HABITAT_KG_CURATION_TOKEN": token}
    command = [HABITAT_KG, "serve", "--curate", "--port", "0", "--workers", "1"]
    command += ["--sources", str(project / "sources"), "--data", str(project / "build")]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        lines = []
        while not any("review pages:" in line for line in lines):
            line = process.stdout.readline()
            assert line, f"serve ended: {process.wait()} {process.stderr.read()}"
            lines.append(line)
        address = re.search(r"review pages: (http://127\.0\.0\.1:\d+/curate\?token=\S+)", lines[-1])
        assert address and address.group(1).endswith(f"token={token}")
        assert sum(token in line for line in lines) == 1
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(address.group(1), timeout=30)
        answer.value.close()
        assert answer.value.code == 303
        assert "SameSite=Strict" in answer.value.headers["Set-Cookie"]
        bad = address.group(1).replace(token, "x" * len(token))
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(bad, timeout=30)
        refused.value.close()
        assert refused.value.code == 403
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_page_script_decides_in_place_and_undoes(client, project) -> None:
    """A write sent by the page's script (CSRF header, JSON asked for) answers with the changed
    paragraph as the page shows it and the pending count; Undo puts the review back exactly."""
    csrf = signed_in(client, TOKEN)
    sources = project / "sources"
    target = pending_ids(sources, "place")[0]
    before = (sources / "review" / f"{KEY}.json").read_bytes()
    script = {"Origin": ORIGIN, "X-CSRF-Token": csrf, "Accept": "application/json"}
    form = {"by": "Ana", "action": "reject", "id": target}
    answer = client.post(f"/curate/{KEY}/decide", data=form, headers=script)
    assert answer.status_code == 200, answer.text
    body = answer.get_json()
    assert body["done"] == "rejected" and body["undo"].startswith("rejected")
    assert 'Undo: <span id="undo-what">rejected' in client.get(f"/curate/{KEY}").text
    assert body["pending"] == len(pending_ids(sources))
    (anchor, passage), *_ = body["passages"].items()
    assert passage["html"].startswith(f'<section class="passage" id="{anchor}"')
    assert f'id="row-{target}" class="row state-rejected' in passage["html"]
    refused = client.post(f"/curate/{KEY}/decide", data={**form, "id": "0" * 16}, headers=script)
    assert refused.status_code == 400 and refused.get_json()["field"] == "id"
    undone = client.post(f"/curate/{KEY}/undo", data={}, headers=script)
    assert undone.status_code == 200 and undone.get_json()["done"] == "undone"
    assert (sources / "review" / f"{KEY}.json").read_bytes() == before
    # a write saved since by something else (the command line, another server) is not undone
    client.post(f"/curate/{KEY}/decide", data=form, headers=script)
    review = load_review(sources, REPORT_ID)
    review.accept([pending_ids(sources, "date")[0]], "Batch")
    save_review(sources, review)
    refused = client.post(f"/curate/{KEY}/undo", data={}, headers=script)
    assert refused.status_code == 400 and "changed since" in refused.get_json()["error"]
    assert load_review(sources, REPORT_ID).item(target).state == "rejected"


def test_an_association_row_names_the_agent_and_its_role(client, project) -> None:
    signed_in(client, TOKEN)
    page = client.get(f"/curate/{KEY}").text
    # paragraph 3: "co-organized with United Cities and Local Governments of Africa"
    assert re.search(r'class="name"[^>]*>co-organizer</span>', page)
    assert "about the association with United Cities and Local Governments of Africa as" in page
    assert ">prov:agent<" not in page and ">prov:hadRole<" not in page
    assert ">id:activity/eb-2022-1-item-6/p3/association/" not in page


def test_suggestions_put_the_country_of_a_name_first(client) -> None:
    signed_in(client, TOKEN)
    for name, country in (("Mexico", "MEX"), ("Kuwait", "KWT")):
        found = client.get(f"/curate/suggest?q={name}").get_json()
        assert found[0]["iri"].endswith(f"/country/{country}"), found[:3]
