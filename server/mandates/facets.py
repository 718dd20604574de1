"""The registry's facets and text filter: what a visitor may narrow the mandates by.

Each facet takes one value in the query string (``?status=in-progress&addressee=<IRI>``); the
facets combine with AND. A facet's counts are those of the mandates the other filters leave
(so that choosing a value shows what choosing another instead would give). A value that is not
one of the facet's values, an unknown parameter, or a text filter too long is a
:class:`ParameterError` naming the parameter (the pages answer it 400).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from habitat_kg.server.mandates.model import NO_STATUS, STATUS_KEYS, Mandate, Name

#: The longest text filter taken (a phrase, not a document).
MAX_TEXT_FILTER = 200


class ParameterError(ValueError):
    """A query-string parameter the pages cannot take: names it and says why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: the parameter's value (``key``), its names, how many mandates."""

    key: str
    name: Name
    count: int = 0


@dataclass(frozen=True)
class Facet:
    parameter: str
    title: Name
    values_of: Callable[[Mandate, date], list[FacetValue]]


def _names(field: str) -> Callable[[Mandate, date], list[FacetValue]]:
    return lambda mandate, _: [FacetValue(n.key, n) for n in mandate.all(field)]


def _addressees(mandate: Mandate, _: date) -> list[FacetValue]:
    return [FacetValue(n.key, n) for n in mandate.addressees]


STATUS_NAMES = {
    "completed": Name(None, "completed", "已完成"),
    "in-progress": Name(None, "in progress", "进行中"),
    "not-implemented": Name(None, "not implemented", "未执行"),
    "non-applicable": Name(None, "non-applicable", "不适用"),
    "no-indication": Name(None, "no indication", "无说明"),
    NO_STATUS: Name(None, "no status yet", "尚无状况"),
}


def _status(mandate: Mandate, _: date) -> list[FacetValue]:
    key = mandate.status_key
    return [FacetValue(key, STATUS_NAMES.get(key, Name(None, key)))]


_YES, _NO = FacetValue("yes", Name(None, "yes", "有")), FacetValue("no", Name(None, "no", "无"))


def _reporting(mandate: Mandate, _: date) -> list[FacetValue]:
    return [_YES if mandate.has_reporting else _NO]


def _end_clause(mandate: Mandate, _: date) -> list[FacetValue]:
    return [_YES if mandate.has_end_clause else _NO]


AGES = {
    True: FacetValue("older", Name(None, "older than five years", "超过五年")),
    False: FacetValue("recent", Name(None, "five years or less", "五年以内")),
    None: FacetValue("unknown", Name(None, "adoption date not known", "通过日期不详")),
}


def _age(mandate: Mandate, today: date) -> list[FacetValue]:
    return [AGES[mandate.older_than_limit(today)]]


FACETS: tuple[Facet, ...] = (
    Facet("resolution", Name(None, "Resolution or decision", "决议或决定"), _names("resolution")),
    Facet("session", Name(None, "Organ and session", "机构和会议"), _names("session")),
    Facet("addressee", Name(None, "Addressee", "对象"), _addressees),
    Facet("action", Name(None, "Action", "行动"), _names("action")),
    Facet("status", Name(None, "Status (latest)", "最新状况"), _status),
    Facet("unit", Name(None, "Unit", "负责部门"), _names("unit")),
    Facet("topic", Name(None, "Topic", "主题"), _names("topic")),
    Facet("reporting", Name(None, "Reporting requirement", "报告要求"), _reporting),
    Facet("end-clause", Name(None, "Review or end clause", "审查或终止条款"), _end_clause),
    Facet("age", Name(None, "Age", "时限"), _age),
)
FACET_NAMES = tuple(facet.parameter for facet in FACETS)
#: Parameters besides the facets: the text filter, the language of names, the format.
OTHER_PARAMETERS = ("q", "lang", "format")
#: The six UN languages, as the site's switch offers them (names have English and Chinese;
#: the others show the English).
LANGUAGES = ("en", "zh", "fr", "es", "ru", "ar")


@dataclass(frozen=True)
class Selection:
    """The filters a request asks for."""

    chosen: dict[str, str]
    text: str = ""

    def keeps(self, mandate: Mandate, today: date, leaving_out: str | None = None) -> bool:
        for facet in FACETS:
            wanted = self.chosen.get(facet.parameter)
            if wanted is None or facet.parameter == leaving_out:
                continue
            if wanted not in {value.key for value in facet.values_of(mandate, today)}:
                return False
        return not self.text or self.text.casefold() in mandate.words


def read_language(arguments: Mapping[str, str], remembered: str = "en") -> str:
    """``lang`` of the query string, else the language the reader chose before (the cookie)."""
    language = arguments.get("lang") or remembered
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ParameterError("lang", f"{language!r} is not a language of the site ({known})")
    return language


def read_selection(
    arguments: Mapping[str, str], mandates: list[Mandate], today: date, extra: tuple[str, ...] = ()
) -> Selection:
    """The filters of a query string, each checked against the values the registry has."""
    for name in arguments:
        if name not in FACET_NAMES + OTHER_PARAMETERS + extra:
            known = ", ".join(FACET_NAMES + OTHER_PARAMETERS + extra)
            raise ParameterError(name, f"not a parameter of this page (known: {known})")
    text = arguments.get("q", "").strip()
    if len(text) > MAX_TEXT_FILTER:
        raise ParameterError("q", f"the text filter is longer than {MAX_TEXT_FILTER} characters")
    chosen: dict[str, str] = {}
    for facet in FACETS:
        wanted = arguments.get(facet.parameter, "").strip()
        if not wanted:
            continue
        known = {v.key for m in mandates for v in facet.values_of(m, today)}
        if facet.parameter == "status":
            known |= {*STATUS_KEYS, NO_STATUS}
        if wanted not in known:
            raise ParameterError(
                facet.parameter, f"{wanted[:120]!r} is not a value of this facet in the registry"
            )
        chosen[facet.parameter] = wanted
    return Selection(chosen, text)


def facet_counts(
    mandates: list[Mandate], selection: Selection, today: date
) -> dict[str, list[FacetValue]]:
    """Each facet's values with the number of mandates the other filters leave, most first."""
    counted: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        names: dict[str, Name] = {}
        for mandate in mandates:
            values = facet.values_of(mandate, today)
            for value in values:
                names.setdefault(value.key, value.name)
            if not selection.keeps(mandate, today, leaving_out=facet.parameter):
                continue
            for key in {value.key for value in values}:
                counts[key] = counts.get(key, 0) + 1
        values = [FacetValue(key, names[key], counts.get(key, 0)) for key in names]
        counted[facet.parameter] = sorted(values, key=lambda v: (-v.count, v.name.en.casefold()))
    return counted
