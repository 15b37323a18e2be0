"""Merging mentions of one real-world event into one event.

Ten outlets report one phone call; an analyst wants one event with ten sources. A
mention joins an event when

* it has the same CAMEO root;
* it has the same direction. Only consultations (root ``04``, see
  :data:`UNDIRECTED_ROOTS`) are undirected: "A met B" and "B hosted A" are one event.
  Every other root keeps its direction: "Thailand struck Cambodia" never merges into
  "Cambodia struck Thailand", and a joint act ("the two sides agreed") that the coder
  states in both directions stays two directed events, as the gold rules want;
* its actors are compatible: the same source and target countries, and when both sides
  name specific people or organisations (an actor id that is not just the country),
  the same ids;
* its date is close enough, where "close enough" depends on how exactly each mention
  is dated (see :data:`DATE_WINDOWS`): two exactly dated mentions may differ by one
  day (time zones, "late on Monday"), an exact and an inexact one by three, two inexact
  ones (dated from the publication day or a vague phrase) by five.

Partitions
----------
Mentions are cut into *partitions* that no event crosses; the partition key
(:func:`partition_key`, the string ``"root|A|B|bucket"``) is

* the CAMEO root;
* the undirected country pair ``A <= B`` (so both orientations of a consultation meet;
  directed mentions are kept apart inside the partition);
* the time bucket: the mention's day (its event date, else its publication date) in
  blocks of :data:`BUCKET_DAYS` days counted from Monday 1970-01-05, so every edge
  falls between a Sunday and a Monday. Mentions with no day at all have an empty bucket
  and each is an event of its own.

**Bucket edges.** The date window does not reach across an edge: two mentions on either
side of one never merge, even a day apart. That is the price of partitions that can be
merged independently (by :mod:`tidings.store` per batch, or by one Ray task each) and
give the same events in any order and on any engine. With 28-day buckets and edges on
the quietest night of the week, it splits about 1 in 28 pairs of exactly dated reports
a day apart (the vaguely dated ones are rarer and a wider window makes them likelier).

Inside a partition, clustering is a pure function of the *set* of mentions, never of
the order they arrived in: mentions are sorted by content (exact dates first, then
confidence, date and id) and assigned greedily to the closest compatible cluster seeded
by better-dated mentions.

Events
------
An event's code and actors come from its mentions by weighted majority: the most
specific code wins (a phone call ``041`` over a plain ``040``), then the code with the
most sources, then the most mentions, then the smallest code. The direction of a
consultation and the actors follow the same vote (specific people and organisations
before bare countries), and each actor keeps the code its mentions give it most often
(one person, one code, in one event). The evidence is the best mention that has the
event's code. The event id is a hash of the earliest-reported mention's id, so it
depends only on the event's members.

API for engines (local store, Ray)
----------------------------------
* :func:`partition_keys` (Arrow, vectorised) and :func:`partition_key` (one row) give
  each mention its key; :func:`partition_key_sql` is the same key as a DuckDB
  expression.
* :func:`merge_partition` merges the mentions of one partition:
  ``(assignments, events)``.
* :func:`merge_mentions` merges any table of mentions (grouping by key first): what
  every engine's union of :func:`merge_partition` calls must equal.
* :func:`merge_keys_in` re-merges the given partitions of a DuckDB store in the
  caller's transaction (the ingest path); :func:`update_events` is the older by-document
  entry point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.compute as pc

from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA

__all__ = [
    "ASSIGNMENT_SCHEMA",
    "BUCKET_DAYS",
    "DATE_WINDOWS",
    "UNDIRECTED_ROOTS",
    "event_id_for",
    "merge_keys_in",
    "merge_mentions",
    "merge_partition",
    "partition_key",
    "partition_key_sql",
    "partition_keys",
    "remerge_all",
    "update_events",
]

log = logging.getLogger(__name__)

#: maximal date difference in days, keyed by how many of the two mentions have an
#: exact date (2: both, 1: one, 0: neither)
DATE_WINDOWS: dict[int, int] = {2: 1, 1: 3, 0: 5}
#: no two mentions further apart than this can merge
MAX_WINDOW = max(DATE_WINDOWS.values())

#: roots whose events have no direction: "A met B" is "B met A" (the gold rules' only one)
UNDIRECTED_ROOTS = frozenset({"04"})

#: days per time bucket of the partition key. Larger buckets split fewer events at
#: their edges; smaller ones make a batch's merge cheaper on a dense dyad.
BUCKET_DAYS = 28
#: day 0 of bucket 0: a Monday, so bucket edges fall between Sunday and Monday
BUCKET_ORIGIN = dt.date(1970, 1, 5)

#: what :func:`merge_partition` returns first: which event each mention joined
ASSIGNMENT_SCHEMA = pa.schema([("mention_id", pa.string()), ("event_id", pa.string())])

_EPOCH = dt.date(1970, 1, 1)
_ORIGIN_DAY = (BUCKET_ORIGIN - _EPOCH).days

#: the mention columns clustering needs (others are carried through for event fields)
_NEEDED = (
    "mention_id",
    "doc_id",
    "source_id",
    "source_country",
    "target_id",
    "target_country",
    "root",
    "cameo",
    "event_date",
    "date_exact",
    "published",
    "confidence",
)


def event_id_for(mention_id: str) -> str:
    """The id of an event whose earliest-reported mention is ``mention_id``."""
    return "ev_" + hashlib.sha1(mention_id.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- partitions


def _bucket(day: dt.date | None) -> str:
    if day is None:
        return ""
    return str(((day - _EPOCH).days - _ORIGIN_DAY) // BUCKET_DAYS)


def partition_key(
    root: str | None,
    source_country: str | None,
    target_country: str | None,
    day: dt.date | None,
) -> str:
    """The partition of one mention: ``"root|A|B|bucket"`` (``A <= B``; see the module doc).

    ``day`` is the mention's event date, else its publication date, else None.
    """
    a, b = sorted((source_country or "", target_country or ""))
    return f"{root or ''}|{a}|{b}|{_bucket(day)}"


def partition_keys(mentions: pa.Table) -> pa.Array:
    """:func:`partition_key` of every row of ``mentions`` (vectorised, Arrow strings)."""
    n = mentions.num_rows
    if n == 0:
        return pa.array([], pa.string())

    def col(name: str, kind: pa.DataType) -> pa.ChunkedArray | pa.Array:
        if name in mentions.column_names:
            return mentions.column(name).cast(kind)
        return pa.nulls(n, kind)

    sc = pc.fill_null(col("source_country", pa.string()), "")
    tc = pc.fill_null(col("target_country", pa.string()), "")
    lo = pc.if_else(pc.less_equal(sc, tc), sc, tc)
    hi = pc.if_else(pc.less_equal(sc, tc), tc, sc)
    day = pc.coalesce(col("event_date", pa.date32()), col("published", pa.date32()))
    days = pc.subtract(day.cast(pa.int32()), _ORIGIN_DAY)
    bucket = pc.floor(pc.divide(days.cast(pa.float64()), float(BUCKET_DAYS)))
    bucket = pc.fill_null(bucket.cast(pa.int64()).cast(pa.string()), "")
    root = pc.fill_null(col("root", pa.string()), "")
    out = pc.binary_join_element_wise(root, lo, hi, bucket, "|")
    return out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out


def partition_key_sql(alias: str = "", date: str | None = None) -> str:
    """:func:`partition_key` as a DuckDB expression over a mentions (or events) row.

    ``date`` is the SQL for the row's day; by default the mention's
    ``coalesce(event_date, published)``.
    """
    p = f"{alias}." if alias else ""
    day = date or f"coalesce({p}event_date, {p}published)"
    sc, tc = f"coalesce({p}source_country, '')", f"coalesce({p}target_country, '')"
    bucket = (
        f"coalesce(CAST(CAST(floor(({day} - DATE '{_EPOCH}' - {_ORIGIN_DAY}) / "
        f"{BUCKET_DAYS}) AS BIGINT) AS VARCHAR), '')"
    )
    return (
        f"(coalesce({p}root, '') || '|' || least({sc}, {tc}) || '|' || "
        f"greatest({sc}, {tc}) || '|' || {bucket})"
    )


# --------------------------------------------------------------------------- clustering


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


def _directed(row: dict) -> bool:
    return row["root"] not in UNDIRECTED_ROOTS


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
    """0 when compatible as oriented, 1 when compatible swapped, None when not.

    A directed mention only ever joins a directed cluster of its own orientation; an
    undirected one (root 04) joins either orientation. The root is the same within a
    partition, so both are directed or both are not.
    """
    if directed != cluster.directed:
        return None
    if _side_ok(cluster.sides[0], sides[0]) and _side_ok(cluster.sides[1], sides[1]):
        return 0
    if not directed:
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


def _cluster(rows: list[dict]) -> list[list[dict]]:
    """Cluster the dated mentions of one partition."""
    clusters: list[_Cluster] = []
    by_day: dict[int, list[int]] = {}  # anchor day -> indexes into clusters
    for row in sorted(rows, key=_order_key):
        directed = _directed(row)
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
        # a specific id learnt from this mention narrows the cluster's actors, so a
        # later country-level mention cannot bridge two different people
        for k in (0, 1):
            side = sides[k if orient == 0 else 1 - k]
            if cl.sides[k][1] is None and side[1] is not None:
                cl.sides[k][1] = side[1]
    return [cl.members for cl in clusters]


# --------------------------------------------------------------------------- event rows


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


def _code_exactness(row: dict) -> int:
    """2 for a specific code (``041`` phone call), 1 for a root-level one (``040``)."""
    code, root = str(row.get("cameo") or ""), str(row.get("root") or "")
    return 1 if code in {root, root + "0", ""} else 2


def _vote(members: list[dict], key: Any, prefer: Any = None) -> Any:
    """The value of ``key`` that wins the weighted majority among ``members``.

    Weight, in order: ``prefer`` (a per-value rank, higher first), the number of
    distinct sources, the number of mentions. Ties go to the smallest value (by its
    text), never to whichever mention came first.
    """
    sources: dict[Any, set[str]] = {}
    mentions: Counter = Counter()
    rank: dict[Any, Any] = {}
    for m in members:
        value = key(m)
        sources.setdefault(value, set()).add(m["_source"])
        mentions[value] += 1
        if prefer is not None:
            r = prefer(m)
            rank[value] = max(rank.get(value, r), r)
    return min(
        sources,
        key=lambda v: (-(rank.get(v, 0)), -len(sources[v]), -mentions[v], repr(v)),
    )


def _actor(members: list[dict], side: str, country: str | None) -> dict[str, Any]:
    """The actor on ``side`` (event orientation) by weighted majority: a specific person
    or organisation before the bare country, then sources, mentions; then its name and
    code as most of the mentions naming it give them."""
    other = "target" if side == "source" else "source"
    rows = []
    for m in members:
        s = other if m["_flip"] else side
        rows.append(
            {
                "_source": m["_source"],
                "id": m.get(f"{s}_id"),
                "name": m.get(f"{s}_name"),
                "code": m.get(f"{s}_code"),
                "country": m.get(f"{s}_country"),
            }
        )
    rows = [r for r in rows if (r["country"] or "") == (country or "")] or rows
    actor_id = _vote(
        rows,
        lambda r: r["id"],
        prefer=lambda r: 1 if _specific(r["id"], r["country"]) else 0,
    )
    same = [r for r in rows if r["id"] == actor_id]
    return {
        f"{side}_id": actor_id,
        f"{side}_name": _vote(same, lambda r: r["name"]),
        f"{side}_code": _vote(same, lambda r: r["code"]),
        f"{side}_country": country,
    }


def _event_row(members: list[dict]) -> tuple[str, dict]:
    for m in members:
        m["_source"] = _source_key(m)
    cameo = _vote(members, lambda m: m.get("cameo"), prefer=_code_exactness)
    coded = [m for m in members if m.get("cameo") == cameo]
    orientation = _vote(coded, lambda m: (m["source_country"] or "", m["target_country"] or ""))
    for m in members:  # which mentions name the sides the other way round (root 04)
        m["_flip"] = (m["source_country"] or "", m["target_country"] or "") != orientation
    best = min((m for m in coded if not m["_flip"]), key=_best_key)
    first = min(members, key=_reported_key)
    event_id = event_id_for(first["mention_id"])
    exact_days = [m["_day"] for m in members if m["date_exact"] and m["_day"] is not None]
    all_days = [m["_day"] for m in members if m["_day"] is not None]
    day = _mode_date(exact_days or all_days) if all_days else None
    sources: dict[str, float] = {}
    for m in members:
        sources[m["_source"]] = max(sources.get(m["_source"], 0.0), float(m["confidence"] or 0.0))
    miss = 1.0
    for c in sources.values():
        miss *= 1.0 - min(max(c, 0.0), 1.0)
    confidence = (1.0 - miss) * (1.0 if exact_days else 0.9)
    pubs = [m["published"] for m in members if m["published"]]
    located = [m for m in members if m.get("location_name")]
    loc = min(located, key=_best_key) if located else {}
    ev = {name: best.get(name) for name in EVENT_SCHEMA.names}
    ev.update(_actor(members, "source", best["source_country"]))
    ev.update(_actor(members, "target", best["target_country"]))
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


def _merge_rows(rows: list[dict]) -> tuple[dict[str, str], list[dict]]:
    """Merge the rows of ONE partition (or of undated mentions, each alone)."""
    groups = [[r] for r in rows if r["_day"] is None]  # no date: matches nothing
    groups += _cluster([r for r in rows if r["_day"] is not None])
    mapping: dict[str, str] = {}
    events: list[dict] = []
    for members in groups:
        event_id, ev = _event_row(members)
        events.append(ev)
        for m in members:
            mapping[m["mention_id"]] = event_id
    return mapping, events


def _event_sort_key(e: dict) -> tuple:
    return (e["event_date"] or dt.date.max, e["event_id"])


def merge_partition(mentions: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Merge the mentions of ONE partition into events: ``(assignments, events)``.

    ``mentions`` holds rows of one :func:`partition_key` (the caller groups by it) with
    the :data:`~tidings.model.MENTION_SCHEMA` columns (``event_id`` is ignored; extra
    columns are allowed) and optionally ``url``, the document's URL, which counts as the
    source when ``outlet`` is empty. Pure and deterministic: the result depends only on
    the set of rows, not their order, so every engine gets the same events with the
    same ids. ``assignments`` has :data:`ASSIGNMENT_SCHEMA` (every mention once, sorted
    by mention id); ``events`` has :data:`~tidings.model.EVENT_SCHEMA`, sorted by date
    then id, and replaces every event the partition held before. Each event's own
    ``partition_key(root, source_country, target_country, event_date)`` is the
    partition's key, so events can be filed (or written to Parquet) by it.

    Rows of several partitions give wrong events (mentions across a bucket edge could
    merge); use :func:`merge_mentions` for a mixed table.
    """
    mapping, events = _merge_rows(_rows(mentions))
    events.sort(key=_event_sort_key)
    ids = sorted(mapping)
    assignments = pa.table(
        {
            "mention_id": pa.array(ids, pa.string()),
            "event_id": pa.array([mapping[i] for i in ids], pa.string()),
        },
        schema=ASSIGNMENT_SCHEMA,
    )
    return assignments, pa.Table.from_pylist(events, schema=EVENT_SCHEMA)


def _by_partition(table: pa.Table) -> list[tuple[str, pa.Table]]:
    """``table`` split by partition key, keys sorted (row order inside is kept)."""
    if table.num_rows == 0:
        return []
    keys = partition_keys(table)
    indices: dict[str, list[int]] = {}
    for i, k in enumerate(keys.to_pylist()):
        indices.setdefault(k, []).append(i)
    return [(k, table.take(pa.array(indices[k], pa.int64()))) for k in sorted(indices)]


def merge_mentions(table: pa.Table) -> tuple[dict[str, str], pa.Table]:
    """Merge a table of mentions into events: ``(mention_id -> event_id, events)``.

    Groups the rows by :func:`partition_key` and merges each group with
    :func:`merge_partition`: the reference that any distributed merge must equal.
    Events are sorted by date, then id.
    """
    mapping: dict[str, str] = {}
    events: list[dict] = []
    for _, part in _by_partition(table):
        m, ev = _merge_rows(_rows(part))
        mapping.update(m)
        events.extend(ev)
    events.sort(key=_event_sort_key)
    return mapping, pa.Table.from_pylist(events, schema=EVENT_SCHEMA)


# --------------------------------------------------------------------------- DuckDB


def _run(con: Any, sql: str, params: Sequence[Any] = ()) -> None:
    """Execute a statement and drain its result (DuckDB wants results finished)."""
    con.execute(sql, list(params)).fetchall()


def _arrow(con: Any, sql: str, params: Sequence[Any] = ()) -> pa.Table:
    """Run a query into an Arrow table (DuckDB 2.x ``to_arrow_table``, 1.x ``fetch_...``)."""
    rel = con.sql(sql, params=list(params)) if params else con.sql(sql)
    if hasattr(rel, "to_arrow_table"):
        return rel.to_arrow_table()
    return rel.arrow()  # pragma: no cover - DuckDB < 1.4


def _connection(store: Any) -> Any:
    return getattr(store, "connection", store)


def _columns(con: Any, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


#: partitions read per query: bounds the memory of a full re-merge and the IN lists
KEYS_PER_QUERY = 256


def merge_keys_in(con: Any, keys: Iterable[str]) -> int:
    """Re-merge the partitions ``keys`` of the store behind ``con``; return events written.

    Runs inside the caller's transaction (the ingest writes a batch's documents,
    mentions and events in one). Reads only the mentions of these partitions, deletes
    the partitions' old events (and any event their mentions pointed to), writes the
    new ones and points every mention at its event. In a tidings store every step is a
    lookup by ``merge_key`` through its index, so work and memory grow with the
    partitions touched, not with the store. Tables without ``merge_key`` (hand-made
    ones) are scanned instead.
    """
    todo = sorted(set(keys))
    if not todo:
        return 0
    keyed = "merge_key" in _columns(con, "mentions")
    keyed_events = "merge_key" in _columns(con, "events")
    has_url = "url" in _columns(con, "documents")  # asked once, not once per partition
    step = 1 if keyed else KEYS_PER_QUERY  # equality lookups use the index, IN lists not
    written = 0
    for start in range(0, len(todo), step):
        chunk = todo[start : start + step]
        written += _merge_chunk(con, chunk, keyed, keyed_events, has_url)
    return written


def _key_filter(keys: list[str], keyed: bool, alias: str = "m") -> str:
    key_sql = f"{alias}.merge_key" if keyed else partition_key_sql(alias)
    if len(keys) == 1:
        return f"{key_sql} = ?"
    return f"{key_sql} IN ({', '.join('?' * len(keys))})"


def _merge_chunk(con: Any, keys: list[str], keyed: bool, keyed_events: bool, has_url: bool) -> int:
    """Merge the partitions ``keys`` (one, or a chunk of them in a table without keys)."""
    cols = ", ".join(f'm."{c}"' for c in MENTION_SCHEMA.names if c != "event_id")
    key_sql = "m.merge_key" if keyed else partition_key_sql("m")
    table = _arrow(
        con,
        f"SELECT {cols}, m.event_id AS old_event, {key_sql} AS _key "
        f"FROM mentions m WHERE {_key_filter(keys, keyed)}",
        keys,
    )
    table = _with_urls(con, table, has_url)
    old = {e for e in table.column("old_event").to_pylist() if e}
    events: list[dict] = []
    links: dict[str, str] = {}
    for key, part in _by_key(table):
        mapping, evs = _merge_rows(_rows(part))
        links.update(mapping)
        for ev in evs:
            ev["merge_key"] = key
        events.extend(evs)
    events.sort(key=_event_sort_key)
    ev_table = pa.Table.from_pylist(
        events, schema=EVENT_SCHEMA.append(pa.field("merge_key", pa.string()))
    )
    if keyed_events:
        held = {
            r[0]
            for r in con.execute(
                f"SELECT event_id FROM events e WHERE {_key_filter(keys, True, 'e')}", keys
            ).fetchall()
        }
        _run(con, f"DELETE FROM events WHERE {_key_filter(keys, True, 'events')}", keys)
        gone = sorted(old - held)  # events of these mentions filed under another key
    else:
        ev_table = ev_table.drop_columns(["merge_key"])
        gone = sorted(old | {e["event_id"] for e in events})
    if gone:
        con.register("_tidings_gone", pa.table({"event_id": pa.array(gone, pa.string())}))
        try:
            _run(con, "DELETE FROM events WHERE event_id IN (SELECT event_id FROM _tidings_gone)")
        finally:
            con.unregister("_tidings_gone")
    ids = sorted(links)
    link_table = pa.table(
        {
            "mention_id": pa.array(ids, pa.string()),
            "event_id": pa.array([links[i] for i in ids], pa.string()),
        }
    )
    con.register("_tidings_new_events", ev_table)
    con.register("_tidings_new_map", link_table)
    try:
        ins = ", ".join(f'"{n}"' for n in ev_table.column_names)
        _run(con, f"INSERT INTO events ({ins}) SELECT {ins} FROM _tidings_new_events")
        # the key filter lets DuckDB find the partition's rows by index, not by a scan
        _run(
            con,
            "UPDATE mentions SET event_id = n.event_id FROM _tidings_new_map n "
            f"WHERE {_key_filter(keys, keyed, 'mentions')} "
            "AND mentions.mention_id = n.mention_id "
            "AND mentions.event_id IS DISTINCT FROM n.event_id",
            keys,
        )
    finally:
        con.unregister("_tidings_new_events")
        con.unregister("_tidings_new_map")
    return len(events)


def _with_urls(con: Any, table: pa.Table, has_url: bool) -> pa.Table:
    """``table`` with a ``url`` column: the document's URL where the mention has no
    outlet (the URL's host then counts as the source). Looks up only those documents,
    when ``documents`` has a ``url`` column (``has_url``)."""
    n = table.num_rows
    need = sorted(
        {
            d
            for d, o in zip(
                table.column("doc_id").to_pylist(), table.column("outlet").to_pylist(), strict=True
            )
            if not (o and str(o).strip())
        }
    )
    urls: dict[str, str] = {}
    if need and has_url:
        con.register("_tidings_need", pa.table({"doc_id": pa.array(need, pa.string())}))
        try:
            urls = dict(
                con.execute(
                    "SELECT doc_id, url FROM documents WHERE doc_id IN "
                    "(SELECT doc_id FROM _tidings_need)"
                ).fetchall()
            )
        finally:
            con.unregister("_tidings_need")
    column = [urls.get(d) for d in table.column("doc_id").to_pylist()] if urls else [None] * n
    return table.append_column("url", pa.array(column, pa.string()))


def _by_key(table: pa.Table) -> list[tuple[str, pa.Table]]:
    """Rows grouped by their ``_key`` column (keys sorted)."""
    indices: dict[str, list[int]] = {}
    for i, k in enumerate(table.column("_key").to_pylist()):
        indices.setdefault(k, []).append(i)
    return [(k, table.take(pa.array(indices[k], pa.int64()))) for k in sorted(indices)]


def _fill_partition_keys(con: Any) -> str:
    """Give mentions written without one (by hand, by an older tidings) their
    ``merge_key``, when the table has the column; return the SQL for a row's key.

    Cheap when every row has its key: DuckDB skips the segments whose statistics
    hold no NULL.
    """
    if "merge_key" not in _columns(con, "mentions"):
        return partition_key_sql("m")
    _run(
        con,
        f"UPDATE mentions SET merge_key = {partition_key_sql()} WHERE merge_key IS NULL",
    )
    return "m.merge_key"


def pending_keys(con: Any) -> list[str]:
    """Partitions holding a mention that belongs to no event (an interrupted merge)."""
    key_sql = _fill_partition_keys(con)
    rows = con.execute(
        f"SELECT DISTINCT {key_sql} FROM mentions m WHERE event_id IS NULL"
    ).fetchall()
    return sorted(r[0] for r in rows)


def update_events(store: Any, doc_ids: Sequence[str] | None = None) -> None:
    """Re-merge the partitions touched by ``doc_ids`` (all when None) in ``store``.

    The ingest path merges inside its write transaction (:meth:`Store.write_batch`);
    this entry point is for stores written by other means (tests, ad-hoc SQL, loads).
    Besides the partitions of ``doc_ids`` it re-merges those holding mentions with no
    event and those of events whose mentions changed (found by a scan of the whole
    mentions table). Idempotent and order-independent.
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


def remerge_all(con: Any) -> int:
    """Delete every event and merge every partition again, in the caller's transaction
    (a migration, or a change of the merge rules). Returns the events written."""
    key_sql = _fill_partition_keys(con)
    _run(con, "DELETE FROM events")
    keys = [r[0] for r in con.execute(f"SELECT DISTINCT {key_sql} FROM mentions m").fetchall()]
    return merge_keys_in(con, keys)


def _update(con: Any, doc_ids: Sequence[str] | None) -> None:
    _run(con, "BEGIN TRANSACTION")
    try:
        if doc_ids is None:
            remerge_all(con)
        else:
            merge_keys_in(con, _touched_keys(con, doc_ids))
        _run(con, "COMMIT")
    except BaseException:
        _run(con, "ROLLBACK")
        raise


def _touched_keys(con: Any, doc_ids: Sequence[str]) -> list[str]:
    """Partitions of ``doc_ids``' mentions, of mentions without an event and of events
    whose mentions changed; events left with no mention are deleted on the way."""
    key_sql = _fill_partition_keys(con)
    con.register("_tidings_docs", pa.table({"doc_id": pa.array(list(doc_ids), pa.string())}))
    try:
        keys = [
            r[0]
            for r in con.execute(
                f"""
                SELECT DISTINCT {key_sql} FROM mentions m
                WHERE m.doc_id IN (SELECT doc_id FROM _tidings_docs)
                   OR m.event_id IS NULL
                   OR m.event_id IN (
                       SELECT e.event_id FROM events e LEFT JOIN (
                           SELECT event_id, count(*) AS n FROM mentions
                           WHERE event_id IS NOT NULL GROUP BY event_id
                       ) c USING (event_id) WHERE c.n <> e.num_mentions)
                """
            ).fetchall()
        ]
    finally:
        con.unregister("_tidings_docs")
    _run(
        con,
        "DELETE FROM events WHERE event_id NOT IN "
        "(SELECT event_id FROM mentions WHERE event_id IS NOT NULL)",
    )
    return keys
