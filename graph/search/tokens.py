"""Words of a text as the search index stores them, and a user's words as a safe FTS5 query.

Chinese (and Japanese and Korean) is written without spaces, so a text is cut into characters
and pairs of neighbouring characters in Python before SQLite sees it: the ``words`` column holds
the Latin-script words (folded: lower case, no accents) and every CJK character, the ``grams``
column every pair of neighbouring CJK characters. A word of one character (城) is found in
``words``, a longer one (城乡, 能力发展) as the phrase of its pairs in ``grams`` (城乡 乡伙 伙伴
must follow one another), so any run of characters is found wherever it stands, whatever a
dictionary would have cut. ``benchmarks/search.py`` measures this against jieba's words and
SQLite's trigram tokenizer.

A query is rebuilt from the tokens the same reader finds in it, each written in double quotes,
so nothing the user types (``AND``, ``NEAR(``, ``"``, ``*``, ``:``, a NUL) is ever read by FTS5
as its own syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Han (with extensions A and compatibility), kana, Hangul syllables: scripts without spaces.
_CJK_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK_CLASS}]+)|(?P<word>[^\W_{_CJK_CLASS}]+)")

#: The longest query read (longer is refused by the callers before it gets here).
MAX_QUERY = 200
#: The most terms of a query used (each term is one more lookup in the index).
MAX_TERMS = 12


def fold(word: str) -> str:
    """Lower case without accents (``Développement`` -> ``developpement``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Term:
    """One thing a query looks for: a Latin-script word or a run of CJK characters."""

    text: str
    cjk: bool

    def expression(self, prefix: bool = False) -> str:
        """This term as an FTS5 phrase on its column; ``prefix`` lets a word's end be open."""
        if not self.cjk:
            return f'words : "{self.text}"' + ("*" if prefix else "")
        if len(self.text) == 1:
            return f'words : "{self.text}"'
        pairs = " ".join(self.text[i : i + 2] for i in range(len(self.text) - 1))
        return f'grams : "{pairs}"'


def spans(text: str) -> Iterator[tuple[str, bool, int, int]]:
    """(token, is_cjk, start, end) for each run of word characters of ``text``."""
    for match in _TOKEN.finditer(text):
        yield match.group(), match.lastgroup == "cjk", match.start(), match.end()


def columns(text: str) -> tuple[str, str]:
    """``text`` as the index's two columns: words and single CJK characters; CJK pairs."""
    words: list[str] = []
    grams: list[str] = []
    for token, cjk, _, _ in spans(text):
        if cjk:
            words.extend(token)
            grams.extend(token[i : i + 2] for i in range(len(token) - 1))
        else:
            words.append(fold(token))
    return " ".join(words), " ".join(grams)


def terms(query: str) -> list[Term]:
    """The terms of a user's query, at most MAX_TERMS, each once."""
    found: list[Term] = []
    for token, cjk, _, _ in spans(unicodedata.normalize("NFKC", query)):
        term = Term(token if cjk else fold(token), cjk)
        if term not in found:
            found.append(term)
    return found[:MAX_TERMS]


def match_expression(found: list[Term], *, prefix: bool = False) -> str:
    """The FTS5 MATCH text for ``found`` (every term must be there); with ``prefix`` the last
    Latin word may be the start of a word, as while someone is typing it."""
    last = len(found) - 1
    return " AND ".join(t.expression(prefix and i == last) for i, t in enumerate(found))


def hits(text: str, found: list[Term], *, prefix: bool = False) -> list[tuple[int, int]]:
    """Where the terms stand in ``text`` (start, end), in order, not overlapping."""
    marks: list[tuple[int, int]] = []
    folded_words = [(fold(t), s, e) for t, cjk, s, e in spans(text) if not cjk]
    for term in found:
        if term.cjk:
            marks.extend((m.start(), m.end()) for m in re.finditer(re.escape(term.text), text))
            continue
        for word, start, end in folded_words:
            if word == term.text or (prefix and word.startswith(term.text)):
                marks.append((start, end))
    marks.sort()
    kept: list[tuple[int, int]] = []
    for start, end in marks:
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
