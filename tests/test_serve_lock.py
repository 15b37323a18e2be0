"""An ingest blocked by a running server says who holds the store and what to do.

Invariants: with ``tidings serve`` running (a real subprocess), ``tidings ingest``
stops at once (a server never lets go, so it does not wait out the lock timeout),
names the server's process and command, points to POST /articles, and says what it
had done; an ingest that a server interrupts between two batches reports the batches
it stored, and a re-run after the server stops completes the store.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from api_helpers import build_store
from tidings.api.serving import served_process
from tidings.errors import StoreLocked

TIDINGS = [sys.executable, "-m", "tidings"]


@contextmanager
def running_server(db: Path, *extra: str) -> Iterator[subprocess.Popen]:
    """``tidings serve`` on ``db`` in its own process, until the block ends."""
    with served_process(db, *extra) as (proc, _url):
        yield proc


def write_articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(
            f"The minister of Freedonia said on Monday that talks number {i} would go on.\n"
        )
    return folder


def test_ingest_names_the_server_and_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    build_store(db)
    docs = write_articles(tmp_path / "in", 2)
    env = {**os.environ, "TIDINGS_LOCK_TIMEOUT": "30"}
    with running_server(db) as server:
        started = time.monotonic()
        run = subprocess.run(
            [*TIDINGS, "ingest", str(docs), "--db", str(db)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        took = time.monotonic() - started
    message = " ".join(run.stderr.split())
    assert run.returncode == 2, run.stderr
    assert took < 25  # gave up at once, not after TIDINGS_LOCK_TIMEOUT
    assert f"process {server.pid}" in message and "tidings serve --db" in message
    assert f"kill {server.pid}" in message and "--allow-ingest" in message
    assert "POST /articles" in message and "Nothing was read or written." in message
    assert "Traceback" not in run.stderr


def test_an_ingest_interrupted_by_a_server_says_what_it_stored(tmp_path: Path) -> None:
    from tidings.cli.store_cmds import _done_before_lock
    from tidings.ingest.normalize import make_article
    from tidings.pipeline import IngestReport, ingest_articles
    from tidings.store import open_store

    db = tmp_path / "t.duckdb"
    build_store(db)
    store = open_store(db, lock_timeout=30)
    articles = [
        make_article(f"Freedonia and Sylvania held talks number {i} on Monday.", origin=f"a{i}")
        for i in range(4)
    ]
    reports: list[IngestReport] = []
    servers: list = []

    def start_a_server_after_the_first_batch(report: IngestReport) -> None:
        if not reports:
            reports.append(report)
        if report.added and not servers:
            servers.append(running_server(db, "--allow-ingest", "--token", "x"))
            servers[0].__enter__()

    try:
        with pytest.raises(StoreLocked, match="POST /articles with its token"):
            ingest_articles(
                iter(articles), store, batch_size=2, progress=start_a_server_after_the_first_batch
            )
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    said = _done_before_lock(reports)
    # how many were read depends on when the lock is met: the look-up of unchanged
    # documents (pipeline._skip_unchanged) meets it before the next batch is counted
    assert re.search(r"read [24] documents, stored 2 \(2 added", said), said
    assert "Run the same command again" in said
    again = ingest_articles(iter(articles), store, batch_size=2)
    assert (again.added, again.unchanged) == (2, 2)  # the re-run completes the store
