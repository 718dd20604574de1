"""Short reports written for testing the extractor's rules, and the names each means: the
extractor gets them from ``Listed`` rather than from the gazetteer, so that each rule is
checked on its own wording."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from report_fronts import front_page

from habitat_kg.graph.extract import EntityMatch, Proposal, propose
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import HKG, ID, country

UN_HABITAT = ID["org/un-habitat"]
CDTU = ID["org/capacity-development-and-training-unit"]
DAS = ID["org/data-and-analytics-section"]
UCLGA = ID["org/uclg-africa"]
GERMANY = ID["org/government-of-germany"]
ECA = ID["org/eca"]
SENEGAL_GOV = ID["org/government-of-senegal"]
UNDP = ID["org/undp"]
KIGALI_CITY = ID["org/city-of-kigali"]
UNITAR = ID["org/unitar"]
SIDA = ID["org/sida"]
YAOUNDE = ID["city/cm-yaounde"]
KIGALI = ID["city/rw-kigali"]

# name -> (entity, category, type, known, container)
NAMES: dict[str, tuple[URIRef, str, URIRef, bool, URIRef | None]] = {
    "Capacity Development and Training Unit": (CDTU, "unit", HKG.Unit, True, None),
    "能力发展和培训股": (CDTU, "unit", HKG.Unit, True, None),
    "Data and Analytics Section": (DAS, "unit", HKG.Unit, True, None),
    "UN-Habitat": (UN_HABITAT, "un-entity", HKG.UNEntity, True, None),
    "人居署": (UN_HABITAT, "un-entity", HKG.UNEntity, True, None),
    "United Cities and Local Governments of Africa": (
        UCLGA,
        "organization",
        HKG.Organization,
        True,
        None,
    ),
    "Government of Germany": (GERMANY, "government", HKG.Organization, True, None),
    "Economic Commission for Africa": (ECA, "un-entity", HKG.UNEntity, True, None),
    "Government of Senegal": (SENEGAL_GOV, "government", HKG.Organization, True, None),
    "United Nations Development Programme": (UNDP, "un-entity", HKG.UNEntity, True, None),
    "City of Kigali": (KIGALI_CITY, "government", HKG.Organization, True, KIGALI),
    "联合国训练研究所": (UNITAR, "un-entity", HKG.UNEntity, True, None),
    "瑞典国际开发合作署": (SIDA, "government", HKG.Organization, True, None),
    "Executive Board": (ID["org/executive-board"], "governing-body", HKG.GoverningBody, True, None),
    "Yaoundé": (YAOUNDE, "city", HKG.City, True, country("CMR")),
    "Cameroon": (country("CMR"), "country", HKG.Country, True, None),
    "Kigali": (KIGALI, "city", HKG.City, True, country("RWA")),
    "Rwanda": (country("RWA"), "country", HKG.Country, True, None),
    "内罗毕": (ID["city/ke-nairobi"], "city", HKG.City, True, country("KEN")),
    "Kroo Bay Residents' Forum": (
        ID["org/en-kroo-bay"],
        "ngo",
        HKG.CivilSocietyOrganization,
        False,
        None,
    ),
}


class Listed:
    """Recognises the names of ``NAMES``: longest first, without overlaps, in text order."""

    def recognise(self, text: str, language: str) -> list[EntityMatch]:
        found: list[EntityMatch] = []
        taken: list[tuple[int, int]] = []
        for name in sorted(NAMES, key=len, reverse=True):
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if all(end <= a or b <= start for a, b in taken):
                    entity, category, kind, known, container = NAMES[name]
                    labels = () if known else (Literal(name, lang=language),)
                    found.append(
                        EntityMatch(
                            start,
                            end,
                            name,
                            entity,
                            category,
                            kind,
                            0.9,
                            "test.listed",
                            known,
                            labels,
                            container,
                        )
                    )
                    taken.append((start, end))
                start = text.find(name, end)
        return sorted(found, key=lambda match: match.start)


ENGLISH_HEAD = (
    front_page("en", "HSP/EB.2022/5", "First session of 2022", "29–31 March 2022", 6)
    + """I. Introduction

1. The present report outlines progress in the implementation of two resolutions, namely:
(a) Resolution 2/7 on capacity development;
(b) Resolution 2/3 on urban data.

II. Resolution 2/7 on capacity development for local governments

"""
)
CHINESE_HEAD = (
    front_page("zh", "HSP/EB.2022/14", "2022年第二次会议", "2022年11月15日至17日", 7)
    + """一、引言

1. 本报告概述了两项决议的执行情况，即：
(a) 关于地方政府能力发展的第2/7号决议；
(b) 关于城市规划的第2/2号决议。

二、关于地方政府能力发展的第2/7号决议

"""
)


def _propose(tmp_path: Path, head: str, body: str, suffix: str) -> list[Proposal]:
    path = tmp_path / f"report.{suffix}.txt"
    path.write_text(head + body, encoding="utf-8")
    return propose(read_report(path), "eb-2022-1/item-6", Listed())


def english(tmp_path: Path, *paragraphs: str, more: str = "") -> list[Proposal]:
    body = "\n".join(f"{n}. {text}" for n, text in enumerate(paragraphs, start=2))
    return _propose(tmp_path, ENGLISH_HEAD, body + "\n" + more, "en")


def chinese(tmp_path: Path, *paragraphs: str, more: str = "") -> list[Proposal]:
    body = "\n".join(f"{n}. {text}" for n, text in enumerate(paragraphs, start=2))
    return _propose(tmp_path, CHINESE_HEAD, body + "\n" + more, "zh")


def activity(number: int, letter: str = "") -> URIRef:
    return ID[f"activity/eb-2022-1-item-6/p{number}{letter}"]


def of(proposals: list[Proposal], number: int, kind: str) -> set[tuple[URIRef, object]]:
    passage = f"/paragraph/{number}"
    return {
        (p.predicate, p.object)
        for p in proposals
        if p.kind == kind and str(p.passage).endswith(passage)
    }
