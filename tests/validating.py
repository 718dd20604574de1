"""What the tests of ``habitat-kg validate`` share: small RDF files and one way to run it."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from habitat_kg.cli import main

HABITAT_KG = shutil.which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
SESSION = "2020-10-27"
PREFIXES = """@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
KENYA_CODES = 'hkg:iso3166Alpha2 "KE" ; hkg:iso3166Alpha3 "KEN" ; hkg:m49Code "404"'
#: A country with its names and codes: nothing to find.
CONFORMING = (
    PREFIXES + f'ex:kenya a hkg:Country ; rdfs:label "Kenya"@en , "肯尼亚"@zh ; {KENYA_CODES} .\n'
)
#: A country with no Chinese name (a warning), one with its code in lower case (a violation).
FLAWED = (
    PREFIXES
    + f"""ex:kenya a hkg:Country ; rdfs:label "Kenya"@en ; {KENYA_CODES} .
ex:tanzania a hkg:MemberState ;
    rdfs:label "United Republic of Tanzania"@en , "坦桑尼亚联合共和国"@zh ;
    hkg:iso3166Alpha2 "tz" ; hkg:iso3166Alpha3 "TZA" ; hkg:m49Code "834" .
"""
)
#: Only a warning: Kenya with no Chinese name.
WARNING_ONLY = PREFIXES + f'ex:kenya a hkg:Country ; rdfs:label "Kenya"@en ; {KENYA_CODES} .\n'


def validate(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def one_error_line(result: Result, *words: str) -> None:
    """Bad input: exit 2, nothing on stdout, one line on stderr naming the problem."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("habitat-kg: error: ")
    for word in words:
        assert word in lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
