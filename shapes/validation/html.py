"""A validation report as HTML: the same body on the server's page and in a page of its own.

The templates live here (``templates/``): ``_validation_report.html`` is the body, which the
server's ``validate.html`` (``/validate``, extending ``base.html``) and ``validation_page.html``
(``habitat-kg validate --format html``, with the site's stylesheet written in) both include.
Each thing links to its entity page: ``/<path>`` on the server, the IRI itself (which w3id.org
redirects to the server) in a page of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from habitat_kg.namespaces import BASE
from habitat_kg.shapes.validation.render import hidden_line, shown_value, summary_line
from habitat_kg.shapes.validation.report import SEVERITIES, SEVERITY_ZH, Report
from habitat_kg.templates import environment, site_css

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def anchor(iri: str) -> str:
    """A fragment id for a thing on the page, readable from its IRI (``id-org-fao``)."""
    return _UNSAFE.sub("-", iri.removeprefix(BASE)).strip("-") or "thing"


def server_entity_href(iri: str) -> str:
    """The entity page of an IRI on our server: ``https://w3id.org/habitat-kg/id/org/fao`` is
    ``/id/org/fao``; an IRI from elsewhere links to itself."""
    return "/" + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def iri_href(iri: str) -> str:
    """In a page of its own, a thing links to its IRI (blank nodes link nowhere)."""
    return iri if not iri.startswith("_:") else "#"


def report_context(report: Report, entity_href: Callable[[str], str]) -> dict[str, Any]:
    """What the report templates need."""
    return {
        "report": report,
        "entity_href": entity_href,
        "anchor": anchor,
        "severity_zh": SEVERITY_ZH,
        "severities": SEVERITIES,
        "shown_value": shown_value,
        # the engines line goes with the summary: the report's template is the server's
        "summary": f"{summary_line(report)} {report.engines_line().replace('Engine:   ', '')}.",
        "hidden": hidden_line(report),
    }


#: The page of its own is in English with these headings' Chinese beside them (the server's
#: pages take theirs from server/catalogue_pages.py, in the reader's language).
_CHINESE_BESIDE = {
    "Session date": "届会日期",
    "Severity shown": "显示级别",
    "Things with findings": "存在问题的条目",
}


def _english(text: str, **values: object) -> str:
    return text.format(**values) if values else text


def _bilingual(text: str) -> Markup:
    chinese = _CHINESE_BESIDE.get(text)
    beside = Markup(' <span class="zh" lang="zh">{}</span>').format(chinese) if chinese else ""
    return Markup.escape(text) + beside


def _english_first(english: str | None, chinese: str | None) -> tuple[str | None, str | None]:
    return (english or chinese, chinese if english else None)


def standalone_page(report: Report) -> str:
    """The report as one HTML file, with the site's stylesheet in it."""
    template = environment().get_template("validation_page.html")
    words = {"t": _english, "bilingual": _bilingual, "in_language": _english_first, "lang": "en"}
    return template.render(site_css=site_css(), **words, **report_context(report, iri_href))
