"""The pages' language, chosen by ``?lang=`` and remembered in a cookie.

The interface strings are a small catalogue (server/catalogue.py, a dict per language) rather
than Flask-Babel's gettext catalogues: a few hundred strings need no extraction and compile
step, and the labels of things come from the graph by language (``rdfs:label`` /
``skos:prefLabel``), not from a catalogue. English and Chinese have both; the other UN
languages (French, Spanish, Russian, Arabic) are offered for the names of things (countries
have them, from pycountry), their interface strings falling back to English; Arabic pages are
laid out right to left.

Scripts get the strings in the page (``page_words``: a JSON block, see static/words.js).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, request
from markupsafe import Markup

from habitat_kg.server.catalogue import CATALOGUE, SCRIPT
from habitat_kg.server.catalogue_pages import COLUMNS

#: The languages offered: code -> its own name (the six UN languages).
LANGUAGES = {
    "en": "English",
    "zh": "中文",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
}
#: Languages written right to left.
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT = "en"
COOKIE = "hkg_lang"
#: A year: the choice is remembered until changed.
COOKIE_SECONDS = 365 * 24 * 3600


def language() -> str:
    """The language of this request: ``?lang=``, else the cookie, else English."""
    if "language" not in g:
        asked = request.args.get("lang") or request.cookies.get(COOKIE) or DEFAULT
        g.language = asked if asked in LANGUAGES else DEFAULT
    return str(g.language)


def translate(text: str, **values: object) -> str:
    """``text`` in the page's language (the English when the catalogue lacks it), its
    ``{name}`` fields filled with ``values`` (escaped by the template, as the rest)."""
    shown = _catalogued(text)
    return shown.format(**values) if values else shown


def translate_markup(text: str, **values: object) -> Markup:
    """A catalogue string that holds markup (``<code>``, links): the catalogue's own text is
    trusted, every value is escaped."""
    return Markup(_catalogued(text)).format(**values)


def bilingual(text: str) -> Markup:
    """A heading in the page's language; on a page not in Chinese, the Chinese beside it."""
    shown = Markup.escape(translate(text))
    chinese = CATALOGUE["zh"].get(text)
    if language() == "zh" or not chinese:
        return shown
    return shown + Markup(' <span class="zh" lang="zh">{}</span>').format(chinese)


def _catalogued(text: str) -> str:
    found = CATALOGUE.get(language(), {}).get(text)
    return found if found is not None else CATALOGUE["en"].get(text, text)


def direction() -> str:
    """``rtl`` for a language written right to left, else ``ltr``."""
    return "rtl" if language() in RIGHT_TO_LEFT else "ltr"


def page_words() -> dict[str, str]:
    """The strings the page's scripts write, in its language (none for English)."""
    known = CATALOGUE.get(language(), {})
    return {text: known[text] for text in SCRIPT if text in known}


def in_language(english: str | None, chinese: str | None) -> tuple[str | None, str | None]:
    """A thing's label in the page's language first, the other beside it (each falls back to
    the other when one is missing)."""
    if language() == "zh":
        return (chinese or english, english if chinese else None)
    return (english or chinese, chinese if english else None)


def in_page_language(labels: dict[str, str]) -> str:
    """A thing's name from its labels by language: the page's, else English, else Chinese."""
    return labels.get(language()) or labels.get("en") or labels.get("zh") or ""


def column_name(variable: str) -> str:
    """A SPARQL variable as a column's heading: as written in English; in another language
    its words translated (``resolutionCount`` -> 决议数量), else read as English words."""
    if language() == DEFAULT:
        return variable
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_", " ", variable).lower().split()
    known = CATALOGUE.get(language(), {})
    if " ".join(words) in known:
        return known[" ".join(words)]
    if words and all(word in known for word in words):
        return "".join(known[word] for word in words)
    return " ".join(words)


def column_words() -> dict[str, str]:
    """The words of column names (``COLUMNS``) in the page's language, for the result views'
    script to name columns as ``column_name`` does; empty in English."""
    if language() == DEFAULT:
        return {}
    known = CATALOGUE.get(language(), {})
    return {word: known[word] for word in COLUMNS if word in known}


def switch_url(code: str) -> str:
    """This page's address in language ``code``, keeping its other parameters."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def _context() -> dict[str, Any]:
    return {
        "lang": language(),
        "languages": LANGUAGES,
        "t": translate,
        "t_markup": translate_markup,
        "bilingual": bilingual,
        "direction": direction(),
        "page_words": page_words(),
        "in_page_language": in_page_language,
        "in_language": in_language,
        "switch_url": switch_url,
        "column_name": column_name,
        "column_words": column_words,
    }


def _remember(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True)
    if "language" in g:  # the page's words depend on the cookie and the parameter
        response.vary.add("Cookie")
    return response


def install(app: Flask) -> None:
    """Give every template the language, its catalogue and the switch; remember a choice."""
    app.context_processor(_context)
    app.after_request(_remember)
