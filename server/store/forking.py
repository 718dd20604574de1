"""How the query workers' processes are started: forked from a fork server that holds the worker
modules loaded, without running the program's main script again.

A process that multiprocessing starts (fork server or spawn) first runs the program's main
script again, so that what the script defines can be found; for ``habitat-kg serve`` that is
the whole command line (Flask, rdflib, the pages: some 40 MiB and 0.7 s a process). A worker
needs none of it: what it runs is in the worker modules. So the processes of this context are
started with the main module named ``__main__`` (what ``python -m`` gives a package's
``__main__``), which multiprocessing does not run again; and the fork server loads only the
worker modules, which every worker then shares with it.

The fork server (and so every worker) runs with the memory allocator the ``worker-allocator``
setting names, preloaded (``LD_PRELOAD``): the engine allocates for every row it joins, and
glibc's allocator costs it more CPU than mimalloc's (benchmarks/results: the peers' CPU table).
Only the fork server's start sees the variable; the server process and its other children keep
glibc's.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib.machinery
import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

from habitat_kg.settings import SETTINGS

log = logging.getLogger("habitat_kg.server.store")

#: What the fork server loads before it forks a worker (worker_threads imports worker).
PRELOADED = ["habitat_kg.server.store.worker_threads"]
_STARTING = threading.Lock()
#: Held while LD_PRELOAD is set for a start (two starts at once would restore it out of turn).
_PRELOADING = threading.Lock()


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


#: The allocators ``worker-allocator`` may name, by the name of their library.
ALLOCATORS = {"mimalloc": "mimalloc", "jemalloc": "jemalloc", "system": None}


def allocator_library(name: str) -> str | None:
    """The library to preload for allocator ``name`` (None: glibc's own); ValueError for a name
    not in ALLOCATORS. An allocator that is not installed is logged and glibc's used."""
    if name not in ALLOCATORS:
        raise ValueError(f"worker-allocator: {name!r} is not one of {', '.join(ALLOCATORS)}")
    wanted = ALLOCATORS[name]
    if wanted is None:
        return None
    found = ctypes.util.find_library(wanted)
    if found is None:
        log.warning("worker-allocator %s is not installed: the workers use glibc's", name)
    return found


@contextlib.contextmanager
def preloaded_allocator() -> Iterator[None]:
    """While a process starts, ``LD_PRELOAD`` names the ``worker-allocator`` setting's library
    (a fork server started now keeps it; one already running is not changed)."""
    library = allocator_library(SETTINGS["worker-allocator"].value())
    if library is None:
        yield
        return
    with _PRELOADING:
        before = os.environ.get("LD_PRELOAD")
        os.environ["LD_PRELOAD"] = f"{library} {before}" if before else library
        try:
            yield
        finally:
            if before is None:
                del os.environ["LD_PRELOAD"]
            else:
                os.environ["LD_PRELOAD"] = before


class _WorkerProcess(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        with main_not_run_again(), preloaded_allocator():
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
