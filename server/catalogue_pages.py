"""The Chinese of the stored questions', ontology, completeness, mandate registry and review
pages (server/catalogue.py merges it into the catalogue; English is the key)."""

from __future__ import annotations

#: Column names of answers made from SPARQL variables (``_table.html``), read as words.
COLUMNS: dict[str, str] = {
    "label": "名称",
    "label zh": "中文名称",
    "name": "名称",
    "count": "数量",
    "resolution": "决议",
    "resolutions": "决议",
    "decision": "决定",
    "mandate": "任务授权",
    "mandates": "任务授权",
    "organization": "组织",
    "organizations": "组织",
    "partner": "伙伴",
    "country": "国家",
    "countries": "国家",
    "city": "城市",
    "region": "地区",
    "date": "日期",
    "start": "开始日期",
    "end": "结束日期",
    "year": "年份",
    "status": "状况",
    "session": "会议",
    "report": "报告",
    "reports": "报告",
    "paragraph": "段落",
    "paragraphs": "段落",
    "text": "文本",
    "unit": "部门",
    "units": "部门",
    "activity": "活动",
    "activities": "活动",
    "events": "事件",
    "title": "标题",
    "number": "编号",
    "symbol": "文号",
    "type": "类型",
    "kind": "种类",
    "role": "角色",
    "body": "机构",
    "topic": "主题",
    "theme": "主题",
    "sdg": "可持续发展目标",
    "goal": "目标",
    "first": "最早",
    "last": "最近",
    "score": "得分",
    "share": "占比",
    "item": "条目",
    "numbers": "编号",
    "role name": "角色",
}

#: The pages' own words.
PAGES: dict[str, str] = {
    # questions.html, question.html
    "Cross-cutting questions about the reports, each at its own address, as a page, as JSON "
    "(<code>?format=json</code>) and as CSV (<code>?format=csv</code>).": "关于各报告的综合性问题，"
    "每个问题都有自己的地址，可作为网页、JSON（<code>?format=json</code>）或 CSV"
    "（<code>?format=csv</code>）获取。",
    "Parameters:": "参数：",
    "any": "任意",
    "Ask": "提问",
    "{n} row": "{n} 行",
    "{n} rows": "{n} 行",
    "Open in the query editor": "在查询编辑器中打开",
    "No answer: the graph has nothing that fits.": "无结果：图谱中没有符合条件的内容。",
    # the stored questions' parameters (their "# param:" lines, server/queries/questions)
    "Country (a name such as Mexico or 墨西哥, or ISO alpha-3 such as MEX)": (
        "国家（名称，如墨西哥或 Mexico，或 ISO 三字母代码，如 MEX）"
    ),
    "Document (its symbol such as HSP/EB.2020/13/Add.1, or its name)": "文件（文号，如"
    " HSP/EB.2020/13/Add.1，或其名称）",
    "From (YYYY-MM-DD)": "自（YYYY-MM-DD）",
    "To (YYYY-MM-DD)": "至（YYYY-MM-DD）",
    "Organization, unit or post (a name such as FAO or 粮农组织, or its IRI)": "组织、部门或职位"
    "（名称，如粮农组织或 FAO，或其 IRI）",
    "Resolution or decision (1/5, dec:1/3, Resolution 1/5, 第1/5号决议)": "决议或决定（1/5、"
    "dec:1/3、第1/5号决议、Resolution 1/5）",
    "Resolution or decision (1/5, dec:1/3, 第1/5号决议; empty: all)": "决议或决定（1/5、dec:1/3、"
    "第1/5号决议；留空：全部）",
    "Thing (a name in English or Chinese, or its IRI)": "事物（中文或英文名称，或其 IRI）",
    "Words to find (English or Chinese, e.g. 城乡, gender, HSP/EB.2020/13)": "要查找的词语（中文或"
    "英文，如城乡、gender、HSP/EB.2020/13）",
    # ontology.html
    "The habitat-kg ontology": "habitat-kg 本体",
    "ontology intro": "面向联合国政府间治理的类和属性。它们沿用 W3C ORG、PROV-O、都柏林核心、SKOS、"
    "schema.org 和 OWL-Time 以及联合国自己的词表（UNDO、可持续发展目标知识组织系统）："
    "“上位 / 对应”一栏说明其关系。“图谱中”一栏统计某类的事物数和使用某属性的陈述数。",
    "Prefixes to paste": "可粘贴的前缀",
    "Classes": "类",
    "Properties": "属性",
    "Class": "类",
    "Property": "属性",
    "Meaning": "含义",
    "Is a / aligns with": "上位 / 对应",
    "In the graph": "图谱中",
    "Example": "示例",
    "Domain → range": "定义域 → 值域",
    "query": "查询",
    "Controlled vocabularies": "受控词表",
    # validate.html, _validation_report.html, validation_page.html
    "Completeness before a session": "届会前的完整性检查",
    "completeness intro": "依据 habitat-kg 的 SHACL 形状检查记录中缺少的内容：没有报告进展的决议、"
    "没有部门承担的任务授权、没有日期的事件、届会前计划但没有结果的事项。",
    "Session date": "届会日期",
    "Show": "显示",
    "{severity} and above": "{severity}及以上",
    "Check": "检查",
    "Data": "数据",
    "{n} triples": "{n} 个三元组",
    "Severity shown": "显示级别",
    "Shapes": "形状",
    "{n} shapes, checked in {seconds} s": "{n} 个形状，检查用时 {seconds} 秒",
    "Things with findings": "存在问题的条目",
    "path": "路径",
    "value": "值",
    "shape": "形状",
    "Validation report": "验证报告",
    "{count} {severity} findings": "{count} 项{severity}",
    "Found {counts} about {n} things.": "发现 {counts}，涉及 {n} 个条目。",
    "Nothing found at or above {severity}: the data conforms.": "未发现{severity}及以上级别的问题："
    "数据符合要求。",
    "Not shown: {counts} (below {severity}).": "未显示：{counts}（低于{severity}）。",
    "Violation": "违规",
    "Warning": "警告",
    "Info": "提示",
    # the mandate registry (server/mandates/templates)
    "Mandate registry": "任务授权登记册",
    "Registry": "登记册",
    "Matrix": "矩阵",
    "Schedule": "日程",
    "{shown} of {total} mandates": "共 {total} 项任务授权，显示 {shown} 项",
    "Facets": "分面",
    "Text in the mandate": "任务授权文本",
    "Filter": "筛选",
    "Clear all filters": "清除全部筛选",
    "remove this filter": "取消此筛选",
    "No mandate meets these filters.": "没有符合这些筛选条件的任务授权。",
    "Mandate": "任务授权",
    "Addressee": "对象",
    "Action": "行动",
    "Due · reporting": "期限 · 报告",
    "Latest status": "最新状况",
    "adopted more than five years ago": "通过已逾五年",
    "> 5 years": "> 5 年",
    "no review or end clause": "无审查或终止条款",
    "no end clause": "无终止条款",
    "by {due}": "{due} 前",
    "report to {body}": "向{body}报告",
    "Mandates by report": "各报告中的任务授权",
    "{shown} of {total} mandates, {reports} reports in date order": "共 {total} 项任务授权，"
    "显示 {shown} 项；{reports} 份报告，按日期排列",
    "Legend": "图例",
    "no status from this report": "该报告未给出状况",
    "no status": "无状况",
    "No resolution recorded": "未记录决议",
    "{n} mandate": "{n} 项任务授权",
    "{n} mandates": "{n} 项任务授权",
    "The status of each mandate as each report shows it, by resolution": "按决议列出各报告所示的"
    "每项任务授权的状况",
    "What is due": "待办日程",
    "From": "自",
    "Nothing is due from {date} on.": "自 {date} 起没有到期事项。",
    "When": "时间",
    "What": "事项",
    "date not known": "日期不详",
    "deadline": "截止期限",
    "all statements": "全部陈述",
    "Adopted on {date}: older than five years; check whether it was renewed.": "通过于 {date}："
    "已逾五年；请核实是否已续期。",
    "Operative paragraph": "执行部分段落",
    "The graph holds no operative paragraph for this mandate (it was recorded from a report's "
    "paraphrase).": "图谱中没有此任务授权的执行部分段落（它是根据报告的转述记录的）。",
    "Resolution or decision": "决议或决定",
    "Adopted at": "通过于",
    "What is asked": "要求事项",
    "Deadline": "期限",
    "none": "无",
    "Reporting requirement": "报告要求",
    "to {body}": "向{body}",
    ", at {session}": "，于{session}",
    "Resources": "资源",
    "not said": "未说明",
    "Review or end clause": "审查或终止条款",
    "yes": "有",
    "Status report by report": "各报告所述执行状况",
    "in": "见",
    "No paragraph speaks to it.": "没有段落述及此事。",
    "No report has given this mandate a status yet.": "尚无报告给出此任务授权的状况。",
    "Who carries it out": "执行方",
    "Units": "部门",
    "Activities": "活动",
    "No activity of the graph is recorded for this mandate.": "图谱中没有为此任务授权记录活动。",
    # the review pages' chrome (server/curation/templates)
    "Review the proposed statements": "审核建议的陈述",
    "review intro": "项目来源中已导入的每份报告及其审核情况。打开一份报告，逐段接受、拒绝或更正"
    "提取程序提出的建议。",
    "report": "报告",
    "file": "文件",
    "pending": "待审",
    "accepted": "已接受",
    "corrected": "已更正",
    "rejected": "已拒绝",
    "no proposals (curated by hand, or ingested before proposals existed)": "无建议（人工整理，"
    "或在有建议功能之前导入）",
    "Report {id}": "报告 {id}",
    "Curator (your name, kept in this browser)": "审核人（您的姓名，保存在此浏览器中）",
    "No report in the sources yet: <code>habitat-kg ingest REPORT.txt</code> adds one.": "来源中"
    "还没有报告：<code>habitat-kg ingest REPORT.txt</code> 可添加一份。",
    '<strong id="pending-count">{pending}</strong> proposals pending in {paragraphs} paragraphs.': (
        '{paragraphs} 个段落中有 <strong id="pending-count">{pending}</strong> 条建议待审。'
    ),
    "Accepted statements go to the project's sources and are served at once.": "接受的陈述写入"
    "项目来源，并立即提供服务。",
    "Which rows to show": "显示哪些行",
    "state": "状态",
    "all": "全部",
    "confidence": "置信度",
    "to": "至",
    "lowest confidence shown": "显示的最低置信度",
    "highest confidence shown": "显示的最高置信度",
    "links only": "仅关联",
    "Paragraphs": "段落",
    "review keys": "行内按键：<kbd>j</kbd>/<kbd>k</kbd> 下一行/上一行，<kbd>a</kbd> 接受，"
    "<kbd>r</kbd> 拒绝，<kbd>e</kbd> 更正，<kbd>p</kbd> 接受整段，<kbd>u</kbd> 撤销上一项决定。",
    "Accept the paragraph ({n} pending)": "接受整段（{n} 条待审）",
    "Nothing pending here.": "此处没有待审事项。",
    "Proposals of paragraph {n}": "第 {n} 段的建议",
    "statement": "陈述",
    "conf.": "置信度",
    "Correct": "更正",
    "Save the correction": "保存更正",
    "replaced": "已替换",
    "The extractor proposes nothing here.": "提取程序在此未提出建议。",
    "Add a statement": "添加陈述",
    "the kind's usual one": "该种类的常用谓词",
    "type a name (en or 中文), a date or a number": "输入名称（英文或中文）、日期或数字",
    "Add": "添加",
}

#: The markup texts' English, by key (their Chinese is in PAGES under the same key).
ENGLISH_PAGES: dict[str, str] = {
    "ontology intro": (
        "Classes and properties for UN intergovernmental governance. They reuse W3C ORG, "
        "PROV-O, Dublin Core, SKOS, schema.org and OWL-Time, and the UN's own vocabularies "
        "(UNDO, the SDG KOS): the column “is a / aligns with” says how. “In the graph” counts "
        "things of a class and statements with a property."
    ),
    "completeness intro": (
        "What the record is missing, checked against the SHACL shapes of habitat-kg: a "
        "resolution with no progress reported, a mandate no unit carries, an event without "
        "dates, something planned before the session with no outcome."
    ),
    "review keys": (
        "Keys on a row: <kbd>j</kbd>/<kbd>k</kbd> next/previous row, <kbd>a</kbd> accept, "
        "<kbd>r</kbd> reject, <kbd>e</kbd> correct, <kbd>p</kbd> accept the paragraph, "
        "<kbd>u</kbd> undo the last decision."
    ),
    "review intro": (
        "Each report ingested into the project's sources, with what its review holds. Open one "
        "to accept, reject or correct what the extractor proposed, paragraph by paragraph."
    ),
}

#: What the review page's script writes (server/curation/static/curation.js).
REVIEW_SCRIPT: dict[str, str] = {
    "Saving, and rebuilding the served graph…": "正在保存并重建所提供的图谱…",
    "Saved: {0}.": "已保存：{0}。",
    " The served graph does not show it yet: {0}": " 所提供的图谱尚未显示：{0}",
    "{0} of {1} rows shown": "显示 {1} 行中的 {0} 行",
}
