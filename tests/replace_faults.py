"""A disk that fills up half-way through a write of several files: the second ``os.replace`` of
the review store fails as a full disk would, so a test can check that nothing was left half-done.
(The whole-command tests on a real full tmpfs are in test_write_errors.py.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from folders import contents

from habitat_kg.errors import TargetError
from habitat_kg.graph.review import files as files_module


def fail_second_replace(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the review store's second rename fail with ENOSPC; returns the targets it was asked."""
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: str | Path, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(files_module.os, "replace", failing_replace)
    return calls


@contextmanager
def disk_full_half_way(monkeypatch: pytest.MonkeyPatch, sources: Path) -> Iterator[None]:
    """The block's write of a review must fail on its second file, the first one in place, with
    an error naming the full disk; ``sources`` must then hold what they held before."""
    before = contents(sources)
    calls = fail_second_replace(monkeypatch)
    with pytest.raises(
        TargetError,
        match=r"sources: cannot write the report.s review of .*: No space left on device",
    ):
        yield
    assert len(calls) == 2
    assert contents(sources) == before
