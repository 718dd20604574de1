"""What is decided about a query before any engine sees it: no SERVICE, and no nesting that
would overflow the engine's stack.

SERVICE is the one way a query makes Oxigraph (or rdflib, or a SPARQL server behind a remote
store) open a connection. Whether a query holds one is decided from a real parse with a full
SPARQL 1.1 grammar (rdflib's), never from a second reading of the text:

- Oxigraph reads a keyword only as its letters: ``\\u`` and ``\\U`` escapes are decoded inside
  IRIs and strings, after those are read, and are an error anywhere else (``\\u0053ERVICE`` is
  no keyword to it). So a text in which no ``service`` is spelled, in any case, holds no SERVICE,
  and is decided without a parse: none of the stored questions is parsed.
- Otherwise rdflib's grammar parses the text. rdflib would decode every escape of the whole text
  first, which reads ``'\\u0027'`` as the start of a long string where Oxigraph reads a string
  holding a quote; so the grammar is given the text with each escape's backslash made ``_``,
  which keeps every IRI and string where Oxigraph has it (an escape never ends one there).
- rdflib's own store (``--store rdflib``) decodes every escape of the text before it parses,
  so a text with escapes is also parsed as rdflib reads it: ``\\u0053ERVICE`` is SERVICE there.
- Any SERVICE node anywhere in the parse (FILTER EXISTS, subqueries, OPTIONAL, MINUS, UNION,
  GRAPH, SILENT, a variable as service) refuses the query; so does a text the grammar cannot
  read (fail closed: the engine might read it otherwise).

Nesting: Oxigraph's parser and evaluator recurse once per level of the query's tree, and a deep
enough tree ends the worker with a stack overflow (3,000 braces, 6,000 parentheses, 1,000 nested
function calls, 12,000 ``+`` or ``UNION`` in a row, 3,000 BINDs in a group). The tree's depth is
bounded from the tokens: each open bracket adds a level, and so does each operator, clause or
pattern separator chained within a bracket (they build left-deep trees), until it closes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence

from pyparsing import ParseBaseException, ParserElement

from habitat_kg.server.store.sparql_lexer import Token, position

#: The letters of the keyword, in any case (Python's case folding also matches look-alikes such
#: as U+017F, which only widens what is parsed).
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)
#: A codepoint escape, or an escaped backslash (kept, so that ``\\\\u0041`` stays as it is).
_CODEPOINT_ESCAPE = re.compile(r"\\\\|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
#: pyparsing's packrat cache is shared by every parse of the process.
_PARSE_LOCK = threading.Lock()

#: The longest text parsed: the grammar (pyparsing) is slow, more than linearly in the length,
#: and runs in the server's own process; only texts that spell "service" are parsed.
PARSED_AT_MOST = 4_000

_OPENERS = {"{", "(", "["}
_CLOSERS = {"}", ")", "]"}
#: Tokens that chain a node onto the tree built so far within the bracket they are in.
_CHAINING_PUNCT = {"&&", "||", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"}
_CHAINING_PUNCT |= {"!", ".", ";"}
_CHAINING_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES"}
_CHAINING_WORDS |= {"IN", "EXISTS"}


class ServiceFound(Exception):
    """Why a query is taken to hold SERVICE: ``found`` says whether the parse shows one
    (else the grammar could not read the text), ``problem`` what the grammar said."""

    def __init__(self, found: bool, problem: str = "") -> None:
        super().__init__(problem or "SERVICE")
        self.found = found
        self.problem = problem


def spells_service(text: str) -> bool:
    """Whether the letters of SERVICE are in ``text``, in any case, before or after its escapes
    are decoded: without them no engine reads the keyword (Oxigraph decodes no escape outside
    IRIs and strings; rdflib decodes them all before it parses)."""
    if _has_service_letters(text):
        return True
    return "\\" in text and _has_service_letters(_all_decoded(text))


def _has_service_letters(text: str) -> bool:
    # The case-blind search is slow on a long text (Unicode case rules, such as "ſ" for "s");
    # an ASCII text has none of those letters, and lowering it gives the same answer.
    if text.isascii():
        return "service" in text.lower()
    return _SERVICE_LETTERS.search(text) is not None


def _all_decoded(text: str) -> str:
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    return expandUnicodeEscapes(text)


def service_in_parse(text: str) -> bool:
    """Whether the full SPARQL 1.1 grammar finds a SERVICE in ``text``; ServiceFound(False,
    problem) if it cannot read the text."""
    from rdflib.plugins.sparql.parser import Query  # the grammar: only when a text needs it

    if len(text) > PARSED_AT_MOST:
        raise ServiceFound(
            False, f"it is longer than the {PARSED_AT_MOST} characters the grammar is given"
        )
    readings = [_CODEPOINT_ESCAPE.sub(_neutral_escape, text)]  # as Oxigraph reads it
    decoded = _all_decoded(text)
    if decoded != text:
        readings.append(decoded)  # as rdflib's own store reads it
    return any(_parsed_holds_service(Query, reading) for reading in readings)


def _parsed_holds_service(grammar: ParserElement, text: str) -> bool:
    try:
        with _PARSE_LOCK:
            parsed = grammar.parse_string(text, parse_all=True)
    except ParseBaseException as error:
        raise ServiceFound(False, f"line {error.lineno}, column {error.col}: {error.msg}") from None
    except RecursionError:
        raise ServiceFound(False, "the query is nested too deeply for the grammar") from None
    except Exception as error:  # a fault of the grammar's own actions: decide as unread
        raise ServiceFound(False, f"the grammar failed on it ({type(error).__name__})") from None
    return holds_service(parsed)


def _neutral_escape(match: re.Match[str]) -> str:
    escape = match.group(0)
    return escape if escape == "\\\\" else "_" + escape[1:]


def holds_service(parsed: object) -> bool:
    """Whether a ServiceGraphPattern is anywhere in a parse or an algebra of rdflib's (walked
    without recursion)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending: list[object] = [parsed]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            pending.extend(dict.values(node))
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, Iterable) and not isinstance(node, str | bytes):
            pending.extend(node)
    return False


def first_service_word(text: str, tokens: Sequence[Token]) -> tuple[int, int] | None:
    """The line and column of the first SERVICE keyword among ``tokens``, else of the first
    spelling of it in ``text`` (None if there is none)."""
    for token in tokens:
        if token.is_word("SERVICE"):
            return position(text, token.start)
    spelled = _SERVICE_LETTERS.search(text)
    return None if spelled is None else position(text, spelled.start())


def deepest_nesting(tokens: Sequence[Token], limit: int | None = None) -> tuple[int, int | None]:
    """The tree depth the tokens may build (see the module's docstring), and the index of the
    first token at which it passes ``limit`` (None if it never does, or no limit is given).

    Every opener counts, and every chaining token within the bracket it is in; a closer takes
    its bracket's levels away. A closer with nothing open takes nothing (the parser refuses it).
    """
    open_chains: list[int] = []  # per open bracket: how many tokens chained within it so far
    depth = deepest = 0
    passed: int | None = None
    for index, token in enumerate(tokens):
        if token.kind == "punct":
            text = token.text
            if text in _OPENERS:
                open_chains.append(0)
                depth += 1
            elif text in _CLOSERS:
                if open_chains:
                    depth -= 1 + open_chains.pop()
                continue
            elif text in _CHAINING_PUNCT:
                depth += _chain(open_chains)
            else:
                continue
        elif token.kind == "word" and token.text.upper() in _CHAINING_WORDS:
            depth += _chain(open_chains)
        else:
            continue
        if depth > deepest:
            deepest = depth
            if passed is None and limit is not None and depth > limit:
                passed = index
    return deepest, passed


def _chain(open_chains: list[int]) -> int:
    if open_chains:
        open_chains[-1] += 1
        return 1
    return 0  # outside any bracket: the query's own clauses, which nest nothing
