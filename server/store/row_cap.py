"""The row cap: a SELECT query evaluated with a LIMIT one past the cap, so that the store stops
there instead of computing an answer nobody is sent."""

from __future__ import annotations

from habitat_kg.server.store.query_text import QueryText


def with_row_cap(query: QueryText, max_rows: int) -> tuple[str, bool]:
    """The text to evaluate so that the store stops one row past ``max_rows``, and whether the
    answer may still have more than ``max_rows`` rows (and must be counted and cut).

    A SELECT query gets a ``LIMIT`` of ``max_rows + 1`` (or keeps its own, if smaller); the
    other forms are evaluated as written and their triples cut while they are read.
    """
    capped = query._row_caps.get(max_rows)
    if capped is None:
        capped = query._row_caps[max_rows] = _row_capped(query, max_rows)
    return capped


def _row_capped(query: QueryText, max_rows: int) -> tuple[str, bool]:
    if query.form != "SELECT":
        return query.text, True
    bound = max_rows + 1
    top = [token for token in query.tokens if token.depth == 0]
    for index, token in enumerate(top):
        if token.is_word("LIMIT") and index + 1 < len(top) and top[index + 1].kind == "number":
            limit = top[index + 1]
            if not limit.text.isdigit():
                return query.text, True  # the parser will say what is wrong with it
            # a number longer than the cap's is over it (int() refuses past 4300 digits)
            if len(limit.text.lstrip("0")) <= len(str(max_rows)) and int(limit.text) <= max_rows:
                return query.text, False
            return query.text[: limit.start] + str(bound) + query.text[limit.end :], True
    for token in top:
        if token.is_word("VALUES"):  # the trailing VALUES clause comes after the modifiers
            return query.text[: token.start] + f"LIMIT {bound}\n" + query.text[token.start :], True
    return query.text + f"\nLIMIT {bound}\n", True
