"""Ingest, code and store in batches: the one writer behind ``tidings ingest``.

The flow per batch of ``batch_size`` articles:

1. read lazily (:func:`tidings.ingest.iter_articles`), so memory stays bounded by one
   batch whatever the corpus size;
2. code the batch (:func:`code_batch`, the seam where ``--workers`` and the Ray engine
   plug in), *before* touching the store so the write lock is held only briefly;
3. write it, and merge the events its mentions touch, in ONE transaction
   (:meth:`Store.write_batch`, :func:`tidings.dedup.merge_keys_in`): a crash or
   ``kill -9`` at any moment leaves the store as before the batch or with all of it.

Documents already stored with the same text by the same coder version are not coded
again (a re-run after a crash only codes what is missing).

Bad input and coder failures do not stop the run: each becomes one
:class:`IngestIssue` (origin and reason) in the :class:`IngestReport`, and is logged in
the store's ``ingest_errors`` table.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tidings import coder as _coder
from tidings.coder import CoderOptions
from tidings.errors import InputError, TidingsError
from tidings.model import Article, Mention
from tidings.store import Store, new_run_id

__all__ = [
    "IngestIssue",
    "IngestReport",
    "code_batch",
    "ingest",
    "ingest_articles",
    "recode",
]

#: errors kept in memory per run; beyond this only the counts grow (the log table has all)
MAX_KEPT_ERRORS = 10_000


@dataclass(slots=True, frozen=True)
class IngestIssue:
    """One input that could not be stored: where it was and why."""

    origin: str
    reason: str
    kind: str = "InputError"

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(slots=True)
class IngestReport:
    """What an ingest (or recode) run did."""

    run_id: str = field(default_factory=new_run_id)
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    mentions: int = 0
    seconds: float = 0.0
    errors: list[IngestIssue] = field(default_factory=list)
    #: origin of the last article read (progress displays use it)
    last_origin: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def docs_per_second(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id,
            "read": self.read,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "mentions": self.mentions,
            "seconds": round(self.seconds, 3),
            "errors": [{"origin": e.origin, "reason": e.reason} for e in self.errors],
        }


class CodingFailed(TidingsError):
    """The coder raised on one article (a bug; the run goes on without it)."""


def code_batch(
    articles: Sequence[Article], options: CoderOptions | None = None
) -> list[tuple[Article, list[Mention] | IngestIssue]]:
    """Code a batch of articles; an article whose coding raises gets an issue instead.

    This is the seam for parallel engines: anything that maps this function over
    batches (a process pool, Ray) keeps the pipeline's semantics. It must stay a plain
    module-level function with picklable arguments.
    """
    out: list[tuple[Article, list[Mention] | IngestIssue]] = []
    # one parse for the whole batch (see code_many); a failure stays with its article
    for article, coded in zip(articles, _coder.code_many(articles, options), strict=True):
        if isinstance(coded, Exception):
            where = article.origin or article.name or article.doc_id
            reason = f"the coder failed on this article ({type(coded).__name__}: {coded})"
            out.append((article, IngestIssue(where, reason, "CodingFailed")))
        else:
            out.append((article, coded))
    return out


#: how a batch of articles gets coded (``code_batch`` or a parallel engine's equivalent)
BatchCoder = Callable[
    [Sequence[Article], CoderOptions | None], list[tuple[Article, list[Mention] | IngestIssue]]
]


def _batches(items: Iterable[Article | InputError], size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _skip_unchanged(
    items: Iterable[Article | InputError], store: Store, report: IngestReport, size: int
) -> Iterator[Article | InputError]:
    """``items`` without the articles the store holds with the same text, coded by this
    coder version: they are counted as read and unchanged, and never coded.

    Looks them up ``size`` at a time (one short read of the store per batch), before
    any coder, sequential or parallel, sees them.
    """
    version = _coder.CODER_VERSION
    for chunk in _batches(items, size):
        articles = [a for a in chunk if isinstance(a, Article)]
        known = store.unchanged_ids(articles, version)
        for item in chunk:
            if isinstance(item, Article) and item.doc_id in known:
                report.read += 1
                report.unchanged += 1
                report.last_origin = item.origin
                continue
            yield item


def ingest_articles(
    items: Iterable[Article | InputError],
    store: Store,
    *,
    options: CoderOptions | None = None,
    strict: bool = False,
    batch_size: int = 500,
    code: bool = True,
    coder: BatchCoder | None = None,
    progress: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[IngestIssue], None] | None = None,
    workers: int = 1,
) -> IngestReport:
    """Code and store a stream of articles (and input errors), in batches.

    ``items`` is what :func:`tidings.ingest.iter_articles` yields. With ``code=False``
    documents are stored uncoded (``coder_version`` NULL) for a later ``tidings
    recode``. ``progress`` is called after every item with the running report;
    ``on_error`` once per failed input. With ``strict``, the batch read so far is stored
    and the first failure is raised. ``workers`` > 1 codes in that many processes
    (:mod:`tidings.parallel`); this process stays the one writer, and the store ends up
    exactly as with one worker.
    """
    if code and options is not None and options.actors_files:
        # a malformed --actors file fails once, here, not once per article
        from tidings.actors import load_tables

        load_tables(tuple(options.actors_files))
    if workers > 1 and code and coder is None:
        from tidings.parallel import ParallelCoder

        skipped = IngestReport()  # unchanged documents never reach the workers
        if not store.read_only:
            items = _skip_unchanged(items, store, skipped, batch_size)
        with ParallelCoder(options, workers) as pool:
            report = ingest_articles(
                pool.stream(items),
                store,
                options=options,
                strict=strict,
                batch_size=batch_size,
                coder=pool.code_batch,
                progress=progress,
                on_error=on_error,
            )
        report.read += skipped.read
        report.unchanged += skipped.unchanged
        return report
    report = IngestReport()
    run_coder = coder or code_batch
    started = time.perf_counter()
    logged: list[tuple[str, str, str]] = []

    def fail(issue: IngestIssue) -> None:
        report.failed += 1
        if len(report.errors) < MAX_KEPT_ERRORS:
            report.errors.append(issue)
        logged.append((issue.origin, issue.kind, issue.reason))
        if on_error is not None:
            on_error(issue)

    def flush(articles: list[Article]) -> None:
        if not articles:
            return
        if code:
            coded = run_coder(articles, options)
        else:
            coded = [(a, []) for a in articles]
        good: list[Article] = []
        mentions: dict[str, list[Mention]] = {}
        first_issue: IngestIssue | None = None
        for article, result in coded:
            if isinstance(result, IngestIssue):
                fail(result)
                first_issue = first_issue or result
                continue
            good.append(article)
            mentions[article.doc_id] = result
        with store.session():  # one open of the file per batch, only after coding
            counts = store.write_batch(
                good, mentions, coder_version=_coder.CODER_VERSION if code else None
            )
            if logged:
                store.record_errors(report.run_id, logged)
                logged.clear()
        report.added += counts.added
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        report.mentions += counts.mentions
        if strict and first_issue is not None:
            raise CodingFailed(str(first_issue))

    if code and coder is None and not store.read_only:
        items = _skip_unchanged(items, store, report, batch_size)
    pending: list[Article] = []
    try:
        for item in items:
            if isinstance(item, InputError):
                issue = IngestIssue(item.where, item.reason, type(item).__name__)
                report.last_origin = item.where
                fail(issue)
                if strict:
                    flush(pending)
                    pending = []
                    raise item
            else:
                report.read += 1
                report.last_origin = item.origin
                pending.append(item)
                if len(pending) >= batch_size:
                    flush(pending)
                    pending = []
            if progress is not None:
                progress(report)
        flush(pending)
        pending = []
    except InputError as exc:
        # iter_articles(strict=True) raises the first bad input itself
        if not any(e.origin == exc.where and e.reason == exc.reason for e in report.errors):
            fail(IngestIssue(exc.where, exc.reason, type(exc).__name__))
        flush(pending)
        raise
    finally:
        report.seconds = time.perf_counter() - started
        if logged and not store.read_only:
            try:
                store.record_errors(report.run_id, logged)
            except TidingsError:  # pragma: no cover - the store itself is the problem
                pass
            logged.clear()
    return report


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    options: CoderOptions | None = None,
    strict: bool = False,
    batch_size: int = 500,
    max_bytes: int | None = None,
    code: bool = True,
    progress: Callable[[IngestReport], None] | None = None,
    on_error: Callable[[IngestIssue], None] | None = None,
    workers: int = 1,
    max_total_bytes: int | None = None,
) -> IngestReport:
    """Read ``paths`` (files, folders, globs, ``-``), code the articles and store them.

    Returns an :class:`IngestReport`; bad inputs are in ``report.errors`` rather than
    raised, unless ``strict``. Re-running on the same files changes nothing. ``workers``
    > 1 codes in that many processes. ``max_bytes`` / ``max_total_bytes``: see
    :mod:`tidings.ingest.limits`. The store's own files are never read as input.
    """
    from tidings.ingest import iter_articles

    # the stream never raises; ``ingest_articles`` applies ``strict`` after storing
    # what was read before the first failure
    return ingest_articles(
        iter_articles(
            list(paths),
            max_bytes=max_bytes,
            max_total_bytes=max_total_bytes,
            exclude=[store.path] if getattr(store, "path", None) else [],
        ),
        store,
        options=options,
        strict=strict,
        batch_size=batch_size,
        code=code,
        progress=progress,
        on_error=on_error,
        workers=workers,
    )


def recode(
    store: Store,
    *,
    options: CoderOptions | None = None,
    everything: bool = False,
    batch_size: int = 500,
    progress: Callable[[IngestReport, int], None] | None = None,
) -> IngestReport:
    """Re-code stored documents coded by another coder version (all with ``everything``).

    Their mentions are replaced batch by batch, each batch in one transaction, and their
    events re-merged. ``progress(report, total)`` is called after every batch.
    """
    report = IngestReport()
    started = time.perf_counter()
    version = _coder.CODER_VERSION
    doc_ids = store.doc_ids_to_recode(version, everything=everything)
    total = len(doc_ids)
    for start in range(0, total, batch_size):
        articles = store.articles(doc_ids[start : start + batch_size])
        coded = code_batch(articles, options)
        ok_ids: list[str] = []
        mentions: list[Mention] = []
        for article, result in coded:
            report.read += 1
            if isinstance(result, IngestIssue):
                report.failed += 1
                if len(report.errors) < MAX_KEPT_ERRORS:
                    report.errors.append(result)
                continue
            ok_ids.append(article.doc_id)
            mentions.extend(result)
        report.mentions += store.replace_mentions(ok_ids, mentions, coder_version=version)
        report.updated += len(ok_ids)
        if progress is not None:
            progress(report, total)
    report.seconds = time.perf_counter() - started
    return report
