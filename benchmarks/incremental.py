"""How soon one report's change reaches the served graph and the build, in a project of many
reports (the incremental build, ``graph/incremental``; the reload, ``server/reload.py``)::

    python -m benchmarks.incremental --reports 100 --accepted 40 --out benchmarks/results

It generates the project (``benchmarks.generated_project``: copies of the bundled report,
marked as generated for testing; 100 reports make some 1.2 million triples), or copies the
sources of one generated before (``--project DIR``, made by ``python -m
benchmarks.generated_project --reports 100 --accepted 40 --out DIR``), then measures:

- **full build**: a build from an empty ledger (every source read, the four files written);
- **accept → served**: the project served for curation (waitress on loopback, two query
  workers); one proposal accepted on the curation page (the POST the page sends, with its
  session and CSRF token) while a client asks the endpoint every 10 ms whether the statement's
  provenance is there: the time from the POST to the first answer that shows it, in a report
  whose proposals are pending (a small accepted file) and in one whose proposals are all
  accepted (its accepted file holds some 8,000 triples); and the time until the build folder
  holds it too (written behind the served graph);
- **new report ingested → built**: one more copy ingested with its proposals accepted
  (``habitat-kg ingest --accept``), then ``habitat-kg build`` (incremental);
- **no change → built**: a build with nothing changed.

It prints a table, and writes ``OUT/incremental.md`` and ``OUT/incremental.json``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.first_served import FirstServed, ask
from benchmarks.generated_project import CURATOR, MARKER, copy_id, make_project

TOKEN = "benchmark-curation-token-0123456789"
REVIEW = "https://w3id.org/habitat-kg/id/review/"
HKG = "https://w3id.org/habitat-kg/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Curator:
    """A curator's browser session on the curation pages: its cookie and CSRF token."""

    def __init__(self, address: str, key: str) -> None:
        self.address = address
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self._open(f"/curate?token={TOKEN}")
        page = self._open(f"/curate/{key}").decode("utf-8")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, "no CSRF token on the curation page"
        self.csrf = found.group(1)

    def _open(self, path: str, data: bytes | None = None) -> bytes:
        request = urllib.request.Request(self.address + path, data=data)
        if data is not None:
            request.add_header("Origin", self.address)
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.read()
        except urllib.error.HTTPError as answer:
            if answer.code in (302, 303):
                return b""
            raise

    def decide(self, key: str, action: str, ids: list[str]) -> None:
        form = [("action", action), ("by", CURATOR), ("csrf_token", self.csrf)]
        form += [("id", one) for one in ids]
        self._open(f"/curate/{key}/decide", urllib.parse.urlencode(form).encode())


def served_after(address: str, query: str, act: object) -> tuple[float, float]:
    """Run ``act()`` while asking ``query`` every 10 ms: (seconds from the call to the first
    answer that says yes, seconds the call took)."""
    watch = FirstServed(address, query, timeout=600)
    called = watch.start()
    act()  # type: ignore[operator]
    returned = time.monotonic()
    return watch.seconds(120), returned - called


def found_after(address: str, name: str, subject: str, since: float) -> float:
    """Seconds from ``since`` until ``/search`` for ``name`` finds ``subject``."""
    query = urllib.parse.urlencode({"q": name, "limit": 50, "format": "json"})
    while time.monotonic() - since < 600:
        with urllib.request.urlopen(f"{address}/search?{query}", timeout=600) as response:
            if subject in {hit["iri"] for hit in json.load(response)["results"]}:
                return time.monotonic() - since
        time.sleep(0.05)
    raise AssertionError(f"/search never found {subject}")


def decision_query(report_id: str, item_id: str) -> str:
    """ASK whether the acceptance of proposal ``item_id`` (its provenance) is served."""
    return f"ASK {{ <{REVIEW}{report_id}/{item_id}> a <{HKG}Acceptance> }}"


def measure(
    reports: int, accepted: int, folder: Path, rounds: int, project: Path | None = None
) -> dict:
    from waitress import create_server

    from habitat_kg.graph.build import build
    from habitat_kg.graph.review import ingest_with_proposals, load_review
    from habitat_kg.graph.search import SearchIndex
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app
    from habitat_kg.server.reload import served_version

    figures: dict = {"reports": reports, "accepted": accepted}
    started = time.monotonic()
    if project is None:
        sources = make_project(folder, reports, accepted)
    else:
        sources = Path(shutil.copytree(project / "sources", folder / "sources"))
    figures["generate_s"] = time.monotonic() - started
    started = time.monotonic()
    built = build(sources, folder / "build")
    figures["full_build_s"] = time.monotonic() - started
    figures["triples"] = built.update.triples
    print(
        f"generated in {figures['generate_s']:.0f} s; full build "
        f"{figures['full_build_s']:.1f} s, {figures['triples']} triples",
        flush=True,
    )

    config = {
        "DATA": str(folder / "build"),
        "SOURCES": str(sources),
        "TIMEOUT": 600,
        "WORKERS": 2,
        "CURATION_TOKEN": TOKEN,
        "CURATOR": "",
    }
    app = create_app(config, curate=True)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    address = f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    try:
        pending_id, full_id = copy_id(reports - 1), copy_id(1)
        rows = []
        figures["load_before"] = os.getloadavg()[0]
        for label, report_id in (("pending", pending_id), ("accepted", full_id)):
            key = report_id.replace("/", "_")
            curator = Curator(address, key)
            review = load_review(sources, report_id)
            if label == "pending":
                pending = review.pending()
                chosen = [item.id for item in pending][:rounds]
                named = next(i for i in pending if str(i.proposal.predicate) == LABEL)
                if named.id not in chosen:
                    chosen[-1] = named.id
                figures["labelled"] = [str(named.proposal.subject), str(named.proposal.object)]
            else:  # take some back, then accept them again one at a time
                chosen = [item.id for item in review.items if item.state == "accepted"][:rounds]
                curator.decide(key, "reject", chosen)
            for item_id in chosen:
                query = decision_query(report_id, item_id)
                assert not ask(address, query, timeout=600)
                accepted_at = time.monotonic()
                served, call = served_after(
                    address, query, lambda c=curator, k=key, i=item_id: c.decide(k, "accept", [i])
                )
                rows.append({"report": label, "served_s": served, "call_s": call})
                if label == "pending" and item_id == named.id:  # the search index follows
                    figures["searched_s"] = found_after(
                        address, figures["labelled"][1], figures["labelled"][0], accepted_at
                    )
                    print(
                        f"  /search found the accepted label after {figures['searched_s']:.2f} s",
                        flush=True,
                    )
                print(
                    f"  accept in a report whose proposals are {label}: served after "
                    f"{served:.2f} s (the POST took {call:.2f} s)",
                    flush=True,
                )
        figures["accepts"] = rows
        figures["load_after"] = os.getloadavg()[0]
        settle = time.monotonic()
        while app.extensions["habitat_kg.reload"].writer.busy:
            time.sleep(0.05)
        figures["written_behind_s"] = time.monotonic() - settle
        # the search index is written with the folder: the accepted label is found now
        index = SearchIndex.in_folder(folder / "build")
        subject, name = figures["labelled"]
        assert name in index.fields_of(subject, "label"), f"{subject}: {name} not indexed"
        figures["generation"] = served_version(app).generation
    finally:
        server.close()
        close_app(app)

    text = (sources / "report" / f"{copy_id(1).replace('/', '_')}.zh.txt").read_text("utf-8")
    incoming = folder / "incoming.zh.txt"
    incoming.write_text(text if text.startswith(MARKER) else f"{MARKER}\n{text}", "utf-8")
    started = time.monotonic()
    ingest_with_proposals(incoming, sources, report_id=copy_id(reports), accept=True, by=CURATOR)
    figures["ingest_s"] = time.monotonic() - started
    started = time.monotonic()
    again = build(sources, folder / "build")
    figures["new_report_build_s"] = time.monotonic() - started
    figures["new_report_read"] = again.update.read
    figures["triples_after"] = again.update.triples
    started = time.monotonic()
    build(sources, folder / "build")
    figures["no_change_build_s"] = time.monotonic() - started
    return figures


def table(figures: dict) -> str:
    accepts = figures["accepts"]
    lines = [
        f"# Incremental build ({figures['reports']} reports, {figures['triples']:,} triples)",
        "",
        "| what | measured |",
        "|---|---|",
        f"| full build (every source read, four files written) | {figures['full_build_s']:.1f} s |",
    ]
    for label in ("pending", "accepted"):
        served = [row["served_s"] for row in accepts if row["report"] == label]
        calls = [row["call_s"] for row in accepts if row["report"] == label]
        if served:
            lines.append(
                f"| accept → served, report with its proposals {label} ({len(served)} accepts) "
                f"| median {statistics.median(served):.2f} s, max {max(served):.2f} s "
                f"(POST {statistics.median(calls):.2f} s) |"
            )
    if "searched_s" in figures:
        lines.append(
            "| accept → found by `/search` (the index updated in place; one accept of a "
            f"label) | {figures['searched_s']:.2f} s |"
        )
    lines += [
        f"| build folder (and its search index) written behind the served graph, after the "
        f"last accept | {figures['written_behind_s']:.1f} s |",
        f"| new report ingested (`ingest --accept`) | {figures['ingest_s']:.1f} s |",
        f"| … → built (`build`: {len(figures['new_report_read'])} unit(s) read) "
        f"| {figures['new_report_build_s']:.1f} s |",
        f"| no change → built | {figures['no_change_build_s']:.1f} s |",
        "",
    ]
    if "load_before" in figures:  # the machine is shared: how busy it was
        lines[-1:-1] = [
            "",
            f"Load average (1 min) before the accepts {figures['load_before']:.1f}, "
            f"after them {figures['load_after']:.1f}.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--accepted", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5, help="accepts per kind of report")
    parser.add_argument("--out", type=Path, default=None, help="folder for the tables")
    parser.add_argument(
        "--project", type=Path, default=None, help="a project generated with these figures"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="habitat-kg-incremental-") as scratch:
        figures = measure(
            options.reports, options.accepted, Path(scratch), options.rounds, options.project
        )
    text = table(figures)
    print(text)
    if options.out is not None:
        options.out.mkdir(parents=True, exist_ok=True)
        (options.out / "incremental.md").write_text(text, encoding="utf-8")
        (options.out / "incremental.json").write_text(
            json.dumps(figures, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
