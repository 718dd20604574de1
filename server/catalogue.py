"""The interface's words in Chinese, English being the key (an untranslated string shows as is).

``PAGE`` holds what the templates show; ``SCRIPT`` what the pages' scripts write, handed to them
in each page as a JSON block (base.html, ``words.js``), never as inline script. A ``{0}`` or
``{name}`` in a string is filled in after translation, so the words around it may move.
The other UN languages (fr, es, ru, ar) have names of things in the graph but no catalogue
here: their pages show these strings in English.
"""

from __future__ import annotations

from habitat_kg.server.catalogue_pages import COLUMNS, ENGLISH_PAGES, REVIEW_SCRIPT
from habitat_kg.server.catalogue_pages import PAGES as MORE_PAGES

#: Strings of the templates.
PAGE: dict[str, str] = {
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
    # the result views (server/templates/_results.html hands them to results.js)
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
    # the search box and page
    "Search": "搜索",
    "Search the graph": "搜索知识图谱",
    "Words or a name": "词语或名称",
    "Words or a name, in English or Chinese": "词语或名称（中文或英文）",
    "Kind": "类别",
    "anything": "全部",
    "resolution": "决议",
    "country": "国家",
    "place": "地点",
    "organization": "组织",
    "document": "文件",
    "event": "活动",
    "mandate": "任务授权",
    # kinds of things (the local names of the ontology's classes)
    "Paragraph": "段落",
    "Resolution": "决议",
    "Decision": "决定",
    "MemberState": "会员国",
    "Country": "国家",
    "City": "城市",
    "Region": "地区",
    "Organization": "组织",
    "Topic": "主题",
    "Document": "文件",
    "Report": "报告",
    "Mandate": "任务授权",
    "Unit": "部门",
    "Event": "活动",
    "Activity": "活动",
    "Session": "届会",
    "Concept": "概念",
    "{n} result for “{query}”": "“{query}”：{n} 条结果",
    "{n} results for “{query}”": "“{query}”：{n} 条结果",
    "Nothing in the graph holds every word of it.": "图谱中没有同时包含这些词语的内容。",
    "search help": (
        "检索段落原文、各语言名称、简称、文件编号、决议编号和国家代码；任意长度的中文词语均可"
        "检索（如 城乡、性别）。以 JSON 获取：<code>Accept: application/json</code> 或 "
        '<code>?format=json</code>；在 SPARQL 中：常用问题 <a href="{url}">search</a>。'
    ),
    # the query page
    "Ask the graph": "查询知识图谱",
    "query help": (
        "用 SPARQL 1.1 查询联合国人居署执行主任关于大会决议执行情况的报告。"
        "默认图为各层（本体、参考、文件、整理）的并集；用 <code>GRAPH</code> 指定某一层。"
        "右侧所列前缀可直接使用：运行查询时会自动加上所需的声明。"
        "点击按钮或按 <kbd>Ctrl</kbd>+<kbd>Enter</kbd> 运行；"
        "<kbd>Ctrl</kbd>+<kbd>Space</kbd> 补全关键词、前缀、本体术语和事物名称。"
        "查询 {timeout} 秒后停止；答案最多 {rows} 行。"
    ),
    "Open queries": "已打开的查询",
    "SPARQL query": "SPARQL 查询",
    "Run query": "运行查询",
    "Copy link": "复制链接",
    "A short link that opens this query": "打开此查询的短链接",
    "Link to this query": "此查询的链接",
    "History": "历史",
    "Clear the history": "清除历史",
    "edit": "编辑",
    "Open this question's SPARQL in a tab of the editor": "在编辑器的新标签页中打开此问题的 SPARQL",
    "Prefixes": "前缀",
    # the network page
    "Network views": "网络视图",
    "network help": (
        "谁与谁合作、为哪些决议、在何处：依据报告的整理陈述绘制，筛选条件与 "
        "<code>habitat-kg network</code> 相同。"
    ),
    "View": "视图",
    "Resolution or decision": "决议或决定",
    "Since": "起始",
    "Until": "截止",
    "Draw": "绘制",
    "Reset": "重置",
    "network filters help": (
        "单独的编号表示所有该编号的决议和决定（大会既通过了第1/3号决议，也通过了第1/3号决定）；"
        "<code>res:</code> 或 <code>dec:</code> 指定其一。决议或国家也可用中文或英文名称给出。"
        "日期：活动日期与所选范围重叠即计入。"
    ),
    "partners": "合作伙伴",
    "bipartite": "二分",
    "geography": "地理",
    "units": "部门",
    "Partners": "合作伙伴",
    "Bipartite": "二分",
    "Geography": "地理",
    "Units": "部门",
    "organizations and units, linked when they take part in the same activity or event": (
        "组织和部门，参与同一活动或事件即相连"
    ),
    "organizations and units on one side, resolutions and decisions on the other": (
        "一侧为组织和部门，另一侧为决议和决定"
    ),
    "resolutions and organizations linked to the countries, regions and cities where they act": (
        "决议和组织与其开展工作的国家、地区和城市相连"
    ),
    "UN-Habitat's own units, with the mandates they carry and the partners they work with": (
        "人居署自身的部门，及其承担的授权和合作伙伴"
    ),
    "no filter": "无筛选",
    "Neighbourhood of": "周边：",
    "Show the whole {view} view": "显示完整的 {view} 视图",
    "{view} network": "{view} 网络",
    "nodes": "个节点",
    "links": "条连线",
    "component": "个连通分量",
    "components": "个连通分量",
    "communities (Louvain, seed {seed})": "个社区（Louvain，种子 {seed}）",
    "activities and events": "项活动和事件",
    "csv is a zip of nodes.csv and edges.csv": "csv 为含 nodes.csv 和 edges.csv 的 zip 文件",
    "Most central": "中心节点",
    "Degree (links)": "度（连线数）",
    "Weighted degree (shared activities)": "加权度（共同活动）",
    "Betweenness (brokers)": "中介中心性（桥梁）",
    "Nodes": "节点",
    "Name": "名称",
    "Other language": "另一语言",
    "Type": "类型",
    "Links": "连线",
    "Community": "社区",
    "Resolutions": "决议",
    "Colour by": "着色依据",
    "type": "类型",
    "community": "社区",
    "Find": "查找",
    "name, 中文名 or IRI": "名称、英文名或 IRI",
    "Click a node or a link for details; hover a node to see its neighbours.": (
        "点击节点或连线查看详情；将鼠标悬停在节点上可查看其相邻节点。"
    ),
    "Click a node or a link.": "点击节点或连线。",
}

#: Strings the pages' scripts write (words.js gives them as HabitatWords.t).
SCRIPT: dict[str, str] = {
    # query.js
    "Running…": "运行中…",
    "{0} row": "{0} 行",
    "{0} rows": "{0} 行",
    "graph": "图",
    "{0} in {1} s": "{0}，用时 {1} 秒",
    "The answer was cut at {0} rows (the server's row limit).": (
        "答案在第 {0} 行处截断（服务器的行数上限）。"
    ),
    "The endpoint could not be reached: {0}": "无法连接端点：{0}",
    "Failed after {0} s": "{0} 秒后失败",
    "Timed out. ": "超时。",
    "Error {0}. ": "错误 {0}。",
    "Link copied ({0} characters)": "链接已复制（{0} 个字符）",
    "Copy the link beside ({0} characters)": "请复制旁边的链接（{0} 个字符）",
    "This link's query was not opened: {0}": "未能打开此链接中的查询：{0}",
    # query-tabs.js
    "Query {0}": "查询 {0}",
    "Close {0}": "关闭 {0}",
    "New query tab": "新查询标签页",
    "Queries you run are listed here (in this browser only).": (
        "您运行的查询列在此处（仅保存在本浏览器中）。"
    ),
    # sparql-words.js: the editor's gutter
    "{0} is not a SPARQL keyword — did you mean {1}?": "{0} 不是 SPARQL 关键词——您是想写 {1} 吗？",
    "{0} is not a SPARQL keyword: a variable starts with ? (?{0}), a name has a prefix (hkg:{0})": (
        "{0} 不是 SPARQL 关键词：变量以 ? 开头（?{0}），名称带前缀（hkg:{0}）"
    ),
    "the prefix {0}: is not declared: add PREFIX {0}: <...> at the top": (
        "前缀 {0}: 未声明：请在开头加上 PREFIX {0}: <...>"
    ),
    "this string is not closed: its {0} at the end is missing": "字符串未闭合：缺少结尾的 {0}",
    "this {0} closes the {1} of line {2}, which needs a {3}": (
        "此 {0} 闭合了第 {2} 行的 {1}，那里需要 {3}"
    ),
    "this {0} closes nothing: no {1} before it": "此 {0} 没有可闭合的内容：前面没有 {1}",
    "this {0} is never closed: a {1} is missing": "此 {0} 没有闭合：缺少 {1}",
    "line {0}: {1}": "第 {0} 行：{1}",
    "the query cannot be read from {0} on": "查询从 {0} 起无法解析",
    "the query ends before it is complete": "查询在完整之前就结束了",
    "{0} (the parser expected {1})": "{0}（解析器期望 {1}）",
    " or ": " 或 ",
    " or another": " 或其他",
    "domain: {0}": "定义域：{0}",
    "range: {0}": "值域：{0}",
    # plain-results.js and the result views (results/results.js)
    "Answer: {0}": "答案：{0}",
    "yes (true)": "是（true）",
    "no (false)": "否（false）",
    # network-view.js: the details and the legend
    "type": "类型",
    "links": "连线",
    "activities and events": "活动和事件",
    "community": "社区",
    "country": "国家",
    "resolutions": "决议",
    "relation": "关系",
    "weight": "权重",
    "first": "最早",
    "last": "最近",
    "Show its neighbourhood": "显示其周边",
    "Activities and events that make this link:": "构成此连线的活动和事件：",
    "community {0}": "社区 {0}",
    "organization": "组织",
    "UN-Habitat unit or body": "人居署部门或机构",
    "governing body": "理事机构",
    "region": "地区",
    "city": "城市",
    "resolution": "决议",
    "decision": "决定",
    "mandate": "任务授权",
    "post": "职位",
    "other": "其他",
    # suggest.js
    "Suggestions": "建议",
}

SCRIPT.update(REVIEW_SCRIPT)

#: The longer texts with markup, kept here by a short key: their English.
ENGLISH: dict[str, str] = {
    "search help": (
        "Paragraph texts, names in every language of the graph, acronyms, document symbols, "
        "resolution numbers and country codes are searched; Chinese words of any length are "
        "found (城乡, 性别). As JSON: <code>Accept: application/json</code> or "
        '<code>?format=json</code>; from SPARQL: the stored question <a href="{url}">search</a>.'
    ),
    "query help": (
        "Write SPARQL 1.1 against the reports of UN-Habitat's Executive Director on the "
        "Assembly's resolutions. The default graph is the union of the layers (ontology, "
        "reference, document, curated); name a layer with <code>GRAPH</code>. The prefixes "
        "listed on the right are ready: running a query adds the declarations it needs. Run "
        "with the button or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>; <kbd>Ctrl</kbd>+<kbd>Space</kbd> "
        "completes keywords, prefixes, the ontology's terms and things by name. Queries stop "
        "after {timeout} s; answers carry at most {rows} rows."
    ),
    "network help": (
        "Who works with whom, for which resolutions, and where: built from the curated "
        "statements of the report, with the same filters as <code>habitat-kg network</code>."
    ),
    "network filters help": (
        "A bare number means every resolution and decision so numbered (the Assembly adopted "
        "both a resolution 1/3 and a decision 1/3); <code>res:</code> or <code>dec:</code> picks "
        "one. A resolution or a country may also be given by its name, in English or Chinese. "
        "Dates: an activity counts when its dates overlap the range."
    ),
}

#: Every language's catalogue; a language without one (fr, es, ru, ar) shows English.
CATALOGUE: dict[str, dict[str, str]] = {
    "en": {**ENGLISH, **ENGLISH_PAGES},
    "zh": {**COLUMNS, **PAGE, **SCRIPT, **MORE_PAGES},
}
