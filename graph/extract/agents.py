"""Who acts in a passage: UN-Habitat's units, and partners with the role the wording gives them.

Units (category "unit") are the activity's hkg:responsibleUnit, also when the text refers back
to one with "the Unit", "the Section", 该股, 该科 ... (the unit of that kind named last in the same
section).  Other organizations are partners; their role comes from the words around the name:

* co-organizer: "co-organized with", "jointly with", "X hosted", 与……共同举办/联合举办/合作举办;
* funder: "funded by", "with funding from", "contribution from", 由……供资, 资助;
* participant: "attended by", "with the participation of", X参加;
* participant: also "submitted to X" / 提交X (the working group or bureau a document goes to
  to prepare a session; the Board or the Assembly themselves only receive it), and a governing
  body that "took note of" or "considered" / 注意到, 审议 what was presented at its session;
* presenter: "presented by X", "X presented/introduced/briefed", X介绍了, X……所作的介绍;
* board-member: "X is a member of the board of", X是……理事会成员;
* partner: "in partnership with", "with", 与……合作, and any other organization named; a
  country that works with UN-Habitat ("Mexico and South Africa have begun working with
  UN-Habitat", 墨西哥和南非已开始与人居署接触): its government is the partner.

UN-Habitat itself is never its own partner, and governing bodies (the Board, the Assembly) and
posts (the Executive Director) are partners only where the wording gives them a role.  Roles
with a shortcut property (hkg:partner, hkg:funder, hkg:participant) use it; the others
(co-organizer, presenter, board-member) are a qualified association with that role, the way
the curated file writes them.
"""

from __future__ import annotations

import re

from rdflib import RDF, URIRef

from habitat_kg.graph.extract.context import PassageContext
from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.namespaces import HKG, ID, PROV, ROLE
from habitat_kg.tables import load_table

UN_HABITAT = ID["org/un-habitat"]
# UN-Habitat as a whole (its secretariat) acts through units; it is not one of them.
_WHOLE = (HKG.Secretariat,)
_PARTNER_CATEGORIES = ("un-entity", "government", "ngo", "university", "organization")

# English cues before a name (the nearest one in the sentence applies to it).
_EN_BEFORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "co-organizer",
        re.compile(
            r"co-?organi[sz]ed (?:jointly )?(?:with|by)|co-?hosted (?:with|by)|jointly with"
            r"|organi[sz]ed jointly with|hosted by|in co-organi[sz]ation with",
            re.I,
        ),
    ),
    (
        "funder",
        re.compile(
            r"funded by|financed by|sponsored by|with (?:an? |the )?(?:\w+ )?(?:funding|financing|"
            r"financial support|grant|contribution|contributions) (?:from|of)",
            re.I,
        ),
    ),
    ("presenter", re.compile(r"presented by|introduced by|(?:a )?briefing by|briefed by", re.I)),
    (
        "participant",
        re.compile(
            r"attended by|with the participation of|participants from|representatives of"
            r"|together with participants from",
            re.I,
        ),
    ),
    (
        "partner",
        re.compile(
            r"in (?:close )?(?:partnership|collaboration|cooperation|consultation) with"
            r"|together with|\bwith\b|supported by",
            re.I,
        ),
    ),
)
# English cues right after a name: "The City of Kigali hosted", "X has offered to host".
_EN_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "co-organizer",
        re.compile(
            r"^,?\s+(?:has |have |had |also |will )?(?:offered to host|agreed to host|hosted|"
            r"host|co-?hosted|co-?organi[sz]ed|co-?organi[sz]es|organi[sz]ed)\b",
            re.I,
        ),
    ),
    ("funder", re.compile(r"^,?\s+(?:has |have |also )?(?:funded|financed|sponsored)\b", re.I)),
    (
        "presenter",
        re.compile(r"^,?\s+(?:has |have |had |also )?(?:presented|introduced|briefed)\b", re.I),
    ),
    (
        "board-member",
        re.compile(r"^,?\s+(?:is|was|sits) (?:a member of|on) (?:the|its) board\b", re.I),
    ),
    (
        "participant",
        re.compile(
            r"^,?\s+(?:has |have |also )?(?:participated|took part|attended|took note of"
            r"|considered)\b",
            re.I,
        ),
    ),
)
_ZH_AFTER: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("funder", re.compile(r"供资|资助|出资|捐助|提供(?:了)?(?:资金|经费|预算外支助)")),
    (
        "co-organizer",
        re.compile(
            r"共同举办|联合举办|共同主办|联合主办|共同组织|联合组织|合作举办|共同组织方|承办|主办"
        ),
    ),
    ("participant", re.compile(r"参加|出席|参与了|参与该|参与此|^注意到|^审议了")),
    ("presenter", re.compile(r"^(?:向[^，。]{1,10})?(?:简要)?介绍了|所作的介绍|作了介绍")),
    ("board-member", re.compile(r"^是[^，。]{0,12}(?:理事会|董事会)成员")),
)
_ZH_SUBMITTED_TO = re.compile(r"提交(?:给)?$")
_EN_SUBMITTED_TO = re.compile(r"\bsubmitted to (?:the )?$", re.I)
#: Roles with no shortcut property: a qualified association with the role.
_QUALIFIED_ROLES = ("co-organizer", "presenter", "board-member")
_ZH_CLAUSE = re.compile(r"[，,。；;：:]")

# "the Unit", 该股 ...: the head word of a unit's name, and how the text refers back to it.
_UNIT_HEADS = load_table("habitat_kg.graph.extract", "words")["unit_heads"]
_HEADS: dict[str, tuple[str, str]] = {head: (en, zh) for head, (en, zh) in _UNIT_HEADS.items()}
_EN_BACK = re.compile(r"\b[Tt]he (" + "|".join(en for en, _ in _HEADS.values()) + r")\b(?! of)")
_ZH_BACK = re.compile("该(" + "|".join(zh for _, zh in _HEADS.values()) + ")")


def _head(match: EntityMatch) -> str | None:
    name = match.text.strip()
    for head, (english, chinese) in _HEADS.items():
        if name.endswith(english) or name.endswith(chinese):
            return head
    return None


# Where a unit is placed, not what it does: 该股设在方案发展处, "the Unit sits in the Branch".
_ZH_PLACED_IN = re.compile(r"(?:设在|设于|隶属于|隶属)$")
_EN_PLACED_IN = re.compile(r"\b(?:sits|is (?:located|placed|housed|situated)) (?:in|within) the $")


def propose_units(context: PassageContext) -> None:
    """hkg:responsibleUnit for every unit named, or referred back to, in the passage, but not
    for the unit another one is placed in."""
    named: list[EntityMatch] = []
    placed_in = _ZH_PLACED_IN if context.chinese else _EN_PLACED_IN
    for match in context.entities:
        if match.category != "unit" or match.entity == UN_HABITAT or match.rdf_type in _WHOLE:
            continue
        if placed_in.search(context.text, max(0, match.start - 30), match.start):
            continue
        named.append(match)
        context.propose(
            "unit",
            HKG.responsibleUnit,
            match.entity,
            (match.start, match.end),
            min(0.9, match.confidence),
            "unit.named",
        )
    pattern = _ZH_BACK if context.chinese else _EN_BACK
    for back in pattern.finditer(context.text):
        wanted = next(h for h, words in _HEADS.items() if back.group(1) in words)
        earlier = [*context.section_units, *(m for m in named if m.end <= back.start())]
        target = next((m for m in reversed(earlier) if _head(m) == wanted), None)
        if target is not None:
            context.propose(
                "unit", HKG.responsibleUnit, target.entity, back.span(), 0.7, "unit.referred-back"
            )


def role_of(context: PassageContext, match: EntityMatch) -> tuple[str, float, str]:
    """The role the wording gives ``match``: (role, confidence, rule)."""
    text = context.text
    if match.rdf_type in _MEETING_BODIES and _meets(context, match):
        return "participant", 0.8, "role.body-meets"
    submitted = _ZH_SUBMITTED_TO if context.chinese else _EN_SUBMITTED_TO
    if match.rdf_type != HKG.GoverningBody and submitted.search(
        text, max(0, match.start - 20), match.start
    ):
        return "participant", 0.8, "role.submitted-to"
    if context.chinese:
        clause_end = _ZH_CLAUSE.search(text, match.end)
        after = text[match.end : clause_end.start() if clause_end else len(text)]
        for role, pattern in _ZH_AFTER:
            if pattern.search(after):
                return role, 0.8, f"role.zh-{role}"
        return (
            "partner",
            0.7 if re.search(r"[与同和及]", text[max(0, match.start - 12) : match.start]) else 0.55,
            "role.zh-partner",
        )
    after = text[match.end : match.end + 40]
    for role, pattern in _EN_AFTER:
        if pattern.search(after):
            return role, 0.8, f"role.en-after-{role}"
    start, _ = context.sentence_of(match.start)
    window = text[max(start, match.start - 160) : match.start]
    inherited = _role_of_list(context, match, window)
    return inherited or _cued_role(window)


#: Bodies whose own meeting is the activity: the Board's Bureau, a working group.
_MEETING_BODIES = (HKG.Bureau, HKG.WorkingGroup)
_EN_MEETING_OF = re.compile(r"\bmeeting of the (?:newly elected )?$", re.I)


def _meets(context: PassageContext, match: EntityMatch) -> bool:
    """执行局主席团会议, "the meeting of the Bureau", "the working group met"."""
    text = context.text
    if context.chinese:
        return text.startswith("会议", match.end)
    before = _EN_MEETING_OF.search(text, max(0, match.start - 40), match.start)
    return before is not None or re.match(r"\s+(?:met|meets|will meet)\b", text[match.end :])


def _own_role(context: PassageContext, match: EntityMatch) -> tuple[str, float, str]:
    """The role the words around ``match`` give it, not inherited from a list."""
    after = context.text[match.end : match.end + 40]
    for role, pattern in _EN_AFTER:
        if pattern.search(after):
            return role, 0.8, f"role.en-after-{role}"
    start, _ = context.sentence_of(match.start)
    return _cued_role(context.text[max(start, match.start - 160) : match.start])


def _cued_role(window: str) -> tuple[str, float, str]:
    best: tuple[int, int, str] | None = None
    for role, pattern in _EN_BEFORE:
        for cue in pattern.finditer(window):
            # The nearest cue wins; at the same place the longer (more specific) one.
            key = (cue.end(), cue.end() - cue.start())
            if best is None or key > best[:2]:
                best = (*key, role)
    if best is None:
        return "partner", 0.5, "role.en-default"
    return best[2], 0.8 if best[2] != "partner" else 0.7, f"role.en-{best[2]}"


_JOINED = re.compile(r"(?:,|\band)\s+(?:the\s+)?$")


def _role_of_list(
    context: PassageContext, match: EntityMatch, window: str
) -> tuple[str, float, str] | None:
    """A name joined by "and" or a comma to an earlier one takes that one's role ("with A and
    B"): the chain is followed back to its first name, whose own words give the role."""
    if not _JOINED.search(window):
        return None
    head = match
    while True:
        earlier = context.previous_entity(head)
        if (
            earlier is None
            or earlier.category not in _PARTNER_CATEGORIES
            or head.start - earlier.end >= 12
        ):
            break
        head = earlier
        if not _JOINED.search(context.text[max(0, head.start - 12) : head.start]):
            break
    if head is match:
        return None
    role, confidence, rule = _own_role(context, head)
    return role, confidence - 0.05, rule


def propose_partners(context: PassageContext) -> list[tuple[EntityMatch, str]]:
    """A role link for every organization that is not UN-Habitat or a governing body."""
    found: list[tuple[EntityMatch, str]] = []
    for match in context.entities:
        if match.entity == UN_HABITAT:
            continue
        governing = match.category in ("governing-body", "post")
        if match.category not in _PARTNER_CATEGORIES and not governing:
            continue
        if _part_of_a_name(context, match):
            continue
        role, confidence, rule = role_of(context, match)
        if governing and (role == "partner" or confidence < 0.8):
            continue
        confidence = min(confidence, match.confidence)
        span = (match.start, match.end)
        found.append((match, role))
        if role in _QUALIFIED_ROLES:
            association = URIRef(f"{context.activity}/association/{_local(match.entity)}")
            context.propose(
                "partner", PROV.agent, match.entity, span, confidence, rule, association
            )
            context.propose(
                "entity", PROV.qualifiedAssociation, association, span, confidence, rule
            )
            context.propose(
                "entity", RDF.type, PROV.Association, span, confidence, rule, association
            )
            context.propose("entity", PROV.hadRole, ROLE[role], span, confidence, rule, association)
        else:
            predicate = {"funder": HKG.funder, "participant": HKG.participant}.get(
                role, HKG.partner
            )
            context.propose("partner", predicate, match.entity, span, confidence, rule)
    return found


# A country as the one that works with UN-Habitat, alone or in a list of countries.
_ZH_WORKS_WITH = re.compile(
    r"(?:[和、及][^，。；：与]{1,12}?)?(?:已经|已|也|还)?(?:开始)?(?:与|同)人居署"
    r"(?:接触|合作|协作|联系)"
)
_EN_WORKS_WITH = re.compile(
    r"(?:,? (?:and )?[A-Z][\w' -]{1,30}?)?,? (?:has|have) (?:also )?(?:started|begun|been)"
    r" (?:working|engaging|to work|to engage|in contact) with UN-Habitat"
)


def propose_country_partners(context: PassageContext) -> None:
    """hkg:partner for a country said to work with UN-Habitat (its government)."""
    pattern = _ZH_WORKS_WITH if context.chinese else _EN_WORKS_WITH
    for match in context.entities:
        if match.category != "country" or not pattern.match(context.text, match.end):
            continue
        span = (match.start, match.end)
        context.propose("partner", HKG.partner, match.entity, span, 0.65, "role.country-works-with")


def _part_of_a_name(context: PassageContext, match: EntityMatch) -> bool:
    """True for the parent in "Fourah Bay College of the University of Sierra Leone", and for
    a body that only says where people come from (来自东非共同体5个伙伴国的官员)."""
    if context.chinese:
        return context.text[max(0, match.start - 2) : match.start] == "来自"
    previous = context.previous_entity(match)
    if previous is None or previous.category == "unit":
        return False
    return re.fullmatch(r"\s+of(?: the)?\s+", context.text[previous.end : match.start]) is not None


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
