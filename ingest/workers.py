"""Worker process pools that die with their parent.

A SIGKILLed annotate leaves its ProcessPoolExecutor workers blocked on a queue that
nobody will ever fill, each holding hundreds of MB. Every worker watches its parent and exits
when it is gone. Spawn, not fork: a forked child would inherit the parent's open DuckDB handle."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_POLL_SECONDS = 1.0


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:  # re-parented: the process that started us is gone
            os._exit(1)
        time.sleep(_POLL_SECONDS)


def _start(parent: int, initializer: Callable[[], object] | None) -> None:
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if initializer is not None:
        initializer()


def worker_pool(workers: int, initializer: Callable[[], object] | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=(os.getpid(), initializer))
