"""A local page with the result views alone (server/templates/_results.html's scripts, in its
order), and helpers to hand it answers and read it back; for the *results_views*_browser tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/habitat-kg/"
XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = '<script>window.hacked=1</script><img src=x onerror="window.hacked=2">\'"'
#: Where each blueprint's static files are, for the template's url_for calls.
STATIC = {"pages": ROOT / "server/static", "network": ROOT / "graph/network/static"}


def scripts_and_styles() -> list[tuple[str, Path]]:
    """("script" or "style", file) of the template, in its order."""
    template = (ROOT / "server/templates/_results.html").read_text(encoding="utf-8")
    tag = r"<(script|link)[^>]*url_for\('(\w+)\.static', filename='([^']+)'\)"
    found = re.findall(tag, template)
    return [
        ("style" if tag == "link" else "script", STATIC[blueprint] / name)
        for tag, blueprint, name in found
    ]


def write_views_page(folder: Path) -> Path:
    """An HTML file that loads the result views and has an empty ``#out``; first the script
    every page has from base.html (words.js: its words and JSON blocks, which the views read)."""
    tags = [f'<script src="{(STATIC["pages"] / "words.js").as_uri()}"></script>'] + [
        f'<link rel="stylesheet" href="{path.as_uri()}">'
        if kind == "style"
        else f'<script src="{path.as_uri()}"></script>'
        for kind, path in scripts_and_styles()
    ]
    html = folder / "views.html"
    html.write_text(
        "<!doctype html><meta charset=utf-8>" + "".join(tags) + '<div id="out"></div>',
        encoding="utf-8",
    )
    return html


def term(value: str, datatype: str | None = None, kind: str = "literal") -> dict[str, str]:
    """A term of a SPARQL JSON answer."""
    made = {"type": kind, "value": value}
    if datatype:
        made["datatype"] = XSD + datatype
    return made


def answer_of(vars_: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"head": {"vars": vars_}, "results": {"bindings": rows}}


def render(page: Any, answer: dict[str, Any], options: dict[str, Any] | None = None) -> None:
    page.execute_script(
        "window.HabitatResults.render(document.getElementById('out'), JSON.parse(arguments[0]),"
        " JSON.parse(arguments[1]));",
        json.dumps(answer),
        json.dumps(options),
    )


def texts(page: Any, selector: str) -> list[str]:
    return page.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);",
        selector,
    )
