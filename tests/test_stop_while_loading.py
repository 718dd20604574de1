"""A server stopped while its workers load the graph: the workers that find no pool when they
are done end quietly (no traceback on the terminal), and so does the process that prepares the
shared store."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from habitat_kg.graph.build import BuildResult

WORKER = """
import socket, sys
from habitat_kg.server.store.worker import DatasetSource, start_worker
ours, theirs = socket.socketpair()
ours.close()  # the pool has gone while the graph loaded
print(start_worker([theirs], DatasetSource(sys.argv[1]), 0))
"""

SHARED_STORE = """
import multiprocessing, sys
from habitat_kg.server.store.shared_store import _answer, _load
receiving, sending = multiprocessing.Pipe(duplex=False)
receiving.close()  # the server has gone
_answer(sending, _load, sys.argv[1], sys.argv[2])
print("done")
"""


def _run(code: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_worker_whose_pool_has_gone_ends_quietly(built: BuildResult) -> None:
    done = _run(WORKER, str(built.dataset_path))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "None", "")


def test_the_shared_store_process_whose_server_has_gone_ends_quietly(
    built: BuildResult, tmp_path
) -> None:
    # the folder deleted under it (the server's cleanup) and nobody to tell
    done = _run(SHARED_STORE, str(tmp_path / "missing.trig"), str(tmp_path / "g0"))
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "done", "")
