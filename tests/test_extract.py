"""The extractor's rules, read on short reports written here, each naming its entities.

The entities a passage names come from the gazetteer in production; these tests hand the
extractor the names they mean (``Listed``), so that each rule is checked on its own wording.
tests/test_extract_report.py runs the extractor with the real gazetteer on whole reports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from extract_reports import (
    CDTU,
    DAS,
    ECA,
    GERMANY,
    KIGALI,
    KIGALI_CITY,
    NAMES,
    SENEGAL_GOV,
    SIDA,
    UCLGA,
    UN_HABITAT,
    UNDP,
    UNITAR,
    YAOUNDE,
    activity,
    chinese,
    english,
    of,
)
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import XSD

from habitat_kg.graph.extract import EXTRACTOR_VERSION, Proposal
from habitat_kg.namespaces import HKG, ID, PRECISION, PROV, ROLE, STATUS, country, decision
from habitat_kg.namespaces import resolution as res


def test_every_paragraph_and_sub_paragraph_gets_an_activity(tmp_path: Path) -> None:
    proposals = english(tmp_path, "The Unit has completed a needs assessment.")
    typed = {p.subject for p in proposals if p.predicate == RDF.type and p.object == HKG.Activity}
    assert typed == {activity(1), activity(1, "a"), activity(1, "b"), activity(2)}
    labels = {p.subject: p.object for p in proposals if p.predicate == RDFS.label}
    assert labels[activity(2)] == Literal("The Unit has completed a needs assessment", lang="en")
    assert EXTRACTOR_VERSION


def test_resolution_from_heading_citation_and_list(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "Pursuant to paragraph 4 of resolution 2/3, the Unit is preparing a module.",
        "The Unit held a workshop.",
    )
    assert {o for _, o in of(proposals, 2, "resolution")} == {res("ha", "2/7"), res("ha", "2/3")}
    assert {o for _, o in of(proposals, 3, "resolution")} == {res("ha", "2/7")}
    # The introduction's paragraph ends with a colon: it is for what its items name.
    assert {o for _, o in of(proposals, 1, "resolution")} == {res("ha", "2/7"), res("ha", "2/3")}
    cited = next(
        p
        for p in proposals
        if p.rule == "resolution.citation"
        and p.object == res("ha", "2/3")
        and str(p.passage).endswith("/paragraph/2")
    )
    text = "Pursuant to paragraph 4 of resolution 2/3, the Unit is preparing a module."
    assert cited.span is not None and text[slice(*cited.span)] == "2/3"
    # "paragraph 4" is no figure.
    assert not of(proposals, 2, "figure")


def test_decision_of_the_board_is_a_decision(tmp_path: Path) -> None:
    proposals = english(tmp_path, "In decision 2021/4, the Executive Board requested a policy.")
    assert (HKG.forResolution, decision("eb", "2021/4")) in of(proposals, 2, "resolution")
    # A governing body named without a role is not a partner.
    assert not of(proposals, 2, "partner")


def test_partner_roles_in_english(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "From 3 to 5 May 2022, the Capacity Development and Training Unit will hold a regional "
        "training of trainers in Yaoundé, Cameroon, co-organized with United Cities and Local "
        "Governments of Africa and funded by the Government of Germany.",
        "An expert group meeting was held in Kigali, co-organized with the Economic Commission "
        "for Africa and the Government of Senegal, with the participation of the United Nations "
        "Development Programme.",
        "The City of Kigali hosted a peer-learning exchange, in partnership with the "
        "Kroo Bay Residents' Forum.",
        "A facility was established with an initial contribution from the Government of Germany.",
    )
    assert (HKG.funder, GERMANY) in of(proposals, 2, "partner")
    assert of(proposals, 5, "partner") == {(HKG.funder, GERMANY)}
    assert (HKG.responsibleUnit, CDTU) in of(proposals, 2, "unit")
    co_organizers = _co_organizers(proposals)
    assert co_organizers[activity(2)] == {UCLGA}
    assert co_organizers[activity(3)] == {ECA, SENEGAL_GOV}
    assert co_organizers[activity(4)] == {KIGALI_CITY}
    assert (HKG.participant, UNDP) in of(proposals, 3, "partner")
    assert (HKG.partner, ID["org/en-kroo-bay"]) in of(proposals, 4, "partner")
    # A hosting city government makes its city a place.
    assert (HKG.place, KIGALI) in of(proposals, 4, "place")


def _co_organizers(proposals: list[Proposal]) -> dict[URIRef, set[URIRef]]:
    roles = {
        p.subject
        for p in proposals
        if p.predicate == PROV.hadRole and p.object == ROLE["co-organizer"]
    }
    found: dict[URIRef, set[URIRef]] = {}
    for p in proposals:
        if p.predicate == PROV.agent and p.subject in roles and p.kind == "partner":
            owner = URIRef(str(p.subject).split("/association/")[0])
            found.setdefault(owner, set()).add(p.object)  # type: ignore[arg-type]
    return found


def test_partner_roles_in_chinese(tmp_path: Path) -> None:
    proposals = chinese(
        tmp_path,
        "2022年5月3日至5日，能力发展和培训股与联合国训练研究所在内罗毕共同举办了区域讲习班。",
        "该股与人居署合作编写在线课程，由瑞典国际开发合作署供资。",
    )
    assert _co_organizers(proposals)[activity(2)] == {UNITAR}
    assert (HKG.funder, SIDA) in of(proposals, 3, "partner")
    # 该股 is the unit named last in the section; UN-Habitat is never a partner of its own.
    assert (HKG.responsibleUnit, CDTU) in of(proposals, 3, "unit")
    assert UN_HABITAT not in {o for _, o in of(proposals, 3, "partner")}


def test_the_unit_refers_back_within_its_section_only(tmp_path: Path) -> None:
    more = "III. Resolution 2/3 on urban data\n\n4. The Unit is preparing a module.\n"
    proposals = english(
        tmp_path,
        "The Capacity Development and Training Unit has completed an assessment.",
        "The Unit and the Data and Analytics Section are preparing a joint module.",
        more=more,
    )
    assert of(proposals, 3, "unit") == {(HKG.responsibleUnit, CDTU), (HKG.responsibleUnit, DAS)}
    assert not of(proposals, 4, "unit")


def test_places_with_their_containers(tmp_path: Path) -> None:
    proposals = english(tmp_path, "A workshop was held in Yaoundé, Cameroon.")
    assert of(proposals, 2, "place") == {(HKG.place, YAOUNDE), (HKG.place, country("CMR"))}
    contained = [p for p in proposals if p.predicate == HKG.inCountry]
    assert [(p.subject, p.object, p.kind) for p in contained] == [
        (YAOUNDE, country("CMR"), "entity")
    ]


def test_a_new_organization_is_described(tmp_path: Path) -> None:
    proposals = english(tmp_path, "The Unit works with the Kroo Bay Residents' Forum.")
    described = {(p.predicate, p.object) for p in proposals if p.subject == ID["org/en-kroo-bay"]}
    assert (RDF.type, HKG.CivilSocietyOrganization) in described
    assert (RDFS.label, Literal("Kroo Bay Residents' Forum", lang="en")) in described


@pytest.mark.parametrize(
    ("report", "text", "status"),
    [
        (english, "The Unit has completed a needs assessment.", "completed"),
        (english, "The City of Kigali hosted a peer-learning exchange.", "completed"),
        (english, "The Unit is preparing a joint module.", "ongoing"),
        (english, "Informal consultations continued during the period.", "ongoing"),
        (
            english,
            "The Unit will hold a training; 35 participants are expected to attend.",
            "planned",
        ),
        (english, "The Government of Germany has offered to host the meeting.", "planned"),
        (
            english,
            "The launch, planned for January 2022, has been postponed to July 2022.",
            "postponed",
        ),
        (
            english,
            "No progress has been made, as resources have not been mobilized.",
            "no-progress",
        ),
        (
            english,
            "The pilot testing has not started, as no resources have been received.",
            "no-progress",
        ),
        (english, "There is no further progress to report.", "stalled"),
        (chinese, "秘书处已于2022年10月向会员国分发了问卷。", "completed"),
        (chinese, "该股正在与城市实践处合作编写在线课程。", "ongoing"),
        (chinese, "将于2023年上半年在桑给巴尔举办第二次讲习班，具体日期尚未确定。", "planned"),
        (chinese, "原定于2022年9月举办的培训已推迟至2023年第一季度。", "postponed"),
        (chinese, "报告所述期间，未能为该项目的第二阶段筹集资金。", "no-progress"),
        (chinese, "因此，没有进一步的进展可以报告。", "stalled"),
        (chinese, "人居署将性别平等纳入主流的工作已经完成。", "completed"),
    ],
)
def test_status_of_an_activity(
    tmp_path: Path, report: Callable[[Path, str], list[Proposal]], text: str, status: str
) -> None:
    assert of(report(tmp_path, text), 2, "status") == {(HKG.status, STATUS[status])}


def test_no_status_for_the_report_itself(tmp_path: Path) -> None:
    proposals = english(tmp_path, "The Unit held a workshop.")
    assert not of(proposals, 1, "status")


def test_one_date_with_its_precision(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "Its findings were presented at the second session of 2021, held from 16 to 18 November "
        "2021.",
        "The working group, asked to finish by the end of 2022, met on 17 January 2022.",
    )
    assert of(proposals, 2, "date") == {
        (HKG.startDate, Literal("2021-11-16", datatype=XSD.date)),
        (HKG.endDate, Literal("2021-11-18", datatype=XSD.date)),
        (HKG.datePrecision, PRECISION["day-range"]),
    }
    assert (HKG.startDate, Literal("2022-01-17", datatype=XSD.date)) in of(proposals, 3, "date")


def test_documents_cited_or_produced(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "Its findings were presented to the Board (HSP/EB.2021/17).",
        "The plan is presented to the Board in document HSP/EB.2024/15.",
    )
    assert of(proposals, 2, "document") == {(HKG.citesDocument, ID["document/HSP/EB.2021/17"])}
    assert of(proposals, 3, "document") == {(HKG.produced, ID["document/HSP/EB.2024/15"])}


def test_activity_kind_from_clear_wording(tmp_path: Path) -> None:
    proposals = chinese(tmp_path, "2022年6月，人居署在基加利举办了“绿色城市规划”专家组会议。")
    kinds = {p.object for p in proposals if p.predicate == RDF.type and p.subject == activity(2)}
    assert kinds == {HKG.Activity, HKG.ExpertGroupMeeting}


def test_same_text_gives_the_same_proposals(tmp_path: Path) -> None:
    first = english(tmp_path, "The Unit held a workshop in Kigali, Rwanda, on 3 May 2022.")
    second = english(tmp_path, "The Unit held a workshop in Kigali, Rwanda, on 3 May 2022.")
    assert [p.id for p in first] == [p.id for p in second]
    assert len({p.id for p in first}) == len(first)
    for proposal in first:
        assert 0 <= proposal.confidence <= 1 and proposal.rule


def test_a_later_clause_of_another_status_is_an_activity_of_its_own(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "The working group met online on 17 January 2022 and will meet again in Kigali in the "
        "second quarter of 2022.",
    )
    further = activity(2).replace("/p2", "/p2-2")
    by_subject = {
        (p.subject, p.predicate, p.object) for p in proposals if p.kind in ("status", "date")
    }
    assert (activity(2), HKG.status, STATUS.completed) in by_subject
    assert (URIRef(further), HKG.status, STATUS.planned) in by_subject
    assert (activity(2), HKG.startDate, Literal("2022-01-17", datatype=XSD.date)) in by_subject
    assert (URIRef(further), HKG.startDate, Literal("2022-04-01", datatype=XSD.date)) in by_subject
    # The further activity is for the same resolution; places stay with the main activity.
    assert (URIRef(further), res("ha", "2/7")) in {
        (p.subject, p.object) for p in proposals if p.kind == "resolution"
    }
    assert {p.subject for p in proposals if p.kind == "place"} == {activity(2)}


def test_a_postponement_speaks_for_the_whole_paragraph(tmp_path: Path) -> None:
    proposals = chinese(tmp_path, "原定于2022年9月举办的培训已推迟至2023年第一季度，将于明年举行。")
    assert {p.subject for p in proposals if p.kind == "status"} == {activity(2)}


def test_chinese_clauses_that_describe_effects_are_no_further_activity(tmp_path: Path) -> None:
    proposals = chinese(tmp_path, "该股目前正在制定行动计划草案，这些活动将整合已经制定的举措。")
    assert {p.object for p in proposals if p.kind == "status"} == {STATUS.ongoing}


def test_what_is_not_a_place_or_a_partner(tmp_path: Path) -> None:
    NAMES["March"] = (ID["city/xx-march"], "city", HKG.City, True, None)
    NAMES["United States"] = (country("USA"), "country", HKG.Country, True, None)
    NAMES["University of Sierra Leone"] = (ID["org/usl"], "university", HKG.University, True, None)
    NAMES["Fourah Bay College"] = (ID["org/fbc"], "university", HKG.University, True, None)
    NAMES["秘书处"] = (ID["org/secretariat"], "unit", HKG.Secretariat, True, None)
    try:
        proposals = english(
            tmp_path,
            "The meeting will take place in Kigali in March 2025.",
            "Resolution 3/4: 4.2 million United States dollars required.",
            "The facility works with Fourah Bay College of the University of Sierra Leone.",
        )
        zh = chinese(tmp_path, "秘书处已于2022年10月分发了问卷。")
    finally:
        for name in (
            "March",
            "United States",
            "University of Sierra Leone",
            "Fourah Bay College",
            "秘书处",
        ):
            del NAMES[name]
    assert {o for _, o in of(proposals, 2, "place")} == {KIGALI}
    assert not of(proposals, 3, "place")
    assert {o for _, o in of(proposals, 4, "partner")} == {ID["org/fbc"]}
    assert not of(zh, 2, "unit")


def test_a_paragraph_naming_nothing_known_gets_its_activity_only(tmp_path: Path) -> None:
    proposals = english(tmp_path, "Lorem ipsum dolor sit amet, qvx 7%% zz; ## ~~ ^^ 0x1F.")
    kinds = {p.kind for p in proposals if str(p.passage).endswith("/paragraph/2")}
    assert kinds == {"activity", "resolution"}


def test_a_long_list_of_partners_shares_one_role(tmp_path: Path) -> None:
    names = [f"Fund Number {n}" for n in range(1, 1500)]
    for index, name in enumerate(names):
        NAMES[name] = (ID[f"org/fund-{index}"], "organization", HKG.Fund, True, None)
    try:
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        proposals = english(tmp_path, f"The Unit held a workshop funded by {listed}.")
    finally:
        for name in names:
            del NAMES[name]
    funders = {o for p, o in of(proposals, 2, "partner") if p == HKG.funder}
    assert len(funders) == len(names)
