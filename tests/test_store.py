"""The DuckDB store: batch writes are idempotent and atomic, queries filter with bound
parameters, old files are migrated, and a second process never sees a half-written
store (it gets consistent data or a clear StoreLocked message)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from conftest import make_article, make_mention
from tidings.errors import StoreError, StoreLocked
from tidings.model import EVENT_SCHEMA
from tidings.store import (
    INDEXES,
    MIGRATIONS,
    PARTITION_INDEXES,
    SCHEMA_VERSION,
    EventFilter,
    Store,
    _insert,
    open_store,
)

D = dt.date


def put_events(store: Store, rows: list[dict]) -> None:
    """Write event rows directly (the merge step is tested elsewhere)."""
    full = [{name: r.get(name) for name in EVENT_SCHEMA.names} for r in rows]
    with store.transaction() as con:
        _insert(con, "events", pa.Table.from_pylist(full, schema=EVENT_SCHEMA))


def event(eid: str, src: str, tgt: str, cameo: str, day: D, **kw) -> dict:
    names = {"VNM": "Vietnam", "RUS": "Russia", "USA": "United States", "CHN": "China"}
    return {
        "event_id": eid,
        "event_date": day,
        "source_name": names[src],
        "source_id": src.lower(),
        "source_code": src + "GOV",
        "source_country": src,
        "target_name": names[tgt],
        "target_id": tgt.lower(),
        "target_code": tgt + "GOV",
        "target_country": tgt,
        "cameo": cameo,
        "root": cameo[:2],
        "quad_class": kw.pop("quad", 1),
        "domestic": src == tgt,
        "num_articles": kw.pop("n", 1),
        **kw,
    }


@pytest.fixture
def events_store(store: Store) -> Store:
    put_events(
        store,
        [
            event("e1", "VNM", "RUS", "040", D(2021, 2, 9), n=3),
            event("e2", "RUS", "VNM", "0311", D(2024, 6, 20)),
            event("e3", "USA", "CHN", "112", D(2023, 11, 15), quad=3),
            event("e4", "CHN", "CHN", "051", D(2022, 1, 1)),
        ],
    )
    return store


def ids(table: pa.Table) -> list[str]:
    return table.column("event_id").to_pylist()


# --------------------------------------------------------------------------- writes


def test_write_batch_adds_then_is_idempotent(store: Store) -> None:
    a = make_article("Vietnam met Russia.", published=D(2021, 2, 9))
    b = make_article("Russia thanked Vietnam.", url="https://x.example/b")
    first = store.write_batch([a, b], {a.doc_id: [make_mention(a)]}, coder_version="1")
    assert (first.added, first.updated, first.unchanged, first.mentions) == (2, 0, 0, 1)
    again = store.write_batch([a, b], {a.doc_id: [make_mention(a), make_mention(a, 1)]})
    assert (again.added, again.updated, again.unchanged, again.changed) == (0, 0, 2, [])
    assert store.stats()["documents"] == 2
    assert store.stats()["mentions"] == 1  # an unchanged document keeps its mentions
    assert store.document(a.doc_id)["published"] == D(2021, 2, 9)


def test_updated_document_replaces_text_and_mentions(store: Store) -> None:
    old = make_article("Old text of the page.", doc_id="page1", url="https://x.example/p")
    store.write_batch([old], {"page1": [make_mention(old), make_mention(old, 1)]})
    new = make_article("New text of the same page.", doc_id="page1", url="https://x.example/p")
    counts = store.write_batch([new], {"page1": [make_mention(new, 7)]})
    assert (counts.added, counts.updated, counts.changed) == (0, 1, ["page1"])
    doc = store.document("page1")
    assert doc["text"] == "New text of the same page."
    assert [m["mention_id"] for m in doc["mentions"]] == ["page1-7"]
    assert store.count_documents() == 1


def test_failed_batch_leaves_nothing_behind(store: Store) -> None:
    a = make_article("Fine article.")
    bad = make_mention(a, cameo=12345)  # not a string: the Arrow build fails mid-batch
    with pytest.raises(pa.ArrowException):
        store.write_batch([a], {a.doc_id: [bad]})
    assert store.count_documents() == 0
    assert store.stats()["mentions"] == 0


def test_last_version_in_a_batch_wins(store: Store) -> None:
    a1 = make_article("first", doc_id="same")
    a2 = make_article("second", doc_id="same")
    counts = store.write_batch([a1, a2])
    assert counts.added == 1
    assert store.document("same")["text"] == "second"


def test_read_only_store_refuses_writes(db_path: Path, store: Store) -> None:
    ro = open_store(db_path, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        ro.write_batch([make_article("x")])


# --------------------------------------------------------------------------- queries


FILTER_CASES = [
    (EventFilter(), ["e2", "e3", "e1"]),
    (EventFilter(include_domestic=True), ["e2", "e3", "e4", "e1"]),
    (EventFilter(actor="VIET"), ["e2", "e1"]),
    (EventFilter(actor="usagov"), ["e3"]),
    (EventFilter(country="chn"), ["e3"]),
    (EventFilter(dyad=("VNM", "RUS")), ["e2", "e1"]),
    (EventFilter(dyad=("rus", "vnm")), ["e2", "e1"]),
    (EventFilter(dyad=("VNM", "CHN")), []),
    (EventFilter(code="03"), ["e2"]),
    (EventFilter(root="4"), ["e1"]),
    (EventFilter(quad=3), ["e3"]),
    (EventFilter(since=D(2022, 1, 1), until=D(2023, 12, 31)), ["e3"]),
    (EventFilter(actor="x' OR 1=1 --"), []),
    (EventFilter(actor="a|b"), []),
    (EventFilter(dyad=("vnmgov", "Russia")), []),  # names are not dyad sides
]


@pytest.mark.parametrize(("flt", "expected"), FILTER_CASES)
def test_event_filters(events_store: Store, flt: EventFilter, expected: list[str]) -> None:
    assert ids(events_store.events(flt)) == expected
    assert events_store.count_events(flt) == len(expected)


def test_events_paging_and_order(events_store: Store) -> None:
    assert ids(events_store.events(limit=2)) == ["e2", "e3"]
    assert ids(events_store.events(limit=2, offset=2)) == ["e1"]
    assert ids(events_store.events(order="num_articles desc, event_date")) == ["e1", "e3", "e2"]


@pytest.mark.parametrize("order", ["event_date; DROP TABLE events", "text", "event_date sideways"])
def test_order_is_whitelisted(events_store: Store, order: str) -> None:
    with pytest.raises(StoreError, match="cannot order by"):
        events_store.events(order=order)
    assert events_store.count_events() == 3


def test_event_with_mentions_and_documents(events_store: Store) -> None:
    a = make_article("Vietnam met Russia.", name="a.txt", published=D(2021, 2, 9))
    # events put by hand: the mention keeps its link, no merge (tested elsewhere)
    events_store.write_batch([a], {a.doc_id: [make_mention(a, event_id="e1")]}, merge=False)
    ev = events_store.event("e1")
    assert ev["source_country"] == "VNM"
    assert [m["doc_name"] for m in ev["mentions"]] == ["a.txt"]
    assert events_store.event("nope") is None
    assert ids(events_store.events(EventFilter(doc_id=a.doc_id))) == ["e1"]
    mentions = events_store.mentions(EventFilter(dyad=("RUS", "VNM")))
    assert mentions.column("event_id").to_pylist() == ["e1"]
    assert mentions.column("doc").to_pylist() == ["a.txt"]
    docs = events_store.documents()
    assert docs.column("mentions").to_pylist() == [1]
    assert "text" not in docs.column_names
    stats = events_store.stats()
    assert stats["events"] == 4 and stats["by_root"]["04"] == 1
    assert (stats["first_event"], stats["last_event"]) == (D(2021, 2, 9), D(2024, 6, 20))


# --------------------------------------------------------------------------- migrations


def test_old_file_is_migrated(db_path: Path) -> None:
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    MIGRATIONS[0](con)
    con.execute("ALTER TABLE documents DROP COLUMN coder_version")  # as in an early layout
    con.execute("INSERT INTO documents (doc_id, text) VALUES ('old', 'kept text')")
    con.close()
    store = open_store(db_path, read_only=True)  # a reader upgrades it too
    with store.session() as c:
        version = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        tables = {
            r[0] for r in c.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    assert int(version) == SCHEMA_VERSION
    assert "ingest_errors" in tables
    assert store.document("old")["text"] == "kept text"
    assert store.document("old")["coder_version"] is None
    assert store.doc_ids_to_recode("0.1.0") == ["old"]


def test_version_2_file_is_re_merged_by_partition(db_path: Path) -> None:
    # a file from before partitions: one event joined a strike and the strike back
    store = open_store(db_path)
    a = make_article("Russia struck Vietnam.", published=D(2024, 6, 1))
    b = make_article("Vietnam struck Russia.", published=D(2024, 6, 1))
    hit = dict(cameo="195", root="19", symmetric=False, event_id="ev_old")
    back = dict(source_country="RUS", source_id="rus", target_country="VNM", target_id="vnm")
    store.write_batch(
        [a, b],
        {a.doc_id: [make_mention(a, **hit, **back)], b.doc_id: [make_mention(b, **hit)]},
        merge=False,
    )
    put_events(store, [event("ev_old", "VNM", "RUS", "195", D(2024, 6, 1), num_mentions=2)])
    store.close()
    con = duckdb.connect(str(db_path))
    for name, table, _ in PARTITION_INDEXES:
        con.execute(f"DROP INDEX {name}")
        con.execute(f"ALTER TABLE {table} DROP COLUMN merge_key")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    store = open_store(db_path)
    rows = store.events(EventFilter(include_domestic=True)).to_pylist()
    assert sorted((r["source_country"], r["target_country"], r["cameo"]) for r in rows) == [
        ("RUS", "VNM", "195"),
        ("VNM", "RUS", "195"),
    ]
    with store.session() as c:
        assert c.execute("SELECT count(*) FROM mentions WHERE merge_key IS NULL").fetchone() == (0,)
        names = {r[0] for r in c.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {name for name, _, _ in PARTITION_INDEXES} <= names


def test_newer_file_is_refused(db_path: Path) -> None:
    open_store(db_path)
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="newer than this tidings"):
        open_store(db_path)


def test_bad_paths_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(StoreError, match="is a directory"):
        open_store(tmp_path)
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(junk)


def test_default_path_from_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TIDINGS_DB", str(tmp_path / "env.duckdb"))
    assert open_store().path == str(tmp_path / "env.duckdb")
    monkeypatch.delenv("TIDINGS_DB")
    monkeypatch.chdir(tmp_path)
    assert open_store().path == "tidings.duckdb"
    assert (tmp_path / "tidings.duckdb").exists()


# --------------------------------------------------------------------------- two processes

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from tidings.store import open_store
    store = open_store(sys.argv[1])
    with store.session():
        print("holding", flush=True)
        sys.stdin.readline()
    """
)

_WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from conftest import make_article
    from tidings.store import open_store
    store = open_store(sys.argv[1])
    print("ready", flush=True)
    for b in range(4):
        store.write_batch([make_article(f"doc {b} {i}") for i in range(50)])
        time.sleep(0.15)  # coding the next batch: the file is free meanwhile
    print("done", flush=True)
    """
)


def test_reader_gets_clear_message_while_another_process_writes(db_path: Path) -> None:
    open_store(db_path).write_batch([make_article("before")])
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLocked) as info:
            open_store(db_path, read_only=True, lock_timeout=0.3).stats()
        assert str(info.value).startswith(
            f"{db_path} is being written by process {holder.pid} (python"
        )  # who holds it, and what to do
        assert f"Try again when it finishes, or stop it (`kill {holder.pid}`)" in str(info.value)
    finally:
        holder.communicate("\n", timeout=20)
    assert holder.returncode == 0
    assert open_store(db_path, read_only=True).count_documents() == 1  # intact


def test_reader_sees_whole_batches_during_an_ingest(db_path: Path) -> None:
    open_store(db_path)
    tests_dir = str(Path(__file__).parent)
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db_path), tests_dir],
        stdout=subprocess.PIPE,
        text=True,
    )
    seen: list[int] = []
    try:
        assert writer.stdout.readline().strip() == "ready"
        reader = Store(db_path, read_only=True, lock_timeout=5)
        deadline = time.monotonic() + 30
        while writer.poll() is None and time.monotonic() < deadline:
            seen.append(reader.count_documents())
            time.sleep(0.1)  # as a person or a web page would: not a busy loop
    finally:
        out, _ = writer.communicate(timeout=30)
    assert writer.returncode == 0 and "done" in out
    assert seen, "the reader never got in"
    assert all(n % 50 == 0 for n in seen), seen  # never half a batch
    assert seen == sorted(seen)
    assert open_store(db_path, read_only=True).count_documents() == 200


# --------------------------------------------------------------------------- big stores


@pytest.mark.parametrize(("flt", "expected"), FILTER_CASES)
def test_filters_agree_before_and_after_optimize(
    events_store: Store, flt: EventFilter, expected: list[str]
) -> None:
    """The search keys are an index: the raw columns (no keys yet), the keys with a
    fallback (some rows without) and the keys alone give the same answers."""
    page = events_store.page_events(flt)
    assert ids(page.rows) == expected and page.total == len(expected)
    events_store.optimize()
    assert ids(events_store.events(flt)) == expected
    assert events_store.count_events(flt) == len(expected)
    assert ids(events_store.page_events(flt).rows) == expected
    put_events(events_store, [event("e9", "USA", "VNM", "190", D(2020, 5, 5))])  # no keys
    mixed = events_store.page_events(flt)
    assert "e9" not in expected
    assert [e for e in ids(mixed.rows) if e != "e9"] == expected


def test_actor_search_ignores_case_and_diacritics(store: Store) -> None:
    row = event("v1", "VNM", "CHN", "040", D(2024, 3, 1))
    row["source_name"] = "Nguyễn Phú Trọng"
    put_events(store, [row, event("v2", "RUS", "CHN", "040", D(2024, 3, 2))])
    for query in ("nguyen phu", "NGUYỄN", "Trọng", "phu trong"):
        before = store.page_events(EventFilter(actor=query))
        assert ids(before.rows) == ["v1"], query
    store.optimize()
    for query in ("nguyen phu", "NGUYỄN", "Trọng", "phu trong"):
        assert ids(store.page_events(EventFilter(actor=query)).rows) == ["v1"], query
        assert store.count_events(EventFilter(actor=query)) == 1
    assert ids(store.page_events(EventFilter(actor="vnm|nguyen")).rows) == []


@pytest.fixture
def many_events(store: Store) -> Store:
    """30 events with repeated dates, sources and some NULL goldstein (ties and nulls)."""
    rows = []
    for i in range(30):
        rows.append(
            event(
                f"m{i:02d}",
                "VNM" if i % 3 else "USA",
                "RUS",
                "040",
                D(2024, 1, 1 + i % 4),
                n=i % 5,
                num_sources=i % 3,
                goldstein=None if i % 7 == 0 else float(i % 4),
            )
        )
    put_events(store, rows)
    return store


@pytest.mark.parametrize("cap", [1000, 4])  # all in the probe / past the count cap
@pytest.mark.parametrize(
    "order",
    ["event_date DESC", "num_sources DESC, event_date DESC", "goldstein ASC, event_date DESC"],
)
def test_cursor_pages_cover_everything_once(many_events: Store, order: str, cap: int) -> None:
    everything = ids(many_events.events(limit=None, order=order))
    by_offset = ids(many_events.page_events(limit=100, order=order, count_cap=cap).rows)
    assert sorted(by_offset) == sorted(everything)  # same set (ties may order differently)
    seen: list[str] = []
    after = None
    for _ in range(20):
        page = many_events.page_events(limit=7, order=order, after=after, count_cap=cap)
        assert page.total == min(30, cap) and page.total_is_estimate == (cap < 30)
        seen += ids(page.rows)
        after = page.next_after
        if after is None:
            break
    assert seen == by_offset  # in order, nothing twice, nothing left out
    assert len(seen) == 30
    # the offset within a cursor's page list agrees too
    first = many_events.page_events(limit=10, order=order, count_cap=cap)
    second = many_events.page_events(limit=5, offset=5, order=order, count_cap=cap)
    assert ids(second.rows) == ids(first.rows)[5:]


def test_cursor_pages_agree_after_optimize(many_events: Store) -> None:
    order = "num_sources DESC, event_date DESC"
    many_events.optimize()
    by_offset = ids(many_events.page_events(limit=100, order=order).rows)
    page = many_events.page_events(limit=12, order=order, count_cap=5)
    rest = many_events.page_events(limit=100, order=order, after=page.next_after, count_cap=5)
    assert ids(page.rows) + ids(rest.rows) == by_offset
    assert rest.next_after is None


@pytest.mark.parametrize("token", ["", "garbage", "eyJrIjogMX0", "e30", "W10"])
def test_bad_cursors_are_refused(many_events: Store, token: str) -> None:
    if not token:  # empty means no cursor
        assert many_events.page_events(after=token, limit=100).rows.num_rows == 30
        return
    with pytest.raises(ValueError, match="not a cursor"):
        many_events.page_events(after=token)


def test_cursor_for_another_order_is_refused(many_events: Store) -> None:
    after = many_events.page_events(limit=3, order="event_date DESC").next_after
    assert after is not None
    with pytest.raises(ValueError, match="another sort order"):
        many_events.page_events(order="goldstein ASC", after=after)


def test_optimize_sorts_events_and_indexes_lookups(db_path: Path, many_events: Store) -> None:
    many_events.optimize()
    many_events.optimize()  # twice is fine
    con = many_events.connection
    dates = [r[0] for r in con.execute("SELECT event_date FROM events ORDER BY rowid").fetchall()]
    assert dates == sorted(dates, reverse=True)
    names = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {name for name, _, _ in INDEXES} <= names
    many_events.close()
    # the indexed store still takes writes and merges (delete + insert of the same ids)
    a = make_article("Vietnam met Russia.", published=D(2021, 2, 9))
    store = open_store(db_path)
    store.write_batch([a], {a.doc_id: [make_mention(a)]})
    from tidings.dedup import update_events

    update_events(store, [a.doc_id])
    update_events(store, [a.doc_id])
    (merged,) = ids(store.events(EventFilter(include_domestic=True)))  # bare rows had no mentions
    found = store.event(merged)
    assert [m["doc_id"] for m in found["mentions"]] == [a.doc_id]
    assert store.mentions_by_id([found["best_mention_id"]])[0]["event_id"] == merged
    assert ids(store.page_events(EventFilter(dyad=("vnm", "rus"))).rows) == [merged]
