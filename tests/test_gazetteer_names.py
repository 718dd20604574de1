"""Names on no list found by their head word or their form: initiatives, networks, working
groups and advisory groups of a known body, a Latin name after a country, and posts from the
reference list; a known name that is only a head word (大学) does not cut a longer name."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer import Gazetteer, load_gazetteer
from habitat_kg.namespaces import HKG, ID, country

SOURCES = Path(__file__).resolve().parents[1] / "graph" / "sources"
BUNDLED_CURATED = SOURCES / "curated" / "eb-2020-2-item-7.trig"


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    cache = tmp_path_factory.mktemp("gazetteer-cache")
    return load_gazetteer(SOURCES, exclude_curated=[BUNDLED_CURATED], cache_dir=cache)


def found(gazetteer: Gazetteer, text: str, language: str = "zh") -> dict[str, EntityMatch]:
    return {m.text: m for m in gazetteer.recognise(text, language)}


@pytest.mark.parametrize(
    ("text", "name", "rdf_type"),
    [
        ("包括世界城市和地方政府联合组织、市场城市倡议、粮农组织", "市场城市倡议", HKG.Initiative),
        ("与湖滨城市韧性伙伴网络合作举办", "湖滨城市韧性伙伴网络", HKG.Network),
        (
            "已提交执行局方案、预算和行政事项特设工作组。",
            "执行局方案、预算和行政事项特设工作组",
            HKG.WorkingGroup,
        ),
        ("决定设立一个城市规划特设工作组。", "城市规划特设工作组", HKG.WorkingGroup),
        ("人居署性别问题咨询小组成员也参加了", "人居署性别问题咨询小组", HKG.AdvisoryGroup),
    ],
)
def test_chinese_names_by_head_word(gazetteer: Gazetteer, text: str, name: str, rdf_type) -> None:
    match = found(gazetteer, text)[name]
    assert (match.rdf_type, match.known) == (rdf_type, False)


@pytest.mark.parametrize(
    "text", ["该倡议得到支持。", "全球倡议", "举办了网络研讨会", "伙伴网络", "倡议者"]
)
def test_short_or_common_heads_are_no_names(gazetteer: Gazetteer, text: str) -> None:
    assert all(
        m.rdf_type not in (HKG.Initiative, HKG.Network) for m in gazetteer.recognise(text, "zh")
    )


def test_a_latin_name_after_a_country_is_an_organization(gazetteer: Gazetteer) -> None:
    names = found(gazetteer, "市场城市倡议、肯尼亚 Groots 和联合国粮食及农业组织")
    groots = names["肯尼亚 Groots"]
    assert (groots.category, groots.entity) == ("organization", ID["org/groots-kenya"])
    assert all(m.entity != country("KEN") for m in names.values())


def test_a_known_head_word_alone_does_not_cut_a_longer_name(tmp_path: Path) -> None:
    # With the bundled curated file, "大学" (universities, as partners) is a known name.
    everything = load_gazetteer(SOURCES, cache_dir=tmp_path)
    names = found(everything, "该培训班与谢赫·安塔·迪奥普大学合作举办。")
    assert "谢赫·安塔·迪奥普大学" in names and "大学" not in names
    assert "大学" in found(everything, "人居署主要合作伙伴（包括大学）")


@pytest.mark.parametrize(
    ("text", "language", "name", "post"),
    [
        ("执行局注意到执行主任所作的介绍", "zh", "执行主任", "executive-director"),
        ("人居署执行主任是该网络的理事会成员", "zh", "人居署执行主任", "executive-director"),
        ("执行局主席介绍了最新情况", "zh", "执行局主席", "president-of-the-executive-board"),
        ("presented by the Executive Director.", "en", "Executive Director", "executive-director"),
    ],
)
def test_posts_from_the_reference_list(
    gazetteer: Gazetteer, text: str, language: str, name: str, post: str
) -> None:
    match = found(gazetteer, text, language)[name]
    assert (match.entity, match.category, match.rdf_type) == (
        ID[f"post/{post}"],
        "post",
        HKG.Post,
    )


def test_an_acronym_before_a_country_is_an_organization(gazetteer: Gazetteer) -> None:
    names = found(
        gazetteer, "joint work plans with the Market Cities Initiative, GROOTS Kenya and", "en"
    )
    groots = names["GROOTS Kenya"]
    assert (groots.entity, groots.category, groots.known) == (
        ID["org/groots-kenya"],
        "organization",
        False,
    )
    assert names["Market Cities Initiative"].rdf_type == HKG.Initiative
    assert "Kenya" not in names


def test_a_hub_is_a_name(gazetteer: Gazetteer) -> None:
    names = found(gazetteer, "launched the International Gender Champions Nairobi Hub.", "en")
    assert names["International Gender Champions Nairobi Hub"].rdf_type == HKG.Network
