"""The clauses that qualify a request: deadline, reporting requirement, resources, end clause.

Each finder reads one passage and returns what it says as written, with the value a registry
needs: the deadline's last day ("by the end of 2025" is 2025-12-31, "于2043年底前" 2043-12-31),
the organ and session a report is due to ("to the Executive Board at its second session of
2024" is the Board's 2024/2; "提交人居大会第四届会议" the Assembly's 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from habitat_kg.graph.parse.dates import find_dates
from habitat_kg.graph.parse.numerals import CHINESE_NUMERAL_CHARS, chinese_numeral, english_ordinal
from habitat_kg.graph.resolution.model import Reporting

_ORDINAL = r"(?P<ordinal>[a-z]+(?:-[a-z]+)?)"
REPORTING_EN = re.compile(
    r"\b(?:to|before|with)\s+the\s+(?P<organ>(?:(?:United\s+Nations\s+Habitat|UN-Habitat)\s+)?"
    r"Assembly|Executive\s+Board)(?:\s+of\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?"
    r"\s*,?\s+at\s+its\s+" + _ORDINAL + r"\s+(?:regular\s+|resumed\s+)?session"
    r"(?:\s+(?:of|in)\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_ZH_NUMBER = "[" + CHINESE_NUMERAL_CHARS + r"\d]+"
REPORTING_ZH = re.compile(
    r"(?:向|提交(?:给|至)?|提请|在)(?:联合国)?(?:人居署)?(?P<organ>人居大会|执行局)"
    r"(?:在|于)?其?(?:(?P<year>\d{4})\s*年)?(?:第(?P<number>" + _ZH_NUMBER + r")|(?P<next>下一?))"
    r"(?:届|次)(?:常会|会议|届会)"
)
# "在人居大会第四届会议上" is a report only when the clause reports or submits.
_ZH_REPORT_VERB = re.compile(r"报告|提交|介绍|汇报")

RESOURCES_EN = re.compile(
    r"\b(?:within|from)\s+(?:the\s+)?(?:limits\s+of\s+)?(?:available|existing)\s+resources"
    r"|\bsubject\s+to\s+the\s+availability\s+of\s+(?:extrabudgetary\s+|additional\s+)?"
    r"(?:resources|funding|funds)"
    r"|\bthrough\s+(?:voluntary\s+contributions|extrabudgetary\s+resources)",
    re.IGNORECASE,
)
RESOURCES_ZH = re.compile(
    r"在(?:现有|可用)资源(?:范围内|限度内)|利用现有资源"
    r"|在(?:有|获得|具备)(?:可用的?)?预算外资源的?(?:情况下|前提下|条件下)"
    r"|视(?:是否有|能否获得|可否获得)?(?:预算外)?资源(?:的)?(?:供应|到位)?(?:情况)?(?:而定)?"
    r"|在(?:现有|可用)?(?:预算外)?资源(?:允许|可用|到位)的?(?:情况下|范围内)|通过自愿捐款"
)

END_CLAUSE_EN = re.compile(
    r"\bfor\s+an?\s+(?:initial\s+)?period\s+of\s+[\w-]+\s+(?:years?|months?)"
    r"|\breview\s+(?:its|their)\s+(?:continuation|extension)"
    r"|\b(?:shall|will)\s+(?:expire|lapse|cease\s+to\s+(?:exist|have\s+effect))"
    r"|\bsunset\s+clause",
    re.IGNORECASE,
)
END_CLAUSE_ZH = re.compile(
    r"(?:初步)?为期" + _ZH_NUMBER + r"(?:年|个月)|届满|审查(?:是否|其)(?:延续|继续|延长)"
    r"|(?:到期|期满)后?(?:终止|失效)|(?:终止|失效)日期|\d{4}\s*年(?:底)?(?:为止|止)"
)
# A clause covering the whole text: "Decides to review the present resolution at its sixth
# session", "决定在第五届会议上审查本决议的执行情况及其存续".
TEXT_END_CLAUSE_EN = re.compile(
    r"\b(?:review|reconsider)\b[^;.]{0,80}?\bthe\s+present\s+(?:resolution|decision)"
    r"|\bthe\s+present\s+(?:resolution|decision)\s+(?:shall|will)\s+"
    r"(?:expire|lapse|remain\s+in\s+force\s+until|be\s+reviewed)",
    re.IGNORECASE,
)
TEXT_END_CLAUSE_ZH = re.compile(
    r"(?:审查|审议|复审)本(?:决议|决定)|本(?:决议|决定)(?:的)?(?:有效期|将于|应于[^，。；]*(?:审查|终止))"
)

_EN_DEADLINE_MARK = re.compile(r"^(?:by|until)\b", re.IGNORECASE)
_EN_BEFORE_DEADLINE = re.compile(r"(?:no|not)\s+later\s+than\s*$|\bbefore\s*$", re.IGNORECASE)
_ZH_AFTER_DEADLINE = re.compile(r"^(?:年?底)?(?:之|以)?前")
_ZH_BEFORE_DEADLINE = re.compile(r"(?:(?:至迟|不迟|最迟)于|到)\s*$")


@dataclass(frozen=True)
class Deadline:
    day: date
    written: str


def find_reporting(
    text: str, language: str, own_organ: str | None, own_session: str | None
) -> Reporting | None:
    """The organ and session a report is due to, or None when the text names no session."""
    if language == "zh":
        for match in REPORTING_ZH.finditer(text):
            if match.group(0).startswith("在") and not _ZH_REPORT_VERB.search(
                text[match.end() : match.end() + 30]
            ):
                continue
            organ = "ha" if match["organ"] == "人居大会" else "eb"
            number = None if match["next"] else _zh_number(match["number"])
            return Reporting(
                organ,
                _session(organ, number, match["year"], own_organ, own_session),
                match.group(0),
            )
        return None
    match = REPORTING_EN.search(text)
    if match is None:
        return None
    organ = "eb" if "board" in match["organ"].lower() else "ha"
    ordinal = match["ordinal"].lower()
    number = None if ordinal == "next" else _english_ordinal(ordinal)
    if number is None and ordinal != "next":
        return None
    return Reporting(
        organ, _session(organ, number, match["year"], own_organ, own_session), match.group(0)
    )


def _zh_number(text: str) -> int:
    return int(text) if text.isdigit() else chinese_numeral(text)


def _english_ordinal(word: str) -> int | None:
    try:
        return english_ordinal(word)
    except ValueError:
        return None


def _session(
    organ: str, number: int | None, year: str | None, own_organ: str | None, own_session: str | None
) -> str | None:
    if number is None:
        # "at its next session": the Assembly's next is known from its own session number;
        # the Board meets more than once a year, so its next session is left open.
        if organ == "ha" and own_organ == "ha" and own_session and own_session.isdigit():
            return str(int(own_session) + 1)
        return None
    if organ == "eb":
        return f"{year}/{number}" if year else None
    return str(number)


def find_deadline(text: str, language: str) -> Deadline | None:
    """The first date written as a deadline ("by …", "…前"); other dates (a session's year,
    "in 2025") are not deadlines."""
    for expression in find_dates(text, language=language):
        begin, end = expression.offset, expression.offset + len(expression.text)
        if language == "en":
            marked = _EN_DEADLINE_MARK.match(expression.text) or _EN_BEFORE_DEADLINE.search(
                text[:begin]
            )
            written = expression.text
        else:
            suffix = _ZH_AFTER_DEADLINE.match(text[end:])
            marked = (
                expression.text.endswith("前") or suffix or _ZH_BEFORE_DEADLINE.search(text[:begin])
            )
            written = expression.text + (suffix.group(0) if suffix else "")
        if marked:
            return Deadline(expression.end, written)
    return None


def find_resources(text: str, language: str) -> str | None:
    """The resources clause as written, or None."""
    match = (RESOURCES_ZH if language == "zh" else RESOURCES_EN).search(text)
    return match.group(0) if match else None


def find_end_clause(text: str, language: str) -> str | None:
    """The paragraph's own review or end clause, as written, or None."""
    match = (END_CLAUSE_ZH if language == "zh" else END_CLAUSE_EN).search(text)
    return match.group(0) if match else None


def covers_whole_text(text: str, language: str) -> str | None:
    """A review or end clause for the whole resolution or decision, as written, or None."""
    match = (TEXT_END_CLAUSE_ZH if language == "zh" else TEXT_END_CLAUSE_EN).search(text)
    return match.group(0) if match else None
