"""What the sparql engine knows of XML Schema datatypes: which literals are well formed.

SHACL's sh:datatype fails an ill-typed literal (``"c"^^xsd:byte``, ``"2020-13-45"^^xsd:date``).
SPARQL tells by casting the text: a literal that does not cast is ill-typed. A datatype of XML
Schema that no cast checks cannot be evaluated exactly here, and its shape goes to pySHACL.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import XSD

from habitat_kg.shapes.validation.shapes import NotCompiled

#: Datatypes whose lexical form SPARQL can check by casting: a literal that does not cast is
#: ill-typed (``"2020-13-45"^^xsd:date``) and fails sh:datatype, as in pySHACL.
CASTABLE = frozenset(
    XSD[name]
    for name in (
        "boolean",
        "date",
        "dateTime",
        "decimal",
        "double",
        "duration",
        "float",
        "gYear",
        "gYearMonth",
        "integer",
        "time",
    )
)

#: Integer types derived by restriction: well formed when they cast to xsd:integer and fall in
#: their range.
INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}


def well_formed(datatype: URIRef) -> str:
    """A SPARQL expression true when the literal ``?value`` is well formed for ``datatype``;
    NotCompiled for an XML Schema datatype whose lexical forms SPARQL cannot check."""
    if datatype in CASTABLE:
        return f"COALESCE(isLiteral(<{datatype}>(STR(?value))), false)"
    if datatype in INTEGER_RANGES:
        low, high = INTEGER_RANGES[datatype]
        tests = ["isLiteral(?integer)"]
        tests += [f"?integer >= {low}"] if low is not None else []
        tests += [f"?integer <= {high}"] if high is not None else []
        cast = f"<{XSD.integer}>(STR(?value))"
        return "COALESCE(" + " && ".join(tests).replace("?integer", cast) + ", false)"
    if datatype == XSD.string or not str(datatype).startswith(str(XSD)):
        return "true"  # any text is a string; other datatypes have no lexical rules in SHACL Core
    raise NotCompiled(f"sh:datatype <{datatype}>: the engine cannot check its lexical forms")
