"""The front page of an Executive Board progress report, as the tests' reports open: symbol,
body, session, dates, agenda item, title. Every report built on it is written for testing."""

from __future__ import annotations

#: In each language: the body, the place and dates, the agenda item, the title, the report.
_WORDING = {
    "en": (
        "Executive Board of the United Nations Human Settlements Programme",
        "Nairobi, {}",
        "Item {} of the provisional agenda",
        "Progress in the implementation of resolutions",
        "Report of the Executive Director",
    ),
    "zh": (
        "联合国人类住区规划署执行局",
        "{}，内罗毕",
        "临时议程项目{}",
        "执行情况",
        "执行主任的报告",
    ),
}


def front_page(language: str, symbol: str, session: str, nairobi_dates: str, item: int) -> str:
    """``session`` as ``First session of 2030`` / ``2030年第一次会议``; ``nairobi_dates`` as
    ``5–7 March 2030`` / ``2030年3月5日至7日``."""
    body, place, agenda, title, report = _WORDING[language]
    lines = (symbol, body, session, place.format(nairobi_dates), agenda.format(item), title)
    return "\n".join(lines) + f"\n\n{report}\n\n"
