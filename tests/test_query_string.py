"""The endpoint's reading of URL parameters (server/sparql/query_string.py) gives what werkzeug's
``Request.args`` gives, on the common case it takes apart and on every other one."""

from __future__ import annotations

import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from habitat_kg.server.questions import all_questions
from habitat_kg.server.sparql.query_string import EndpointRequest, parse_query_string


def _werkzeug_args(query_string: bytes) -> list[tuple[str, str]]:
    environ = EnvironBuilder().get_environ()
    environ["QUERY_STRING"] = query_string.decode("latin-1")
    return list(Request(environ).args.items(multi=True))


def _ours(query_string: bytes) -> list[tuple[str, str]]:
    environ = EnvironBuilder().get_environ()
    environ["QUERY_STRING"] = query_string.decode("latin-1")
    return list(EndpointRequest(environ).args.items(multi=True))


@pytest.mark.parametrize(
    "query_string",
    [
        b"",
        b"&&",
        b"=",
        b"a",
        b"a=",
        b"=b",
        b"a=b=c",
        b"a=1&a=2&b",
        b"query=SELECT+*+WHERE+%7B%3Fs+%3Fp+%3Fo%7D&format=json",
        b"q=%41%6a%4A",  # either case of hex digits
        b"q=back%5Cslash\\x41\\%41\\\\n",  # backslashes in the text and escaped
        b"q=%C3%A9t%C3%A9+%E4%B8%AD",  # UTF-8
        b"q=%zz",  # not an escape: kept as it is
        b"q=50%",
        b"q=%4",
        b"q=%C3",  # a byte that is not UTF-8 alone: left percent-encoded
        b"q=%FF%FE",
        b"q=\xc3\xa9",  # a raw byte that is not ASCII
        b"q=%00%0A%0d",
    ],
)
def test_reads_parameters_as_werkzeug_does(query_string: bytes) -> None:
    assert _ours(query_string) == _werkzeug_args(query_string)


def test_reads_every_stored_question_as_sent_by_get() -> None:
    for question in all_questions():
        sparql = question.sparql()
        encoded = urllib.parse.urlencode({"query": sparql, "format": "json"}).encode()
        assert parse_query_string(encoded) == [("query", sparql), ("format", "json")]


_PIECES = st.sampled_from(
    ["%", "%4", "%41", "%c3%a9", "%C3", "%e4%b8%ad", "%ZZ", "+", "=", "&", "\\", "\\x41", "a"]
)


@given(st.lists(st.one_of(_PIECES, st.text(alphabet="az09=&+%\\-_.~", max_size=4)), max_size=12))
def test_any_query_string_reads_as_werkzeug_reads_it(pieces: list[str]) -> None:
    query_string = "".join(pieces).encode()
    assert _ours(query_string) == _werkzeug_args(query_string)
