"""From operative paragraphs to mandates: what each paragraph does and whom it asks to act.

A paragraph is a mandate when its action asks someone to act (the ``requesting`` collection of
the action scheme) and it names whom: welcoming, taking note, endorsing, adopting, the organ
deciding on its own agenda, and a chapeau whose sub-paragraphs carry the requests are not.
Sub-paragraphs without a verb of their own continue their chapeau: they take its action,
addressees, resources clause and end clause.
"""

from __future__ import annotations

import re
from dataclasses import replace

from habitat_kg.graph.resolution.actions import find_action, requesting_actions
from habitat_kg.graph.resolution.addressees import find_addressees
from habitat_kg.graph.resolution.clauses import (
    covers_whole_text,
    find_deadline,
    find_end_clause,
    find_reporting,
    find_resources,
)
from habitat_kg.graph.resolution.model import Addressee, Operative, OperativeText, ResolutionText

_EN_INFINITIVE = re.compile(r"\bto\s+(?=[a-z])")
_EN_THAT = re.compile(r"^that\s+", re.IGNORECASE)
_EN_SUB_OPENING = re.compile(r"^to\s+", re.IGNORECASE)
_ZH_SHALL = re.compile(r"^\s*(?:应|应当|须|将)")
_TRAILING = " \t;；.。:：,，"
_EN_REPORT_TAIL = re.compile(r",?\s+and\s+to\s+(?:report|present|submit)\b")
_EN_IN_A_POSITION = re.compile(r"^\s*in\s+a\s+position\s+to\s+do\s+so\b")
_ZH_REPORT_TAIL = re.compile(r"[，,]?并(?:向|提交|在)")


def analyse(text: ResolutionText) -> tuple[Operative, ...]:
    """Every operative paragraph and sub-paragraph of ``text``, analysed, in source order."""
    whole = _whole_text_clause(text)
    found: list[Operative] = []
    for paragraph in text.operative:
        own = _analyse(paragraph, text, None)
        found.append(_with_text_clause(own, whole))
        for sub in paragraph.subparagraphs:
            found.append(_with_text_clause(_analyse(sub, text, own), whole))
    return tuple(found)


def _whole_text_clause(text: ResolutionText) -> tuple[str, str] | None:
    for passage in text.passages():
        clause = covers_whole_text(passage.text, text.language)
        if clause is not None:
            return passage.key, clause
    return None


def _with_text_clause(operative: Operative, whole: tuple[str, str] | None) -> Operative:
    if whole is None:
        return operative
    key, _ = whole
    if operative.is_mandate or operative.key == key:
        return replace(operative, text_end_clause=key)
    return operative


def _analyse(passage: OperativeText, text: ResolutionText, chapeau: Operative | None) -> Operative:
    language = text.language
    body = passage.text
    action = find_action(body, language)
    addressees: tuple[Addressee, ...] = ()
    rest_at = 0
    if action is not None:
        rest_at = action.end
        addressees, rest_at = _addressees(body, rest_at, action.name, language)
    elif chapeau is not None:
        addressees = chapeau.addressees
    name = action.name if action is not None else (chapeau.action if chapeau else None)
    reporting = find_reporting(body, language, text.organ, text.session)
    deadline = find_deadline(body, language)
    resources = find_resources(body, language) or (chapeau.resources if chapeau else None)
    end_clause = find_end_clause(body, language) or (chapeau.end_clause if chapeau else None)
    is_chapeau = bool(passage.subparagraphs)
    asks = name in requesting_actions() or (name == "decides" and bool(addressees))
    return Operative(
        passage=passage,
        action=name,
        addressees=addressees,
        object=_object(
            body[rest_at:], bool(addressees), (resources, deadline and deadline.written), language
        ),
        is_mandate=asks and bool(addressees) and not is_chapeau,
        deadline=deadline.day if deadline else None,
        deadline_text=deadline.written if deadline else None,
        reporting=reporting,
        resources=resources,
        end_clause=end_clause,
        chapeau=is_chapeau,
    )


def _addressees(
    body: str, at: int, action: str, language: str
) -> tuple[tuple[Addressee, ...], int]:
    """Whom the verb addresses; "Decides that the Executive Director shall …" names someone,
    "Decides to include … in its agenda" does not (the organ acts on itself)."""
    if action == "decides":
        if language == "en":
            that = _EN_THAT.match(body[at:])
            if that is None:
                return (), at
            match = find_addressees(body, at + that.end(), language)
            known = tuple(a for a in match.addressees if a.key is not None)
            return (known, match.end) if known else ((), at)
        match = find_addressees(body, at, language)
        known = tuple(a for a in match.addressees if a.key is not None)
        if known and _ZH_SHALL.match(body[match.end :]):
            return known, match.end
        return (), at
    if action not in requesting_actions():
        return (), at
    match = find_addressees(body, at, language)
    return match.addressees, match.end


def _object(rest: str, addressed: bool, clauses: tuple[str | None, ...], language: str) -> str:
    """What is asked or acted on, without the verb, the addressees, the resources clause, the
    deadline and a trailing request to report (kept where reporting is all that is asked)."""
    for clause in clauses:
        if clause:
            escaped = re.escape(clause)
            rest = re.sub(r",\s*" + escaped + r"\s*,\s*", " ", rest)
            rest = re.sub(r"[于在]?" + escaped, "", rest)
    if language == "en":
        rest = _EN_IN_A_POSITION.sub("", rest)
        if addressed and (match := _EN_INFINITIVE.search(rest)) is not None:
            rest = rest[match.end() :]
        rest = _EN_REPORT_TAIL.split(rest, maxsplit=1)[0]
        rest = _EN_SUB_OPENING.sub("", rest.strip(_TRAILING))
        rest = re.sub(r"\s*,(?:\s*,)+|,\s+and\s+(?=in\b)", ", ", rest)
        rest = re.sub(r"\s{2,}", " ", rest)
    else:
        rest = _ZH_REPORT_TAIL.split(rest, maxsplit=1)[0]
        rest = rest.lstrip("，,")
    return rest.strip(_TRAILING)
