"""What a SPARQL request asks, read from its tokens: its form, its dataset, and what is refused.

An endpoint on a public address must not become a client of other servers or a reader of files:
Oxigraph (and rdflib) would fetch a ``SERVICE`` IRI, and a ``LOAD`` or a ``FROM`` IRI names
something to fetch. :func:`check_query` refuses them by reading the query's tokens before any
store sees it, and refuses SERVICE again from a full SPARQL parse (``query_guard``: that
decision never rests on the tokens) and a query nested past ``max-nesting``, which would
overflow the engine's stack. The row cap is ``row_cap.py``'s.

Reading the tokens of a stored question (0.1-0.3 ms) costs as much as the rest of the endpoint's
work on a request, and clients (the pages, the stored questions, a dashboard) send the same
texts again and again, so the texts read last are kept (:class:`ReadQueries`). What is kept is
only what the text itself says (its tokens, form and FROM clauses); the checks against the
dataset run again on every request.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal
from urllib.parse import urljoin

from habitat_kg.lru import SizedLRU
from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.store.base import QueryError
from habitat_kg.server.store.query_guard import (
    ServiceFound,
    deepest_nesting,
    first_service_word,
    service_in_parse,
    spells_service,
)
from habitat_kg.server.store.sparql_lexer import QuerySyntaxError, Token, position, tokenize
from habitat_kg.settings import setting

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE"]

_QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
#: Keywords that only SPARQL Update has (none of them is a word of the query language).
UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
UPDATE_KEYWORDS |= {"WITH"}
_PARSER_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


class QueryRefused(QueryError):
    """A query this endpoint will not run (SERVICE, LOAD, a FROM outside the dataset)."""


class UpdateRefused(QueryError):
    """A SPARQL Update: the graph is read-only."""


@dataclass(frozen=True)
class DatasetClause:
    """``FROM <iri>`` (``named`` False) or ``FROM NAMED <iri>``, with the IRI resolved."""

    iri: str
    named: bool
    line: int
    column: int


@dataclass(frozen=True)
class QueryText:
    """A query's text and what its tokens say (it never changes: one may be shared)."""

    text: str
    tokens: tuple[Token, ...]
    form: QueryForm | None
    dataset: tuple[DatasetClause, ...]
    #: with_row_cap's answers by row cap, kept since the query is read once and asked often.
    _row_caps: dict[int, tuple[str, bool]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def sets_dataset(self) -> bool:
        """Whether the query names its own dataset with FROM or FROM NAMED."""
        return bool(self.dataset)

    @cached_property
    def keywords(self) -> frozenset[str]:
        """Every word token of the query, upper-cased (check_query looks for its keywords)."""
        return frozenset(token.text.upper() for token in self.tokens if token.kind == "word")

    @cached_property
    def nesting(self) -> int:
        """How deep a tree the query may make the engine build (see query_guard)."""
        return deepest_nesting(self.tokens)[0]

    @cached_property
    def service_parse(self) -> ServiceFound | None:
        """Why the full SPARQL grammar takes the query to hold SERVICE, or None if it does not
        (kept with the text, as its tokens are: the grammar is slow)."""
        try:
            return ServiceFound(True) if service_in_parse(self.text) else None
        except ServiceFound as cannot_read:
            return cannot_read


class ReadQueries(SizedLRU[str, QueryText]):
    """The queries read last, by their text, holding at most ``max_tokens`` tokens together.

    Bounded by tokens rather than entries, since the tokens are what takes memory: a client
    sending long texts pushes the others out instead of growing the cache.
    """

    def __init__(self, max_tokens: int) -> None:
        # A text longer than an eighth of all would push out many others: it is not kept.
        super().__init__(max_tokens, _token_count, largest=max_tokens // 8)

    def put(self, query: QueryText) -> None:
        self.keep(query.text, query)


def _token_count(query: QueryText) -> int:
    return len(query.tokens)


#: About 130 bytes a token: some 8 MiB at most.
READ_QUERIES = ReadQueries(max_tokens=64_000)


def read_query(text: str) -> QueryText:
    """The tokens of ``text`` and what they say; QuerySyntaxError if they cannot be read
    (QueryRefused for a FROM whose IRI cannot be resolved)."""
    query = READ_QUERIES.get(text)
    if query is None:
        query = _read(text)
        READ_QUERIES.put(query)  # only a text that could be read: errors are raised anew
    return query


def _read(text: str) -> QueryText:
    tokens = tuple(tokenize(text))
    return QueryText(text, tokens, _form(tokens), tuple(_dataset_clauses(text, tokens)))


def check_query(query: QueryText, graphs: Collection[str], *, own_text: bool = False) -> None:
    """Refuse what this endpoint does not do, naming the keyword and where it is.

    LOAD and SERVICE raise QueryRefused, so do FROM and FROM NAMED with an IRI that is not one
    of ``graphs`` (the dataset's named graphs: nothing else is ever fetched), and a query nested
    past ``max-nesting`` (checked first, before anything else parses it); any other update
    raises UpdateRefused. ``own_text`` is for the project's own queries (its ``.rq`` files with
    terms written by ``questions.terms``): a SERVICE keyword among their tokens is still
    refused, but they are not parsed again by the full grammar, whose length cap would refuse
    the long validation queries that spell "service" in a message.
    """
    check_nesting(query)
    keywords = query.keywords
    if "SERVICE" in keywords or "LOAD" in keywords:
        _refuse_fetching(query)
    if query.form == "UPDATE" or not keywords.isdisjoint(UPDATE_KEYWORDS):
        raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
    if not own_text:
        check_service(query)
    for clause in query.dataset:
        check_graph(clause.iri, graphs, "FROM NAMED" if clause.named else "FROM", clause)


def check_unsafe(text: str) -> QueryText:
    """The query read from ``text``, refused (QueryRefused) if it holds SERVICE or nests past
    ``max-nesting``: what every store checks before its engine sees a query."""
    query = read_query(text)
    check_nesting(query)
    check_service(query)
    return query


def max_nesting() -> int:
    """The ``max-nesting`` setting; QueryError naming it if it is not a whole number."""
    value = setting("max-nesting")
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise QueryError(f"max-nesting: expected a whole number of at least 1, not {value!r}")
    return limit


def check_nesting(query: QueryText) -> None:
    """Refuse a query that may build a tree deeper than ``max-nesting`` (the engine would run
    out of stack), naming the limit and where the query passes it."""
    limit = max_nesting()
    if query.nesting <= limit:
        return
    _, passed = deepest_nesting(query.tokens, limit)
    assert passed is not None
    line, column = position(query.text, query.tokens[passed].start)
    raise QueryRefused(
        f"the query nests deeper than the limit of {limit} (max-nesting) at line {line}, "
        f"column {column}: brackets inside one another and the operators, patterns and "
        "clauses chained within each count; write it flatter (VALUES instead of long "
        "chains of || or UNION, fewer BINDs in one group)"
    )


def check_service(query: QueryText) -> None:
    """Refuse a query in which a full SPARQL 1.1 parse finds SERVICE, or that spells "service"
    where that parse cannot read it; the message names the keyword and where, not its IRI."""
    if not spells_service(query.text):
        return  # no engine reads a SERVICE whose letters are not in the text
    found = query.service_parse
    if found is None:
        return
    where = first_service_word(query.text, query.tokens)
    at = f" (line {where[0]}, column {where[1]})" if where else ""
    if found.found:
        raise QueryRefused(
            f"SERVICE{at} is refused: this endpoint does not query other servers; ask them directly"
        )
    raise QueryRefused(
        f"the query spells 'service'{at} and the SPARQL 1.1 grammar that decides whether it "
        f"is a SERVICE cannot read the query ({_without_found(found.problem)}); it is refused "
        "so that no query can make this endpoint call another server"
    )


def _without_found(problem: str) -> str:
    """The grammar's problem without the text it found there (it may be an internal IRI)."""
    return problem.split(", found", 1)[0]


def _refuse_fetching(query: QueryText) -> None:
    """Raise QueryRefused naming the first SERVICE or LOAD of the query, and where it is."""
    for token in query.tokens:
        if token.is_word("SERVICE"):
            raise QueryRefused(
                f"SERVICE (line {_where(query, token)}) is refused: this endpoint does not query "
                "other servers; ask them directly"
            )
        if token.is_word("LOAD"):
            raise QueryRefused(
                f"LOAD (line {_where(query, token)}) is refused: this endpoint never fetches data "
                "from the network or from files"
            )
    raise AssertionError("called for a query with SERVICE or LOAD")


def check_graph(
    iri: str, graphs: Collection[str], named_by: str, clause: DatasetClause | None = None
) -> None:
    """Refuse a graph IRI that is not a named graph of the dataset (it would be fetched)."""
    if iri in graphs:
        return
    where = f" (line {clause.line}, column {clause.column})" if clause else ""
    raise QueryRefused(
        f"{named_by} <{iri}>{where} is refused: it is not a graph of this dataset, and this "
        f"endpoint fetches nothing from the network or from files; its graphs are "
        + ", ".join(f"<{graph}>" for graph in sorted(graphs))
    )


def undeclared_prefix(query: QueryText) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix the query does not declare: (prefix, line, column)."""
    declared: set[str] = set()
    after_prefix = False
    for token in query.tokens:
        if token.kind == "pname":
            prefix = token.text.partition(":")[0]
            if after_prefix:
                declared.add(prefix)
            elif prefix not in declared:
                return (prefix, *position(query.text, token.start))
        after_prefix = token.is_word("PREFIX")
    return None


def parser_error(message: str, query: QueryText) -> QuerySyntaxError:
    """Oxigraph's message ``error at LINE:COLUMN: problem`` as a QuerySyntaxError; for a prefix
    the query does not declare, a message that names it (Oxigraph's lists the characters it
    expected)."""
    undeclared = undeclared_prefix(query) if "Prefix not found" in message else None
    if undeclared is not None:
        prefix, line, column = undeclared
        known = PREFIXES.get(prefix)
        hint = f": add PREFIX {prefix}: <{known}>" if known else ""
        return QuerySyntaxError(f"the prefix '{prefix}:' is not declared{hint}", line, column)
    match = _PARSER_POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message)
    return QuerySyntaxError(match.group(3), int(match.group(1)), int(match.group(2)))


def _form(tokens: Sequence[Token]) -> QueryForm | None:
    for token in tokens:
        if token.depth != 0 or token.kind != "word":
            continue
        word = token.text.upper()
        if word in _QUERY_FORMS:
            return word  # type: ignore[return-value]
        if word in UPDATE_KEYWORDS:
            return "UPDATE"
    return None


def _dataset_clauses(text: str, tokens: Sequence[Token]) -> list[DatasetClause]:
    prefixes: dict[str, str] = {}
    base = ""
    clauses: list[DatasetClause] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1 : index + 4]
        if token.is_word("BASE") and following and following[0].kind == "iri":
            base = urljoin(base, following[0].text[1:-1])
        elif token.is_word("PREFIX") and len(following) >= 2 and following[0].kind == "pname":
            if following[1].kind == "iri":
                prefixes[following[0].text[:-1]] = urljoin(base, following[1].text[1:-1])
        elif token.is_word("FROM"):
            named = bool(following) and following[0].is_word("NAMED")
            target = following[1:2] if named else following[:1]
            line, column = position(text, token.start)
            iri = _resolve(target[0], prefixes, base) if target else None
            if iri is None:
                # An IRI that cannot be resolved here cannot be a graph of the dataset either.
                what = target[0].text if target else "nothing"
                raise QueryRefused(
                    f"FROM (line {line}, column {column}) names {what}, which is not a graph of "
                    "this dataset: this endpoint fetches nothing from the network or from files"
                )
            clauses.append(DatasetClause(iri, named, line, column))
    return clauses


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    if token.kind == "iri":
        return urljoin(base, _decoded_iri(token.text[1:-1]))
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + _unescape_local(local)
    return None


def _decoded_iri(iri: str) -> str:
    """An IRI's text with its ``\\u`` and ``\\U`` escapes decoded, as Oxigraph reads it."""
    if "\\" not in iri:
        return iri
    return re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda escape: chr(int(escape.group(1) or escape.group(2), 16)),
        iri,
    )


def _unescape_local(local: str) -> str:
    """A prefixed name's local part as it is in the IRI: ``\\`` escapes dropped."""
    out = []
    chars = iter(local)
    for char in chars:
        out.append(next(chars, "") if char == "\\" else char)
    return "".join(out)


def _where(query: QueryText, token: Token) -> str:
    line, column = position(query.text, token.start)
    return f"{line}, column {column}"
