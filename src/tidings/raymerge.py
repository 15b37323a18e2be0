"""Events merged on the Ray cluster, and a Ray output folder read as a store.

``tidings ingest --engine ray --output DIR`` codes on the cluster into
``DIR/documents/`` and ``DIR/mentions/``. :func:`merge_output` then merges the mentions
into events on the cluster as well, so no single machine ever holds the whole corpus:

1. **kept versions** (driver, DuckDB over three columns of ``documents/``): a page read
   twice is kept as the store keeps it (:func:`superseded_sql`); the (doc_id, seq)
   pairs of the other versions are broadcast to the tasks so their mentions are dropped;
2. **route** (one task per group of coded parts): each task reads its mentions with the
   URL of their document (a coded part's documents and mentions files share a name),
   computes the partition key of every mention (:func:`tidings.dedup.partition_keys`,
   root, undirected country pair and 28-day bucket: no event crosses it) and appends
   the rows to ``DIR/_shuffle/r=R/`` where R is a stable hash of the key modulo the
   number of merge tasks. Every mention of a partition lands in the same R;
3. **merge** (one task per R): the task groups its rows by partition key and calls
   :func:`tidings.dedup.merge_partition` on each, the very function the local store's
   merge calls, and writes ``DIR/events/part-R.parquet`` (:data:`EVENT_SCHEMA`) and
   ``DIR/event_links/part-R.parquet`` (mention id, seq, event id).

The union of the partitions' events is therefore exactly the local store's events,
ids and counts included (tested on a local two-node cluster). The shuffle goes through
the output folder, which every node sees already; it is deleted at the end.

:func:`open_output` opens such a folder as a read-only :class:`~tidings.store.Store`
(DuckDB over the Parquet files: ``documents`` and ``mentions`` are views, ``events`` is
read into memory for paging), so ``tidings events/export/timeline/serve --parquet DIR``
work without loading a DuckDB file first.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from tidings import dedup
from tidings.errors import TidingsError
from tidings.model import ARTICLE_SCHEMA, EVENT_SCHEMA, MENTION_SCHEMA
from tidings.raycoder import MENTION_FILE_SCHEMA

__all__ = ["LINK_SCHEMA", "MergeRun", "merge_output", "open_output", "store_for"]

#: ``DIR/event_links/``: which event each (latest-version) mention belongs to
LINK_SCHEMA = pa.schema(
    [("mention_id", pa.string()), ("seq", pa.int64()), ("event_id", pa.string())]
)
_PART = re.compile(r"^(part-\d+-\d+)")
#: mentions per merge task at most (about 1 KB each in memory while it merges)
TASK_MENTIONS = 500_000


@dataclass(slots=True)
class MergeRun:
    """What :func:`merge_output` did: sizes, tasks and the time of each stage."""

    mentions: int = 0
    events: int = 0
    partitions: int = 0
    route_tasks: int = 0
    merge_tasks: int = 0
    plan_seconds: float = 0.0
    route_seconds: float = 0.0
    merge_seconds: float = 0.0
    #: seconds spent inside the merge function, summed over tasks (pure merge work)
    merge_cpu_seconds: float = 0.0
    #: CPU seconds of the route and of the merge tasks (summed), and of the longest
    #: task of each stage: what the stages cost whatever the machine's load
    route_task_cpu: float = 0.0
    merge_task_cpu: float = 0.0
    route_task_cpu_max: float = 0.0
    merge_task_cpu_max: float = 0.0

    @property
    def seconds(self) -> float:
        return self.plan_seconds + self.route_seconds + self.merge_seconds


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _coded_parts(root: Path) -> list[tuple[str, list[str]]]:
    """Each coded part: its documents file and its mentions files (all year/months)."""
    mentions: dict[str, list[str]] = {}
    for f in sorted((root / "mentions").rglob("*.parquet")):
        m = _PART.match(f.name)
        if m:
            mentions.setdefault(m.group(1), []).append(str(f))
    docs = sorted((root / "documents").glob("part-*.parquet"))
    return [(str(d), mentions.get(d.stem, [])) for d in docs if mentions.get(d.stem)]


def superseded_sql(docs: str) -> str:
    """SQL for the (doc_id, seq) of every document version the store would not keep.

    ``docs`` is a relation with ``doc_id``, ``seq`` and ``text_hash``. The store's rule,
    applied in input order: a new text for a known ``doc_id`` (an updated page)
    replaces the stored version; the same text again is left alone. So the version
    kept is the first of the last run of versions with the final text.
    """
    return f"""
        WITH v AS (
            SELECT doc_id, seq, text_hash,
                   last(text_hash ORDER BY seq) OVER (PARTITION BY doc_id) AS final_hash,
                   count(*) OVER (PARTITION BY doc_id) AS n
            FROM {docs}
        ),
        multi AS (SELECT * FROM v WHERE n > 1),
        cut AS (
            SELECT doc_id,
                   coalesce(max(seq) FILTER (WHERE text_hash IS DISTINCT FROM final_hash), -1)
                       AS last_other
            FROM multi GROUP BY doc_id
        ),
        kept AS (
            SELECT m.doc_id, min(m.seq) AS seq FROM multi m JOIN cut USING (doc_id)
            WHERE m.seq > cut.last_other GROUP BY m.doc_id
        )
        SELECT doc_id, seq FROM multi ANTI JOIN kept USING (doc_id, seq)
    """


def _superseded(root: Path) -> pa.Table:
    """(doc_id, seq) of every document version the store would not keep."""
    import duckdb

    glob = _sql_path(root / "documents") + "/*.parquet"
    sql = superseded_sql(f"read_parquet('{glob}')")
    return duckdb.connect().sql(sql).to_arrow_table()


def _bucket_of(key: str, n: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % n


def route_part(
    doc_file: str, mention_files: list[str], stale: pa.Table, n_merge: int
) -> list[tuple[int, pa.Table]]:
    """The latest-version mentions of one coded part, keyed, split by merge task."""
    import pyarrow.parquet as pq

    docs = pq.read_table(doc_file, columns=["seq", "url"])
    table = pa.concat_tables(
        [pq.read_table(f, schema=MENTION_FILE_SCHEMA) for f in mention_files],
        promote_options="none",
    )
    if stale.num_rows:
        table = table.join(stale, ["doc_id", "seq"], join_type="left anti")
    table = table.join(docs, "seq", join_type="left outer")
    if not table.num_rows:
        return []
    keys = dedup.partition_keys(table)
    table = table.append_column("merge_key", keys)
    uniq = pc.unique(keys)
    target = pa.array([_bucket_of(k, n_merge) for k in uniq.to_pylist()], pa.int32())
    buckets = pc.take(target, pc.index_in(keys, value_set=uniq))
    out = []
    for r in pc.unique(buckets).to_pylist():
        out.append((r, table.filter(pc.equal(buckets, r))))
    return out


def _route_task(
    root: str, parts: list[tuple[str, list[str]]], group: int, n_merge: int, stale: Any
) -> tuple[int, float]:
    """Route stage: append a group of parts' mentions to the shuffle folders."""
    import pyarrow.parquet as pq

    clock = time.process_time()
    writers: dict[int, Any] = {}
    rows = 0
    try:
        for doc_file, mention_files in parts:
            for r, table in route_part(doc_file, mention_files, stale, n_merge):
                if r not in writers:
                    folder = Path(root) / "_shuffle" / f"r={r:05d}"
                    folder.mkdir(parents=True, exist_ok=True)
                    writers[r] = pq.ParquetWriter(folder / f"g-{group:05d}.parquet", table.schema)
                writers[r].write_table(table)
                rows += table.num_rows
    finally:
        for w in writers.values():
            w.close()
    return rows, time.process_time() - clock


def merge_table(table: pa.Table) -> tuple[pa.Table, pa.Table, int, float]:
    """Merge keyed mentions of several partitions: (links, events, partitions, seconds).

    :func:`tidings.dedup.merge_mentions` groups the rows by partition key and runs the
    per-partition merge (:func:`~tidings.dedup.merge_partition`'s code) on each group,
    building one events table for all of them (an Arrow table per partition would cost
    more than the merge itself on small partitions).
    """
    t0 = time.perf_counter()
    mapping, events = dedup.merge_mentions(table)
    seconds = time.perf_counter() - t0
    seq_of = dict(
        zip(table.column("mention_id").to_pylist(), table.column("seq").to_pylist(), strict=True)
    )
    ids = sorted(mapping)
    links = pa.table(
        [
            pa.array(ids, pa.string()),
            pa.array([seq_of[i] for i in ids], pa.int64()),
            pa.array([mapping[i] for i in ids], pa.string()),
        ],
        schema=LINK_SCHEMA,
    )
    partitions = len(pc.unique(table.column("merge_key"))) if table.num_rows else 0
    return links, events, partitions, seconds


def _merge_task(root: str, r: int) -> tuple[int, int, int, float, float]:
    """Merge stage: one shuffle folder's partitions into events and links files."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    clock = time.process_time()
    folder = Path(root) / "_shuffle" / f"r={r:05d}"
    table = ds.dataset(str(folder), format="parquet").to_table()
    # the same mention twice (the same page version read twice): keep it once
    table = table.sort_by([("mention_id", "ascending"), ("seq", "ascending")])
    ids = table.column("mention_id")
    if len(ids) > 1:
        first = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))
        keep = pa.concat_arrays([pa.array([True]), first.combine_chunks()])
        table = table.filter(keep)
    links, events, n, seconds = merge_table(table)
    for name, data in (("events", events), ("event_links", links)):
        out = Path(root) / name
        out.mkdir(parents=True, exist_ok=True)
        pq.write_table(data, out / f"part-{r:05d}.parquet")
    return table.num_rows, events.num_rows, n, seconds, time.process_time() - clock


def merge_tasks(cpus: int, mentions: int = 0) -> int:
    """How many merge tasks: two per CPU, and enough that none gets more than
    :data:`TASK_MENTIONS` mentions (its memory); ``TIDINGS_MERGE_TASKS`` overrides."""
    env = os.environ.get("TIDINGS_MERGE_TASKS")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise TidingsError(f"TIDINGS_MERGE_TASKS={env!r} is not a number") from None
    return max(2 * cpus, -(-mentions // TASK_MENTIONS), 1)


def merge_output(
    output: str | Path,
    *,
    ray: Any = None,
    partitions: int | None = None,
    mentions: int = 0,
) -> MergeRun:
    """Merge a Ray run's mentions into ``output/events/`` on the cluster (see above).

    ``partitions`` is the number of merge tasks (default: :func:`merge_tasks` from the
    cluster's CPUs and ``mentions``, the number the coding stage wrote); the partition
    keys are spread over them by a stable hash. Re-running replaces the previous events.
    """
    if ray is None:
        from tidings.raycoder import require_ray

        ray = require_ray()
    root = Path(output).resolve()
    run = MergeRun()
    started = time.perf_counter()
    for name in ("events", "event_links", "_shuffle"):
        shutil.rmtree(root / name, ignore_errors=True)
    parts = _coded_parts(root)
    (root / "events").mkdir(parents=True, exist_ok=True)
    if not parts:
        run.plan_seconds = time.perf_counter() - started
        return run
    stale = ray.put(_superseded(root))
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    n_merge = max(1, partitions or merge_tasks(cpus, mentions))
    n_route = min(len(parts), 2 * cpus)
    groups = [parts[i::n_route] for i in range(n_route)]
    run.plan_seconds = time.perf_counter() - started
    try:
        t0 = time.perf_counter()
        route = ray.remote(num_cpus=1)(_route_task)
        routed = ray.get(
            [route.remote(str(root), g, i, n_merge, stale) for i, g in enumerate(groups)]
        )
        run.route_task_cpu = sum(cpu for _, cpu in routed)
        run.route_task_cpu_max = max(cpu for _, cpu in routed)
        run.route_tasks = len(groups)
        run.route_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        merge = ray.remote(num_cpus=1)(_merge_task)
        todo = sorted(int(p.name[2:]) for p in (root / "_shuffle").glob("r=*") if any(p.iterdir()))
        for mentions, events, n, seconds, cpu in ray.get(
            [merge.remote(str(root), r) for r in todo]
        ):
            run.mentions += mentions
            run.events += events
            run.partitions += n
            run.merge_cpu_seconds += seconds
            run.merge_task_cpu += cpu
            run.merge_task_cpu_max = max(run.merge_task_cpu_max, cpu)
        run.merge_tasks = len(todo)
        run.merge_seconds = time.perf_counter() - t0
    finally:
        shutil.rmtree(root / "_shuffle", ignore_errors=True)
    return run


# --------------------------------------------------------------------------- reading


def _has(folder: Path, pattern: str = "*.parquet") -> bool:
    return folder.is_dir() and any(folder.rglob(pattern))


def view_file(folder: str | Path, path: str | Path | None = None) -> Path:
    """A small DuckDB file that shows a Ray output folder as a tidings store.

    ``documents`` (each page's kept version) and ``mentions`` (with their event ids)
    are views over the Parquet files; ``events`` is a table read from ``events/``,
    sorted newest first with its search keys (paging uses row ids, which views lack).
    The file is written to ``path`` (default: a temporary file removed at exit); the
    Parquet files stay where they are. Needs ``events/`` (see :func:`merge_output`).
    """
    from tidings.store import _side_key_sql, open_store

    root = Path(folder).resolve()
    if not root.is_dir():
        raise TidingsError(f"{root}: no such folder (--parquet wants a Ray output folder)")
    if not _has(root / "events") or not _has(root / "documents"):
        raise TidingsError(
            f"{root} has no events/ folder: merge it first (tidings ingest --engine ray "
            "--output DIR merges on the cluster) or load it with --db"
        )
    if path is None:
        scratch = Path(tempfile.mkdtemp(prefix="tidings-parquet-"))
        atexit.register(shutil.rmtree, scratch, True)
        path = scratch / "view.duckdb"
    path = Path(path)
    store = open_store(path)
    docs = _sql_path(root / "documents") + "/*.parquet"
    ments = _sql_path(root / "mentions") + "/**/*.parquet"
    events = _sql_path(root / "events") + "/*.parquet"
    links = _sql_path(root / "event_links") + "/*.parquet"
    doc_cols = ", ".join(f'"{c}"' for c in ARTICLE_SCHEMA.names)
    cols = ", ".join(
        "l.event_id AS event_id" if c == "event_id" else f'm."{c}"' for c in MENTION_SCHEMA.names
    )
    names = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
    keys = ", ".join(f"{_side_key_sql(s)} AS {s}_key" for s in ("source", "target"))
    with store.session() as con:
        con.execute("DROP TABLE documents")
        con.execute("DROP TABLE mentions")
        con.execute("CREATE TABLE _superseded AS " + superseded_sql(f"read_parquet('{docs}')"))
        con.execute(
            f"CREATE VIEW documents AS SELECT {doc_cols}, ingested_at, coder_version "
            f"FROM read_parquet('{docs}', union_by_name=true) "
            "ANTI JOIN _superseded USING (doc_id, seq)"
        )
        con.execute(
            f"CREATE VIEW mentions AS SELECT {cols} FROM read_parquet('{ments}', "
            f"hive_partitioning=false) m JOIN read_parquet('{links}') l USING (mention_id, seq)"
        )
        con.execute(
            f"INSERT INTO events ({names}, source_key, target_key) SELECT {names}, {keys} "
            f"FROM read_parquet('{events}') ORDER BY event_date DESC NULLS LAST, event_id"
        )
        errors = root / "errors"
        if _has(errors):
            con.execute(
                "INSERT INTO ingest_errors (origin, error, message) SELECT origin, error, "
                f"message FROM read_parquet('{_sql_path(errors)}/*.parquet') ORDER BY seq"
            )
        con.execute("CHECKPOINT")
    return path


def open_output(folder: str | Path) -> Any:
    """A read-only :class:`~tidings.store.Store` over a Ray output folder (:func:`view_file`)."""
    from tidings.store import open_store

    return open_store(view_file(folder), read_only=True)


def store_for(db: str | Path | None, parquet: str | Path | None, *, read_only: bool = True) -> Any:
    """The store a read command works on: ``--parquet DIR`` when given, else ``--db``."""
    if parquet is not None:
        return open_output(parquet)
    from tidings.store import open_store

    return open_store(db, read_only=read_only)
