"""The query workers' allocator (setting worker-allocator): preloaded into the workers alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from habitat_kg.server.store.forking import allocator_library, preloaded_allocator


def _maps_allocator(pid: int | str) -> bool:
    return "libmimalloc" in Path(f"/proc/{pid}/maps").read_text()


#: Run in a process of its own: the fork server is one per process, and another test may have
#: started it (multiprocessing's own context) before any pool did.
#: (The worker copies its own /proc/self/maps: a function of this script could not be found
#: in it, since the worker does not run the script.)
_STARTED_FROM_THE_WORKER_CONTEXT = """
import os, shutil, sys
from habitat_kg.server.store.forking import worker_context

if __name__ == '__main__':
    worker = worker_context().Process(target=shutil.copyfile,
                                      args=('/proc/self/maps', sys.argv[1]))
    worker.start()
    worker.join(60)
    print(worker.exitcode, 'libmimalloc' in open('/proc/self/maps').read(),
          'LD_PRELOAD' in os.environ)
"""


def test_a_worker_process_runs_with_mimalloc_and_the_server_process_does_not(
    tmp_path: Path,
) -> None:
    script = tmp_path / "start_worker.py"
    script.write_text(_STARTED_FROM_THE_WORKER_CONTEXT)
    environment = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    environment.pop("HABITAT_KG_WORKER_ALLOCATOR", None)  # the default
    maps = tmp_path / "worker-maps"
    done = subprocess.run(
        [sys.executable, str(script), str(maps)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["0", "False", "False"]
    assert "libmimalloc" in maps.read_text()


def test_a_process_started_meanwhile_has_it_and_the_variable_is_put_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LD_PRELOAD", "")
    monkeypatch.delenv("LD_PRELOAD")
    probe = [sys.executable, "-c", "print('libmimalloc' in open('/proc/self/maps').read())"]
    with preloaded_allocator():
        inside = subprocess.run(probe, capture_output=True, text=True, check=True).stdout
    assert inside.strip() == "True"
    assert "LD_PRELOAD" not in os.environ


def test_system_preloads_nothing_and_an_unknown_name_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert allocator_library("system") is None
    monkeypatch.setenv("HABITAT_KG_WORKER_ALLOCATOR", "system")
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    with preloaded_allocator():
        assert "LD_PRELOAD" not in os.environ
    with pytest.raises(ValueError, match="worker-allocator: 'tcmalloc' is not one of"):
        allocator_library("tcmalloc")
