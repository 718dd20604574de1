"""How far the passage's activity has got, from the wording of its verbs.

Cues are matched in order of strength: a postponement or a lack of progress says more about the
activity than the auxiliary verbs around it ("has been postponed" is postponed, not completed;
"No progress has been made" is no progress).  Once a strong cue is found the passage's status
is that; otherwise the first cue in the text gives it (the main clause usually comes first).
The shapes allow one status per activity, so one is proposed.
"""

from __future__ import annotations

import re

from habitat_kg.graph.extract.context import PassageContext, SpanMask
from habitat_kg.namespaces import HKG, STATUS

_EN_PAST_VERBS = (
    "held|hosted|launched|completed|established|organi[sz]ed|presented|met|"
    "contributed|reviewed|finali[sz]ed|submitted|informed|approved|published|released|signed|"
    "conducted|convened|delivered|trained|attended|commissioned|carried out|took part|"
    "participated|started|began|set up|produced|issued|received|agreed|decided|noted"
)
# A past participle used as an adjective ("resolutions adopted by", "a session held in") is
# followed by a preposition; a verb in the simple past is followed by its object.
_PARTICIPLE_NEXT = r"(?! (?:by|in|at|on|under|from|for|during|to|with|within|as)\b)"

# (status, pattern, strong): strong statuses win over any other cue in the passage.
_ENGLISH: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # Says nothing happened to an amount, not how the activity stands: consumes the words.
    ("", re.compile(r"\b(?:none|nothing) (?:has|have) been \w+", re.I), False),
    ("stalled", re.compile(r"\bno further progress\b", re.I), True),
    (
        "postponed",
        re.compile(
            r"\b(?:(?:has|have|had|was|were|is|are|been|be) )*(?:postponed|delayed|deferred|"
            r"rescheduled|put on hold)\b",
            re.I,
        ),
        True,
    ),
    (
        "no-progress",
        re.compile(
            r"\bno progress\b(?: (?:has|have) been made)?|\b(?:has|have) not (?:yet )?"
            r"(?:started|begun|been (?:started|launched|established|possible|made|achieved))"
            r"|\bcould not\b|\bwas unable to\b|\bwere unable to\b|\bnot yet (?:started|begun)\b",
            re.I,
        ),
        True,
    ),
    (
        "planned",
        re.compile(
            r"\b(?:has|have) (?:offered|agreed|committed|undertaken|decided) to\b"
            r"|\bwill\b|\bshall\b|\bplans? to\b|\b(?:is|are) (?:planned|scheduled|expected|due|"
            r"to be)\b|\bto be (?:piloted|held|launched|finali[sz]ed|organi[sz]ed|circulated)\b"
            r"|\bupcoming\b|\bforthcoming\b",
            re.I,
        ),
        False,
    ),
    (
        "ongoing",
        re.compile(
            r"\b(?:is|are) being \w+|\b(?:is|are) (?:currently )?\w+ing\b|\bcontinues?\b|"
            r"\bcontinued\b|\bongoing\b|\bunder way\b|\bunderway\b|\bin progress\b|"
            r"\bworks with\b|\bwork with\b",
            re.I,
        ),
        False,
    ),
    (
        "completed",
        re.compile(
            r"\b(?:has|have|had) (?!not\b)(?:been )?\w+(?:ed|en|t|wn|ne)\b"
            r"|\b(?:was|were) (?!not\b)\w+(?:ed|en|t|wn)\b"
            r"|\b(?:" + _EN_PAST_VERBS + r")\b" + _PARTICIPLE_NEXT,
            re.I,
        ),
        False,
    ),
)

_CHINESE: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("stalled", re.compile(r"没有(?:任何)?进一步(?:的)?进展|无进一步(?:的)?进展"), True),
    ("postponed", re.compile(r"(?:已经|已)?(?:推迟|延期|延后|改期|暂停)"), True),
    (
        "no-progress",
        re.compile(
            r"未能|没有(?:取得)?(?:任何)?进展|无进展|尚未(?:开始|启动|取得|落实|筹集|收到|完成|开展)"
            r"|未(?:开始|启动|取得进展)"
        ),
        True,
    ),
    (
        "planned",
        re.compile(
            r"(?<!即)将(?=于|在|会|要|与|为|由|向|对|根据|通过|继续|进一步|举办|举行|召开|推出|"
            r"提供|开展|制定|编写|建立|发布|启动|安排|提交|组织|开发|成为|整合|加强|支持|突出|指导|"
            r"确保|旨在|是|作为|需要|进行|包括|建立|得到)"
            r"|计划(?=于|在|将|举办|开展|推出)|拟(?:于|在)|预计|定于|即将举行"
        ),
        False,
    ),
    (
        "ongoing",
        re.compile(r"正在|目前正|仍在|继续|(?<!可)持续(?!的|发展)|进行中|不断|(?:已经|已)开始"),
        False,
    ),
    (
        "completed",
        re.compile(r"已经|已|完成|(?<![为除])了(?![解])|成功举办|成功举行|注意到|(?<!有人)指出"),
        False,
    ),
)


# A passage about the report itself, or an item of the list of acts it covers: nothing is done.
_ABOUT_THE_REPORT = re.compile(
    r"^\s*(?:本报告|本文件|The present report|This report|The report)"
    r"|^\s*(?:关于.{0,80})?第\s*\d+/\d+\s*号(?:决议|决定)[；;。.]?\s*$"
    r"|^\s*(?:Resolution|Decision)s? \d+/\d+[^.;]{0,160}[;.]?\s*$",
    re.I,
)


def describes_the_report(text: str) -> bool:
    """True for "The present report outlines ..." and the items of its list of acts."""
    return bool(_ABOUT_THE_REPORT.search(text))


#: A status cue: (start, end, status, strong).
Cue = tuple[int, int, str, bool]


def status_cues(text: str, chinese: bool) -> list[Cue]:
    """The status cues of ``text`` in text order; a stronger cue claims its words first."""
    if describes_the_report(text):
        return []
    taken = SpanMask(len(text))
    found: list[Cue] = []
    for status, pattern, strong in _CHINESE if chinese else _ENGLISH:
        for match in pattern.finditer(text):
            span = match.span()
            if taken.covers(span):
                continue
            taken.claim(*span)
            found.append((span[0], span[1], status, strong))
    return sorted(cue for cue in found if cue[2])


def propose_status(context: PassageContext) -> None:
    found = status_cues(context.text, context.chinese)
    if not found:
        return
    strong = [cue for cue in found if cue[3]]
    start, end, status, _ = strong[0] if strong else found[0]
    confidence = 0.8 if strong else (0.75 if len({cue[2] for cue in found}) == 1 else 0.65)
    rule = f"status.{'strong' if strong else 'first'}-{status}"
    context.propose("status", HKG.status, STATUS[status], (start, end), confidence, rule)
