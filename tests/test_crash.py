"""Crash safety: an ingest killed with SIGKILL at any moment leaves a store that is
consistent (every mention in an event, every event counting its mentions, every
document with all of its mentions or none), and a re-run ends with exactly the store
an uninterrupted run gives.

The ingests are real processes, forked from a warm one (``_killable_ingest.py``) so a
kill costs milliseconds. Some kill themselves at chosen points inside a batch's
transaction (after its documents and mentions are written and before its events are
merged; after the merge and before the commit); the others are killed from here at
random moments. Old files with mentions and no events repair themselves when opened.
"""

from __future__ import annotations

import logging
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import SHARED
from tidings.store import open_store

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "data" / "merge_corpus" / "articles.jsonl"
KILLS = 20


class Forker:
    """The warm process: ``run`` forks one ingest and returns its exit code."""

    def __init__(self, corpus: Path, batch: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "_killable_ingest.py"), str(corpus), str(batch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the forking process died"
        return line.strip()

    def run(self, db: Path, mode: str = "none", n: int = 0, kill_after: float | None = None) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"go {mode} {n} {db}\n")
        self.proc.stdin.flush()
        pid = int(self._line())
        if kill_after is not None:
            time.sleep(kill_after)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # already finished: the kill came too late
                pass
        return int(self._line().split()[1])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _dump(db: Path) -> dict[str, list]:
    """Everything the store holds (but the ingest time), in a stable order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, order in (
            ("documents", "doc_id"),
            ("mentions", "mention_id"),
            ("events", "event_id"),
        ):
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY column_name",
                    [table],
                ).fetchall()
                if r[0] != "ingested_at"
            ]
            names = ", ".join(f'"{c}"' for c in cols)
            out[table] = con.execute(f"SELECT {names} FROM {table} ORDER BY {order}").fetchall()
        out["errors"] = con.execute("SELECT origin, message FROM ingest_errors").fetchall()
        return out
    finally:
        con.close()


def _check_consistent(db: Path, reference: dict[str, set[str]]) -> int:
    """Invariants of a store after a kill; returns the number of documents it holds."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        orphans = con.execute(
            "SELECT count(*) FROM mentions m LEFT JOIN events e USING (event_id) "
            "WHERE e.event_id IS NULL"
        ).fetchall()[0][0]
        assert orphans == 0, "mentions without their event"
        miscounted = con.execute(
            "SELECT count(*) FROM events e LEFT JOIN (SELECT event_id, count(*) AS n "
            "FROM mentions GROUP BY event_id) c USING (event_id) "
            "WHERE c.n IS DISTINCT FROM e.num_mentions"
        ).fetchall()[0][0]
        assert miscounted == 0, "events whose mentions are missing or extra"
        docs = [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
        have: dict[str, set[str]] = {}
        for doc, mid in con.execute("SELECT doc_id, mention_id FROM mentions").fetchall():
            have.setdefault(doc, set()).add(mid)
        for doc in docs:  # a document is stored with all of its mentions, or not at all
            assert have.get(doc, set()) == reference.get(doc, set()), doc
        assert set(have) <= set(docs)
        return len(docs)
    finally:
        con.close()


@pytest.fixture(scope="module")
def forker() -> Forker:
    f = Forker(CORPUS, batch=3)
    yield f
    f.close()


def test_kill_at_twenty_moments_then_rerun_gives_the_uninterrupted_store(
    forker: Forker, tmp_path: Path
) -> None:
    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    assert forker.run(clean) == 0
    duration = time.perf_counter() - started
    started = time.perf_counter()
    assert forker.run(clean) == 0  # a re-run of a complete store: the fixed cost of a run
    overhead = time.perf_counter() - started
    expected = _dump(clean)
    total = len(expected["documents"])
    per_doc: dict[str, set[str]] = {}
    for row in (
        duckdb.connect(str(clean), read_only=True)
        .execute("SELECT doc_id, mention_id FROM mentions")
        .fetchall()
    ):
        per_doc.setdefault(row[0], set()).add(row[1])
    assert expected["events"] and total >= 30

    rng = random.Random(20261205)  # random moments, the same ones in every CI run
    plan = [("before-merge", rng.randint(1, 4)) for _ in range(5)]
    plan += [("before-commit", rng.randint(1, 4)) for _ in range(5)]
    plan += [("none", 0)] * 40  # killed from outside; not every kill lands in time
    db = tmp_path / "killed.duckdb"
    landed, partial, held = 0, 0, 0
    for mode, n in plan:
        if landed == KILLS:
            break
        # a moment inside what is left of the run (the re-run skips stored documents)
        left = overhead + (duration - overhead) * (1 - held / total)
        delay = rng.uniform(0.0, left) if mode == "none" else None
        code = forker.run(db, mode, n, kill_after=delay)
        held = _check_consistent(db, per_doc)
        if code == -signal.SIGKILL:
            landed += 1
            partial += 0 < held < total
        else:
            assert code == 0
            assert _dump(db) == expected
            db.unlink()  # finished: start again from an empty store
            held = 0
    assert landed == KILLS, f"only {landed} kills landed while an ingest ran"
    assert partial >= 5  # most kills cut a run in the middle, not before or after it
    assert forker.run(db) == 0  # the re-run after the last kill
    assert _dump(db) == expected


def test_mentions_without_events_repair_at_open(tmp_path: Path, caplog) -> None:
    # what an older tidings left after a crash between its write and merge transactions
    db = tmp_path / "old.duckdb"
    store = open_store(db)
    docs = sorted((SHARED / "seeds").glob("*.txt"))[:2]
    from tidings import pipeline

    pipeline.ingest(docs, store)
    store.close()
    expected = _dump(db)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM events")
    con.execute("UPDATE mentions SET event_id = NULL")
    con.close()
    with caplog.at_level(logging.WARNING, logger="tidings.store"):
        open_store(db).close()
    assert "held mentions without events" in caplog.text
    assert _dump(db) == expected
