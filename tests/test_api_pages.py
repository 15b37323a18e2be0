"""Pages of /events from what the server remembers agree with pages read from the file.

Invariants: a page built from the events' JSON in memory (:class:`EventJson`) is the
same JSON as one built from the file's rows, for every filter, sort, offset and
cursor, odd values included (NaN, quotes, line separators, accents); counts and rows
follow every write made through :meth:`Stores.writing`, and nothing remembered is used
while a write is under way; a store too large to keep in memory gives the same pages.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api_helpers import api_fixture, build_store
from tidings.api.reads import event_page
from tidings.api.records import json_answer
from tidings.api.serving import served_process
from tidings.api.stores import Stores
from tidings.store import EventFilter, Store

ODD_EVIDENCE = 'Hanoi said "no" \\ to \u2028 the Café\u200b deal \U0001f600 </script>'

CASES = [
    (EventFilter(), "event_date DESC", 0),
    (EventFilter(), "event_date DESC", 5),
    (EventFilter(include_domestic=True), "num_sources DESC", 3),
    (EventFilter(dyad=("VNM", "RUS")), "goldstein ASC", 0),
    (EventFilter(country="RUS", since=dt.date(2024, 2, 1)), "event_date ASC", 1),
    (EventFilter(actor="putin"), "event_date DESC", 0),
    (EventFilter(root="19"), "event_date DESC", 0),
    (EventFilter(country="ZZZ"), "event_date DESC", 0),
]


#: /events queries asked of one server process and of two
QUERIES = [
    {"limit": 5},
    {"limit": 3, "offset": 4, "sort": "-sources"},
    {"dyad": "VNM,RUS", "sort": "goldstein"},
    {"all": "true", "limit": 100},
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """The API test store, with NaN and awkward text in two events."""
    path = tmp_path / "pages.duckdb"
    build_store(path)
    with Store(path) as store:
        con = store.connection
        first, second = [r[0] for r in con.execute(
            "SELECT event_id FROM events ORDER BY event_id LIMIT 2").fetchall()]  # fmt: skip
        con.execute("UPDATE events SET goldstein = 'NaN'::DOUBLE WHERE event_id = ?", [first])
        con.execute("UPDATE events SET evidence = ? WHERE event_id = ?", [ODD_EVIDENCE, second])
    return path


@pytest.fixture()
def stores(db: Path) -> Iterator[Stores]:
    pool = Stores(str(db), read_only=False, size=2)
    yield pool
    pool.close()


def from_memory(stores: Stores, flt: EventFilter, order: str, offset: int, **kw: object) -> dict:
    page = event_page(stores, flt, limit=4, offset=offset, order=order, after=kw.get("after"))
    assert page.texts is not None, "the page should come from memory"
    events = [json.loads(t) for t in page.texts]
    return {"total": page.total, "next": page.next_after, "events": events}


def from_file(stores: Stores, flt: EventFilter, order: str, offset: int, **kw: object) -> dict:
    with stores.open() as store:
        page = store.page_events(flt, limit=4, offset=offset, order=order, after=kw.get("after"))
    events = json.loads(json_answer(page.rows.to_pylist()).body)
    return {"total": page.total, "next": page.next_after, "events": events}


@pytest.mark.parametrize(("flt", "order", "offset"), CASES)
def test_pages_from_memory_are_the_pages_from_the_file(
    stores: Stores, flt: EventFilter, order: str, offset: int
) -> None:
    stores.warm()
    for _ in range(2):  # the second time the count comes from the cache
        assert from_memory(stores, flt, order, offset) == from_file(stores, flt, order, offset)
    page = from_file(stores, flt, order, offset)
    if page["next"]:  # and the page after, by cursor
        after = page["next"]
        assert from_memory(stores, flt, order, 0, after=after) == from_file(
            stores, flt, order, 0, after=after
        )


def test_odd_values_survive_the_json_in_memory(stores: Stores) -> None:
    everything = EventFilter(include_domestic=True)
    page = event_page(stores, everything, limit=100, offset=0, order="event_id ASC", after=None)
    assert page.texts is not None
    events = [json.loads(t) for t in page.texts]
    assert events[0]["goldstein"] is None  # NaN is not JSON
    assert events[1]["evidence"] == ODD_EVIDENCE
    assert [e["event_id"] for e in events] == sorted(e["event_id"] for e in events)


def test_counts_and_rows_follow_a_write(stores: Stores) -> None:
    dyad = EventFilter(dyad=("VNM", "RUS"))
    before = event_page(stores, dyad, limit=50, offset=0, order="event_date DESC", after=None)
    assert before.texts is not None and before.total == len(before.texts) > 0
    with stores.writing():
        assert stores.generation() is None
        during = event_page(stores, dyad, limit=50, offset=0, order="event_date DESC", after=None)
        assert during.texts is None and during.total == before.total  # read from the file
        with stores.open() as store:
            names = [f'"{c}"' for c in store.rows_by_rowid([]).column_names]
            cols = ", ".join("'ev_later'" if c == '"event_id"' else c for c in names)
            store.connection.execute(
                f"INSERT INTO events ({', '.join(names)}) SELECT {cols} FROM events "
                "WHERE event_id = "
                "(SELECT min(event_id) FROM events WHERE source_country = 'VNM')"
            )
            store.refresh_keys()
    after = event_page(stores, dyad, limit=50, offset=0, order="event_date DESC", after=None)
    assert after.total == before.total + 1
    assert after.texts is not None
    assert "ev_later" in {json.loads(t)["event_id"] for t in after.texts}


def test_a_page_across_a_write_is_asked_afresh(stores: Stores) -> None:
    generation = stores.generation()
    assert stores.unchanged_since(generation)
    with stores.writing():
        assert not stores.unchanged_since(generation)
    assert not stores.unchanged_since(generation)  # the old generation never comes back
    assert stores.unchanged_since(stores.generation())


def test_a_store_too_large_for_memory_gives_the_same_pages(db: Path) -> None:
    small = Stores(str(db), read_only=True, size=2, memory_events=3)
    big = Stores(str(db), read_only=True, size=2)
    try:
        small.warm()
        for flt, order, offset in CASES:
            kw = {"limit": 4, "offset": offset, "order": order, "after": None}
            lean, full = event_page(small, flt, **kw), event_page(big, flt, **kw)
            assert lean.texts is None and full.texts is not None
            with small.open() as store:
                rows = store.rows_by_rowid(lean.rids).to_pylist()
            assert json.loads(json_answer(rows).body) == [json.loads(t) for t in full.texts]
            assert (lean.total, lean.next_after) == (full.total, full.next_after)
    finally:
        small.close()
        big.close()


def test_a_post_makes_the_next_count_fresh(tmp_path: Path) -> None:
    """Over HTTP: a count remembered before POST /articles is not used after it."""
    article = {
        "text": "Vietnam's president visited Moscow on Friday.",
        "published": "2024-06-07",
    }
    with api_fixture(tmp_path) as fx, httpx.Client(base_url=fx.url, timeout=30) as c:
        every = {"all": "true", "limit": 1}
        first = c.get("/events", params=every).json()
        assert first["total"] == c.get("/stats").json()["events"]
        auth = {"Authorization": f"Bearer {fx.token}"}
        assert c.post("/articles", json=[article], headers=auth).status_code == 200
        events = c.get("/stats").json()["events"]
        assert events > first["total"]
        # a different query string: not the answer cache, the count cache
        assert c.get("/events", params={**every, "limit": 2}).json()["total"] == events


def test_several_server_processes_give_the_same_answers(tmp_path: Path) -> None:
    """``tidings serve --workers 2``: two processes read the file; answers are the same."""

    def ask(url: str) -> list[dict]:
        # without the cursor: it holds a row id, and serve first sorts the file
        pages = [httpx.get(f"{url}/events", params=p, timeout=30).json() for p in QUERIES]
        return [{**page, "next": page["next"] is not None} for page in pages]

    with api_fixture(tmp_path, allow_ingest=False) as fx:  # one process (in this one)
        want = ask(fx.url)
    with served_process(fx.db, "--workers", "2") as (server, url):
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(workers) >= 2  # uvicorn's worker processes (and nothing else writes)
        for _ in range(3):  # a few rounds: both workers answer some of them
            assert ask(url) == want


def test_several_server_processes_cannot_write() -> None:
    said = subprocess.run(
        [sys.executable, "-m", "tidings", "serve", "--db", "x.duckdb", "--workers", "2",
         "--allow-ingest", "--token", "t"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert said.returncode == 2
    assert "--workers needs a read-only server" in said.stderr
