"""The registry's tables as data: the JSON shapes, the matrix, the forward schedule, CSV rows.

The pages, the JSON answers and the command's exports are all made from these, so that a column
means the same everywhere. The JSON shapes are stable: keys are only ever added.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from habitat_kg.namespaces import BASE
from habitat_kg.server.mandates.model import Mandate, Name, Status, report_name

MANDATE_BASE = BASE + "id/mandate/"
_YEAR_OF_SESSION = re.compile(r"/session/eb-(\d{4})-")


def page_path(mandate: Mandate) -> str:
    """The registry's page of a mandate: ``/mandates/ha-3-4/op-1``."""
    return "/mandates/" + mandate.iri.removeprefix(MANDATE_BASE)


def _name(name: Name | None) -> dict[str, Any] | None:
    return None if name is None else name.as_json()


def status_json(status: Status | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "report": {"iri": status.report.iri, "name": status.report.en},
        "as_of": status.as_of,
        "status": {"key": status.key, **status.value.as_json()},
        "evidence": [{"iri": e.iri, "number": e.number, "text": e.text} for e in status.evidence],
    }


def mandate_json(mandate: Mandate, today: date) -> dict[str, Any]:
    """A mandate as the registry's JSON gives it (one element of ``mandates``)."""
    return {
        "iri": mandate.iri,
        "url": page_path(mandate),
        "label": mandate.label.as_json(),
        "resolution": _name(mandate.one("resolution")),
        "session": _name(mandate.one("session")),
        "paragraph": {
            "iri": (mandate.one("paragraph") or Name(None, "")).iri,
            "number": mandate.text_of("number") or None,
            "text": mandate.text_of("text") or None,
        },
        "addressees": [n.as_json() for n in mandate.addressees],
        "action": _name(mandate.one("action")),
        "object": mandate.text_of("object") or mandate.text_of("request") or None,
        "due": mandate.text_of("due") or None,
        "reporting_to": _name(mandate.one("reportingTo")),
        "reporting_session": _name(mandate.one("reportingSession")),
        "resources": mandate.text_of("resources") or None,
        "has_end_clause": mandate.has_end_clause,
        "end_clause": mandate.text_of("endClause") or None,
        "adopted": mandate.adopted,
        "older_than_five_years": mandate.older_than_limit(today),
        "units": [n.as_json() for n in mandate.all("unit")],
        "topics": [n.as_json() for n in mandate.all("topic")],
        "latest_status": status_json(mandate.latest),
    }


@dataclass(frozen=True)
class Column:
    """A report of the matrix: its IRI, short name and the date its statuses speak for."""

    iri: str
    name: str
    date: str


def matrix_columns(mandates: list[Mandate]) -> list[Column]:
    """Every report that gives a status, in date order."""
    dates: dict[str, str] = {}
    for mandate in mandates:
        for status in mandate.statuses:
            key = status.report.key
            dates[key] = min(dates.get(key, status.date) or status.date, status.date)
    columns = [Column(iri, report_name(iri), when) for iri, when in dates.items()]
    return sorted(columns, key=lambda c: (c.date, c.name))


def matrix_cells(mandate: Mandate, columns: list[Column]) -> list[Status | None]:
    by_report = {status.report.key: status for status in mandate.statuses}
    return [by_report.get(column.iri) for column in columns]


def matrix_json(mandates: list[Mandate], today: date) -> dict[str, Any]:
    columns = matrix_columns(mandates)
    return {
        "reports": [{"iri": c.iri, "name": c.name, "as_of": c.date or None} for c in columns],
        "rows": [
            {
                "mandate": {"iri": m.iri, "url": page_path(m), "label": m.label.as_json()},
                "cells": [status_json(s) for s in matrix_cells(m, columns)],
            }
            for m in mandates
        ],
    }


@dataclass(frozen=True)
class Due:
    """Something a mandate asks for by a coming session or date."""

    mandate: Mandate
    kind: str  # "report" (to a session) or "deadline" (a date)
    when: str | None  # ISO date; None for a session whose date the graph does not hold
    session: Name | None = None
    to: Name | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "mandate": {
                "iri": self.mandate.iri,
                "url": page_path(self.mandate),
                "label": self.mandate.label.as_json(),
            },
            "kind": self.kind,
            "date": self.when,
            "session": _name(self.session),
            "to": _name(self.to),
            "latest_status": status_json(self.mandate.latest),
        }


def schedule(mandates: list[Mandate], today: date) -> list[Due]:
    """What is due from ``today`` on: reports owed to coming sessions and deadlines, by date;
    sessions whose date is not known come last (those of a year already past are left out)."""
    due: list[Due] = []
    for mandate in mandates:
        for session in mandate.all("reportingSession"):
            when = mandate.text_of("reportingDate") or None
            if _coming(session, when, today):
                due.append(Due(mandate, "report", when, session, mandate.one("reportingTo")))
        deadline = mandate.text_of("due")
        if deadline and date.fromisoformat(deadline) >= today:
            due.append(Due(mandate, "deadline", deadline, None, mandate.one("addressee")))
    return sorted(due, key=lambda d: (d.when is None, d.when or "", d.mandate.label.en))


def _coming(session: Name, when: str | None, today: date) -> bool:
    if when is not None:
        return date.fromisoformat(when) >= today
    year = _YEAR_OF_SESSION.search(session.iri or "")
    return year is None or int(year.group(1)) >= today.year


REGISTRY_COLUMNS = (
    "mandate",
    "name",
    "resolution",
    "adopted at",
    "operative paragraph",
    "addressees",
    "action",
    "object",
    "due",
    "reporting to",
    "reporting session",
    "resources",
    "end clause",
    "units",
    "latest status",
    "status report",
    "as of",
    "evidence",
    "older than five years",
)


def registry_row(mandate: Mandate, today: date, language: str = "en") -> list[str]:
    """One mandate as a row of ``REGISTRY_COLUMNS`` (names in ``language``)."""

    def shown(name: Name | None) -> str:
        return name.shown(language) if name else ""

    def joined(names: list[Name]) -> str:
        return "; ".join(n.shown(language) for n in names)

    latest = mandate.latest
    age = mandate.older_than_limit(today)
    return [
        mandate.iri,
        mandate.label.shown(language),
        shown(mandate.one("resolution")),
        shown(mandate.one("session")),
        mandate.text_of("text"),
        joined(mandate.addressees),
        shown(mandate.one("action")),
        mandate.text_of("object") or mandate.text_of("request"),
        mandate.text_of("due"),
        shown(mandate.one("reportingTo")),
        shown(mandate.one("reportingSession")),
        mandate.text_of("resources"),
        mandate.text_of("endClause") if mandate.has_end_clause else "none",
        joined(mandate.all("unit")),
        latest.value.shown(language) if latest else "",
        latest.report.en if latest else "",
        (latest.as_of or "") if latest else "",
        " ".join(e.iri for e in latest.evidence) if latest else "",
        "" if age is None else ("yes" if age else "no"),
    ]


def matrix_rows(mandates: list[Mandate], language: str = "en") -> tuple[list[str], list[list[str]]]:
    """The matrix as a header and rows of text: mandate, name, then a status per report."""
    columns = matrix_columns(mandates)
    header = ["mandate", "name", *(f"{c.name} ({c.date})" if c.date else c.name for c in columns)]
    rows = [
        [m.iri, m.label.shown(language)]
        + [s.value.shown(language) if s else "" for s in matrix_cells(m, columns)]
        for m in mandates
    ]
    return header, rows


def as_csv(header: list[str] | tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
