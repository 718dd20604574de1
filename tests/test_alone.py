"""A test marked ``alone`` (tests/alone.py) runs with no test of the other xdist worker beside
it, while ordinary tests of the two workers do run side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PLUGIN = Path(__file__).with_name("alone.py")
#: Each test writes when it ran (monotonic clock, which all processes of the machine share).
TIMED = """
import json, os, time
from pathlib import Path

import pytest


def _timed(name, seconds):
    started = time.monotonic()
    time.sleep(seconds)
    record = {{"name": name, "from": started, "to": time.monotonic()}}
    Path(os.environ["RECORDS"], name).write_text(json.dumps(record))

{tests}
"""


def _intervals(folder: Path) -> dict[str, tuple[float, float]]:
    records = [json.loads(path.read_text()) for path in folder.iterdir()]
    return {record["name"]: (record["from"], record["to"]) for record in records}


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_an_alone_test_waits_for_the_other_worker_and_makes_it_wait(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = pytester.mkdir("records")
    monkeypatch.setenv("RECORDS", str(records))
    pytester.makepyfile(alone=PLUGIN.read_text())
    pytester.makeconftest('pytest_plugins = ["alone"]')
    ordinary = "".join(
        f"def test_ordinary_{i}():\n    _timed('ordinary-{i}', 0.3)\n" for i in range(6)
    )
    # one ordinary test, then one marked alone, in the other file (so the other worker)
    early_then_alone = (
        "def test_early():\n    _timed('early', 0.4)\n\n"
        "@pytest.mark.alone\ndef test_alone():\n    _timed('alone', 1.0)\n"
    )
    pytester.makepyfile(
        test_ordinary=TIMED.format(tests=ordinary),
        test_early_then_alone=TIMED.format(tests=early_then_alone),
    )
    result = pytester.runpytest_subprocess("-n", "2", "--dist", "loadfile", "-p", "xdist")
    result.assert_outcomes(passed=8)
    ran = _intervals(records)
    others = [ran[f"ordinary-{i}"] for i in range(6)]
    assert not any(_overlap(ran["alone"], other) for other in others), ran
    # without the mark the two workers do run side by side
    assert any(_overlap(ran["early"], other) for other in others), ran
