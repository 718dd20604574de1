"""A report's review: every proposal of the extractor with the analyst's decision on it.

A :class:`Review` holds one :class:`ReviewItem` per proposal. An item is *pending* until an
analyst accepts, rejects or corrects it; a correction marks the proposal *corrected* and adds
the statement that replaces it, already accepted, which remembers the proposal it revises. A
statement the extractor missed is added as an accepted item of its own. Who decided and when is
kept on every decided item, for the provenance of the curated statements.

Merging a new run of the extractor into a review (``merge``) keeps every decision: a pending
proposal that the extractor no longer makes is dropped, but a decided one never is, and a
decided proposal that it makes again keeps its state, author and time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from rdflib import RDF, Literal, URIRef

from habitat_kg.graph.extract.proposal import KINDS, Proposal
from habitat_kg.namespaces import HKG, report

STATES = ("pending", "accepted", "rejected", "corrected")
#: The rule of a statement an analyst wrote (a correction, or one the extractor missed).
ANALYST_RULE = "analyst"

_PASSAGE_NUMBER = re.compile(r"/paragraph/(\d+)(?:/([a-z]+))?$")


@dataclass(frozen=True)
class ReviewItem:
    """A proposal and what the analyst decided about it."""

    proposal: Proposal
    state: str = "pending"
    by: str | None = None
    #: When it was decided: ISO 8601 in UTC, to the second.
    at: str | None = None
    #: For a corrected proposal: the id of the statement that replaces it.
    replaced_by: str | None = None
    #: For a correction: the id of the proposal it revises.
    revision_of: str | None = None
    #: The extractor's version that proposed it (None for what an analyst wrote).
    extractor: str | None = None

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise ValueError(f"unknown review state {self.state!r}; one of {', '.join(STATES)}")

    @property
    def id(self) -> str:
        return self.proposal.id

    @property
    def kept(self) -> bool:
        """A statement that goes into the curated graph."""
        return self.state == "accepted"


@dataclass
class Review:
    """The proposals of one report and the decisions taken on them, in a stable order."""

    report_id: str
    items: list[ReviewItem]
    #: The report text's language and SHA-256, from the ingest that proposed the items.
    language: str = "en"
    sha256: str = ""

    def __post_init__(self) -> None:
        self.items = sorted_items(self.items)

    def item(self, item_id: str) -> ReviewItem:
        """The item with this id; ValueError naming the report when there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise ValueError(f"report {self.report_id} has no proposal {item_id}")

    def pending(self) -> list[ReviewItem]:
        return [item for item in self.items if item.state == "pending"]

    def accepted(self) -> list[ReviewItem]:
        return [item for item in self.items if item.kept]

    def accept(self, ids: Iterable[str], by: str, at: str | None = None) -> list[ReviewItem]:
        """Accept these proposals (each must be pending or rejected); return the items now."""
        return self._decide(ids, "accepted", by, at)

    def reject(self, ids: Iterable[str], by: str, at: str | None = None) -> list[ReviewItem]:
        """Reject these proposals (each must be pending or accepted); return the items now."""
        return self._decide(ids, "rejected", by, at)

    def accept_passage(self, passage: URIRef, by: str, at: str | None = None) -> list[ReviewItem]:
        """Accept every pending proposal of a paragraph (and of its sub-paragraphs)."""
        prefix = f"{passage}/"
        ids = [
            item.id
            for item in self.pending()
            if item.proposal.passage == passage or str(item.proposal.passage).startswith(prefix)
        ]
        return self.accept(ids, by, at)

    def accept_confident(
        self, min_confidence: float, by: str, at: str | None = None
    ) -> list[ReviewItem]:
        """Accept every pending proposal at or above ``min_confidence``."""
        ids = [item.id for item in self.pending() if item.proposal.confidence >= min_confidence]
        return self.accept(ids, by, at)

    def correct(
        self,
        item_id: str,
        by: str,
        object: URIRef | Literal | None = None,
        predicate: URIRef | None = None,
        at: str | None = None,
    ) -> Proposal:
        """Replace a proposal by the statement the analyst gives; return that statement.

        The proposal is marked corrected (never deleted), so that a later ingest that proposes
        it again does not bring it back as pending.
        """
        original = self.item(item_id)
        if original.state == "corrected":
            raise ValueError(f"proposal {item_id} is already corrected by {original.replaced_by}")
        if object is None and predicate is None:
            raise ValueError("a correction needs a new object or a new predicate")
        source = original.proposal
        new_object = object if object is not None else source.object
        corrected = replace(
            source,
            predicate=predicate if predicate is not None else source.predicate,
            object=new_object,
            # The words named the proposed object, not the analyst's.
            span=source.span if new_object == source.object else None,
            confidence=1.0,
            rule=ANALYST_RULE,
        )
        if corrected.id == source.id:
            raise ValueError(f"the correction of {item_id} says the same as the proposal")
        when = at or now()
        self._put(replace(original, state="corrected", by=by, at=when, replaced_by=corrected.id))
        self._put(
            ReviewItem(corrected, "accepted", by, when, revision_of=source.id, extractor=None)
        )
        return corrected

    def add(
        self,
        passage: URIRef,
        subject: URIRef,
        predicate: URIRef,
        object: URIRef | Literal,
        kind: str,
        by: str,
        at: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> Proposal:
        """Add, accepted, a statement the extractor missed; return it."""
        if not str(passage).startswith(f"{report(self.report_id)}/"):
            raise ValueError(f"{passage} is not a part of report {self.report_id}")
        added = Proposal(
            self.report_id, passage, kind, subject, predicate, object, span, 1.0, ANALYST_RULE
        )
        same = next((item for item in self.items if item.id == added.id), None)
        if same is not None and same.state in ("accepted", "corrected"):
            raise ValueError(f"report {self.report_id} already has this statement ({added.id})")
        if same is not None:  # the extractor proposed it: accepting it keeps its provenance
            self.accept([same.id], by, at)
            return same.proposal
        self._put(ReviewItem(added, "accepted", by, at or now()))
        self.accept(self._types_of_subjects([self.item(added.id)]), by, at)
        return added

    def _decide(self, ids: Iterable[str], state: str, by: str, at: str | None) -> list[ReviewItem]:
        """Decide on every item or, when one cannot be decided on, on none."""
        if not by or not by.strip():
            raise ValueError("a decision needs the name of who takes it")
        when = at or now()
        by_id = {item.id: item for item in self.items}
        wanted = list(dict.fromkeys(ids))
        for item_id in wanted:
            if item_id not in by_id:
                raise ValueError(f"report {self.report_id} has no proposal {item_id}")
            if by_id[item_id].state == "corrected":
                replaced = by_id[item_id].replaced_by
                raise ValueError(
                    f"proposal {item_id} is corrected by {replaced}: decide on that one"
                )
        if state == "accepted":
            wanted += self._types_of_subjects([by_id[item_id] for item_id in wanted])
        decided = {}
        for item_id in dict.fromkeys(wanted):
            item = by_id[item_id]
            if item.state != state:
                item = replace(item, state=state, by=by.strip(), at=when)
            decided[item_id] = item
        self.items = sorted_items({**by_id, **decided}.values())
        return list(decided.values())

    def _types_of_subjects(self, items: list[ReviewItem]) -> list[str]:
        """The pending types of the subjects of these items: a statement about an activity is
        accepted with what the activity is (the builder checks the names of untyped things)."""
        subjects = {item.proposal.subject for item in items}
        # A mandate's status is a node its value statement cannot stand without: what it is the
        # status of, in which report, as of when, on which evidence come along.
        described = {
            item.proposal.subject
            for item in self.items
            if item.proposal.subject in subjects
            and item.proposal.predicate == RDF.type
            and item.proposal.object == HKG.MandateStatus
        }
        return [
            item.id
            for item in self.items
            if item.state == "pending"
            and item.proposal.subject in subjects
            and (
                (item.proposal.predicate == RDF.type and item.proposal.object == HKG.Activity)
                or (item.proposal.subject in described and item.proposal.kind == "entity")
            )
        ]

    def _put(self, new: ReviewItem) -> None:
        self.items = sorted_items([item for item in self.items if item.id != new.id] + [new])


def merge(review: Review, proposals: Iterable[Proposal], extractor: str | None) -> Review:
    """The review after a new run of the extractor: decisions kept, pending ones refreshed."""
    fresh = {proposal.id: proposal for proposal in proposals}
    items = []
    for item in review.items:
        if item.state != "pending":
            items.append(item)  # a decision is never overwritten nor dropped
        elif item.id in fresh:
            items.append(replace(item, proposal=fresh[item.id], extractor=extractor))
    known = {item.id for item in items}
    items.extend(
        ReviewItem(proposal, extractor=extractor)
        for pid, proposal in fresh.items()
        if pid not in known
    )
    return Review(review.report_id, items, review.language, review.sha256)


def sorted_items(items: Iterable[ReviewItem]) -> list[ReviewItem]:
    """Paragraph by paragraph (in number order), then by kind, then by triple."""
    return sorted(items, key=_item_key)


def _item_key(item: ReviewItem) -> tuple:
    proposal = item.proposal
    number, letter = passage_number(proposal.passage)
    kind = KINDS.index(proposal.kind) if proposal.kind in KINDS else len(KINDS)
    # An activity's type first, so that a paragraph's block reads from what it describes.
    typed = 0 if proposal.predicate == RDF.type else 1
    return (
        number if number is not None else 1_000_000,
        letter,
        str(proposal.passage),
        kind,
        proposal.subject.n3(),
        typed,
        proposal.predicate.n3(),
        proposal.object.n3(),
    )


def passage_number(passage: URIRef) -> tuple[int | None, str]:
    """``…/paragraph/3/b`` → (3, "b"); a part that is not a paragraph → (None, "")."""
    match = _PASSAGE_NUMBER.search(str(passage))
    if match is None:
        return None, ""
    return int(match.group(1)), match.group(2) or ""


def paragraph_of(passage: URIRef) -> URIRef:
    """The paragraph a sub-paragraph belongs to (a paragraph or other part: itself)."""
    match = _PASSAGE_NUMBER.search(str(passage))
    if match is None or match.group(2) is None:
        return passage
    return URIRef(str(passage)[: match.start(2) - 1])


def now() -> str:
    """The time of a decision: UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
