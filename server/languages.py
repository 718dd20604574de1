"""The pages' language: English or Chinese, chosen by ``?lang=`` and remembered in a cookie.

The interface strings are a small catalogue here (a dict per language) rather than Flask-Babel's
gettext catalogues: a few dozen strings need no extraction and compile step, and the labels of
things come from the graph by language (``rdfs:label`` / ``skos:prefLabel``), not from a
catalogue. Only the languages the graph has labels in are offered: English and Chinese (the
other UN languages have no labels in the graph, so a switch to them would show English).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, request

#: The languages offered: code -> its own name.
LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT = "en"
COOKIE = "hkg_lang"
#: A year: the choice is remembered until changed.
COOKIE_SECONDS = 365 * 24 * 3600

#: Interface strings by language; English is the key (an untranslated string shows as is).
CATALOGUE: dict[str, dict[str, str]] = {
    "zh": {
        "UN-Habitat governance as a knowledge graph": "联合国人居署治理知识图谱",
        "Query": "查询",
        "Stored questions": "常用问题",
        "Ontology": "本体",
        "Mandates": "任务授权",
        "Network": "网络",
        "Review": "审核",
        "Completeness": "完整性",
        "SPARQL endpoint": "SPARQL 端点",
        "Language": "语言",
        "triples": "三元组",
        "Facts": "事实",
        "Nothing is said about it; other things point to it.": "图谱未直接描述它；其他事物指向它。",
        "In the report's words": "报告原文",
        "the source of": "来源于此的",
        "curated statements": "条整理陈述",
        "names it": "提及它",
        "What points to it": "指向它的事物",
        "this": "本条",
        "Network around it": "周边网络",
        "The paragraph and its curated statements": "段落原文与整理陈述",
        "Text as written (Chinese)": "报告原文（中文）",
        "Curated statements (English)": "整理陈述（英文）",
        "Curated statements": "整理陈述",
        # the result views (server/templates/_results.html); "Network" is above
        "Table": "表格",
        "Chart": "图表",
        "Timeline": "时间线",
        "Map": "地图",
        "Turtle": "Turtle 文本",
        "Text": "文本",
        "Line": "折线",
        "Bars": "柱状",
        "Chart kind": "图表类型",
        "Filter rows": "筛选行",
        "Previous": "上一页",
        "Next": "下一页",
        "{rows} rows, page {page} of {pages}": "共 {rows} 行，第 {page} 页，共 {pages} 页",
        "Download": "下载",
        "Yes (true)": "是（true）",
        "No (false)": "否（false）",
        "{y} by {x}": "{y}（按{x}）",
        "{y} over {x}": "{y}（随{x}变化）",
        "The graph could not be read: {reason}": "无法读取该图：{reason}",
        # plain names of the external properties (server/entities.py)
        "name": "名称",
        "also called": "又称",
        "called in context": "文中称为",
        "same as": "等同于",
        "title": "标题",
        "part of": "隶属于",
        "involves": "涉及",
        "derived from": "来源于",
        "uses": "使用",
        "has part": "下设",
        "involved in": "参与",
        "source of": "来源于此",
        "used by": "被使用于",
        "subject of": "主题",
        "scheme of": "所含概念",
        "member of": "成员",
        "has top concept": "顶层概念",
        "top concept of": "为其顶层概念",
        "close match of": "近似于",
        "has subclass": "子类",
        "defines": "定义",
        "has instance": "实例",
    }
}


def language() -> str:
    """The language of this request: ``?lang=``, else the cookie, else English."""
    if "language" not in g:
        asked = request.args.get("lang") or request.cookies.get(COOKIE) or DEFAULT
        g.language = asked if asked in LANGUAGES else DEFAULT
    return str(g.language)


def translate(text: str) -> str:
    """``text`` in the page's language (the English when the catalogue lacks it)."""
    return CATALOGUE.get(language(), {}).get(text, text)


def in_language(english: str | None, chinese: str | None) -> tuple[str | None, str | None]:
    """A thing's label in the page's language first, the other beside it (each falls back to
    the other when one is missing)."""
    if language() == "zh":
        return (chinese or english, english if chinese else None)
    return (english or chinese, chinese if english else None)


def switch_url(code: str) -> str:
    """This page's address in language ``code``, keeping its other parameters."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", code)])


def _context() -> dict[str, Any]:
    return {
        "lang": language(),
        "languages": LANGUAGES,
        "t": translate,
        "in_language": in_language,
        "switch_url": switch_url,
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
