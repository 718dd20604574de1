"""A stored question's parameter values by name: what each value names, as SPARQL terms.

With the search index (the server's, or the project's for the command line), a value may be a
name in English or Chinese, an IRI or CURIE, a number (``1/5``, ``dec:1/3``) or a code
(``DEU``): ``habitat_kg.graph.search.names`` finds what it names, or refuses it with the names
that come closest. A value that names several things (``1/3``: resolution 1/3 *and* decision
1/3) is answered for each: the parameter becomes ``VALUES ?name { ... }`` in the innermost group
where the query uses it, and the answer says so. A ``search`` parameter is looked up in the
full-text index and bound the same way, with ``?nameRank`` (1 is the best match) beside it.

Without an index, values are read as before the index: IRIs, numbers, codes and plain text; a
search then reads every name and text in SPARQL (``CONTAINS``), unranked and slower.
"""

from __future__ import annotations

from dataclasses import dataclass

from habitat_kg.graph.search import Names, Thing, UnknownName
from habitat_kg.graph.search.building import NAME_PROPERTIES, TEXT_PROPERTIES
from habitat_kg.graph.search.index import LookupTooSlow
from habitat_kg.graph.search.tokens import Term, terms
from habitat_kg.namespaces import decision, resolution
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.store.sparql_lexer import tokenize

#: The kind of thing a parameter of each kind names, in the index.
NAMED = {
    "resolution": "resolution",
    "country": "country",
    "organization": "organization",
    "iri": "thing",
    "symbol": "document",
}
#: Without an index, the reader of terms.py each kind falls back to.
_PLAIN = {"organization": "iri", "symbol": "text", "search": "text"}
#: Things a ``search`` parameter binds, at most (the best matches).
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class Bound:
    """One parameter's value as the query gets it: one term, or several (VALUES)."""

    name: str
    terms: tuple[str, ...]
    ranked: bool = False
    #: what the value named, when it named several things (for the answer's note)
    note: str = ""
    #: a group pattern that binds the variable, in place of VALUES (a search without index)
    pattern: str = ""


def bind(name: str, kind: str, value: str, names: Names | None) -> Bound:
    """``value`` of the parameter ``name`` as terms; ValueError (UnknownName) names the problem."""
    if kind == "search":
        return _searched(name, value, names)
    if names is None or kind not in NAMED:
        return Bound(name, _plain(name, kind, value))
    things = names.resolve(NAMED[kind], value, name)
    if kind == "symbol":
        terms = tuple(
            to_sparql_term("text", symbol, name)
            for thing in things
            for symbol in names.index.fields_of(thing.iri, "symbol")
        )
        if not terms:
            raise UnknownName(name, value, "names a document without a symbol", things)
    else:
        # checked as the engine reads IRIs: a thing the index does not know is the user's text
        terms = tuple(to_sparql_term("iri", thing.iri, name) for thing in things)
    return Bound(name, terms, note=_note(name, value, things))


def _note(name: str, value: str, things: list[Thing]) -> str:
    if len(things) < 2:
        return ""
    listed = ", ".join(thing.label for thing in things)
    return f"{name} {value!r} names {len(things)} things: {listed}; the answer is for each"


def _searched(name: str, value: str, names: Names | None) -> Bound:
    words = terms(value)
    if not words:
        raise ValueError(f"parameter {name!r}: {value!r} holds no word to search for")
    if names is None:
        return Bound(name, (), ranked=True, pattern=_scan(name, words))
    try:
        hits = names.index.search(value, SEARCH_LIMIT)
    except LookupTooSlow as error:
        raise ValueError(f"parameter {name!r}: {error}") from None
    # checked as any IRI parameter: an index built from a remote store holds what it was given
    found = tuple(to_sparql_term("iri", hit.thing.iri, name) for hit in hits)
    return Bound(name, found, ranked=True)


#: What a search without the index reads: the names and texts the index holds.
_SEARCHED = "|".join(f"<{iri}>" for iri in sorted(NAME_PROPERTIES | TEXT_PROPERTIES))


def _scan(name: str, words: list[Term]) -> str:
    """A search in SPARQL alone, for a store without the index beside it: every thing one of
    whose names or texts holds every word (all ranked 1), read through once per query."""
    text = f"?{name}Text"
    held = " && ".join(
        f"CONTAINS(LCASE(STR({text})), {to_sparql_term('text', word.text, name)})" for word in words
    )
    return (
        f" {{ SELECT DISTINCT ?{name} (1 AS ?{name}Rank) WHERE {{ ?{name} {_SEARCHED} {text} "
        f"FILTER ({held}) }} }} "
    )


def _plain(name: str, kind: str, value: str) -> tuple[str, ...]:
    """Terms without an index: a bare Assembly number (``1/3``) is its resolution and its
    decision, as with the index; the rest as terms.py reads it."""
    text = value.strip()
    if kind == "resolution" and _is_bare_assembly_number(text):
        return (f"<{resolution('ha', text)}>", f"<{decision('ha', text)}>")
    return (to_sparql_term(_PLAIN.get(kind, kind), text, name),)


def _is_bare_assembly_number(text: str) -> bool:
    session, slash, serial = text.partition("/")
    return bool(slash) and session.isdigit() and serial.isdigit() and len(session) < 4


def with_values(query: str, bound: Bound) -> str:
    """``query`` with ``VALUES`` for ``bound`` at the start of each innermost group (``{``)
    that uses ``$name``; ``$name`` stays a variable there."""
    marker = "$" + bound.name
    if bound.pattern:
        block = bound.pattern
    elif bound.ranked:
        rows = " ".join(f"({term} {rank})" for rank, term in enumerate(bound.terms, 1))
        block = f" VALUES (?{bound.name} ?{bound.name}Rank) {{ {rows} }} "
    else:
        block = f" VALUES ?{bound.name} {{ {' '.join(bound.terms)} }} "
    openings: set[int] = set()
    stack: list[int] = []
    for token in tokenize(query):
        if token.kind == "punct" and token.text == "{":
            stack.append(token.end)
        elif token.kind == "punct" and token.text == "}" and stack:
            stack.pop()
        elif token.kind == "var" and token.text == marker and stack:
            openings.add(stack[-1])
    for offset in sorted(openings, reverse=True):
        query = query[:offset] + block + query[offset:]
    return query
