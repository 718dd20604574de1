"""A SPARQL 1.1 tokenizer: what a query says, read before any store sees it.

The safety checks (no SERVICE, no LOAD, no FROM outside the dataset) and the row cap look at the
words of a query, so they must see the query as Oxigraph's parser will: a keyword inside a
string, a comment or an IRI is not a keyword. The tokens follow the terminals of the SPARQL 1.1
grammar (https://www.w3.org/TR/sparql11-query/#terminals), longest match first.

One place where a tokenizer alone cannot know what the parser will do is ``<`` after an operand
inside parentheses: ``?a<'x> '`` is an IRI ``<'x>`` to a longest-match tokenizer but a comparison
followed by a string to Oxigraph, which then reads as code what the tokenizer took for a string.
Such a ``<`` is read as Oxigraph reads it only when the two readings cannot differ in what they
hide; otherwise the query is refused as ambiguous (:class:`AmbiguousQuery`), which only happens
to queries that write a comparison without spaces before a quote or a ``#``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from habitat_kg.server.store.base import QueryError

TokenKind = Literal[
    "iri", "pname", "var", "string", "number", "bnode", "langtag", "word", "punct", "other"
]

# PN_CHARS_BASE and friends, widened to every Unicode word character: the tokens only need to
# end where the parser's end, and no character of these classes starts a string or a comment.
_PN_CHARS = r"[\w\-\u00B7\u0300-\u036F\u203F-\u2040]"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"(?:[^\W\d_]|[\u00B7])(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?"
_PN_LOCAL = rf"(?:{_PN_CHARS}|:|{_PLX})(?:(?:{_PN_CHARS}|[.:]|{_PLX})*(?:{_PN_CHARS}|:|{_PLX}))?"
_ECHAR = r"\\[tbnrf\\\"'uU0-9A-Fa-f]"

_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")
# An escape is read inside an IRI as part of it (Oxigraph decodes it there, after reading the IRI).
_IRIREF = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_TOKENS = re.compile(
    rf"""
    (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
             |\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'
             |"(?:[^"\\\n\r]|\\.)*")
    |(?P<var>[?$](?:{_PN_CHARS})+)
    |(?P<bnode>_:(?:{_PN_CHARS})(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?)
    |(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
    |(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<number>(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+
               |[0-9]*\.[0-9]+|[0-9]+))
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{{}}()\[\];,.*/+\-=!<>|^?])
    """,
    re.VERBOSE,
)
#: Beginnings of a string that the patterns above did not close.
_UNCLOSED_STRING = re.compile(r"'''|\"\"\"|'|\"")
#: What makes the two readings of an ambiguous ``<`` differ in what they hide.
_HIDING = re.compile(r"['#]|(?i:\b(?:service|from|load|insert|delete)\b)")

#: Tokens after which ``<`` can be a comparison (they end an operand).
_OPERAND_END = {"iri", "pname", "var", "string", "number", "bnode", "langtag"}


class QuerySyntaxError(QueryError):
    """A query that cannot be parsed; ``line`` and ``column`` (1-based) say where, if known."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"malformed query: {where}{problem}")
        self.problem = problem
        self.line = line
        self.column = column


class AmbiguousQuery(QuerySyntaxError):
    """A ``<`` that a comparison and an IRI would read differently, hiding different text."""


class Token(NamedTuple):
    """One token (a named tuple: made several times faster than a frozen dataclass, and a
    query has a token every few characters)."""

    kind: TokenKind
    text: str
    start: int
    #: How deep in ``{ }`` the token is; 0 is the level of the query's own clauses.
    depth: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def is_word(self, *words: str) -> bool:
        """Whether this is one of the (case-insensitive) keywords ``words``."""
        return self.kind == "word" and self.text.upper() in words


@dataclass
class _Frame:
    """One level of braces: how many parentheses are open in it, and whether it holds data."""

    parens: int = 0
    data_block: bool = False


@dataclass
class _Reader:
    text: str
    tokens: list[Token] = field(default_factory=list)
    frames: list[_Frame] = field(default_factory=lambda: [_Frame()])
    values_pending: bool = False

    def previous(self) -> Token | None:
        return self.tokens[-1] if self.tokens else None

    def add(self, kind: TokenKind, text: str, start: int) -> None:
        self.tokens.append(Token(kind, text, start, len(self.frames) - 1))
        self._follow_nesting(kind, text)

    def _follow_nesting(self, kind: TokenKind, text: str) -> None:
        if kind == "word":
            if len(text) == 6 and text.upper() == "VALUES":
                self.values_pending = True
            return
        if kind != "punct":
            return
        frame = self.frames[-1]
        if text == "{":
            self.frames.append(_Frame(data_block=self.values_pending or frame.data_block))
            self.values_pending = False
        elif text == "}" and len(self.frames) > 1:
            self.frames.pop()
        elif text == "(":
            frame.parens += 1
        elif text == ")":
            frame.parens = max(0, frame.parens - 1)

    def iri_may_be_comparison(self) -> bool:
        """Whether a ``<`` here could be the comparison operator (Oxigraph reads it so)."""
        frame = self.frames[-1]
        previous = self.previous()
        if frame.parens == 0 or frame.data_block or previous is None:
            return False
        return (
            previous.kind in _OPERAND_END
            or previous.text in {")", "]"}
            or (previous.is_word("TRUE", "FALSE"))
        )


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line_starts = [0] + [match.end() for match in re.finditer(r"\n", text)]
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, without whitespace and comments.

    Raises QuerySyntaxError where a string is not closed, and AmbiguousQuery (see the module's
    docstring) where a ``<`` could hide text from one of its two readings.
    """
    reader = _Reader(text)
    offset = 0
    while True:
        skipped = _SKIP.match(text, offset)
        if skipped:
            offset = skipped.end()
        if offset >= len(text):
            return reader.tokens
        offset = _read_token(reader, offset)


def _read_token(reader: _Reader, offset: int) -> int:
    text = reader.text
    if text[offset] == "<":
        iri = _IRIREF.match(text, offset)
        if iri and reader.iri_may_be_comparison():
            if _HIDING.search(iri.group(1)):
                line, column = position(text, offset)
                raise AmbiguousQuery(
                    "'<' here may be a comparison or the start of an IRI, which would read the "
                    "rest of the query differently; put spaces around the comparison",
                    line,
                    column,
                )
            iri = None  # Oxigraph reads it as the comparison; what follows is the same either way
        if iri:
            reader.add("iri", iri.group(0), offset)
            return iri.end()
    match = _TOKENS.match(text, offset)
    if match is None:
        if _UNCLOSED_STRING.match(text, offset):
            line, column = position(text, offset)
            raise QuerySyntaxError("this string is not closed", line, column)
        reader.add("other", text[offset], offset)
        return offset + 1
    kind = match.lastgroup
    assert kind is not None
    reader.add(kind, match.group(0), offset)  # type: ignore[arg-type]
    return match.end()
