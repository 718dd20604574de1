"""The front page of an Executive Board progress report, as the tests' reports open: symbol,
body, session, dates, agenda item, title. Every report built on it is written for testing."""

from __future__ import annotations


def english_front(symbol: str, session: str, nairobi_dates: str, item: int) -> str:
    """``session`` as ``First session of 2030``; ``nairobi_dates`` as ``5–7 March 2030``."""
    return (
        f"{symbol}\n"
        "Executive Board of the United Nations Human Settlements Programme\n"
        f"{session}\n"
        f"Nairobi, {nairobi_dates}\n"
        f"Item {item} of the provisional agenda\n"
        "Progress in the implementation of resolutions\n\n"
        "Report of the Executive Director\n\n"
    )


def chinese_front(symbol: str, session: str, nairobi_dates: str, item: int) -> str:
    """``session`` as ``2030年第一次会议``; ``nairobi_dates`` as ``2030年3月5日至7日``."""
    return (
        f"{symbol}\n"
        "联合国人类住区规划署执行局\n"
        f"{session}\n"
        f"{nairobi_dates}，内罗毕\n"
        f"临时议程项目{item}\n"
        "执行情况\n\n"
        "执行主任的报告\n\n"
    )
