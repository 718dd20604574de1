"""Stored questions: cross-cutting SPARQL queries an analyst of the reports asks, as ``.rq`` files.

The files live in ``server/queries/questions/``. Each starts with a header of comment lines that
say what the question is::

    # title: Partners that work on more than one resolution
    # title@zh: 参与多项决议工作的伙伴
    # description: Organizations associated with activities or events for two or more ...
    # param: resolution | resolution | Resolution or decision | 1/5

A parameter line gives ``name | kind | label | default``; the query names the parameter as the
variable ``$name``. When a value is given (or the parameter has a default) ``$name`` is replaced
by that value as a checked SPARQL term; when it is left empty ``$name`` stays a variable, so an
optional parameter means "any". ``?name`` and ``$name`` are the same variable in SPARQL, so a
question never projects its parameters. A value given empty where the parameter has a default
is refused (it is a mistake, not a wish for the default).

Kinds: ``resolution``, ``country``, ``organization``, ``iri`` (any thing) and ``symbol`` (a
document) take a name in English or Chinese from the search index (``binding``), as well as an
IRI, CURIE, number or code; ``date`` and ``text`` take what they say; ``search`` takes words,
looked up in the full-text index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from habitat_kg.graph.search import Names, UnknownName
from habitat_kg.queries import queries_in
from habitat_kg.server.questions.binding import NAMED, bind, with_values
from habitat_kg.server.questions.terms import KINDS, substitute

_HEADER = re.compile(r"^#\s*(?P<key>[\w@-]+):\s*(?P<value>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The kinds a parameter line may name: a term's kind, a kind of thing named, or a search.
PARAMETER_KINDS = frozenset(KINDS) | frozenset(NAMED) | {"search"}


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    label: str
    default: str = ""


@dataclass(frozen=True)
class StoredQuestion:
    name: str
    title_en: str
    title_zh: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def sparql(self, values: Mapping[str, str] | None = None, names: Names | None = None) -> str:
        """The query with each given (or default) parameter replaced by its SPARQL term(s).

        Raises ValueError naming the parameter when a value is not of its kind, names nothing
        (UnknownName, with the closest names), is given empty where the parameter has a
        default, or is given for a parameter the question does not have.
        """
        return self.prepared(values, names).sparql

    def prepared(
        self, values: Mapping[str, str] | None = None, names: Names | None = None
    ) -> Prepared:
        """The query and the notes on what the values named (see ``sparql``); ``names``
        (the search index's) lets a value be a name, see ``binding``."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.parameters})
        if unknown:
            raise ValueError(f"question {self.name!r} has no parameter {unknown[0]!r}")
        text, notes = self.text, []
        for parameter in self.parameters:
            given = values.get(parameter.name)
            if given is not None and not given.strip() and parameter.default:
                _refuse_empty(parameter, names)
            raw = (given if given is not None else parameter.default).strip()
            if not raw:
                continue  # the parameter stays a variable: any value
            bound = bind(parameter.name, parameter.kind, raw, names)
            if len(bound.terms) == 1 and not bound.ranked:
                text = substitute(text, {parameter.name: bound.terms[0]})
            else:
                text = with_values(text, bound)
            if bound.note:
                notes.append(bound.note)
        return Prepared(text, tuple(notes))


@dataclass(frozen=True)
class Prepared:
    """A question ready to run: its SPARQL, and what to tell about the values it was given."""

    sparql: str
    notes: tuple[str, ...] = ()


def _refuse_empty(parameter: Parameter, names: Names | None) -> None:
    """An empty value where there is a default is a mistake, not a wish for the default."""
    problem = f"is empty: give a value, or leave the parameter out for {parameter.default!r}"
    if names is not None and parameter.kind in NAMED:
        offered = names.offered(parameter.default, NAMED[parameter.kind])
        raise UnknownName(parameter.name, "", problem, offered)
    raise ValueError(f"parameter {parameter.name!r}: '' {problem}")


def _parse(name: str, text: str) -> StoredQuestion:
    header: dict[str, str] = {}
    parameters = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            if line.strip() and not line.startswith("#"):
                break
            continue
        key, value = match["key"], match["value"].strip()
        if key == "param":
            parameters.append(_parameter(name, value))
        else:
            header[key] = value
    missing = [key for key in ("title", "title@zh", "description") if not header.get(key)]
    if missing:
        raise ValueError(f"stored question {name}.rq has no {missing[0]!r} line")
    return StoredQuestion(
        name, header["title"], header["title@zh"], header["description"], tuple(parameters), text
    )


def _parameter(question: str, line: str) -> Parameter:
    parts = [part.strip() for part in line.split("|")]
    if len(parts) not in (3, 4) or parts[1] not in PARAMETER_KINDS:
        raise ValueError(
            f"stored question {question}.rq: a param line is 'name | kind | label | default' "
            f"with kind one of {', '.join(sorted(PARAMETER_KINDS))}; got {line!r}"
        )
    return Parameter(*parts)


@cache
def all_questions() -> tuple[StoredQuestion, ...]:
    """Every stored question, by name; read once per process."""
    questions = []
    for name, text in queries_in("habitat_kg.server", "questions").items():
        if not _NAME.match(name):
            raise ValueError(f"stored question file name {name + '.rq'!r} is not a-z0-9-")
        questions.append(_parse(name, text))
    return tuple(questions)


def get(name: str) -> StoredQuestion:
    """The stored question called ``name``; KeyError names the known ones when there is none."""
    for question in all_questions():
        if question.name == name:
            return question
    known = ", ".join(q.name for q in all_questions())
    raise KeyError(f"no stored question {name!r}; known: {known}")
