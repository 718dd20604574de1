"""Small rdflib helpers shared by the builder and the rdflib store."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph
from rdflib import Dataset


@contextmanager
def rdflib_internals_quiet() -> Iterator[None]:
    """Silence the deprecation warnings that rdflib 7.6 raises about its own code.

    Its TriG parser and serializer build the ``ConjunctiveGraph`` and call the
    ``default_context`` that rdflib itself deprecated; only warnings raised from inside rdflib's
    modules are silenced, so a deprecated call of ours still fails the tests.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
        yield


def parse_trig(text: str) -> Dataset:
    """A dataset parsed from TriG text."""
    dataset = Dataset()
    with rdflib_internals_quiet():
        dataset.parse(data=text, format="trig")
    return dataset


def trig_syntax_error(text: str) -> tuple[int | None, str] | None:
    """Where a TriG text is malformed, as (line, message), or None when it is well formed.

    pyoxigraph's parser reports the exact line and column; rdflib's sometimes points elsewhere.
    """
    try:
        for _ in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG):
            pass
    except SyntaxError as error:
        message = str(error.msg if hasattr(error, "msg") else error)
        return error.lineno, message.removeprefix("Parser error ")
    return None
