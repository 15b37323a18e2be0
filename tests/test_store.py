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
    MIGRATIONS,
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


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
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
    ],
)
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
    events_store.write_batch([a], {a.doc_id: [make_mention(a, event_id="e1")]})
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
        assert str(info.value) == (
            f"{db_path} is being written by another tidings process; try again when it finishes"
        )
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
