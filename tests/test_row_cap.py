"""A worker's row cap: an answer is cut after exactly ``max_rows`` rows in every format, and the
rows counted in an answer's bytes are never fewer than it holds, whatever its values contain
(braces, quotes, tags and line breaks that look like the format's own row marks)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from habitat_kg.server.store.formats import solutions_writer
from habitat_kg.server.store.query_text import read_query
from habitat_kg.server.store.row_cap import with_row_cap
from habitat_kg.server.store.worker import ROWS_AT_MOST, WorkerRequest, answer

#: Values that spell the row marks of JSON, XML, CSV and TSV inside a term (a value ending in
#: ',{' is written ',{"' in JSON, its closing quote after the brace).
TRICKY = [
    ',{"x":1}',
    "[{}]",
    "{}",
    "ends with ,{",
    "[{",
    "<result></result><result/>",
    'a "quoted" word\\',
    "two\nlines\r\nand\ttab",
]
#: A row per tricky value, a language-tagged and a typed literal, a triple term, and a row with
#: no bound variable at all ({} in JSON).
QUERY = (
    "SELECT ?v WHERE { VALUES ?v { "
    + " ".join(json.dumps(v) for v in TRICKY)
    + ' "{,{\\"x\\"}"@en-GB "[{}]"^^<http://www.w3.org/2001/XMLSchema#token> UNDEF } }'
)
ROWS = len(TRICKY) + 3
TRIPLE_TERM = (
    "SELECT ?t WHERE { VALUES ?n { 1 2 3 } "
    "BIND(<<( <http://example.org/a> <http://example.org/b> ?n )>> AS ?t) }"
)
NO_VARIABLES = "SELECT * WHERE { VALUES () { () () () } }"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return ox.Store()


def _rows(body: bytes, name: str) -> list[tuple[str | None, ...]]:
    """The rows of an answer, header left out (pyoxigraph reads no CSV: the csv module does,
    quoted line breaks included)."""
    if name == "csv":
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode(), newline=""))][1:]
    parsed = ox.parse_query_results(body, format=solutions_writer(name))
    return [tuple(None if term is None else term.value for term in row) for row in parsed]


@pytest.mark.parametrize("name", ["json", "xml", "tsv"])
@pytest.mark.parametrize(("query", "rows"), [(QUERY, ROWS), (TRIPLE_TERM, 3), (NO_VARIABLES, 3)])
def test_rows_counted_in_the_bytes_are_never_fewer_than_the_answer_holds(
    store: ox.Store, name: str, query: str, rows: int
) -> None:
    body = store.query(query).serialize(format=solutions_writer(name))
    for rows_at_most in ROWS_AT_MOST[name]:
        assert rows_at_most(body) >= rows
    empty = store.query("SELECT ?v WHERE { FILTER(false) }").serialize(
        format=solutions_writer(name)
    )
    assert all(rows_at_most(empty) == 0 for rows_at_most in ROWS_AT_MOST[name])


@pytest.mark.parametrize("name", ["json", "xml", "tsv", "csv"])
@pytest.mark.parametrize("cap", [1, 5, ROWS - 1, ROWS, ROWS + 1, 100])
def test_an_answer_is_cut_after_exactly_the_cap(store: ox.Store, name: str, cap: int) -> None:
    whole = store.query(QUERY).serialize(format=solutions_writer(name))
    evaluated, _ = with_row_cap(read_query(QUERY), cap)
    request = WorkerRequest(QUERY, evaluated, name, "ntriples", max_rows=cap)
    status, written, body, kept = answer(store, request, {})
    assert (status, written) == ("ok", name)
    assert kept == (cap if cap < ROWS else None)
    assert len(_rows(whole, name)) == ROWS
    assert _rows(body, name) == _rows(whole, name)[:cap]
    if kept is None:
        assert body == whole


@pytest.mark.parametrize(
    ("limit", "evaluated_limit", "counted"),
    [
        ("5", "5", False),
        ("10", "10", False),
        ("0000000010", "0000000010", False),
        ("11", "11", True),
        ("9" * 4400, "11", True),  # past what int() reads: over the cap, not a 500
        ("1" + "0" * 30, "11", True),
    ],
)
def test_a_query_limit_of_any_length_is_kept_or_capped(
    limit: str, evaluated_limit: str, counted: bool
) -> None:
    evaluated, must_count = with_row_cap(
        read_query(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {limit}"), 10
    )
    assert evaluated.rstrip().endswith(f"LIMIT {evaluated_limit}")
    assert must_count is counted
