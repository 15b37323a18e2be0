"""Merging mentions of one real-world event into one event.

Ten outlets report one phone call; an analyst wants one event with ten sources. A
mention joins an event when

* its actors are compatible: the same source and target countries, and when both sides
  name specific people or organisations (an actor id that is not just the country),
  the same ids. Consultations (CAMEO root ``04``) and symmetric codes are undirected:
  "A met B" and "B hosted A" are one event;
* it has the same CAMEO root;
* its date is close enough, where "close enough" depends on how exactly each mention
  is dated (see :data:`DATE_WINDOWS`): two exactly dated mentions may differ by one
  day (time zones, "late on Monday"), an exact and an inexact one by three, two inexact
  ones (dated from the publication day or a vague phrase) by five.

Clustering is a pure function of the *set* of mentions, never of the order they arrived
in: mentions are sorted by content (exact dates first, then confidence, date and id) and
assigned greedily to the closest compatible cluster seeded by better-dated mentions.
Mentions whose block (root and unordered country pair) and date are further apart than
the widest window can never merge, so a store is cut into independent *segments* (runs
of one block with no date gap wider than that window). :func:`update_events` re-clusters
only the segments touched by new documents, selected in SQL with window functions, so
ingesting again, or in two halves in either order, gives the same events and counts.

The event id is a hash of the earliest-reported mention's id, so it depends only on the
cluster's members.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA

__all__ = ["DATE_WINDOWS", "event_id_for", "merge_mentions", "update_events"]

#: maximal date difference in days, keyed by how many of the two mentions have an
#: exact date (2: both, 1: one, 0: neither)
DATE_WINDOWS: dict[int, int] = {2: 1, 1: 3, 0: 5}
#: no two mentions further apart than this can merge: the segment cut
MAX_WINDOW = max(DATE_WINDOWS.values())

#: roots whose events have no direction: "A met B" is "B met A"
UNDIRECTED_ROOTS = frozenset({"04"})

_EPOCH = dt.date(1970, 1, 1)

#: the mention columns clustering needs (others are carried through for event fields)
_NEEDED = (
    "mention_id",
    "doc_id",
    "source_id",
    "source_country",
    "target_id",
    "target_country",
    "root",
    "sentence_index",
    "symmetric",
    "event_date",
    "date_exact",
    "published",
    "confidence",
)


def event_id_for(mention_id: str) -> str:
    """The id of an event whose earliest-reported mention is ``mention_id``."""
    return "ev_" + hashlib.sha1(mention_id.encode("utf-8")).hexdigest()[:16]


def _specific(actor_id: Any, country: Any) -> str | None:
    """The actor id when it names a person/organisation, None when it is only a country."""
    if not actor_id:
        return None
    a = str(actor_id)
    if country and a.upper() in {str(country).upper(), f"COUNTRY:{str(country).upper()}"}:
        return None
    if len(a) == 3 and a.isalpha() and a.isupper():  # a bare ISO3 code as id
        return None
    return a


class _Cluster:
    __slots__ = ("anchor_day", "anchor_exact", "members", "sides", "directed")

    def __init__(self, row: dict, sides: tuple, directed: bool) -> None:
        self.anchor_day: int = row["_day"]
        self.anchor_exact: bool = bool(row["date_exact"])
        self.members: list[dict] = [row]
        # sides: ((country, specific_id), (country, specific_id)) in mention orientation
        self.sides = [list(sides[0]), list(sides[1])]
        self.directed = directed


def _side_ok(cluster_side: list, side: tuple) -> bool:
    if (cluster_side[0] or "") != (side[0] or ""):
        return False
    return cluster_side[1] is None or side[1] is None or cluster_side[1] == side[1]


def _compatible(cluster: _Cluster, sides: tuple, directed: bool) -> int | None:
    """0 when compatible as oriented, 1 when compatible swapped, None when not."""
    if _side_ok(cluster.sides[0], sides[0]) and _side_ok(cluster.sides[1], sides[1]):
        return 0
    if not (directed and cluster.directed):
        if _side_ok(cluster.sides[0], sides[1]) and _side_ok(cluster.sides[1], sides[0]):
            return 1
    return None


def _order_key(row: dict) -> tuple:
    # better-dated and more confident mentions seed clusters; content-only, so the
    # arrival order of the mentions never matters
    return (
        not row["date_exact"],
        -(row["confidence"] or 0.0),
        row["_day"],
        row["mention_id"],
    )


def _cluster_block(rows: list[dict]) -> list[list[dict]]:
    """Cluster the mentions of one block (same root, same unordered country pair)."""
    clusters: list[_Cluster] = []
    by_day: dict[int, list[int]] = {}  # anchor day -> indexes into clusters
    for row in sorted(rows, key=_order_key):
        directed = not (row["root"] in UNDIRECTED_ROOTS or row["symmetric"])
        sides = (
            (row["source_country"], _specific(row["source_id"], row["source_country"])),
            (row["target_country"], _specific(row["target_id"], row["target_country"])),
        )
        day = row["_day"]
        best: tuple | None = None
        for d in range(day - MAX_WINDOW, day + MAX_WINDOW + 1):
            for i in by_day.get(d, ()):
                cl = clusters[i]
                window = DATE_WINDOWS[int(bool(row["date_exact"])) + int(cl.anchor_exact)]
                gap = abs(day - cl.anchor_day)
                if gap > window:
                    continue
                orient = _compatible(cl, sides, directed)
                if orient is None:
                    continue
                key = (gap, -len(cl.members), i)
                if best is None or key < best[0]:
                    best = (key, cl, orient)
        if best is None:
            by_day.setdefault(day, []).append(len(clusters))
            clusters.append(_Cluster(row, sides, directed))
            continue
        _, cl, orient = best
        cl.members.append(row)
        cl.directed = cl.directed and directed
        # a specific id learnt from this mention narrows the cluster's actors, so a
        # later country-level mention cannot bridge two different people
        for k in (0, 1):
            side = sides[k if orient == 0 else 1 - k]
            if cl.sides[k][1] is None and side[1] is not None:
                cl.sides[k][1] = side[1]
    return [cl.members for cl in clusters]


def _source_key(row: dict) -> str:
    outlet = row.get("outlet")
    if outlet and str(outlet).strip():
        return "o:" + " ".join(str(outlet).lower().split())
    url = row.get("url")
    if url:
        host = (urlsplit(str(url)).hostname or "").lower()
        if host.startswith("www."):
            host = host[4:]
        if host:
            return "h:" + host
    return "d:" + str(row["doc_id"])


def _mode_date(days: list[int]) -> int:
    counts = Counter(days)
    return min(counts, key=lambda d: (-counts[d], d))


def _best_key(row: dict) -> tuple:
    pub = row["published"]
    return (
        not row["date_exact"],
        -(row["confidence"] or 0.0),
        pub.toordinal() if pub else 10**9,
        row["_day"] if row["_day"] is not None else 10**9,
        row["mention_id"],
    )


def _reported_key(row: dict) -> tuple:
    pub = row["published"]
    if pub:
        return (pub.toordinal(), row["mention_id"])
    day = row["_day"]
    return ((day + _EPOCH.toordinal()) if day is not None else 10**9, row["mention_id"])


def _event_row(members: list[dict]) -> tuple[str, dict]:
    best = min(members, key=_best_key)
    first = min(members, key=_reported_key)
    event_id = event_id_for(first["mention_id"])
    exact_days = [m["_day"] for m in members if m["date_exact"] and m["_day"] is not None]
    all_days = [m["_day"] for m in members if m["_day"] is not None]
    day = _mode_date(exact_days or all_days) if all_days else None
    sources: dict[str, float] = {}
    for m in members:
        key = _source_key(m)
        sources[key] = max(sources.get(key, 0.0), float(m["confidence"] or 0.0))
    miss = 1.0
    for c in sources.values():
        miss *= 1.0 - min(max(c, 0.0), 1.0)
    confidence = (1.0 - miss) * (1.0 if exact_days else 0.9)
    pubs = [m["published"] for m in members if m["published"]]
    located = [m for m in members if m.get("location_name")]
    loc = min(located, key=_best_key) if located else {}
    ev = {name: best.get(name) for name in EVENT_SCHEMA.names}
    ev.update(
        event_id=event_id,
        event_date=_EPOCH + dt.timedelta(days=day) if day is not None else None,
        date_exact=bool(exact_days),
        location_name=loc.get("location_name"),
        location_country=loc.get("location_country"),
        latitude=loc.get("latitude"),
        longitude=loc.get("longitude"),
        num_mentions=len(members),
        num_sources=len(sources),
        num_articles=len({m["doc_id"] for m in members}),
        first_reported=min(pubs)
        if pubs
        else (_EPOCH + dt.timedelta(days=min(all_days)) if all_days else None),
        confidence=round(confidence, 4),
        best_mention_id=best["mention_id"],
        doc_id=best["doc_id"],
        evidence=best.get("sentence"),
    )
    return event_id, ev


def _rows(table: pa.Table) -> list[dict]:
    rows = table.to_pylist()
    for r in rows:
        d = r.get("event_date") or r.get("published")
        r["_day"] = (d - _EPOCH).days if d else None
        for name in _NEEDED:
            r.setdefault(name, None)
    return rows


def _mark_reciprocal(rows: list[dict]) -> None:
    """A sentence that codes one root in both directions ("the two leaders signed ...")
    states one joint event: such mentions are treated as undirected."""
    keys = {
        (r["doc_id"], r["sentence_index"], r["root"], r["source_country"], r["target_country"])
        for r in rows
    }
    for r in rows:
        back = (
            r["doc_id"],
            r["sentence_index"],
            r["root"],
            r["target_country"],
            r["source_country"],
        )
        if back in keys and r["source_country"] != r["target_country"]:
            r["symmetric"] = True


def _merge_rows(rows: list[dict]) -> tuple[dict[str, str], list[dict]]:
    _mark_reciprocal(rows)
    blocks: dict[tuple, list[dict]] = {}
    singles: list[list[dict]] = []
    for r in rows:
        if r["_day"] is None:
            singles.append([r])  # no date at all: cannot be matched to anything
            continue
        a, b = r["source_country"] or "", r["target_country"] or ""
        blocks.setdefault((r["root"], min(a, b), max(a, b)), []).append(r)
    mapping: dict[str, str] = {}
    events: list[dict] = []
    groups: list[list[dict]] = singles
    for key in sorted(blocks, key=lambda k: tuple(x or "" for x in k)):
        groups.extend(_cluster_block(blocks[key]))
    for members in groups:
        event_id, ev = _event_row(members)
        events.append(ev)
        for m in members:
            mapping[m["mention_id"]] = event_id
    events.sort(key=lambda e: (e["event_date"] or dt.date.max, e["event_id"]))
    return mapping, events


def merge_mentions(table: pa.Table) -> tuple[dict[str, str], pa.Table]:
    """Merge a table of mentions into events: ``(mention_id -> event_id, events)``.

    ``table`` has (a superset of) the needed :data:`MENTION_SCHEMA` columns, optionally
    ``url`` (used for the source count when ``outlet`` is null). Pure: no store needed,
    so the clustering can be tested with hand-built mentions.
    """
    mapping, events = _merge_rows(_rows(table))
    return mapping, pa.Table.from_pylist(events, schema=EVENT_SCHEMA)


def _run(con: Any, sql: str) -> None:
    """Execute a statement and drain its result (DuckDB wants results finished)."""
    con.execute(sql).fetchall()


def _arrow(con: Any, sql: str) -> pa.Table:
    """Run a query into an Arrow table (DuckDB 2.x ``to_arrow_table``, 1.x ``fetch_...``)."""
    rel = con.sql(sql)
    if hasattr(rel, "to_arrow_table"):
        return rel.to_arrow_table()
    return rel.arrow()  # pragma: no cover - DuckDB < 1.4


def _connection(store: Any) -> Any:
    return getattr(store, "connection", store)


def _has_table(con: Any, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()[0][0]
    )


def _block_sql(alias: str) -> str:
    sc = f"coalesce({alias}.source_country, '')"
    tc = f"coalesce({alias}.target_country, '')"
    return f"{alias}.root AS b_root, least({sc}, {tc}) AS b_a, greatest({sc}, {tc}) AS b_b"


def update_events(store: Any, doc_ids: Sequence[str] | None = None) -> None:
    """Re-merge the events touched by ``doc_ids`` (all when None) in ``store``.

    Called by the pipeline after every ingest batch is committed. Incremental: only the
    segments (block + connected date run) holding a mention of ``doc_ids``, or an event
    whose mentions changed (a document replaced or deleted), are re-clustered; their old
    events are replaced in one transaction. Idempotent and order-independent.
    """
    session = getattr(store, "session", None)
    if session is not None:  # a tidings Store: one connection for the whole update
        with session() as con:
            _update(con, doc_ids)
        refresh = getattr(store, "refresh_keys", None)
        if refresh is not None:
            refresh()  # the store's search keys of the events just written
    else:
        _update(_connection(store), doc_ids)


def _update(con: Any, doc_ids: Sequence[str] | None) -> None:
    cols = [c for c in MENTION_SCHEMA.names if c != "event_id"]
    has_docs = _has_table(con, "documents")
    url_sql = "d.url AS url" if has_docs else "NULL::VARCHAR AS url"
    join_docs = "LEFT JOIN documents d ON d.doc_id = m.doc_id" if has_docs else ""
    select_cols = ", ".join(f'm."{c}"' for c in cols)

    if doc_ids is None:
        sql = (
            f"SELECT {select_cols}, {url_sql}, m.event_id AS old_event FROM mentions m {join_docs}"
        )
        table = _arrow(con, sql)
        _replace(con, table, replace_all=True)
        return

    ids = pa.table({"doc_id": pa.array(list(doc_ids), pa.string())})
    con.register("_tidings_dedup_docs", ids)
    try:
        # blocks touched: by the new documents, or by events whose members changed
        _run(
            con,
            """
            CREATE OR REPLACE TEMP TABLE _tidings_stale AS
            SELECT e.event_id, c.n IS NULL AS gone FROM events e
            LEFT JOIN (SELECT event_id, count(*) AS n FROM mentions
                       WHERE event_id IS NOT NULL GROUP BY event_id) c USING (event_id)
            WHERE c.n IS NULL OR c.n <> e.num_mentions
            """,
        )
        _run(
            con,
            f"""
            CREATE OR REPLACE TEMP TABLE _tidings_dirty AS
            WITH seeds AS (
                SELECT m.mention_id, {_block_sql("m")} FROM mentions m
                WHERE m.doc_id IN (SELECT doc_id FROM _tidings_dedup_docs)
                   OR m.event_id IS NULL
                   OR m.event_id IN (SELECT event_id FROM _tidings_stale)
            )
            SELECT * FROM seeds
            """,
        )
        stale_events = _arrow(con, "SELECT event_id FROM _tidings_stale WHERE gone")
        table = _arrow(
            con,
            f"""
            WITH blocks AS (SELECT DISTINCT b_root, b_a, b_b FROM _tidings_dirty),
            bm AS (
                SELECT m.*, {_block_sql("m")},
                       coalesce(m.event_date, m.published) AS seg_date
                FROM mentions m
                SEMI JOIN blocks b ON m.root = b.b_root
                  AND least(coalesce(m.source_country, ''), coalesce(m.target_country, ''))
                      = b.b_a
                  AND greatest(coalesce(m.source_country, ''), coalesce(m.target_country, ''))
                      = b.b_b
            ),
            gaps AS (
                SELECT *, CASE WHEN seg_date - lag(seg_date) OVER w > {MAX_WINDOW}
                               THEN 1 ELSE 0 END AS brk
                FROM bm
                WINDOW w AS (PARTITION BY b_root, b_a, b_b ORDER BY seg_date, mention_id)
            ),
            segs AS (
                -- the default RANGE frame gives peers (same date) the same segment
                SELECT *, sum(brk) OVER (PARTITION BY b_root, b_a, b_b ORDER BY seg_date)
                    AS seg
                FROM gaps
            ),
            hit AS (
                SELECT DISTINCT b_root, b_a, b_b, seg FROM segs
                WHERE mention_id IN (SELECT mention_id FROM _tidings_dirty)
                   OR seg_date IS NULL
            )
            SELECT {select_cols}, {url_sql}, m.event_id AS old_event
            FROM segs m SEMI JOIN hit h ON m.b_root = h.b_root AND m.b_a = h.b_a
                AND m.b_b = h.b_b AND m.seg = h.seg
            {join_docs}
            """,
        )
        _replace(con, table, replace_all=False, extra_stale=stale_events["event_id"].to_pylist())
    finally:
        con.unregister("_tidings_dedup_docs")
        _run(con, "DROP TABLE IF EXISTS _tidings_dirty")
        _run(con, "DROP TABLE IF EXISTS _tidings_stale")


def _begin(con: Any) -> bool:
    """Open a transaction unless the caller already holds one (then it is theirs)."""
    try:
        _run(con, "BEGIN TRANSACTION")
    except Exception as exc:  # duckdb.TransactionException
        if "transaction" in str(exc).lower():
            return False
        raise
    return True


def _replace(
    con: Any, table: pa.Table, *, replace_all: bool, extra_stale: Sequence[str] = ()
) -> None:
    rows = _rows(table)
    mapping, events = _merge_rows(rows)
    old = {r["old_event"] for r in rows if r.get("old_event")} | set(extra_stale)
    ev_table = pa.Table.from_pylist(events, schema=EVENT_SCHEMA)
    map_table = pa.table(
        {
            "mention_id": pa.array(list(mapping), pa.string()),
            "event_id": pa.array(list(mapping.values()), pa.string()),
        }
    )
    con.register("_tidings_new_events", ev_table)
    con.register("_tidings_new_map", map_table)
    con.register("_tidings_old_events", pa.table({"event_id": pa.array(sorted(old), pa.string())}))
    try:
        own = _begin(con)
        try:
            if replace_all:
                _run(con, "DELETE FROM events")
            else:
                _run(
                    con,
                    "DELETE FROM events WHERE event_id IN "
                    "(SELECT event_id FROM _tidings_old_events) "
                    "OR event_id IN (SELECT event_id FROM _tidings_new_events)",
                )
            names = ", ".join(f'"{n}"' for n in EVENT_SCHEMA.names)
            _run(con, f"INSERT INTO events ({names}) SELECT {names} FROM _tidings_new_events")
            _run(
                con,
                "UPDATE mentions SET event_id = n.event_id FROM _tidings_new_map n "
                "WHERE mentions.mention_id = n.mention_id "
                "AND mentions.event_id IS DISTINCT FROM n.event_id",
            )
            if own:
                _run(con, "COMMIT")
        except BaseException:
            if own:
                _run(con, "ROLLBACK")
            raise
    finally:
        for name in ("_tidings_new_events", "_tidings_new_map", "_tidings_old_events"):
            con.unregister(name)
