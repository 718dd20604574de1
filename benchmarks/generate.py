"""Synthetic datasets with the shape of the real one, at a chosen size, for the benchmark.

``python -m benchmarks.generate --sizes 10k,100k --out benchmarks/data`` writes
``OUT/<size>/habitat-kg.trig`` with the four layers of a built dataset:

- ontology and reference: the real ones, copied from a build (``--data``, built from the
  project's sources into a temporary folder when there is none): the classes, the concept
  schemes (statuses, roles, modes, obstacles) and the 193 Member States, regions and cities;
- document: progress reports with numbered paragraphs (text in Chinese, labels in English and
  Chinese) that mention organizations and cite documents;
- curated: sessions, resolutions with their mandates, organizations and UN-Habitat's units,
  events of every kind with dates and places, and activities with a status, dates, places,
  a responsible unit, partners through ``prov:qualifiedAssociation`` (agent and role), some
  delayed by COVID-19; every fact reified as an ``hkg:Statement`` derived from its paragraph,
  as the builder does.

Seeded: the same size, seed and base build give the same file, byte for byte (the base layers'
blank nodes are relabelled in order). The IRIs the stored questions use as default parameters
exist (resolution 1/5, FAO, Germany, document HSP/EB.2020/13/Add.1), so every question has rows
at every size.

Streamed: triples are written as they are made (the two generated layers to scratch files, then
copied into the dataset), and only the things later triples refer to stay in memory (a few
thousand IRIs at 10M), so memory stays flat with size: about 110 MiB of resident memory at 100k,
1M and 10M alike. On this machine 1M takes about 4 s of wall time and 10M about 33 s.
The dataset is written under a temporary name and renamed when complete, so an interrupted run
never leaves a half-written ``habitat-kg.trig`` that the benchmark would take for a dataset.
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from benchmarks.base_layers import base_layers
from benchmarks.options import say
from benchmarks.triples import (
    DCTERMS,
    HKG,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    Layers,
    World,
    iri,
    text,
    typed,
)
from habitat_kg.namespaces import BASE, LAYERS
from habitat_kg.tables import load_table

_VOCABULARY = load_table("benchmarks", "vocabulary")
STATUSES: list[str] = _VOCABULARY["statuses"]
ROLES: list[str] = _VOCABULARY["roles"]
MODES: list[str] = _VOCABULARY["modes"]
OBSTACLES: list[str] = _VOCABULARY["obstacles"]
EVENT_KINDS: list[str] = _VOCABULARY["event_kinds"]
ORG_KINDS: list[str] = _VOCABULARY["org_kinds"]
UNIT_KINDS: list[str] = _VOCABULARY["unit_kinds"]
TOPICS: list[str] = _VOCABULARY["topics"]
WORDS: list[str] = _VOCABULARY["words"]


def parse_size(text: str) -> int:
    """``10k`` is 10 000 triples, ``1M`` a million; a plain number is itself."""
    text = text.strip()
    units = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(text)
    except ValueError:
        raise ValueError(
            f"size {text!r}: expected a number of triples like 10k, 100k, 1M"
        ) from None


def reference_places(reference: list[ox.Quad]) -> tuple[list[str], list[str]]:
    """The IRIs of the countries and cities of the real reference layer."""
    types = {
        q.subject.value: q.object.value for q in reference if q.predicate.value == RDF + "type"
    }
    countries = sorted(s for s, t in types.items() if t in {HKG + "MemberState", HKG + "Country"})
    cities = sorted(s for s, t in types.items() if t == HKG + "City")
    return countries, cities


def generate(size: int, out: Path, seed: int = 1, data: Path | None = None) -> Path:
    """Write a dataset of about ``size`` triples to ``out/habitat-kg.trig``; its path."""
    started = time.monotonic()
    ontology, reference = base_layers(data)
    say(f"  ontology and reference layers of a build: {len(ontology) + len(reference):,} triples")
    budget = size - len(ontology) - len(reference)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "habitat-kg.trig"
    partial = out / "habitat-kg.trig.partial"
    rng = random.Random(seed)
    progress = Progress(size, started)
    with tempfile.TemporaryDirectory() as scratch:
        document_path, curated_path = Path(scratch) / "d.nt", Path(scratch) / "c.nt"
        with (
            document_path.open("w", encoding="utf-8") as d,
            curated_path.open("w", encoding="utf-8") as c,
        ):
            layers = Layers(d, c)
            countries, cities = reference_places(reference)
            world = World(countries, cities)
            _fixed_things(layers, world)
            for session in _sessions():
                if layers.triples >= budget:
                    break
                _session(layers, world, rng, session, budget)
                progress.show(len(ontology) + len(reference) + layers.triples)
        with partial.open("w", encoding="utf-8") as output:
            for name, quads in (("ontology", ontology), ("reference", reference)):
                output.write(f"<{LAYERS[name]}> {{\n")
                triples = [quad.triple for quad in quads]
                output.write(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode())
                output.write("}\n")
            for name, path in (("document", document_path), ("curated", curated_path)):
                output.write(f"<{LAYERS[name]}> {{\n")
                with path.open(encoding="utf-8") as part:
                    shutil.copyfileobj(part, output, 1 << 20)
                output.write("}\n")
    partial.replace(target)
    triples = len(ontology) + len(reference) + layers.triples
    say(f"  {triples:,} triples in {time.monotonic() - started:.1f} s: {target}")
    return target


class Progress:
    """A line on stderr each time another tenth of the triples is written."""

    def __init__(self, size: int, started: float) -> None:
        self.size, self.started, self.shown = size, started, 0

    def show(self, triples: int) -> None:
        tenth = min(10, triples * 10 // max(self.size, 1))
        if tenth > self.shown:
            self.shown = tenth
            seconds = time.monotonic() - self.started
            say(f"  {triples:,} of {self.size:,} triples ({tenth * 10}%), {seconds:.1f} s")


def _sessions() -> Iterator[int]:
    session = 1
    while True:
        yield session
        session += 1


def _fixed_things(layers: Layers, world: World) -> None:
    """The organizations and the document that the stored questions name by default."""
    un_habitat, assembly = iri(ID + "org/un-habitat"), iri(ID + "org/un-habitat-assembly")
    layers.labelled(
        un_habitat,
        "UNEntity",
        "United Nations Human Settlements Programme",
        "联合国人类住区规划署",
        None,
    )
    layers.labelled(assembly, "GoverningBody", "UN-Habitat Assembly", "联合国人居大会", None)
    layers.fact(assembly, f"<{ORG}subOrganizationOf>", un_habitat, None)
    board = iri(ID + "org/executive-board")
    layers.labelled(board, "GoverningBody", "Executive Board", "执行局", None)
    layers.fact(board, f"<{ORG}subOrganizationOf>", un_habitat, None)
    fao = iri(ID + "org/fao")
    layers.labelled(
        fao,
        "UNEntity",
        "Food and Agriculture Organization of the United Nations",
        "联合国粮食及农业组织",
        None,
    )
    world.organizations += [fao]
    document = iri(ID + "document/HSP/EB.2020/13/Add.1")
    layers.labelled(document, "UNDocument", "Report on urban-rural linkages", "城乡联系报告", None)
    layers.fact(document, f"<{HKG}symbol>", text("HSP/EB.2020/13/Add.1"), None)
    world.documents.append(document)


def _session(layers: Layers, world: World, rng: random.Random, number: int, budget: int) -> None:
    """One session of the Assembly: its resolutions, a report on them, activities and events."""
    assembly = iri(ID + "org/un-habitat-assembly")
    session = iri(f"{ID}session/ha-{number}")
    layers.labelled(
        session,
        "Session",
        f"Session {number} of the UN-Habitat Assembly",
        f"人居大会第{number}届会议",
        None,
    )
    layers.fact(session, f"<{HKG}sessionOf>", assembly, None)
    start = f"{2018 + number % 8}-0{1 + number % 9}-1{number % 10}"
    layers.fact(session, f"<{HKG}startDate>", typed(start, "date"), None)
    layers.fact(session, f"<{HKG}place>", iri(ID + "city/ke-nairobi"), None)
    report = iri(f"{ID}report/syn-{number}")
    layers.doc(report, f"<{RDF}type>", iri(HKG + "ProgressReport"))
    layers.doc(report, f"<{RDFS}label>", text(f"Progress report {number}", "en"))
    for index in range(1, 6):
        _resolution(layers, world, rng, number, index, session)
    for index in range(1, 4):
        _organization(layers, world, rng, f"{number}-{index}")
    unit = iri(f"{ID}org/syn-unit-{number}")
    kind = UNIT_KINDS[number % len(UNIT_KINDS)]
    layers.labelled(
        unit,
        kind,
        f"{WORDS[number % len(WORDS)].title()} {kind} {number}",
        f"第{number}{kind}",
        None,
    )
    layers.fact(unit, f"<{ORG}subOrganizationOf>", iri(ID + "org/un-habitat"), None)
    world.units.append(unit)
    document = iri(f"{ID}document/HSP/SYN.{number}/1")
    layers.labelled(document, "UNDocument", f"Synthetic document {number}", f"文件{number}", None)
    layers.fact(document, f"<{HKG}symbol>", text(f"HSP/SYN.{number}/1"), None)
    world.documents.append(document)
    for paragraph in range(1, 201):
        if layers.triples >= budget:
            return
        part = _paragraph(layers, world, rng, report, paragraph)
        if paragraph % 20 == 0:
            _event(layers, world, rng, f"{number}-{paragraph}", part)
        _activity(layers, world, rng, f"{number}-{paragraph}", part)


def _resolution(
    layers: Layers, world: World, rng: random.Random, session_number: int, index: int, session: str
) -> None:
    number = f"{session_number}/{index}"
    resolution = iri(f"{ID}resolution/ha-{session_number}-{index}")
    layers.labelled(resolution, "Resolution", f"Resolution {number}", f"第{number}号决议", None)
    layers.fact(resolution, f"<{HKG}resolutionNumber>", text(number), None)
    layers.fact(resolution, f"<{HKG}adoptedAt>", session, None)
    layers.fact(resolution, f"<{HKG}adoptedBy>", iri(ID + "org/un-habitat-assembly"), None)
    topic = rng.choice(TOPICS)
    layers.fact(resolution, f"<{DCTERMS}title>", text(f"Resolution on {topic}", "en"), None)
    mandates = []
    for m in range(1, 3):
        mandate = iri(f"{ID}mandate/ha-{session_number}-{index}-{m}")
        layers.labelled(
            mandate,
            "Mandate",
            f"Mandate {m} of resolution {number} on {topic}",
            f"第{number}号决议任务{m}",
            None,
        )
        layers.fact(mandate, f"<{HKG}mandatedBy>", resolution, None)
        layers.fact(resolution, f"<{HKG}givesMandate>", mandate, None)
        mandates.append(mandate)
    world.resolutions.append((resolution, mandates))


def _organization(layers: Layers, world: World, rng: random.Random, key: str) -> None:
    organization = iri(f"{ID}org/syn-{key}")
    kind = rng.choice(ORG_KINDS)
    layers.labelled(
        organization, kind, f"{rng.choice(WORDS).title()} {kind} {key}", f"组织{key}", None
    )
    world.organizations.append(organization)


def _paragraph(layers: Layers, world: World, rng: random.Random, report: str, n: int) -> str:
    part = iri(f"{report[1:-1]}/paragraph/{n}")
    layers.doc(part, f"<{RDF}type>", iri(HKG + "Paragraph"))
    layers.doc(part, f"<{RDFS}label>", text(f"Paragraph {n}", "en"))
    layers.doc(part, f"<{RDFS}label>", text(f"第{n}段", "zh"))
    layers.doc(part, f"<{HKG}inReport>", report)
    layers.doc(part, f"<{HKG}paragraphNumber>", typed(n, "integer"))
    layers.doc(part, f"<{HKG}sourceLine>", typed(2 * n + 10, "integer"))
    words = "、".join(
        rng.choice(["执行", "伙伴", "城市", "住房", "培训", "审查"]) for _ in range(8)
    )
    layers.doc(part, f"<{HKG}text>", text(f"第{n}段：{words}。", "zh"))
    layers.doc(part, f"<{HKG}mentions>", rng.choice(world.organizations))
    if rng.random() < 0.2:
        cited = rng.choice(world.documents[-3:] + world.documents[:1])
        layers.doc(part, f"<{HKG}citesDocument>", cited)
    return part


def _event(layers: Layers, world: World, rng: random.Random, key: str, part: str) -> None:
    event = iri(f"{ID}event/syn-{key}")
    kind = rng.choice(EVENT_KINDS)
    layers.labelled(event, kind, f"{kind} on {rng.choice(TOPICS)} {key}", f"活动{key}", part)
    day = rng.randrange(1, 28)
    month = rng.randrange(1, 13)
    year = rng.randrange(2019, 2026)
    layers.fact(event, f"<{HKG}startDate>", typed(f"{year}-{month:02}-{day:02}", "date"), part)
    layers.fact(event, f"<{HKG}endDate>", typed(f"{year}-{month:02}-{day + 1:02}", "date"), part)
    layers.fact(event, f"<{HKG}place>", iri(rng.choice(world.cities + world.countries)), part)
    mode = f"{BASE}concept/mode/{rng.choice(MODES)}"
    layers.fact(event, f"<{HKG}deliveryMode>", iri(mode), part)
    world.events.append(event)


def _activity(layers: Layers, world: World, rng: random.Random, key: str, part: str) -> None:
    activity = iri(f"{ID}activity/syn-{key}")
    topic, word = rng.choice(TOPICS), rng.choice(WORDS)
    layers.labelled(
        activity,
        "Activity",
        f"{word.title()} on {topic} ({key})",
        f"关于{topic}的{word}活动{key}",
        part,
    )
    resolution, mandates = rng.choice(world.resolutions)

    def fact(predicate: str, value: str) -> None:
        layers.fact(activity, predicate, value, part)

    fact(f"<{HKG}status>", iri(f"{BASE}concept/status/{rng.choice(STATUSES)}"))
    fact(f"<{HKG}forResolution>", resolution)
    fact(f"<{HKG}forMandate>", rng.choice(mandates))
    if rng.random() < 0.8:
        fact(f"<{HKG}responsibleUnit>", rng.choice(world.units))
    place = rng.choice(world.countries + world.cities)
    fact(f"<{HKG}place>", iri(place if rng.random() < 0.97 else ID + "country/DEU"))
    if rng.random() < 0.7:
        year, month = rng.randrange(2019, 2026), rng.randrange(1, 13)
        fact(f"<{HKG}startDate>", typed(f"{year}-{month:02}-01", "date"))
        fact(f"<{HKG}endDate>", typed(f"{year}-{month:02}-28", "date"))
    if rng.random() < 0.5:
        fact(f"<{HKG}deliveryMode>", iri(f"{BASE}concept/mode/{rng.choice(MODES)}"))
    if rng.random() < 0.1:
        fact(f"<{HKG}obstacle>", iri(f"{BASE}concept/obstacle/{rng.choice(OBSTACLES)}"))
        fact(f"<{HKG}reason>", text("delayed by the pandemic", "en"))
    if world.events and rng.random() < 0.3:
        fact(f"<{HKG}atEvent>", rng.choice(world.events))
    if rng.random() < 0.05:
        fact(f"<{HKG}numberOfStaff>", typed(rng.randrange(1, 9), "integer"))
    if rng.random() < 0.05:
        fact(f"<{HKG}forNextSessionOf>", iri(ID + "org/executive-board"))
        fact(f"<{HKG}nextStep>", text(f"Present the {word} at the next session", "en"))
    for index in range(rng.randrange(1, 4)):
        agent = rng.choice(world.organizations + world.units)
        association = iri(f"{activity[1:-1]}/association/{index}")
        fact(f"<{PROV}qualifiedAssociation>", association)
        fact(f"<{PROV}wasAssociatedWith>", agent)
        layers.fact(association, f"<{RDF}type>", iri(PROV + "Association"), part)
        layers.fact(association, f"<{PROV}agent>", agent, part)
        role = f"{BASE}concept/role/{rng.choice(ROLES)}"
        layers.fact(association, f"<{PROV}hadRole>", iri(role), part)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="sizes in triples: 10k,100k,1M,10M")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/data"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="a build to take ontology and reference from")
    args = parser.parse_args(argv)
    labels = args.sizes.split(",")
    try:
        sizes = [parse_size(label) for label in labels]
    except ValueError as error:
        parser.error(f"--sizes: {error}")
    for label, size in zip(labels, sizes, strict=True):
        say(f"{label}: generating {size:,} triples into {args.out / label} ...")
        generate(size, args.out / label, args.seed, args.data)


if __name__ == "__main__":
    main()
