"""The writer of the build folder behind the served graph (server/build_writer.py): a whole
reload waits for a write in progress, and a write that runs past its limit is ended and told."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from habitat_kg.server import build_writer
from habitat_kg.server.build_writer import BuildWriter


def _writer(folder: Path) -> BuildWriter:
    return BuildWriter(folder, lambda _state: None, lambda problem: [problem])


def test_waiting_for_the_writer_returns_once_its_write_has_ended(tmp_path: Path) -> None:
    writer = _writer(tmp_path)

    def write() -> None:  # as BuildWriter._run: the write, then no thread
        time.sleep(0.5)
        with writer._lock:
            writer._thread = None

    writer._thread = threading.Thread(target=write)
    writer._thread.start()
    started = time.monotonic()
    writer.wait_idle()
    assert writer._thread is None and time.monotonic() - started >= 0.4


def test_the_writer_waiting_for_itself_does_not_wait(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    done = threading.Event()

    def write() -> None:
        writer.wait_idle()  # a failed write goes back to the folder's dataset from here
        done.set()

    writer._thread = threading.Thread(target=write)
    writer._thread.start()
    assert done.wait(5)


def test_a_write_past_its_limit_is_ended_and_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_writer, "WRITE_LIMIT", 0.01)  # less than Python takes to start
    state, problem = build_writer._write(tmp_path)
    assert state == -1 and problem == "the build could not be written within 0.01 s"
