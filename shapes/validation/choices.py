"""The names the validation offers, without the validator: what ``habitat-kg validate``'s
options and the /validate page list are known before pySHACL and the engine are loaded (only
when a graph is validated)."""

from __future__ import annotations

#: The engines that validate: SHACL Core as SPARQL asked of the store, or pySHACL.
ENGINES: tuple[str, ...] = ("sparql", "pyshacl")

#: The severities of SHACL, from the worst.
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")

#: How ``habitat-kg validate`` may write the report.
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "turtle", "html", "csv")
