"""``--workers N``: coding in processes gives exactly the store one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from _scale_corpus import snapshot, write_corpus
from tidings.cli import app
from tidings.errors import InputError, TidingsError
from tidings.ingest import iter_articles
from tidings.parallel import ParallelCoder
from tidings.pipeline import ingest, ingest_articles
from tidings.store import open_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"), n=80)


@pytest.fixture(scope="module")
def one_worker(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    store = open_store(tmp_path_factory.mktemp("w1") / "one.duckdb")
    report = ingest([corpus], store, batch_size=20, workers=1)
    assert report.read == 86 and report.failed == 1 and report.mentions > 80
    return snapshot(store)


def test_two_workers_same_store_streaming_and_in_order(
    corpus: Path, one_worker: dict, tmp_path: Path
) -> None:
    pulled = 0
    in_order: list[str] = []

    def counted():
        nonlocal pulled
        for item in iter_articles([corpus]):
            pulled += 1
            yield item

    ahead: list[int] = []
    store = open_store(tmp_path / "two.duckdb")
    with ParallelCoder(None, 2, chunk_size=3, max_in_flight=2) as pool:

        def stream():
            for item in pool.stream(counted()):
                ahead.append(pulled - len(in_order))
                in_order.append(item.where if isinstance(item, InputError) else item.doc_id)
                yield item

        report = ingest_articles(stream(), store, batch_size=20, coder=pool.code_batch)
    assert report.read == 86 and report.failed == 1
    # the reader never runs more than the in-flight chunks (plus one filling) ahead
    assert max(ahead) <= 2 * 3 + 3
    expected = [a.where if isinstance(a, InputError) else a.doc_id for a in iter_articles([corpus])]
    assert in_order == expected
    assert pool._done == {}  # every result was handed to the writer
    assert snapshot(store) == one_worker


def test_cli_workers_matches_one_worker(
    corpus: Path, one_worker: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the wiring is under test here (spawned workers are above): forked workers start
    # with this process's loaded tables, which saves seconds
    monkeypatch.setattr("tidings.parallel.START_METHOD", "fork")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", str(corpus), "--db", str(db), "--workers", "2", "--batch-size", "20", "-q"]
    )
    assert result.exit_code == 1, result.output  # broken.json failed, the rest went in
    assert "broken.json" in result.output
    got = snapshot(open_store(db))
    assert got["events"] == one_worker["events"]
    assert got["mentions"] == one_worker["mentions"]
    assert got == one_worker


def test_bad_worker_count() -> None:
    with pytest.raises(TidingsError, match="at least 1"):
        ParallelCoder(None, 0)
    result = CliRunner().invoke(app, ["ingest", ".", "--workers", "0"])
    assert result.exit_code == 2


def test_articles_not_streamed_are_coded_in_place() -> None:
    from tidings.ingest import make_article

    article = make_article("France met Germany in Paris on Monday.", published=None)
    coder = ParallelCoder(None, 1)  # not entered: no processes are started
    [(same, mentions)] = coder.code_batch([article])
    assert same is article and isinstance(mentions, list)
