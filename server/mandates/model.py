"""The mandate registry as read from the graph: mandates with their clauses and statuses.

Two queries give everything the pages and the exports show (``queries/registry.rq``: one row
per mandate, field and value; ``queries/statuses.rq``: every status with its evidence), so that
a page costs two round trips to the store whatever the number of mandates. The store is any
``Store`` (the server's pool, or the dataset the command line opens).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from habitat_kg.namespaces import BASE, MANDATE_STATUS
from habitat_kg.queries import load_query
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.store import Solutions, Store, Term

PACKAGE = "habitat_kg.server.mandates"
#: The statuses of the UN Mandate Registry, in the order the tables list them.
STATUS_KEYS = ("completed", "in-progress", "not-implemented", "non-applicable", "no-indication")
#: A mandate no report has yet given a status.
NO_STATUS = "none"
#: Mandates adopted longer ago than this are flagged (as the UN Mandate Registry does).
AGE_LIMIT_YEARS = 5

_ORGANS = {"ha": ("UN-Habitat Assembly", "人居大会"), "eb": ("Executive Board", "执行局")}
_SESSION = re.compile(r"/session/(ha|eb)-(\d{4}-\d+|\d+)(?:-[a-z]+)?$")
_EVIDENCE = re.compile(r"/paragraph/(\d+)(?:/([a-z]))?$")


@dataclass(frozen=True)
class Name:
    """A thing of the graph (or a literal, ``iri`` None) with its English and Chinese names."""

    iri: str | None
    en: str
    zh: str | None = None

    def shown(self, language: str = "en") -> str:
        return (self.zh or self.en) if language == "zh" else self.en

    @property
    def key(self) -> str:
        """What a facet's parameter takes: the IRI, or the text of a literal."""
        return self.iri or self.en

    def as_json(self) -> dict[str, str | None]:
        return {"iri": self.iri, "en": self.en, "zh": self.zh}


@dataclass(frozen=True)
class Evidence:
    """A paragraph of a report that shows a status, with its words."""

    iri: str
    number: str
    text: str


@dataclass
class Status:
    """A mandate's status as one report shows it."""

    report: Name
    as_of: str | None
    value: Name
    session: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        return (self.value.iri or "").removeprefix(str(MANDATE_STATUS))

    @property
    def date(self) -> str:
        """The date the status speaks for (as of, else its report's session), for sorting."""
        return self.as_of or self.session or ""


@dataclass
class Mandate:
    """A mandate with what its operative paragraph says and the statuses reports give it."""

    iri: str
    label: Name
    fields: dict[str, list[Name]] = field(default_factory=dict)
    statuses: list[Status] = field(default_factory=list)

    def all(self, name: str) -> list[Name]:
        return self.fields.get(name, [])

    def one(self, name: str) -> Name | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def text_of(self, name: str) -> str:
        value = self.one(name)
        return value.en if value else ""

    @property
    def latest(self) -> Status | None:
        return max(self.statuses, key=lambda s: (s.date, s.report.key), default=None)

    @property
    def status_key(self) -> str:
        latest = self.latest
        return latest.key if latest else NO_STATUS

    @property
    def adopted(self) -> str | None:
        value = self.one("adopted")
        return value.en if value else None

    def older_than_limit(self, today: date) -> bool | None:
        """Whether adopted more than five years before ``today`` (None: date not known)."""
        if self.adopted is None:
            return None
        adopted = date.fromisoformat(self.adopted)
        try:
            limit = adopted.replace(year=adopted.year + AGE_LIMIT_YEARS)
        except ValueError:  # 29 February
            limit = adopted.replace(year=adopted.year + AGE_LIMIT_YEARS, day=28)
        return today > limit

    @property
    def has_reporting(self) -> bool:
        return bool(self.all("reportingTo") or self.all("reportingSession"))

    @property
    def has_end_clause(self) -> bool:
        return self.text_of("hasEndClause") == "true"

    @property
    def addressees(self) -> list[Name]:
        return self.all("addressee") + self.all("addresseeName")

    @property
    def words(self) -> str:
        """What the text filter searches: the object, the request, the paragraph, the name."""
        parts = [self.label.en, self.label.zh or ""]
        parts += [v.en for name in ("object", "request", "text") for v in self.all(name)]
        return " ".join(parts).casefold()


def read_registry(store: Store, only: str | None = None) -> list[Mandate]:
    """Every mandate (or only the one whose IRI is ``only``), in the order of their names."""
    values = f"VALUES ?mandate {{ {to_sparql_term('iri', only, 'mandate')} }}" if only else ""
    mandates: dict[str, Mandate] = {}
    rows = _select(store, "registry", values)
    for row in rows:
        iri = _value(row["mandate"])
        mandate = mandates.setdefault(iri, Mandate(iri, Name(iri, iri)))
        name = _name(row["value"], row["en"], row["zh"])
        found = mandate.fields.setdefault(_value(row["field"]), [])
        if name.key not in {n.key for n in found}:
            found.append(name)
    for mandate in mandates.values():
        mandate.label = _label_of(mandate)
        for name in ("session", "reportingSession"):
            mandate.fields[name] = [_session_name(n) for n in mandate.all(name)]
    for mandate_iri, status in _statuses(_select(store, "statuses", values)):
        if mandate_iri in mandates:
            mandates[mandate_iri].statuses.append(status)
    for mandate in mandates.values():
        mandate.statuses.sort(key=lambda s: (s.date, s.report.key))
    return sorted(mandates.values(), key=_order)


def _select(store: Store, name: str, values: str) -> Solutions:
    answer = store.query(load_query(PACKAGE, name).replace("$mandates", values))
    assert isinstance(answer, Solutions), f"{name}.rq is a SELECT query"
    return answer


def _statuses(rows: Solutions) -> Iterable[tuple[str, Status]]:
    by_node: dict[str, tuple[str, Status]] = {}
    for row in rows:
        node = _value(row["status"])
        if node not in by_node:
            report = _value(row["report"])
            status = Status(
                report=Name(report, report_name(report)),
                as_of=_optional(row["asOf"]),
                value=_name(row["value"], row["valueEn"], row["valueZh"]),
                session=_optional(row["sessionDate"]),
            )
            by_node[node] = (_value(row["mandate"]), status)
        evidence = _optional(row["evidence"])
        status = by_node[node][1]
        if evidence and evidence not in {e.iri for e in status.evidence}:
            number = _optional(row["evidenceNumber"]) or evidence_number(evidence)
            status.evidence.append(Evidence(evidence, number, _optional(row["evidenceText"]) or ""))
    for _, status in by_node.values():
        status.evidence.sort(key=lambda e: _natural(e.iri))
    return by_node.values()


def report_name(iri: str) -> str:
    """``eb-2024-2/item-5`` for a report's IRI: short enough for a column's head."""
    return iri.removeprefix(BASE + "id/report/")


def evidence_number(iri: str) -> str:
    """``12(a)`` for ``…/paragraph/12/a``; the IRI's last part for anything else."""
    found = _EVIDENCE.search(iri)
    if not found:
        return iri.rsplit("/", 1)[-1]
    number, letter = found.groups()
    return f"{number}({letter})" if letter else number


def _session_name(name: Name) -> Name:
    """A session the graph gives no name (one a resolution's text names): named from its IRI."""
    if name.iri is None or name.en != name.iri:
        return name
    found = _SESSION.search(name.iri)
    if not found:
        return name
    organ, number = found.groups()
    en, zh = _ORGANS[organ]
    if organ == "eb":
        year, count = number.split("-")
        return Name(name.iri, f"{en}, session {year}/{count}", f"{zh}{year}年第{count}次会议")
    return Name(name.iri, f"{en}, session {number}", f"{zh}第{number}届会议")


def _label_of(mandate: Mandate) -> Name:
    labels = mandate.all("label")
    english = next((n.en for n in labels if n.zh is None), mandate.iri)
    return Name(mandate.iri, english, next((n.zh for n in labels if n.zh), None))


def _name(value: Term | None, english: Term | None, chinese: Term | None) -> Name:
    assert value is not None
    if value.kind == "uri":
        return Name(value.value, _optional(english) or value.value, _optional(chinese))
    if value.kind == "literal" and value.lang == "zh":
        return Name(None, value.value, value.value)
    return Name(None, value.value)


def _order(mandate: Mandate) -> tuple[str, list[int | str]]:
    resolution = mandate.one("resolution")
    return (resolution.en if resolution else "", _natural(mandate.iri))


def _natural(text: str) -> list[int | str]:
    """``op-10`` after ``op-9``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _value(term: Term | None) -> str:
    assert term is not None
    return term.value


def _optional(term: Term | None) -> str | None:
    return None if term is None else term.value
