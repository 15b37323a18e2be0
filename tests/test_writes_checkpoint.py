"""A write checkpoints itself under a small buffer-pool limit, and recovers when even
that checkpoint runs out of memory (tidings.writes, "Memory per batch")."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import pytest

from conftest import make_article, make_mention
from tidings import writes
from tidings.store import Store


def _batch(start: int, n: int = 20) -> tuple[list, dict]:
    """``n`` articles from ``start`` on, each with two mentions a day apart."""
    articles, mentions = [], {}
    for i in range(start, start + n):
        day = dt.date(2024, 3, 1) + dt.timedelta(days=i % 9)
        a = make_article(f"Vietnam and Russia held talks, report {i}.", published=day)
        articles.append(a)
        mentions[a.doc_id] = [make_mention(a), make_mention(a, 1, event_date=day)]
    return articles, mentions


def _defaults() -> dict[str, str]:
    con = duckdb.connect()
    names = ("memory_limit", "threads", "checkpoint_threshold")
    return {n: str(con.execute(f"SELECT current_setting('{n}')").fetchall()[0][0]) for n in names}


def test_a_batch_leaves_no_log_and_the_default_settings(store: Store, db_path: Path) -> None:
    articles, mentions = _batch(0)
    with store.session() as con:
        store.write_batch(articles, mentions, coder_version="1")
        wal = Path(f"{db_path}.wal")
        # checkpointed before the connection closes: nothing left in DuckDB's log
        assert not wal.exists() or wal.stat().st_size == 0
        got = {
            n: str(con.execute(f"SELECT current_setting('{n}')").fetchall()[0][0])
            for n in _defaults()
        }
    assert got == _defaults()


def test_a_checkpoint_out_of_memory_reopens_and_keeps_the_batch(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        writes, "CHECKPOINT_MEMORY", "2MB"
    )  # accepted, too small for the checkpoint
    caplog.set_level(logging.WARNING, logger="tidings.store")
    first, first_mentions = _batch(0)
    second, second_mentions = _batch(20)
    with store.session():
        store.write_batch(first, first_mentions, coder_version="1")
        assert "reopening" in caplog.text
        counts = store.write_batch(second, second_mentions, coder_version="1")
    assert counts.added == 20
    with store.session() as con:
        docs, mentions, unmerged, events = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM mentions), "
            "(SELECT count(*) FROM mentions WHERE event_id IS NULL), "
            "(SELECT count(*) FROM events)"
        ).fetchall()[0]
    assert (docs, mentions, unmerged) == (40, 80, 0)
    assert events > 0


def test_a_limit_below_what_the_pool_holds_checkpoints_with_the_defaults(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB refuses a limit under what its pool holds (an error, not a fatal one)
    monkeypatch.setattr(writes, "CHECKPOINT_MEMORY", "1KB")
    articles, mentions = _batch(0)
    with store.session() as con:
        counts = store.write_batch(articles, mentions, coder_version="1")
        wal = Path(f"{db_path}.wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchall() == [
            (0,)
        ]
    assert counts.added == 20


def test_a_shared_database_keeps_its_settings(store: Store) -> None:
    # the server's pool: another connection reads the same database while a batch writes
    with store.session() as con:
        reader = con.cursor()
        con.execute("SET memory_limit = '512MB'")
        before = reader.execute("SELECT current_setting('memory_limit')").fetchall()
        articles, mentions = _batch(0)
        store.write_batch(articles, mentions, coder_version="1")
        # a bounded checkpoint would have reset the limit to DuckDB's default
        assert reader.execute("SELECT current_setting('memory_limit')").fetchall() == before
        assert reader.execute("SELECT count(*) FROM documents").fetchall() == [(20,)]
        reader.close()
