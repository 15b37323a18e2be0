"""Parallel coding on one machine: a process pool in front of the one store writer.

Coding is pure CPU work per article, so it spreads over processes; writing is not (a
DuckDB file has one writer), so the main process stays the only writer.
:class:`ParallelCoder` sits between the reader and :func:`tidings.pipeline.ingest_articles`:

* :meth:`ParallelCoder.stream` pulls articles from the reader, sends them to the pool
  in chunks, and yields them back *in input order* once their chunk is coded, keeping at
  most ``max_in_flight`` chunks out, so memory stays flat on any corpus size while the
  workers code ahead of the writer;
* :meth:`ParallelCoder.code_batch` is the pipeline's ``coder``: it hands over the results
  already computed for the articles of a batch, so the pipeline batches, writes and
  merges exactly as it does with one process, and the store ends up the same.

Workers are started with the ``spawn`` method (safe next to DuckDB's threads and on every
platform); each loads the actor and pattern tables once, through the coder's module
caches, when it starts. Workers die with their parent: a ``kill -9`` of the main process
cannot leave them (and, through them, the resource tracker) running under PID 1. On
Linux the kernel sends them SIGKILL (``PR_SET_PDEATHSIG``); everywhere, a watchdog thread
notices the parent is gone within a second.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from tidings.coder import CoderOptions
from tidings.errors import InputError, TidingsError
from tidings.model import Article, Mention
from tidings.pipeline import IngestIssue, code_batch

__all__ = ["DEFAULT_CHUNK", "ParallelCoder", "WorkerFailed", "default_workers"]

#: articles sent to a worker at a time: large enough to hide the pickling overhead,
#: small enough that two workers finish a batch at about the same time
DEFAULT_CHUNK = 50

#: how workers start: "spawn" is safe next to DuckDB's threads and on every platform
START_METHOD = "spawn"

Result = list[Mention] | IngestIssue


class WorkerFailed(TidingsError):
    """A worker process died (killed, out of memory); the run cannot go on safely."""


def default_workers() -> int:
    """The cores this process may use (the affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


#: how often a worker's watchdog checks that its parent is still alive, in seconds
WATCHDOG_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Make this worker process end when ``parent`` (the pool's owner) does.

    The kernel's parent-death signal is immediate but Linux-only, and it is tied to the
    thread that started the worker; the watchdog thread covers every platform (and a
    parent that died before the signal was armed).
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - an unusual libc
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)  # no cleanup to run: the writer is gone, results have no taker
            time.sleep(WATCHDOG_SECONDS)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, name="tidings-parent-watchdog", daemon=True).start()


def _warm(options: CoderOptions | None, parent: int | None = None) -> None:
    """Worker initialiser: tie the worker to its parent, then load the tables once,
    before the first real chunk arrives."""
    if parent is not None:
        _die_with_parent(parent)
    code_batch([Article(doc_id="warm-up", text="The President met the Prime Minister.")], options)


def _code_chunk(articles: list[Article], options: CoderOptions | None) -> list[Result]:
    """Code one chunk in a worker; return only the results (the parent has the articles)."""
    return [result for _, result in code_batch(articles, options)]


class ParallelCoder:
    """A pool of coding processes used as a context manager around one ingest run.

    ``workers`` processes code chunks of ``chunk_size`` articles; at most
    ``max_in_flight`` chunks (default: four per worker) are queued or running, which
    bounds the memory held for articles waiting to be coded or written.
    """

    def __init__(
        self,
        options: CoderOptions | None = None,
        workers: int | None = None,
        *,
        chunk_size: int = DEFAULT_CHUNK,
        max_in_flight: int | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise TidingsError(f"--workers must be at least 1, not {workers}")
        self.options = options
        self.workers = workers or default_workers()
        self.chunk_size = max(1, chunk_size)
        self.max_in_flight = max_in_flight or 4 * self.workers
        self._pool: ProcessPoolExecutor | None = None
        #: articles yielded by :meth:`stream` with their results, keyed by object identity
        self._done: dict[int, tuple[Article, Result]] = {}

    def __enter__(self) -> ParallelCoder:
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=mp.get_context(START_METHOD),
            initializer=_warm,
            initargs=(self.options, os.getpid()),
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _submit(self, chunk: list[Article]) -> Future:
        assert self._pool is not None, "use ParallelCoder as a context manager"
        return self._pool.submit(_code_chunk, chunk, self.options)

    def _collect(self, future: Future, chunk: list[Article]) -> Iterator[Article]:
        try:
            results = future.result()
        except BrokenProcessPool:
            raise WorkerFailed(
                "a coding worker process died (out of memory or killed); "
                "try fewer --workers or a smaller --batch-size"
            ) from None
        for article, result in zip(chunk, results, strict=True):
            self._done[id(article)] = (article, result)
            yield article

    def stream(self, items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
        """Yield ``items`` in their order; every article yielded has been coded already.

        Input errors pass straight through (in place). Reading stays lazy: the reader is
        only ever ``max_in_flight`` chunks ahead of the consumer.
        """
        # queue entries: an InputError to pass on, or (future, chunk) of articles
        queue: deque[Any] = deque()
        in_flight = 0
        chunk: list[Article] = []

        def drain_one() -> Iterator[Article | InputError]:
            nonlocal in_flight
            head = queue.popleft()
            if isinstance(head, InputError):
                yield head
                return
            in_flight -= 1
            yield from self._collect(*head)

        for item in items:
            if isinstance(item, InputError):
                if chunk:  # keep the order: the articles before it go first
                    queue.append((self._submit(chunk), chunk))
                    in_flight += 1
                    chunk = []
                queue.append(item)
            else:
                chunk.append(item)
                if len(chunk) >= self.chunk_size:
                    queue.append((self._submit(chunk), chunk))
                    in_flight += 1
                    chunk = []
            while in_flight >= self.max_in_flight or (queue and _ready(queue[0])):
                yield from drain_one()
        if chunk:
            queue.append((self._submit(chunk), chunk))
            in_flight += 1
        while queue:
            yield from drain_one()

    def code_batch(
        self, articles: Sequence[Article], options: CoderOptions | None = None
    ) -> list[tuple[Article, Result]]:
        """The pipeline's coder: the results :meth:`stream` computed for these articles.

        Articles that did not come through :meth:`stream` are coded here, in this process.
        """
        out: list[tuple[Article, Result]] = []
        missing: list[Article] = []
        for article in articles:
            known = self._done.pop(id(article), None)
            # identity check: an id can be reused once an earlier article is freed
            result = known[1] if known is not None and known[0] is article else None
            if result is None:
                missing.append(article)
            out.append((article, result))  # type: ignore[arg-type]
        if missing:
            coded = dict((id(a), r) for a, r in code_batch(missing, options or self.options))
            out = [(a, r if r is not None else coded[id(a)]) for a, r in out]
        return out


def _ready(head: Any) -> bool:
    """Whether the queue's head can be passed on without waiting."""
    return isinstance(head, InputError) or head[0].done()
