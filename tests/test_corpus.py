"""The test corpus itself (tests/data/corpus): texts written for testing and their gold files.

Extraction (issues 15 and 16) will be measured against these gold files, so they are checked here
before anyone relies on them: the testing marker, the form and values of every gold file, that
what a gold file quotes occurs in its paragraph, that its paragraphs are the text's, the held-out
flags, and that the project's parser reads every report. No extractor runs here.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from habitat_kg.graph.parse import header_report_id, read_report

CORPUS = Path(__file__).parent / "data" / "corpus"
MEMBER_STATES = Path(__file__).resolve().parents[1] / "graph/sources/reference/un-member-states.csv"
MARKERS = {
    "en": "[TEXT WRITTEN FOR TESTING - not a UN document]",
    "zh": "[测试用文本——非联合国文件]",
}
TEXTS = sorted(CORPUS.glob("*.txt"))
REPORT_NAME = re.compile(r"^(?:eb-\d{4}-\d|ha-\d+)_item-\d+\.(?:en|zh)\.txt$")
REPORTS = [path for path in TEXTS if REPORT_NAME.match(path.name)]

# Passages found by line starts, as an analyst numbers them.
PARAGRAPH = re.compile(r"^(\d{1,3})\.\s*(.*)$")
SUBPARAGRAPH = re.compile(r"^[(（]([a-z])[)）]\s*(.*)$")
HEADING = re.compile(r"^(?:[IVX]+\.\s+|[一二三四五六七八九十]+、)(.+)$")
ORGAN_LINE = ("The United Nations Habitat Assembly,", "The Executive Board,", "联合国人居大会，")

PARAGRAPH_KEYS = {"resolutions", "decisions", "units", "partners", "places", "dates", "figures"}
PARAGRAPH_KEYS |= {"documents", "status", "traps"}
STATUSES = {"completed", "ongoing", "planned", "postponed", "no-progress"}
ROLES = {"co-organizer", "funder", "participant", "partner"}
PLACE_KINDS = {"city", "region", "country"}
PRECISIONS = {"day", "month", "quarter", "half-year", "year"}
MANDATE_STATUSES = {
    "completed",
    "in progress",
    "not implemented",
    "non-applicable",
    "no indication",
}
ACTIONS = {
    "requests": "请",
    "also requests": "又请",
    "invites": "邀请",
    "encourages": "鼓励",
    "urges": "敦促",
    "calls upon": "吁请",
    "decides": "决定",
    "endorses": "核可",
    "adopts": "通过",
    "welcomes": "欢迎",
    "takes note": "注意到",
}
OPERATIVE_KEYS = {"action", "addressee", "object", "deadline", "reporting", "resources"}
OPERATIVE_KEYS |= {"end_clause", "is_mandate"}
REPORTING_SESSION = {"UN-Habitat Assembly": r"\d+", "Executive Board": r"\d{4}/\d"}
RESOLUTION_ID = re.compile(r"^ha-\d+-\d+$")
DECISION_ID = re.compile(r"^(?:ha-\d+-\d+|eb-\d{4}-\d+)$")
MANDATE_ID = re.compile(r"^(?P<text>[a-z]+-[\d-]+)/op-(?P<op>\d+(?:\([a-z]\))?)$")


def gold_of(text: Path) -> dict:
    gold_path = text.with_name(text.name.removesuffix(".txt") + ".gold.json")
    return json.loads(gold_path.read_text(encoding="utf-8"))


def passages(text: str) -> tuple[dict[str, str], dict[str, int], list[str]]:
    """Paragraphs and sub-paragraphs by key ("3", "1(a)"), the section number of each key (0
    before the first heading), and the section headings in order."""
    found: dict[str, str] = {}
    section_of: dict[str, int] = {}
    headings: list[str] = []
    paragraph = None
    for line in text.splitlines():
        line = line.strip()
        if (match := HEADING.match(line)) is not None:
            headings.append(match[1])
        elif (match := PARAGRAPH.match(line)) is not None:
            paragraph = match[1]
            found[paragraph], section_of[paragraph] = match[2], len(headings)
        elif (match := SUBPARAGRAPH.match(line)) is not None and paragraph is not None:
            key = f"{paragraph}({match[1]})"
            found[key], section_of[key] = match[2], len(headings)
    return found, section_of, headings


def cites(text: str, identifier: str) -> bool:
    """Whether ``text`` names the resolution or decision: ha-2-7 as 2/7, eb-2021-4 as 2021/4."""
    number = "/".join(identifier.split("-")[1:])
    return re.search(r"(?<![\d/])" + re.escape(number) + r"(?![\d/])", text) is not None


def period_problems(where: str, found: dict) -> list[str]:
    """A date's start and end must be ISO dates bounding whole periods of its precision."""
    try:
        start, end = date.fromisoformat(found["start"]), date.fromisoformat(found["end"])
    except (KeyError, TypeError, ValueError) as error:
        return [f"{where}: date {found.get('text')!r} does not parse as ISO: {error}"]
    precision = found.get("precision")
    if precision not in PRECISIONS:
        return [f"{where}: date precision {precision!r}"]
    period = {"day": 1, "month": 1, "quarter": 3, "half-year": 6, "year": 12}[precision]
    last_day = (end + timedelta(days=1)).day == 1
    whole = precision == "day" or (
        start.day == 1 and (start.month - 1) % period == 0 and last_day and end.month % period == 0
    )
    if start > end or not whole:
        return [f"{where}: {found['text']!r} is not whole {precision}s: {start} to {end}"]
    return []


def entry_problems(where: str, entry: dict, said: str, report: str, member_states: set) -> list:
    """One paragraph's gold entry against the paragraph (``said``) and the whole report."""
    problems = [f"{where}: unknown key {key!r}" for key in set(entry) - PARAGRAPH_KEYS]
    status = entry.get("status", "missing")
    statuses = status if isinstance(status, list) and status else [status]
    if status is not None and not set(statuses) <= STATUSES:
        problems.append(f"{where}: status {status!r}")
    for key, pattern in (("resolutions", RESOLUTION_ID), ("decisions", DECISION_ID)):
        for identifier in entry.get(key, []):
            if not pattern.match(identifier) or not cites(said, identifier):
                problems.append(f"{where}: {key} {identifier!r} malformed or not cited")
    for unit in entry.get("units", []):
        if unit not in report:
            problems.append(f"{where}: unit {unit!r} is nowhere in the report")
    for partner in entry.get("partners", []):
        if partner.get("role") not in ROLES or partner.get("name") not in said:
            problems.append(f"{where}: partner {partner}")
    for place in entry.get("places", []):
        if place.get("name") not in said or place.get("kind") not in PLACE_KINDS:
            problems.append(f"{where}: place {place}")
        if place.get("country") not in member_states:
            problems.append(f"{where}: country {place.get('country')!r} is no alpha-3 code")
    for found in entry.get("dates", []):
        if found.get("text") not in said:
            problems.append(f"{where}: date text {found.get('text')!r} not in the paragraph")
        problems += period_problems(where, found)
    for figure in entry.get("figures", []):
        value, counts = figure.get("value"), figure.get("counts")
        if figure.get("text") not in said or not isinstance(value, int) or value < 0:
            problems.append(f"{where}: figure {figure}")
        if not isinstance(counts, str) or not counts:
            problems.append(f"{where}: figure without what it counts: {figure}")
    for symbol in entry.get("documents", []):
        if symbol not in said:
            problems.append(f"{where}: document {symbol!r} not in the paragraph")
    for trap in entry.get("traps", []):
        if trap.get("text") not in said or not trap.get("note"):
            problems.append(f"{where}: trap {trap}")
    return problems


def report_problems(gold: dict, text: str, name: str, member_states: set) -> list[str]:
    found, section_of, headings = passages(text)
    problems = []
    expected_id = name.split(".", 1)[0].replace("_", "/")
    if gold.get("id") != expected_id:
        problems.append(f"id {gold.get('id')!r}, the file name says {expected_id!r}")
    if set(gold.get("paragraphs", {})) != set(found):
        problems.append(f"paragraph keys differ from the text's: {sorted(found)}")
    for number, entry in gold.get("sections", {}).items():
        heading = headings[int(number) - 1] if 0 < int(number) <= len(headings) else ""
        for identifier in entry.get("resolutions", []) + entry.get("decisions", []):
            if not cites(heading, identifier):
                problems.append(f"section {number}: {identifier} not in its heading")
    for key, entry in gold.get("paragraphs", {}).items():
        if key not in found:
            continue
        own = [found[key], *(t for k, t in found.items() if k.startswith(key + "("))]
        heading = headings[section_of[key] - 1] if section_of[key] else ""
        said = " ".join([*own, heading])
        problems += entry_problems(f"paragraph {key}", entry, said, text, member_states)
        if gold.get("language") == "zh":
            named = entry.get("units", []) + [
                item["name"] for kind in ("partners", "places") for item in entry.get(kind, [])
            ]
            problems += [
                f"paragraph {key}: {n!r} has no entry in names"
                for n in named
                if n not in gold.get("names", {})
            ]
    return problems


def operative_problems(gold: dict, text: str) -> list[str]:
    found, _, _ = passages(text)
    operative = gold.get("operative", {})
    problems = []
    if set(operative) != set(found):
        problems.append(f"operative keys differ from the text's: {sorted(found)}")
    if gold.get("title") not in text or not isinstance(gold.get("end_clause"), bool):
        problems.append("title not in the text, or no end_clause flag")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line in ORGAN_LINE), None)
    first = next((i for i, line in enumerate(lines) if PARAGRAPH.match(line)), None)
    if start is None or first is None or gold.get("preambular") != first - start - 1:
        problems.append(f"preambular count {gold.get('preambular')} does not match the text")
    for key, op in operative.items():
        where = f"operative {key}"
        if not set(op) >= OPERATIVE_KEYS or op.get("action") not in ACTIONS:
            problems.append(f"{where}: missing keys or unknown action {op.get('action')!r}")
            continue
        parent = operative.get(key.split("(")[0], {})
        said = found.get(key, "") + " " + found.get(key.split("(")[0], "")
        if "(" in key and op["action"] != parent.get("action"):
            problems.append(f"{where}: a sub-paragraph takes its chapeau's action")
        elif "(" not in key:
            verb = ACTIONS[op["action"]] if gold["language"] == "zh" else op["action"]
            if not said.lower().startswith(verb):
                problems.append(f"{where}: the text does not open with {verb!r}")
        addressee = op["addressee"]
        if not (addressee is None or isinstance(addressee, (str, list))):
            problems.append(f"{where}: addressee {addressee!r}")
        if op["is_mandate"] is True and not addressee:
            problems.append(f"{where}: a mandate without addressee")
        if not isinstance(op["is_mandate"], bool) or not isinstance(op["end_clause"], bool):
            problems.append(f"{where}: is_mandate and end_clause are true or false")
        if op["deadline"] is not None:
            try:
                date.fromisoformat(op["deadline"])
            except (TypeError, ValueError):
                problems.append(f"{where}: deadline {op['deadline']!r} is no ISO date")
        reporting = op["reporting"]
        if reporting is not None and not re.fullmatch(
            REPORTING_SESSION.get(reporting.get("organ"), "(?!)"), str(reporting.get("session"))
        ):
            problems.append(f"{where}: reporting {reporting}")
        if op["resources"] is not None and op["resources"] not in said:
            problems.append(f"{where}: resources clause {op['resources']!r} not in the text")
        if not isinstance(op["object"], str) or not op["object"]:
            problems.append(f"{where}: no object")
    return problems


def mandate_problems(report: dict, texts: dict[str, dict]) -> list[str]:
    """A report's mandate statuses against the resolutions and decisions they belong to."""
    problems = []
    statuses = report.get("mandate_status", {})
    covered = {
        identifier
        for section in report.get("sections", {}).values()
        for identifier in section.get("resolutions", []) + section.get("decisions", [])
    }
    for identifier in sorted(covered & set(texts)):
        for key, op in texts[identifier]["operative"].items():
            if op["is_mandate"] and f"{identifier}/op-{key}" not in statuses:
                problems.append(f"{identifier}/op-{key}: a mandate the report covers, no status")
    for mandate, entry in statuses.items():
        match = MANDATE_ID.match(mandate)
        op = texts.get(match["text"], {}).get("operative", {}).get(match["op"]) if match else None
        if op is None or not op["is_mandate"]:
            problems.append(f"{mandate}: no such mandate in the corpus")
            continue
        if entry.get("status") not in MANDATE_STATUSES:
            problems.append(f"{mandate}: status {entry.get('status')!r}")
        outside = op["addressee"] != "Executive Director"
        if (entry.get("status") == "non-applicable") != outside:
            problems.append(f"{mandate}: non-applicable is for mandates outside the Secretariat")
        # Evidence: paragraphs of the report; none for "no indication", some for the others
        # except "non-applicable", which follows from the addressee alone.
        missing = set(entry.get("evidence", [])) - set(report["paragraphs"])
        wanted = entry.get("status") != "no indication"
        bad = missing or (wanted != bool(entry.get("evidence")))
        if bad and entry.get("status") != "non-applicable":
            problems.append(f"{mandate}: evidence {entry.get('evidence')}")
    for flag in report.get("expected_flags", []):
        if statuses.get(flag.get("mandate"), {}).get("status") != "no indication":
            problems.append(f"flag {flag}: a due report is flagged only without a status")
    return problems


@pytest.fixture(scope="module")
def member_states() -> set[str]:
    with MEMBER_STATES.open(encoding="utf-8") as rows:
        return {row["alpha3"] for row in csv.DictReader(rows)}


@pytest.fixture(scope="module")
def mandate_texts() -> dict[str, dict]:
    golds = [gold_of(path) for path in TEXTS]
    return {gold["id"]: gold for gold in golds if gold["kind"] in ("resolution", "decision")}


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_text_opens_with_the_testing_marker_and_has_a_gold_file(path: Path):
    language = path.name.split(".")[-2]
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == MARKERS[language], f"{path.name}: line 1 must be {MARKERS[language]!r}"
    gold = gold_of(path)
    assert gold["language"] == language
    assert gold["kind"] in ("report", "resolution", "decision")
    assert isinstance(gold["tuning"], bool), f"{path.name}: no held-out flag"
    assert gold["symbol"] in path.read_text(encoding="utf-8")


def test_every_gold_file_has_its_text():
    for gold in CORPUS.glob("*.gold.json"):
        assert gold.with_name(gold.name.removesuffix(".gold.json") + ".txt").is_file(), gold.name


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_gold_file_follows_the_form(path: Path, member_states, mandate_texts):
    gold, text = gold_of(path), path.read_text(encoding="utf-8")
    if gold["kind"] == "report":
        problems = report_problems(gold, text, path.name, member_states)
        problems += mandate_problems(gold, mandate_texts)
    else:
        problems = operative_problems(gold, text)
        pattern = RESOLUTION_ID if gold["kind"] == "resolution" else DECISION_ID
        if not pattern.match(gold["id"]) or not cites(gold["number"], gold["id"]):
            problems.append(f"id {gold['id']!r} and number {gold['number']!r} disagree")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_checks_find_faults_in_a_broken_gold_file(member_states, mandate_texts):
    """The checks above are not vacuous: each of these faults, put into a good file, is found."""
    path = CORPUS / "eb-2024-2_item-5.en.txt"
    text, good = path.read_text(encoding="utf-8"), gold_of(path)
    assert report_problems(good, text, path.name, member_states) == []
    faults = {
        "date": lambda g: g["paragraphs"]["3"]["dates"][0].update(end="2024-09-31"),
        "month": lambda g: g["paragraphs"]["3"]["dates"][0].update(end="2024-09-29"),
        "key": lambda g: g["paragraphs"].pop("12(b)"),
        "place": lambda g: g["paragraphs"]["4"]["places"].append({"name": "Nairobi"}),
        "role": lambda g: g["paragraphs"]["3"]["partners"][0].update(role="donor"),
        "status": lambda g: g["paragraphs"]["2"].update(status="done"),
        "citation": lambda g: g["paragraphs"]["2"]["resolutions"].append("ha-3-6"),
    }
    for fault, apply in faults.items():
        broken = copy.deepcopy(good)
        apply(broken)
        assert report_problems(broken, text, path.name, member_states), fault
    broken = copy.deepcopy(good)
    broken["mandate_status"]["ha-3-6/op-3"]["status"] = "completed"
    del broken["mandate_status"]["ha-3-4/op-1"]
    problems = mandate_problems(broken, mandate_texts)
    assert any(p.startswith("ha-3-4/op-1:") for p in problems), problems
    assert any(p.startswith("ha-3-6/op-3:") for p in problems), problems


def test_both_languages_and_held_out_files():
    golds = {path.name: gold_of(path) for path in TEXTS}
    reports = [g for g in golds.values() if g["kind"] == "report"]
    held_out = {name for name, gold in golds.items() if gold["tuning"] is False}
    for kind in ("report", "resolution"):
        assert {g["language"] for g in golds.values() if g["kind"] == kind} == {"en", "zh"}
    assert {g["language"] for g in reports if not g["tuning"]} == {"en", "zh"}
    assert 2 * sum(1 for g in reports if not g["tuning"]) >= len(reports)
    assert any(g["kind"] == "resolution" and not g["tuning"] for g in golds.values())
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Held out", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`([^`]+\.txt)`", section)) == held_out


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_parser_reads_the_report(path: Path):
    gold, report = gold_of(path), read_report(path)
    keys = {str(p.number) for p in report.paragraphs}
    keys |= {f"{p.number}({s.label})" for p in report.paragraphs for s in p.subparagraphs}
    assert keys == set(gold["paragraphs"])
    header = report.header
    session = f"{header.session_year}/{header.session_number}"
    assert (session, header.agenda_item, header.place) == (
        gold["header"]["session"],
        gold["header"]["agenda_item"],
        gold["header"]["place"],
    )


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_header_gives_the_report_id(path: Path):
    header = read_report(path).header
    assert header_report_id(header) == gold_of(path)["id"]
    assert header.symbol == gold_of(path)["symbol"]
