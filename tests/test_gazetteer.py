"""The gazetteer: countries, regions, cities and organizations from well-kept data, and the name
patterns for what no list has, recognised in English and Chinese passages."""

from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from habitat_kg.errors import SourceError
from habitat_kg.graph.extract.proposal import EntityMatch
from habitat_kg.graph.gazetteer import Gazetteer, load_gazetteer, loading
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import HKG, ID, country

SOURCES = Path(__file__).resolve().parents[1] / "graph" / "sources"
BUNDLED_CURATED = SOURCES / "curated" / "eb-2020-2-item-7.trig"
REPORT = SOURCES / "report" / "eb-2020-2_item-7.zh.txt"
KIGALI, DAKAR, YAOUNDE = ID["city/rw-kigali"], ID["city/sn-dakar"], ID["city/cm-yaounde"]
NAIROBI = ID["city/ke-nairobi"]
CDTU = ID["org/capacity-development-and-training-unit"]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    """Without the bundled report's own curated file, as the extractor is measured."""
    cache = tmp_path_factory.mktemp("gazetteer-cache")
    return load_gazetteer(SOURCES, exclude_curated=[BUNDLED_CURATED], cache_dir=cache)


def found(gazetteer: Gazetteer, text: str, language: str) -> dict[str, EntityMatch]:
    matches = gazetteer.recognise(text, language)
    for match in matches:
        assert text[match.start : match.end] == match.text
    return {match.text: match for match in matches}


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "name", "city", "alpha3"),
    [
        ("a training of trainers in Yaoundé, Cameroon.", "en", "Yaoundé", YAOUNDE, "CMR"),
        ("was held in Dakar, Senegal, in December.", "en", "Dakar", DAKAR, "SEN"),
        ("to be piloted in Kigali, Rwanda, and Dhaka.", "en", "Kigali", KIGALI, "RWA"),
        ("原定于2022年9月在喀麦隆雅温得举办的培训", "zh", "雅温得", YAOUNDE, "CMR"),
        ("已于2022年3月在塞内加尔达喀尔举办了一期培训班", "zh", "达喀尔", DAKAR, "SEN"),
        ("在卢旺达基加利共同举办了专家组会议", "zh", "基加利", KIGALI, "RWA"),
    ],
)
def test_capitals_are_recognised_in_both_languages(
    gazetteer: Gazetteer, text: str, language: str, name: str, city: URIRef, alpha3: str
) -> None:
    match = found(gazetteer, text, language)[name]
    assert (match.entity, match.category, match.rdf_type) == (city, "city", HKG.City)
    assert match.container == country(alpha3)
    assert match.known and match.confidence >= 0.85


def test_un_chinese_names_replace_other_forms(gazetteer: Gazetteer) -> None:
    # GeoNames writes Kigali 吉佳利; the UN writes 基加利.
    kigali = gazetteer.entity(KIGALI)
    assert kigali is not None
    assert kigali.label("zh") == "基加利" and kigali.label("en") == "Kigali"
    assert Literal("基加利", lang="zh") in kigali.literals()


def test_a_city_inside_a_name_is_part_of_that_name(gazetteer: Gazetteer) -> None:
    english = found(
        gazetteer,
        "developed with the University of Nairobi. The City of Kigali hosted an exchange "
        "under the Nairobi Convention.",
        "en",
    )
    university = english["University of Nairobi"]
    assert (university.category, university.known) == ("university", False)
    assert university.entity == ID["org/university-of-nairobi"]
    assert english["City of Kigali"].category == "government"
    assert english["City of Kigali"].container == KIGALI
    assert all(match.entity != NAIROBI for match in english.values())
    assert "Nairobi" not in english and "Kigali" not in english

    chinese = found(gazetteer, "根据《内罗毕公约》，河内市人民委员会与内罗毕大学合作。", "zh")
    assert "内罗毕" not in chinese
    assert chinese["河内市人民委员会"].category == "government"
    assert chinese["河内市人民委员会"].container == ID["city/vn-hanoi"]
    assert chinese["内罗毕大学"].category == "university"


def test_words_and_persons_are_not_places(gazetteer: Gazetteer) -> None:
    text = (
        "Florence Nightingale wrote in March 2024 that 4.2 million United States dollars were "
        "required. Male and female participants met."
    )
    assert [m.text for m in gazetteer.recognise(text, "en")] == []
    placed = found(gazetteer, "The meeting was held in Florence, Italy.", "en")
    assert placed["Florence"].entity == ID["city/it-florence"]


def test_an_unknown_city_before_its_country(gazetteer: Gazetteer) -> None:
    english = found(gazetteer, "a workshop in Mvog-Betsi, Cameroon, with women builders", "en")
    city = english["Mvog-Betsi"]
    assert (city.category, city.known, city.container) == ("city", False, country("CMR"))
    assert city.entity == ID["city/cm-mvog-betsi"]
    chinese = found(gazetteer, "将在喀麦隆姆福乌举办讲习班", "zh")
    assert chinese["姆福乌"].container == country("CMR") and not chinese["姆福乌"].known


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("un atelier au Cameroun et au Sénégal", "fr", "Cameroun"),
        ("un taller en Camerún", "es", "Camerún"),
        ("семинар: Камерун", "ru", "Камерун"),
        ("ورشة عمل في الكاميرون", "ar", "الكاميرون"),
        ("在喀麦隆举办", "zh", "喀麦隆"),
    ],
)
def test_country_names_in_the_un_languages(
    gazetteer: Gazetteer, text: str, language: str, name: str
) -> None:
    match = found(gazetteer, text, language)[name]
    assert (match.entity, match.rdf_type) == (country("CMR"), HKG.MemberState)


def test_chinese_province_and_english_region(gazetteer: Gazetteer) -> None:
    assert found(gazetteer, "在陕西省西安举办", "zh")["陕西省"].entity == ID["region/CN-SN"]
    assert found(gazetteer, "在陕西省西安举办", "zh")["西安"].entity == ID["city/cn-xi-an"]
    region = found(gazetteer, "farmers of Niger State, Nigeria", "en")["Niger State"]
    assert (region.category, region.container) == ("region", country("NGA"))


# --- organizations ---------------------------------------------------------------------------


def test_un_system_entities_by_name_and_acronym(gazetteer: Gazetteer) -> None:
    english = found(
        gazetteer, "with UNDP, UN-Women and the Economic Commission for Africa (ECA)", "en"
    )
    assert english["UNDP"].entity == ID["org/undp"]
    assert english["UN-Women"].entity == ID["org/un-women"]
    assert english["Economic Commission for Africa"].entity == english["ECA"].entity
    chinese = found(gazetteer, "与粮农组织、开发署和儿基会合作", "zh")
    assert chinese["粮农组织"].entity == ID["org/fao"]
    assert chinese["开发署"].category == "un-entity"


def test_units_on_the_list_and_by_pattern(gazetteer: Gazetteer) -> None:
    known = found(gazetteer, "方案发展处能力发展和培训股已举办培训", "zh")
    assert known["能力发展和培训股"].entity == CDTU and known["能力发展和培训股"].known
    assert known["方案发展处"].entity == ID["org/programme-development-branch"]

    english = found(
        gazetteer, "the Unit and the Urban Mobility and Transport Section are preparing", "en"
    )
    section = english["Urban Mobility and Transport Section"]
    assert (section.category, section.known, section.rule) == ("unit", False, "pattern-en-suffix")
    assert section.entity == ID["org/urban-mobility-and-transport-section"]
    assert section.labels == (Literal("Urban Mobility and Transport Section", lang="en"),)
    assert "the Unit" not in english

    chinese = found(gazetteer, "该股正在与城市住房政策科合作编写课程", "zh")
    unit = chinese["城市住房政策科"]
    assert (unit.category, unit.known) == ("unit", False)
    assert unit.labels == (Literal("城市住房政策科", lang="zh"),)
    assert str(unit.entity).startswith(str(ID["org/zh-"]))


def test_names_on_no_list_by_their_head_word(gazetteer: Gazetteer) -> None:
    english = found(
        gazetteer,
        "In Freetown, the facility works with the Kroo Bay Tidewater Residents' Forum and "
        "with Fourah Bay College of the University of Sierra Leone, funded by the Government "
        "of Norway and the Ministry of Lands, Housing and Urban Development.",
        "en",
    )
    assert english["Kroo Bay Tidewater Residents' Forum"].category == "ngo"
    assert english["Fourah Bay College"].category == "university"
    parent = english["University of Sierra Leone"]
    assert (parent.rule, parent.confidence) == ("pattern-en-parent", 0.4)
    assert "Sierra Leone" not in english
    norway = english["Government of Norway"]
    assert (norway.category, norway.container) == ("government", country("NOR"))
    assert english["Ministry of Lands, Housing and Urban Development"].category == "government"
    chinese = found(gazetteer, "会议由德国政府供资，与当地非政府组织“山城绿色家园协会”合作", "zh")
    assert chinese["德国政府"].container == country("DEU")
    assert chinese["山城绿色家园协会"].category == "ngo"
    assert not any("非政府" in name for name in chinese)
    # The words that introduce a name are not part of it.
    introduced = found(gazetteer, "将协助肯尼亚政府，并包括山城规划学院。", "zh")
    assert introduced["肯尼亚政府"].container == country("KEN")
    assert introduced["山城规划学院"].category == "university"


def test_chinese_names_joined_by_conjunctions_and_in_quotes(gazetteer: Gazetteer) -> None:
    chinese = found(
        gazetteer,
        "在墨西哥墨西哥城，与肯尼亚住房和城市发展部、青年团体“湖畔青年之声”合作。",
        "zh",
    )
    assert chinese["墨西哥"].entity == country("MEX")
    assert chinese["墨西哥城"].entity == ID["city/mx-mexico-city"]
    ministry = chinese["肯尼亚住房和城市发展部"]
    assert (ministry.category, ministry.container) == ("government", country("KEN"))
    assert chinese["湖畔青年之声"].category == "ngo"


def test_short_chinese_town_names_are_words(gazetteer: Gazetteer) -> None:
    # GeoNames has Chinese towns called 联合, 青年 and 合作; in a text they are words.
    text = "在中国，联合国系统在青年中开展合作。"
    assert {m.text for m in gazetteer.recognise(text, "zh")} == {"中国"}


def test_common_nouns_are_no_names(gazetteer: Gazetteer) -> None:
    text = "特别关注地方政府和国家政府合作伙伴，包括人居署内部以及联合国国家办事处和区域办事处。"
    assert {m.text for m in gazetteer.recognise(text, "zh")} == {"人居署"}


def test_curated_entities_keep_their_iris_unless_excluded(tmp_path: Path) -> None:
    text = "与日内瓦人权平台共同举办"
    everything = load_gazetteer(SOURCES, cache_dir=tmp_path)
    platform = found(everything, text, "zh")["日内瓦人权平台"]
    assert platform.entity == ID["org/geneva-human-rights-platform"] and platform.known
    without = load_gazetteer(SOURCES, exclude_curated=[BUNDLED_CURATED], cache_dir=tmp_path)
    assert without.entity(ID["org/geneva-human-rights-platform"]) is None
    # Without the curated file the name is found by its head word, as a new node.
    assert not found(without, text, "zh")["日内瓦人权平台"].known


# --- suggestions and descriptions ------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["Capacity Dev", "capacity dev", "能力"])
def test_suggest_completes_labels(gazetteer: Gazetteer, prefix: str) -> None:
    suggestions = gazetteer.suggest(prefix)
    assert suggestions[0][0] == CDTU and suggestions[0][2] == HKG.Unit
    assert suggestions[0][1] in ("Capacity Development and Training Unit", "能力发展和培训股")


def test_suggest_by_acronym_and_limit(gazetteer: Gazetteer) -> None:
    assert gazetteer.suggest("UNEP", 1) == [(ID["org/unep"], "UNEP", HKG.UNEntity)]
    nairobi = gazetteer.suggest("Nai", 3)
    assert len(nairobi) == 3 and nairobi[0][0] == NAIROBI
    assert gazetteer.suggest("") == [] and gazetteer.suggest("zzzqqq") == []


@pytest.mark.parametrize(
    ("prefix", "country"),
    [
        ("Mexico", "MEX"),
        ("Panama", "PAN"),
        ("Djibouti", "DJI"),
        ("Kuwait", "KWT"),
        ("墨西哥", "MEX"),
    ],
)
def test_suggest_ranks_the_country_of_a_name_before_its_towns(
    gazetteer: Gazetteer, prefix: str, country: str
) -> None:
    """Issue 15: a name that is a country and a city (or a town elsewhere) suggests the
    country first; the exact name before longer ones; cities by population."""
    found = [str(iri) for iri, _label, _type in gazetteer.suggest(prefix, 6)]
    assert found[0] == str(ID[f"country/{country}"])
    if prefix == "Mexico":  # the town named exactly so before Mexico City
        assert found.index(str(ID["city/ph-mexico"])) < found.index(str(ID["city/mx-mexico-city"]))
    if prefix == "Panama":  # Panama City of Panama before the smaller one of Florida
        cities = [iri for iri in found if "/city/" in iri]
        assert cities.index(str(ID["city/pa-panama-city"])) < cities.index(
            str(ID["city/us-panama-city"])
        )
    germany = gazetteer.suggest("Germa", 3)
    assert germany[0][0] == ID["country/DEU"]


def test_entity_describes_a_known_entity(gazetteer: Gazetteer) -> None:
    yaounde = gazetteer.entity(YAOUNDE)
    assert yaounde is not None
    assert (yaounde.rdf_type, yaounde.container, yaounde.label("zh")) == (
        HKG.City,
        country("CMR"),
        "雅温得",
    )
    cameroon = gazetteer.entity(country("CMR"))
    assert cameroon is not None and cameroon.rdf_type == HKG.MemberState
    assert cameroon.label("zh") == "喀麦隆"
    assert gazetteer.entity(ID["org/nothing-of-the-kind"]) is None


# --- loading, caching, bad input, speed --------------------------------------------------


def test_compiled_once_then_read_from_the_cache(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "reference", sources / "reference")
    (sources / "curated").mkdir()
    cache = tmp_path / "cache"
    loading._LOADED.clear()  # compiled in this process by another test
    first = load_gazetteer(sources, cache_dir=cache)
    files = list(cache.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    loading._LOADED.clear()
    second = load_gazetteer(sources, cache_dir=cache)
    assert second is not first
    text = "in Kigali, Rwanda, with UNEP"
    assert second.recognise(text, "en") == first.recognise(text, "en")
    # A broken cache file is compiled again, not trusted.
    files[0].write_bytes(b"not a pickle")
    loading._LOADED.clear()
    assert load_gazetteer(sources, cache_dir=cache).recognise(text, "en") == first.recognise(
        text, "en"
    )
    _, _, rewritten = pickle.loads(files[0].read_bytes())
    assert rewritten.recognise(text, "en") == first.recognise(text, "en")


def test_a_changed_list_gives_a_new_gazetteer(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "reference", sources / "reference")
    (sources / "curated").mkdir()
    path = sources / "reference" / "un-system-entities.csv"
    with path.open("a", encoding="utf-8") as out:
        out.write("zz-test-agency,un-entity,UNEntity,Test Agency for Habitats,测试署,TAH,,,test\n")
    changed = load_gazetteer(sources, cache_dir=tmp_path / "cache")
    assert found(changed, "with the TAH", "en")["TAH"].entity == ID["org/zz-test-agency"]


@pytest.mark.parametrize(
    ("file", "row", "problem"),
    [
        (
            "un-system-entities.csv",
            "zz-spaceship,spaceship,UNEntity,Spaceship,飞船,,,,written for testing",
            "unknown category 'spaceship'",
        ),
        (
            "un-system-entities.csv",
            "zz-spaceship,un-entity,Spaceship,Spaceship,飞船,,,,written for testing",
            "'Spaceship' is not an organization class",
        ),
        ("china-provinces-zh.csv", "CN-ZZ,火星省,火星,written for testing", "'CN-ZZ' is no ISO"),
    ],
)
def test_a_bad_reference_row_names_its_file_and_line(
    tmp_path: Path, file: str, row: str, problem: str
) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "reference", sources / "reference")
    (sources / "curated").mkdir()
    path = sources / "reference" / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_gazetteer(sources, cache_dir=tmp_path / "cache")
    assert (error.value.path, error.value.line) == (path, 4)
    assert problem in str(error.value)


@pytest.mark.alone
def test_recognising_a_whole_report_is_fast(gazetteer: Gazetteer) -> None:
    report = read_report(REPORT)
    texts = [p.text for p in report.paragraphs]
    texts += [s.text for p in report.paragraphs for s in p.subparagraphs]
    started = time.perf_counter()
    matches = [gazetteer.recognise(text, "zh") for text in texts]
    elapsed = time.perf_counter() - started
    # Thirty paragraphs must be proposed in under 2 s; recognition is a small part of it.
    assert elapsed < 0.5, f"{elapsed:.3f} s for {len(texts)} passages"
    assert sum(len(found) for found in matches) > 50


def test_a_un_chinese_name_for_no_known_city_is_refused(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES / "reference", sources / "reference")
    (sources / "curated").mkdir()
    path = sources / "reference" / "un-city-names-zh.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "CMR,Atlantis Nowhere,亚特兰蒂斯,written for testing")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as error:
        load_gazetteer(sources, cache_dir=tmp_path / "cache")
    assert (error.value.path, error.value.line) == (path, 6)
    assert "GeoNames has no city" in str(error.value)
