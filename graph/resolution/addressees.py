"""Whom an operative paragraph asks to act: the words right after its verb.

"Requests the Executive Director, within available resources, to …", "Urges Member States and
local authorities to …", "请执行主任在现有资源范围内……", "敦促会员国和地方政府……". Known
addressees are recognised in both languages (and get the project's IRI where one exists); a
body on no list is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from habitat_kg.graph.resolution.model import Addressee
from habitat_kg.namespaces import ID


@dataclass(frozen=True)
class KnownAddressee:
    key: str
    en: str
    zh: str
    #: Other ways the texts write it (lower case for English).
    variants: tuple[str, ...] = ()
    #: The project's IRI for it; groups get ``group/KEY``.
    iri: URIRef | None = None

    @property
    def node(self) -> URIRef:
        return self.iri or ID[f"group/{self.key}"]


KNOWN: tuple[KnownAddressee, ...] = (
    KnownAddressee(
        "executive-director",
        "Executive Director",
        "执行主任",
        (
            "executive director of un-habitat",
            "executive director of the united nations human settlements programme",
        ),
        ID["post/executive-director"],
    ),
    KnownAddressee("member-states", "Member States", "会员国", ("成员国",)),
    KnownAddressee(
        "executive-board", "Executive Board", "执行局", ("人居署执行局",), ID["org/executive-board"]
    ),
    KnownAddressee(
        "un-habitat-assembly",
        "UN-Habitat Assembly",
        "人居大会",
        ("united nations habitat assembly", "联合国人居大会"),
        ID["org/un-habitat-assembly"],
    ),
    KnownAddressee(
        "un-habitat",
        "UN-Habitat",
        "人居署",
        ("united nations human settlements programme", "联合国人居署", "联合国人类住区规划署"),
        ID["org/un-habitat"],
    ),
    KnownAddressee("development-partners", "development partners", "发展伙伴"),
    KnownAddressee("local-authorities", "local authorities", "地方当局"),
    KnownAddressee("local-governments", "local governments", "地方政府"),
    KnownAddressee(
        "local-and-regional-governments", "local and regional governments", "地方和区域政府"
    ),
    KnownAddressee(
        "international-financial-institutions",
        "international financial institutions",
        "国际金融机构",
    ),
    KnownAddressee("governments", "Governments", "各国政府"),
    KnownAddressee(
        "united-nations-entities",
        "United Nations entities",
        "联合国实体",
        (
            "united nations system entities",
            "entities of the united nations system",
            "联合国系统各实体",
            "联合国系统实体",
            "联合国各实体",
            "联合国系统各组织",
        ),
    ),
    KnownAddressee("stakeholders", "stakeholders", "利益攸关方", ("利益相关方",)),
    KnownAddressee("private-sector", "the private sector", "私营部门", ("private sector",)),
    KnownAddressee("civil-society", "civil society", "民间社会", ("民间社会组织",)),
    KnownAddressee("academia", "academia", "学术界", ("academic institutions", "学术机构")),
    KnownAddressee("donors", "donors", "捐助方", ("捐助者",)),
    KnownAddressee(
        "multilateral-development-banks", "multilateral development banks", "多边开发银行"
    ),
    KnownAddressee(
        "committee-of-permanent-representatives",
        "Committee of Permanent Representatives",
        "常驻代表委员会",
        (),
        ID["org/committee-of-permanent-representatives"],
    ),
    KnownAddressee(
        "secretary-general", "Secretary-General", "秘书长", (), ID["post/secretary-general"]
    ),
)

# Words before a name that do not change whom it names.
_EN_QUALIFIER = re.compile(r"^(?:the|all|relevant|other|interested|concerned)\s+", re.IGNORECASE)
_ZH_QUALIFIER = re.compile(r"^(?:各|所有|相关|有关|其他|[^，。；、和及]{1,12}?的)")
_EN_JOIN = re.compile(r"^(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+)")
_ZH_JOIN = re.compile(r"^(?:和|及|以及|、|与)")
# An unknown addressee ends where the request begins.
_EN_END = re.compile(r",|;|:|\s+to\s+|\s+that\s+|\s+in\s+a\s+position\b|$")
_ZH_END = re.compile(
    r"[，,；;：:]|在|于|为|将|与|向|以|分享|提供|支持|加强|制定|编写|建立|确保|考虑|参与|继续|协助"
    r"|报告|提交|采取|推动|促进|开展|审查|$"
)


@dataclass(frozen=True)
class AddresseeMatch:
    addressees: tuple[Addressee, ...]
    #: Where the text after the addressees begins.
    end: int


def _names(language: str) -> list[tuple[str, KnownAddressee]]:
    names = []
    for known in KNOWN:
        forms = (known.zh, *[v for v in known.variants if not v.isascii()])
        if language == "en":
            forms = (known.en.lower(), *[v for v in known.variants if v.isascii()])
        names.extend((form, known) for form in forms)
    return sorted(names, key=lambda pair: -len(pair[0]))


def known_addressee(name: str) -> KnownAddressee | None:
    """The known addressee ``name`` names, in either language (for scoring and lookups)."""
    cleaned = name.strip()
    for language in ("en", "zh"):
        match = _known_at(cleaned, 0, language)
        if match is not None and match[1] == len(cleaned):
            return match[0]
    return None


def _known_at(text: str, at: int, language: str) -> tuple[KnownAddressee, int] | None:
    """The known name starting at ``at`` (after qualifiers), and where it ends."""
    qualifier = _EN_QUALIFIER if language == "en" else _ZH_QUALIFIER
    starts = [at]
    if (match := qualifier.match(text[at:])) is not None:
        starts.append(at + match.end())
    for start in starts:
        lowered = text[start:].lower()
        for form, known in _names(language):
            if lowered.startswith(form):
                end = start + len(form)
                boundary = text[end : end + 1]
                if language == "en" and boundary and (boundary.isalnum() or boundary == "-"):
                    continue
                return known, end
    return None


def find_addressees(text: str, at: int, language: str) -> AddresseeMatch:
    """The addressees named at ``at`` in ``text`` (right after the verb), possibly none."""
    found: list[Addressee] = []
    position = at
    join = _EN_JOIN if language == "en" else _ZH_JOIN
    while True:
        match = _known_at(text, position, language)
        if match is None:
            break
        known, end = match
        found.append(Addressee(known.key, known.en, known.zh, text[position:end].strip()))
        position = end
        following = join.match(text[position:])
        if following is None or _known_at(text, position + following.end(), language) is None:
            break
        position += following.end()
    if found:
        return AddresseeMatch(tuple(found), position)
    return _unknown(text, at, language)


def _unknown(text: str, at: int, language: str) -> AddresseeMatch:
    """A named body on no list: the words up to where the request begins."""
    end_pattern = _EN_END if language == "en" else _ZH_END
    rest = text[at:]
    match = end_pattern.search(rest)
    written = rest[: match.start() if match else len(rest)].strip()
    if not written or len(written) > (80 if language == "en" else 30):
        return AddresseeMatch((), at)
    if language == "en" and not (written[0].isupper() or written.lower().startswith("the ")):
        return AddresseeMatch((), at)  # "to establish …": a sub-paragraph's object, not a name
    return AddresseeMatch((Addressee(None, None, None, written),), at + len(written))
