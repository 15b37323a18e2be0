"""The Ray Data engine: read and code a corpus on a Ray cluster, write Parquet.

``tidings ingest --engine ray`` (extra ``tidings[ray]``) for corpora one machine cannot
code in time. The plan is one streaming Ray Data pipeline:

1. the driver expands the paths (folders, globs) into a numbered list of files and cuts
   big JSONL, CSV and WARC files into blocks (:func:`plan_reads`,
   :mod:`tidings.ingest.split`), about four per CPU;
2. **read**: tasks run tidings' own readers on the files and blocks, so every format,
   field mapping, id and error message (``file:line``, ``file#record``) is exactly as
   in the single-process path; each article gets ``seq`` = file number << 36 | its
   line or record number * 16, which fixes its place in the input order;
3. **code**: a pool of actors (one per CPU of the cluster by default; each loads the
   actor and pattern tables once) runs :func:`tidings.pipeline.code_batch`;
4. **write**: partitioned Parquet under the output folder::

       DIR/documents/part-*.parquet              one row per article (ARTICLE_SCHEMA + seq)
       DIR/mentions/year=Y/month=M/part-*.parquet  one row per mention (MENTION_SCHEMA + seq)
       DIR/errors/part-*.parquet                 inputs that failed (origin, error, message)

   DuckDB queries it directly, e.g.
   ``SELECT * FROM read_parquet('DIR/mentions/**/*.parquet', hive_partitioning=true)``;
   undated mentions sit under ``year=0/month=0``.
5. **merge** (:mod:`tidings.raymerge`): the mentions are merged into events on the
   cluster, one task per group of partitions, into ``DIR/events/``.

Ray's streaming executor keeps only a bounded number of blocks in flight, so memory
stays flat whatever the corpus size. :func:`load_into_store` then feeds the Parquet
output, in input order, through the store's one writer (:meth:`Store.write_batch`, the
same call the single-process pipeline makes) and merges events after coding
(:func:`tidings.dedup.update_events`); the store ends up as ``tidings ingest`` would
leave it. Inputs and the output folder must be reachable at the same path from every
node (a shared file system), as with any Ray file pipeline.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tidings import coder as _coder
from tidings.coder import CoderOptions
from tidings.errors import InputError, MissingExtra, TidingsError
from tidings.ingest.limits import Limits
from tidings.model import ARTICLE_SCHEMA, MENTION_SCHEMA, Article, Mention
from tidings.pipeline import IngestIssue, IngestReport, code_batch

__all__ = ["RayRun", "load_into_store", "ray_ingest", "require_ray"]

#: articles per block coming out of the readers (a big JSONL file yields many blocks)
READ_BLOCK = 500
#: articles per call of a coding actor
CODE_BATCH = 100
#: ``seq`` = file number << SEQ_SHIFT | position in the file (line or record number * 16)
SEQ_SHIFT = 36
#: files are cut into blocks of at most this many bytes (TIDINGS_SPLIT_MB overrides;
#: 0 reads every file whole) and of at least MIN_SPLIT, aiming at BLOCKS_PER_CPU blocks
#: per CPU (a block is one coding task: several per CPU even out their lengths)
MAX_SPLIT = 32 << 20
MIN_SPLIT = 256 << 10
BLOCKS_PER_CPU = 4

_ERROR_FIELDS = [("kind", pa.string()), ("error", pa.string()), ("message", pa.string())]
#: what the read stage emits: an article or an input error per row, with its place
#: (``read_cpu``: CPU seconds the reader spent on the block, on its first row)
READ_SCHEMA = pa.schema(
    [("seq", pa.int64()), *ARTICLE_SCHEMA, *_ERROR_FIELDS, ("read_cpu", pa.float64())]
)
MENTION_LIST = pa.list_(pa.struct(list(MENTION_SCHEMA)))
#: ``worker`` names the process that coded the block (node id : pid) and ``code_cpu`` its
#: CPU seconds (first row), for run statistics that do not depend on the machine's load
CODED_SCHEMA = pa.schema(
    [
        *READ_SCHEMA,
        ("mentions", MENTION_LIST),
        ("worker", pa.string()),
        ("code_cpu", pa.float64()),
    ]
)
DOC_FILE_SCHEMA = pa.schema(
    [
        *ARTICLE_SCHEMA,
        ("seq", pa.int64()),
        ("coder_version", pa.string()),
        ("ingested_at", pa.timestamp("us")),
    ]
)
MENTION_FILE_SCHEMA = pa.schema([*MENTION_SCHEMA, ("seq", pa.int64())])
ERROR_FILE_SCHEMA = pa.schema(
    [("seq", pa.int64()), ("origin", pa.string()), ("error", pa.string()), ("message", pa.string())]
)


def require_ray() -> Any:
    """Import ray (with Ray Data) or raise :class:`MissingExtra` with the install hint."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise MissingExtra("ray", "ray[data]") from None
    return ray


# --------------------------------------------------------------------------- stages


def _read_files(batch: pa.Table, limits: Limits) -> Iterator[pa.Table]:
    """Read stage: tidings' readers over a few file blocks, yielding blocks of READ_SCHEMA.

    A row of ``batch`` is one :class:`~tidings.ingest.split.Split` (a whole file, or a
    block of a big one) with its file's number; ``limits`` bound every block as they
    bound a whole file.
    """
    from tidings.ingest.split import Split, read_split

    rows: list[dict[str, Any]] = []
    clock = time.process_time()
    for item in batch.to_pylist():
        file_no = item.pop("file_no")
        for position, result in read_split(Split(**item), limits):
            row: dict[str, Any] = {"seq": (file_no << SEQ_SHIFT) | position}
            if isinstance(result, InputError):
                row.update(
                    kind="error",
                    origin=result.where,
                    error=type(result).__name__,
                    message=result.reason,
                )
            else:
                row.update({name: getattr(result, name) for name in ARTICLE_SCHEMA.names})
                row["kind"] = "article"
            rows.append(row)
            if len(rows) >= READ_BLOCK:
                now = time.process_time()
                rows[0]["read_cpu"], clock = now - clock, now
                yield pa.Table.from_pylist(rows, schema=READ_SCHEMA)
                rows = []
    if rows:
        rows[0]["read_cpu"] = time.process_time() - clock
        yield pa.Table.from_pylist(rows, schema=READ_SCHEMA)


def _article(row: dict[str, Any]) -> Article:
    return Article(**{name: row[name] for name in ARTICLE_SCHEMA.names})


def _code_block(batch: pa.Table, options: CoderOptions | None) -> pa.Table:
    """Code stage: code the articles of a block; input errors pass through.

    Runs as Ray tasks on the cluster's worker processes; a worker loads the actor and
    pattern tables on its first block and keeps them (the coder's module caches) for
    every later one.
    """
    clock = time.process_time()
    rows = batch.cast(READ_SCHEMA).to_pylist()
    todo = [(i, _article(r)) for i, r in enumerate(rows) if r["kind"] == "article"]
    coded = code_batch([a for _, a in todo], options)
    mentions: list[list[dict[str, Any]] | None] = [None] * len(rows)
    for (i, _), (_, result) in zip(todo, coded, strict=True):
        if isinstance(result, IngestIssue):  # the coder failed: an error row
            rows[i].update(kind="error", error=result.kind, message=result.reason)
            rows[i]["origin"] = result.origin
        else:
            mentions[i] = [m.to_dict() for m in result]
    out = pa.Table.from_pylist(rows, schema=READ_SCHEMA)
    out = out.append_column("mentions", pa.array(mentions, MENTION_LIST))
    out = out.append_column("worker", pa.array([_worker_name()] * len(rows), pa.string()))
    cpu = [time.process_time() - clock] + [0.0] * (len(rows) - 1)
    return out.append_column("code_cpu", pa.array(cpu, pa.float64()))


class _Coder:
    """A coding actor: loads the actor and pattern tables once, then codes blocks.

    A pool of these (one per CPU) rather than tasks, so that a run pays the table
    loading once per CPU, not once per worker process Ray happens to start.
    """

    def __init__(self, options: CoderOptions | None = None) -> None:
        from tidings.coder import code_article

        self.options = options
        code_article(Article(doc_id="warm-up", text="France met Germany on Monday."))
        #: CPU seconds of this process so far (start-up, imports, tables), counted
        #: with the first block so that run statistics include them
        self.startup_cpu = time.process_time()

    def __call__(self, batch: pa.Table) -> pa.Table:
        out = _code_block(batch, self.options)
        if self.startup_cpu and out.num_rows:
            cpu = out.column("code_cpu").to_pylist()
            cpu[0] += self.startup_cpu
            self.startup_cpu = 0.0
            out = out.set_column(
                out.schema.get_field_index("code_cpu"), "code_cpu", pa.array(cpu, pa.float64())
            )
        return out


def _worker_name() -> str:
    try:
        import ray

        node = ray.get_runtime_context().get_node_id()[:12]
    except Exception:  # outside Ray (tests calling the stage directly)
        node = "local"
    return f"{node}:{os.getpid()}"


def _sink_class() -> type:
    """The Datasink subclass (built lazily so importing this module needs no ray)."""
    from ray.data import Datasink

    class ParquetSink(Datasink):
        """Write stage: split coded blocks into documents, mentions and errors files."""

        def __init__(self, root: str) -> None:
            self.root = root
            self.totals: dict[str, float] = {}
            #: coding CPU seconds per worker process
            self.workers: dict[str, float] = {}

        def write(self, blocks: Iterable[Any], ctx: Any) -> dict[str, Any]:
            counts: dict[str, Any] = {"articles": 0, "mentions": 0, "errors": 0, "blocks": 0}
            counts.update(read_cpu=0.0, code_cpu=0.0)
            workers: dict[str, float] = {}
            for block in blocks:
                table = pa.table(block) if not isinstance(block, pa.Table) else block
                if table.num_rows:
                    counts["blocks"] += 1
                    counts["read_cpu"] += pc.sum(table.column("read_cpu")).as_py() or 0.0
                    for worker, cpu in zip(
                        table.column("worker").to_pylist(),
                        table.column("code_cpu").to_pylist(),
                        strict=True,
                    ):
                        workers[worker] = workers.get(worker, 0.0) + (cpu or 0.0)
                        counts["code_cpu"] += cpu or 0.0
                    for key, n in write_coded(table, Path(self.root)).items():
                        counts[key] += n
            counts["workers"] = workers
            return counts

        def on_write_complete(self, write_result: Any) -> None:
            for counts in write_result.write_returns:
                for worker, cpu in counts.pop("workers", {}).items():
                    self.workers[worker] = self.workers.get(worker, 0.0) + cpu
                for key, n in counts.items():
                    self.totals[key] = self.totals.get(key, 0) + n

    return ParquetSink


def write_coded(table: pa.Table, root: Path) -> dict[str, int]:
    """Write one coded block (CODED_SCHEMA) as Parquet under ``root``; return counts.

    File names derive from the block's first ``seq``, so a retried task overwrites its
    own files instead of adding copies.
    """
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    table = table.cast(CODED_SCHEMA)
    name = f"part-{table.column('seq')[0].as_py():020d}-{table.num_rows}"
    is_article = pc.equal(table.column("kind"), "article")
    docs = table.filter(is_article)
    errors = table.filter(pc.invert(is_article))
    if docs.num_rows:
        folder = root / "documents"
        folder.mkdir(parents=True, exist_ok=True)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        out = (
            docs.select([*ARTICLE_SCHEMA.names, "seq"])
            .append_column(
                "coder_version", pa.array([_coder.CODER_VERSION] * docs.num_rows, pa.string())
            )
            .append_column("ingested_at", pa.array([now] * docs.num_rows, pa.timestamp("us")))
        )
        pq.write_table(out.cast(DOC_FILE_SCHEMA), folder / f"{name}.parquet")
    if errors.num_rows:
        folder = root / "errors"
        folder.mkdir(parents=True, exist_ok=True)
        out = errors.select(["seq", "origin", "error", "message"]).cast(ERROR_FILE_SCHEMA)
        pq.write_table(out, folder / f"{name}.parquet")
    lists = docs.column("mentions").combine_chunks()
    n_mentions = 0
    if len(lists.flatten()):
        flat = pa.Table.from_struct_array(lists.flatten())
        parents = pc.list_parent_indices(lists)
        flat = flat.append_column("seq", pc.take(docs.column("seq"), parents)).cast(
            MENTION_FILE_SCHEMA
        )
        day = flat.column("event_date")
        flat = flat.append_column("year", pc.fill_null(pc.year(day), 0)).append_column(
            "month", pc.fill_null(pc.month(day), 0)
        )
        ds.write_dataset(
            flat,
            root / "mentions",
            format="parquet",
            partitioning=ds.partitioning(
                pa.schema([("year", pa.int64()), ("month", pa.int64())]), flavor="hive"
            ),
            basename_template=f"{name}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
        n_mentions = flat.num_rows
    return {"articles": docs.num_rows, "mentions": n_mentions, "errors": errors.num_rows}


# --------------------------------------------------------------------------- driver


@dataclass(slots=True)
class RayRun:
    """What a Ray run wrote (and, with a store, what loading it did)."""

    output: Path
    files: int = 0
    articles: int = 0
    mentions: int = 0
    errors: list[IngestIssue] = field(default_factory=list)
    seconds: float = 0.0
    workers: int = 0
    report: IngestReport | None = None
    #: read tasks (whole files and blocks of split ones), coded blocks, and the
    #: distinct worker processes that coded them
    read_tasks: int = 0
    coded_blocks: int = 0
    coding_workers: int = 0
    #: seconds of the coding and of the merge stage, and the merge's figures
    coding_seconds: float = 0.0
    merge: Any = None
    #: CPU seconds of reading and of coding (summed over tasks), and of the busiest
    #: coding worker: figures that a shared machine's load does not distort much
    read_cpu_seconds: float = 0.0
    coding_cpu_seconds: float = 0.0
    coding_cpu_busiest: float = 0.0


def _files(paths: Iterable[str | Path]) -> tuple[list[str], list[IngestIssue]]:
    from tidings.ingest import iter_paths

    files: list[str] = []
    issues: list[IngestIssue] = []
    for item in iter_paths(list(paths)):
        if isinstance(item, InputError):
            issues.append(IngestIssue(item.where, item.reason, type(item).__name__))
        elif item == "-":
            raise TidingsError(
                "the ray engine reads files, not standard input: save the JSONL to a file"
            )
        else:
            files.append(str(item))
    return files, issues


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise TidingsError(f"{output} is a file; --output needs a folder")
    if output.is_dir() and any(output.iterdir()):
        raise TidingsError(f"{output} is not empty; choose a new or empty folder for --output")


def ray_ingest(
    paths: Iterable[str | Path],
    output: str | Path,
    *,
    address: str | None = None,
    options: CoderOptions | None = None,
    workers: int | None = None,
    max_bytes: int | None = None,
    max_total_bytes: int | None = None,
    progress: bool = False,
    merge: bool = True,
    partitions: int | None = None,
) -> RayRun:
    """Read and code ``paths`` on Ray (local, or the cluster at ``address``) into ``output``.

    Connects to an already initialised Ray if there is one, else starts (and later stops)
    a local one or joins ``address``. ``workers`` coding actors (default: one per CPU of
    the cluster). Big files are read in blocks (:func:`plan_reads`). With ``merge`` the
    mentions are then merged into events on the cluster too (:mod:`tidings.raymerge`,
    ``partitions`` merge tasks), written to ``output/events/``. Returns counts and the
    input errors; the Parquet files are the result. ``max_bytes`` and ``max_total_bytes``
    are the local readers' limits (:meth:`~tidings.ingest.limits.Limits.resolve`).
    """
    ray = require_ray()
    limits = Limits.resolve(max_bytes, max_total_bytes)

    output = Path(output)
    _check_output(output)
    files, issues = _files(paths)
    run = RayRun(output=output, files=len(files), errors=issues)
    started = time.perf_counter()
    owns_ray = not ray.is_initialized()
    if owns_ray:
        try:
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
            )
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = address or "a local Ray"
            raise TidingsError(f"cannot start or reach {where}: {exc}") from None
    try:
        output.mkdir(parents=True, exist_ok=True)
        if files:
            ctx = ray.data.DataContext.get_current()
            ctx.enable_progress_bars = progress
            ctx.verbose_stats_logs = False
            cpus = int(ray.cluster_resources().get("CPU", 1))
            run.workers = workers or max(1, cpus)
            items = plan_reads(ray, files, cpus, limits)
            run.read_tasks = len(items)
            sink = _sink_class()(str(output.resolve()))
            (
                ray.data.from_items(items, override_num_blocks=min(len(items), 200))
                .map_batches(
                    _read_files,
                    batch_size=1,
                    batch_format="pyarrow",
                    fn_kwargs={"limits": limits},
                    num_cpus=0,  # light next to coding; must not wait for the actors' CPUs
                    concurrency=max(1, run.workers),
                )
                .map_batches(
                    _Coder,
                    batch_size=CODE_BATCH,
                    batch_format="pyarrow",
                    fn_constructor_kwargs={"options": options},
                    num_cpus=1,
                    concurrency=run.workers,
                )
                .write_datasink(sink, ray_remote_args={"num_cpus": 0})
            )
            run.articles = int(sink.totals.get("articles", 0))
            run.mentions = int(sink.totals.get("mentions", 0))
            run.coded_blocks = int(sink.totals.get("blocks", 0))
            run.coding_workers = len(sink.workers)
            run.read_cpu_seconds = sink.totals.get("read_cpu", 0.0)
            run.coding_cpu_seconds = sink.totals.get("code_cpu", 0.0)
            run.coding_cpu_busiest = max(sink.workers.values(), default=0.0)
            run.coding_seconds = time.perf_counter() - started
            run.errors += _read_errors(output)
            if merge:
                from tidings.raymerge import merge_output

                run.merge = merge_output(
                    output, ray=ray, partitions=partitions, mentions=run.mentions
                )
    finally:
        if owns_ray:
            ray.shutdown()
    run.seconds = time.perf_counter() - started
    return run


def split_bytes(total: int, cpus: int) -> int:
    """How big a block of a big file is: BLOCKS_PER_CPU per CPU, in [MIN_SPLIT, MAX_SPLIT].

    ``TIDINGS_SPLIT_MB`` sets it instead (0: read every file whole).
    """
    env = os.environ.get("TIDINGS_SPLIT_MB")
    if env:
        try:
            return max(0, int(float(env) * (1 << 20)))
        except ValueError:
            raise TidingsError(f"TIDINGS_SPLIT_MB={env!r} is not a number of megabytes") from None
    return max(MIN_SPLIT, min(MAX_SPLIT, total // max(1, BLOCKS_PER_CPU * cpus)))


def plan_reads(
    ray: Any, files: list[str], cpus: int, limits: Limits | None = None
) -> list[dict[str, Any]]:
    """The read tasks: one per small file, one per block of a big one.

    Big files are planned by Ray tasks (one per file, in parallel; each reads its file
    once to find the cut points, see :mod:`tidings.ingest.split`), under ``limits``.
    """
    from tidings.ingest.split import Split, plan_splits

    sizes = []
    for path in files:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)  # the reader reports it
    block = split_bytes(sum(sizes), cpus)
    big = [i for i, size in enumerate(sizes) if block and size > block]
    planned: dict[int, list[Split]] = {}
    if big:
        task = ray.remote(num_cpus=1)(plan_splits)
        plans = ray.get([task.remote(files[i], block, limits) for i in big])
        planned = dict(zip(big, plans, strict=True))
    items = []
    for i, path in enumerate(files):
        for sp in planned.get(i) or [Split(path)]:
            items.append(
                {
                    "file_no": i,
                    "path": sp.path,
                    "kind": sp.kind,
                    "start": sp.start,
                    "stop": sp.stop,
                    "first": sp.first,
                    "delimiter": sp.delimiter,
                }
            )
    return items


def _duck() -> Any:
    import duckdb

    return duckdb.connect()


def _glob(folder: Path) -> str:
    return str(folder).replace("'", "''")


def _read_errors(output: Path) -> list[IngestIssue]:
    folder = output / "errors"
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return []
    rows = (
        _duck()
        .execute(
            f"SELECT origin, error, message FROM read_parquet('{_glob(folder)}/*.parquet') "
            "ORDER BY seq"
        )
        .fetchall()
    )
    return [IngestIssue(origin, message, error) for origin, error, message in rows]


def load_into_store(
    output: str | Path,
    store: Any,
    *,
    batch_size: int = 500,
    errors: Iterable[IngestIssue] = (),
    progress: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Load a Ray run's Parquet output into ``store``, in input order, then merge events.

    Batches go through :meth:`Store.write_batch` like the single-process pipeline's, so
    re-loading changes nothing and a later version of a document replaces an earlier.
    """
    output = Path(output)
    report = IngestReport()
    started = time.perf_counter()
    con = _duck()
    docs_glob = f"{_glob(output / 'documents')}/*.parquet"
    ment_glob = f"{_glob(output / 'mentions')}/**/*.parquet"
    has_docs = (output / "documents").is_dir() and any((output / "documents").glob("*.parquet"))
    has_mentions = (output / "mentions").is_dir() and any((output / "mentions").rglob("*.parquet"))
    issues = list(errors)
    for issue in issues:
        report.failed += 1
        report.errors.append(issue)
    if issues:
        store.record_errors(report.run_id, [(e.origin, e.kind, e.reason) for e in issues])
    if not has_docs:
        report.seconds = time.perf_counter() - started
        return report
    cols = ", ".join(f'"{c}"' for c in ARTICLE_SCHEMA.names)
    reader = con.sql(
        f"SELECT {cols}, seq FROM read_parquet('{docs_glob}') "
        "QUALIFY row_number() OVER (PARTITION BY seq) = 1 ORDER BY seq"
    ).to_arrow_reader(batch_size)
    lookup = con.cursor()
    mcols = ", ".join(f'"{c}"' for c in MENTION_SCHEMA.names)
    for rb in reader:
        rows = rb.to_pylist()
        if not rows:
            continue
        articles = [_article(r) for r in rows]
        report.read += len(articles)
        report.last_origin = articles[-1].origin
        by_doc: dict[str, list[Mention]] = {}
        if has_mentions:
            lo, hi = rows[0]["seq"], rows[-1]["seq"]
            found = lookup.sql(
                f"SELECT {mcols}, seq FROM read_parquet('{ment_glob}', hive_partitioning=false) "
                "WHERE seq BETWEEN ? AND ? "
                "QUALIFY row_number() OVER (PARTITION BY mention_id ORDER BY seq) = 1 "
                "ORDER BY seq, sentence_index, mention_id",
                params=[lo, hi],
            ).to_arrow_table()
            by_seq: dict[int, list[Mention]] = {}
            for m in found.to_pylist():
                by_seq.setdefault(m.pop("seq"), []).append(Mention(**m))
            # as in the pipeline: the last version of a doc_id within a batch wins
            for row, article in zip(rows, articles, strict=True):
                by_doc[article.doc_id] = by_seq.get(row["seq"], [])
        with store.session():
            # write_batch merges the partitions the batch touched in its own transaction
            counts = store.write_batch(articles, by_doc, coder_version=_coder.CODER_VERSION)
        report.added += counts.added
        report.updated += counts.updated
        report.unchanged += counts.unchanged
        report.mentions += counts.mentions
        if progress is not None:
            progress(report)
    report.seconds = time.perf_counter() - started
    return report


def ray_ingest_to_store(
    paths: Iterable[str | Path],
    store: Any,
    *,
    output: str | Path | None = None,
    address: str | None = None,
    options: CoderOptions | None = None,
    workers: int | None = None,
    max_bytes: int | None = None,
    max_total_bytes: int | None = None,
    batch_size: int = 500,
    progress: bool = False,
) -> RayRun:
    """Code on Ray into ``output`` (a temporary folder when None), then load ``store``."""
    scratch = None
    if output is None:
        scratch = Path(tempfile.mkdtemp(prefix="tidings-ray-"))
        output = scratch / f"run-{dt.date.today():%Y%m%d}-{uuid.uuid4().hex[:6]}"
    try:
        run = ray_ingest(
            paths,
            output,
            address=address,
            options=options,
            workers=workers,
            max_bytes=max_bytes,
            max_total_bytes=max_total_bytes,
            progress=progress,
            merge=scratch is None,  # a kept --output folder gets its events too
        )
        run.report = load_into_store(output, store, batch_size=batch_size, errors=run.errors)
        run.report.seconds += run.seconds
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return run
