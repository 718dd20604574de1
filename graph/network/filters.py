"""Filters of the network views: by resolution or decision, by country, by date range.

A filter keeps the lines of work that match, and narrows what each kept line brings to the view:
under ``--resolution 1/5`` a line serving 1/4 and 1/5 counts only for 1/5, and under
``--country DEU`` a line held in Berlin and Nairobi counts only for Berlin.

``--resolution`` takes the number a resolution or decision carries (``hkg:resolutionNumber``).
The Assembly adopted both a resolution 1/3 and a decision 1/3, so a bare number means every
resolution *and* decision with that number; ``res:1/3`` (or ``resolution 1/3``) and ``dec:1/3``
(or ``decision 1/3``) pick one of them. The IRI of a resolution or decision works too, and,
with the search index of the dataset (``NetworkFilter.names``), its name in English or Chinese
(``Resolution 1/5``, ``第1/5号决议``).

``--country`` takes an ISO 3166-1 alpha-3 code, or with the index a name (``Germany``, ``德国``);
a line held in a region or city of that country counts. A value that names nothing is refused
with the names that come closest.

``--since``/``--until`` take ISO dates (``2020-06-30``; ``2020-06`` and ``2020`` stand for the
first day, or for ``--until`` the last day, of that month or year); a line counts when
its dates overlap the range, and a line without dates does not count when a range is given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date

from habitat_kg.graph.network.evidence import Entity, Evidence, LineOfWork
from habitat_kg.graph.search import Names, Thing, UnknownName


class NetworkInputError(ValueError):
    """A filter or option the views cannot use; the message names the parameter and the value."""

    def __init__(self, parameter: str, value: str, problem: str) -> None:
        super().__init__(f"{parameter} {value!r}: {problem}")
        self.parameter = parameter
        self.value = value
        self.problem = problem


class EmptyNetwork(ValueError):
    """The filters leave nothing to draw."""


@dataclass(frozen=True)
class NetworkFilter:
    """The filters as the user gave them (strings, checked by :func:`resolve`)."""

    resolution: str = ""
    country: str = ""
    since: str = ""
    until: str = ""
    #: name lookups in the dataset's search index; without it, numbers, codes and IRIs only
    names: Names | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        """``resolution 1/5, country DEU, since 2020-09-01`` (or ``no filter``)."""
        given = [(name, getattr(self, name).strip()) for name in _FILTER_NAMES]
        words = [f"{name} {value}" for name, value in given if value]
        return ", ".join(words) or "no filter"


_FILTER_NAMES = ("resolution", "country", "since", "until")


@dataclass(frozen=True)
class Selection:
    """Checked filters: what a line of work must touch to count."""

    given: NetworkFilter
    resolutions: frozenset[str] | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None

    def apply(self, lines: tuple[LineOfWork, ...], evidence: Evidence) -> list[LineOfWork]:
        """The lines that match, each narrowed to the selected resolutions and country."""
        kept = []
        for line in lines:
            if not self._in_range(line):
                continue
            narrowed = line
            if self.resolutions is not None:
                narrowed = replace(narrowed, resolutions=narrowed.resolutions & self.resolutions)
                if not narrowed.resolutions:
                    continue
            if self.country is not None:
                places = frozenset(
                    p for p in narrowed.places if evidence.entity(p).country == self.country
                )
                if not places:
                    continue
                narrowed = replace(narrowed, places=places)
            kept.append(narrowed)
        return kept

    def _in_range(self, line: LineOfWork) -> bool:
        if self.since is None and self.until is None:
            return True
        if line.start is None or line.end is None:
            return False
        after_since = self.since is None or line.end >= self.since
        before_until = self.until is None or line.start <= self.until
        return after_since and before_until


def resolve(given: NetworkFilter, evidence: Evidence) -> Selection:
    """Check the filters against the graph; raises NetworkInputError naming the bad one."""
    since = parse_day("since", given.since, last=False)
    until = parse_day("until", given.until, last=True)
    if since and until and since > until:
        raise NetworkInputError("until", given.until, f"is before since ({given.since})")
    return Selection(
        given=given,
        resolutions=_resolutions(given.resolution, evidence, given.names),
        country=_country(given.country, evidence, given.names),
        since=since,
        until=until,
    )


_DAY_FORMS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "day"),
    (re.compile(r"\d{4}-\d{2}"), "month"),
    (re.compile(r"\d{4}"), "year"),
)


def parse_day(parameter: str, text: str, *, last: bool) -> date | None:
    """An ISO date; a month or year stands for its first day, or its last when ``last``."""
    text = text.strip()
    if not text:
        return None
    form = next((name for pattern, name in _DAY_FORMS if pattern.fullmatch(text)), None)
    try:
        if form == "day":
            return date.fromisoformat(text)
        if form == "month":
            year, month = (int(part) for part in text.split("-"))
            day = calendar.monthrange(year, month)[1] if last else 1
            return date(year, month, day)
        if form == "year":
            return date(int(text), 12, 31) if last else date(int(text), 1, 1)
    except ValueError:
        pass
    raise NetworkInputError(parameter, text, "not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)")


_RESOLUTION_SPEC = re.compile(
    r"(?:(?P<kind>res|resolution|dec|decision)\s*[:\s]\s*)?(?P<number>\S+)", re.IGNORECASE
)


def _resolutions(text: str, evidence: Evidence, names: Names | None) -> frozenset[str] | None:
    text = text.strip()
    if not text:
        return None
    known = evidence.resolutions()
    if names is not None:
        named = {thing.iri for thing in _named(names, "resolution", text)}
        return frozenset(e.iri for e in known if e.iri in named) or frozenset(named)
    if text.startswith(("http://", "https://")):
        found = [e for e in known if e.iri == text]
    else:
        match = _RESOLUTION_SPEC.fullmatch(text)
        if match is None:
            raise NetworkInputError("resolution", text, _RESOLUTION_HELP)
        kind = (match["kind"] or "").lower()
        category = {"res": "resolution", "dec": "decision"}.get(kind[:3])
        found = [
            e
            for e in known
            if e.number == match["number"] and (category is None or e.category == category)
        ]
    if not found:
        raise NetworkInputError(
            "resolution", text, f"no such resolution or decision (known: {_listing(known)})"
        )
    return frozenset(e.iri for e in found)


_RESOLUTION_HELP = "expected a number like 1/5, res:1/3, dec:1/3 or an IRI"


def _listing(known: list[Entity]) -> str:
    prefix = {"resolution": "res:", "decision": "dec:"}
    return ", ".join(prefix.get(e.category, "") + e.number for e in known) or "none"


def _named(names: Names, kind: str, text: str) -> list[Thing]:
    """The things ``text`` names (see habitat_kg.graph.search.names), or the filter's error."""
    try:
        return names.resolve(kind, text, kind)
    except UnknownName as error:
        raise NetworkInputError(kind, text, error.problem) from None


def _country(text: str, evidence: Evidence, names: Names | None) -> str | None:
    code = text.strip().upper()
    if not code:
        return None
    if names is not None:
        codes = {entity.iri: code for code, entity in evidence.countries().items()}
        found = [codes[t.iri] for t in _named(names, "country", text.strip()) if t.iri in codes]
        if not found:
            raise NetworkInputError("country", text, "names no country of the network")
        return found[0]
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise NetworkInputError("country", text, "expected an ISO 3166-1 alpha-3 code like MEX")
    if code not in evidence.countries():
        raise NetworkInputError("country", text, "no country with this ISO alpha-3 code")
    return code
