"""How the query workers' processes are started: forked from a fork server that holds the worker
modules loaded, without running the program's main script again.

A process that multiprocessing starts (fork server or spawn) first runs the program's main
script again, so that what the script defines can be found; for ``habitat-kg serve`` that is
the whole command line (Flask, rdflib, the pages: some 40 MiB and 0.7 s a process). A worker
needs none of it: what it runs is in the worker modules. So the processes of this context are
started with the main module named ``__main__`` (what ``python -m`` gives a package's
``__main__``), which multiprocessing does not run again; and the fork server loads only the
worker modules, which every worker then shares with it.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import multiprocessing
import multiprocessing.context
import sys
import threading
from collections.abc import Iterator
from typing import Any

#: What the fork server loads before it forks a worker (worker_threads imports worker).
PRELOADED = ["habitat_kg.server.store.worker_threads"]
_STARTING = threading.Lock()


@contextlib.contextmanager
def main_not_run_again() -> Iterator[None]:
    """While a process starts, the main script (a file run as a program) looks like a module
    multiprocessing does not run again in the new process."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield  # python -m NAME: the new process imports NAME, as the program did
        return
    with _STARTING:
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
        try:
            yield
        finally:
            main.__spec__ = None


class _WorkerProcess(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        with main_not_run_again():
            return multiprocessing.context.ForkServerProcess._Popen(process_obj)


class _WorkerContext(multiprocessing.context.ForkServerContext):
    Process = _WorkerProcess  # type: ignore[assignment]


def worker_context() -> multiprocessing.context.BaseContext:
    """The context the pool starts its processes from (spawn where there is no fork server)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = _WorkerContext()
    context.set_forkserver_preload(PRELOADED)
    return context
