"""Which resolutions or decisions a passage's activity is for, and which documents it names.

An activity is for the act its section heading names ("II. Resolution 2/7 …", "三、关于……第
2/2 号决议") and for any act the passage itself cites ("Pursuant to paragraph 4 of resolution
2/3", 根据第2/2号决议第6段).  A paragraph that introduces a list (ends with a colon) is for the
acts its sub-paragraphs name, as a report's introduction lists what it covers.

Documents are named by their UN symbols; a symbol the passage says holds the activity's result
("contained in document …", 载于……号文件, a finalized draft) is what the activity produced,
any other is cited.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from habitat_kg.graph.extract.context import PassageContext
from habitat_kg.graph.parse import Reference, find_references, find_symbols
from habitat_kg.namespaces import HKG, decision, document, resolution

# Words saying that a document holds what the activity made.
_PRODUCED = re.compile(
    r"(?:contained|set out|presented|issued|published|circulated|reproduced) in (?:document )?$"
    r"|\bin document $"
    r"|(?:载于|见|载入)$"
)
_PRODUCED_AFTER = re.compile(r"^\s*(?:号文件)?\s*[)）]?\s*(?:已经|已)?(?:定稿|印发|发布|提交)")
_FINALIZED = re.compile(r"已经定稿|已定稿|has been finali[sz]ed|was finali[sz]ed|were finali[sz]ed")


def act_iri(reference: Reference) -> URIRef:
    if reference.kind == "resolution":
        return resolution(reference.organ, reference.number)
    return decision(reference.organ, reference.number)


def propose_acts(context: PassageContext) -> None:
    """hkg:forResolution for the heading's acts, the cited ones and, for a list, its items'."""
    for reference in context.heading_acts:
        context.propose(
            "resolution", HKG.forResolution, act_iri(reference), None, 0.9, "resolution.heading"
        )
    for reference in find_references(context.text):
        span = (reference.offset, reference.offset + len(reference.number))
        context.propose(
            "resolution", HKG.forResolution, act_iri(reference), span, 0.85, "resolution.citation"
        )
    if not context.heading_acts and context.text.rstrip().endswith((":", "：")):
        for reference in context.listed_acts:
            context.propose(
                "resolution", HKG.forResolution, act_iri(reference), None, 0.75, "resolution.listed"
            )


def propose_documents(context: PassageContext) -> None:
    """hkg:produced for a symbol the text says holds the result, else hkg:citesDocument."""
    text = context.text
    searched = 0
    for symbol in find_symbols(text):
        start = text.find(symbol, searched)
        if start < 0:
            start = text.find(symbol)
        end = start + len(symbol)
        searched = end
        before = text[max(0, start - 30) : start].rstrip("（( ")
        sentence = text[slice(*context.sentence_of(start))]
        made = (
            _PRODUCED.search(before + " " if not context.chinese else before)
            or _PRODUCED_AFTER.search(text[end:])
            or _FINALIZED.search(sentence)
        )
        if made:
            context.propose(
                "document", HKG.produced, document(symbol), (start, end), 0.7, "document.produced"
            )
        else:
            context.propose(
                "document", HKG.citesDocument, document(symbol), (start, end), 0.9, "document.cited"
            )
