"""Tests marked ``alone`` run with no other test beside them (a pytest plugin, named in
conftest.py).

scripts/test runs the suite in two pytest-xdist workers. A test that times itself against a
bound (an answer within 0.5 s, a cheap question within 1 s beside heavy ones) must not share the
two cores with the other worker's test. Every test holds a lock while it runs (its setup, call
and teardown): shared by ordinary tests, exclusive for a test marked ``alone``, which therefore
waits until the other worker's test ends and makes the other worker wait until it ends. A second
lock taken on the way in (a turnstile) keeps a waiting ``alone`` test from being passed over by
the other worker's tests forever.

The locks are files in a folder made by the controlling process for the run and handed to its
workers (``pytest_configure_node``); with one process (``-n 0``) there is nothing to wait for
and no lock is taken.
"""

from __future__ import annotations

import fcntl
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_FOLDER_KEY = "habitat_kg_alone_locks"
_folder = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "alone: times itself; no test of another xdist worker runs beside it"
    )
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None):
        # the controlling process of workers
        config.stash[_folder] = Path(tempfile.mkdtemp(prefix="habitat-kg-alone-"))


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_folder, None)
    if folder is not None and not hasattr(config, "workerinput"):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist: each worker gets the folder of the run's locks."""
    node.workerinput[_FOLDER_KEY] = str(node.config.stash[_folder])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    workerinput = getattr(item.config, "workerinput", None)
    if workerinput is None or _FOLDER_KEY not in workerinput:
        return (yield)
    folder = Path(workerinput[_FOLDER_KEY])
    alone = item.get_closest_marker("alone") is not None
    with _held(folder / "turnstile", fcntl.LOCK_EX) as turnstile:
        if not alone:
            turnstile.close()  # passed: an ordinary test only walks through
        with _held(folder / "tests", fcntl.LOCK_EX if alone else fcntl.LOCK_SH):
            if alone:
                turnstile.close()
            return (yield)


@contextmanager
def _held(path: Path, operation: int) -> Iterator[Any]:
    """The file at ``path``, open and locked with ``operation`` until closed (or the end)."""
    with path.open("a") as handle:
        fcntl.flock(handle, operation)
        yield handle
