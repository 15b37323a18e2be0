"""Ray's split reading under the hostile-input limits, and ``--parquet`` on every read command.

The split readers (:mod:`tidings.ingest.split`) and the bounded readers
(:mod:`tidings.ingest.limits`, the bounded warcio reader of ``ingest/web.py``) were
written apart; these tests check that a file read in blocks is bounded like a file read
whole (header lines, CSV rows, the total), and that the planner's own pass over a file
holds no more than the readers do. The ``--parquet`` tests build a Ray output folder
from a local store (the layout :mod:`tidings.raymerge` reads), so they need no cluster.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from _scale_corpus import write_corpus
from tidings.cli import app
from tidings.errors import InputError
from tidings.ingest import read_path
from tidings.ingest.limits import Limits
from tidings.ingest.split import Split, plan_splits, read_split
from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA
from tidings.pipeline import ingest
from tidings.store import open_store

SENTENCE = "The foreign minister of Peru met the ambassador of Chile in Lima on {} to talk."


def _page(i: int) -> bytes:
    paras = "".join(f"<p>{SENTENCE.format(f'day {d}')}</p>" for d in (i, i + 1))
    return f"<html><body><article>{paras}</article></body></html>".encode()


def _warc(path: Path, n: int, junk_at: int | None = None, junk_bytes: int = 0) -> Path:
    """``n`` HTML responses; record ``junk_at`` (1-based) has one HTTP header that long."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for i in range(1, n + 1):
            headers = [("Content-Type", "text/html")]
            if i == junk_at:
                headers.append(("X-Padding", "p" * junk_bytes))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(_page(i)),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-02T08:00:00Z"},
            )
            writer.write_record(rec)
    return path


def _read(splits: list[Split], limits: Limits) -> list[object]:
    return [item for split in splits for _pos, item in read_split(split, limits)]


def _errors(items: list[object]) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputError)]


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_warc_block_bounds_header_lines_like_the_whole_archive(
    tmp_path: Path, suffix: str
) -> None:
    path = _warc(tmp_path / f"crawl{suffix}", 40, junk_at=25, junk_bytes=100_000)
    tight = Limits(header_bytes=64 * 1024)
    # planned with room for the long header, so the archive is cut into blocks...
    splits = plan_splits(path, 2_000, Limits(header_bytes=1 << 20))
    assert len(splits) > 3 and all(s.kind == "warc" for s in splits)
    # ...and each block is read under the tight bound, as the whole archive is
    got, whole = _read(splits, tight), list(read_path(path, limits=tight))
    bomb = f"{path}#25: a header line over 65,536 bytes (a bomb or a corrupt archive)"
    assert [e for e in _errors(got) if "header line" in e] == [bomb + "; reading stopped"]
    assert _errors(whole) == [bomb + "; reading stopped"]
    # the whole reader stops at the bomb; the blocks after it are read on their own
    articles = [a.origin for a in got if not isinstance(a, InputError)]
    assert articles[:24] == [a.origin for a in whole if not isinstance(a, InputError)]
    assert f"{path}#24" in articles and f"{path}#26" not in articles[:24]


def test_the_planner_never_holds_a_header_bomb(tmp_path: Path) -> None:
    """Planning runs warcio through the bounded reader: the file stays whole."""
    path = _warc(tmp_path / "crawl.warc.gz", 30, junk_at=10, junk_bytes=200_000)
    splits = plan_splits(path, 4_000, Limits(header_bytes=64 * 1024))
    assert splits == [Split(str(path))]
    assert plan_splits(path, 4_000, Limits(header_bytes=1 << 20))[1:]  # room: cut


def test_a_warc_block_stops_at_the_total_limit(tmp_path: Path) -> None:
    path = _warc(tmp_path / "crawl.warc.gz", 40)
    splits = plan_splits(path, 4_000, Limits())
    assert len(splits) > 2
    items = list(read_split(splits[0], Limits(total_bytes=5_000)))
    assert [str(e) for _p, e in items if isinstance(e, InputError)] == [
        f"{path}: reading stopped: over the 5,000-byte limit on what one input may "
        "decompress to (use --max-total-bytes)"
    ]


def test_a_file_over_the_total_is_read_whole_and_stops_there(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": SENTENCE.format(f"day {i}")}) for i in range(200)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    limits = Limits(total_bytes=path.stat().st_size - 1)
    assert len(plan_splits(path, 2_000, Limits())) > 3
    splits = plan_splits(path, 2_000, limits)
    assert splits == [Split(str(path))]
    got = _read(splits, limits)
    assert _errors(got) == _errors(list(read_path(path, limits=limits)))
    assert "--max-total-bytes" in _errors(got)[-1]


def test_the_csv_planner_never_holds_an_oversized_row(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    rows = [f'{i},"{SENTENCE.format(i)}"' for i in range(300)]
    rows[150] = f'150,"{"x" * 50_000}"'
    path.write_text("id,text\n" + "\n".join(rows) + "\n", "utf-8")
    small = Limits(record_bytes=10_000)
    assert len(plan_splits(path, 4_000, Limits())) > 3
    assert plan_splits(path, 4_000, small) == [Split(str(path), "whole")]
    got = [str(i) for i in _read(plan_splits(path, 4_000, small), small)]
    assert got == [str(i) for i in read_path(path, limits=small)]
    assert "50,007 bytes is over the 10,000-byte limit" in got[-1]


def test_the_ray_read_stage_applies_the_total_limit(tmp_path: Path) -> None:
    """--max-total-bytes reaches the Ray read tasks (a gzip bomb stops there)."""
    pytest.importorskip("ray")
    from tidings.raycoder import _read_files

    bomb = tmp_path / "feed.jsonl.gz"
    line = json.dumps({"text": SENTENCE.format("Monday")}) + "\n"
    bomb.write_bytes(gzip.compress(line.encode() * 5_000))
    item = {"file_no": 0, **{k: getattr(Split(str(bomb)), k) for k in Split.__slots__}}
    tables = list(_read_files(pa.Table.from_pylist([item]), Limits(total_bytes=20_000)))
    rows = pa.concat_tables(tables).to_pylist()
    errors = [r["message"] for r in rows if r["kind"] == "error"]
    assert 0 < len(rows) - 1 < 5_000
    assert errors == [
        "reading stopped: over the 20,000-byte limit on what one input may decompress to "
        "(use --max-total-bytes)"
    ]


def test_ray_ingest_checks_max_total_bytes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ingest", str(tmp_path), "--engine", "ray", "--max-total-bytes", "lots"]
    )
    assert result.exit_code == 2 and "--max-total-bytes" in result.output


# --------------------------------------------------------------------------- --parquet


def _ray_folder(db: Path, out: Path) -> None:
    """The store's documents, mentions and events in the layout of a Ray output folder."""
    mention_cols = ", ".join(f'"{c}"' for c in MENTION_SCHEMA.names if c != "event_id")
    event_cols = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
    for sub in ("documents", "mentions/year=2024", "events", "event_links"):
        (out / sub).mkdir(parents=True)
    con = duckdb.connect(str(db), read_only=True)
    copies = {
        "documents/part-0.parquet": "SELECT *, 0::BIGINT AS seq FROM documents",
        "mentions/year=2024/part-0.parquet": (
            f"SELECT {mention_cols}, 0::BIGINT AS seq FROM mentions"
        ),
        "event_links/part-0.parquet": "SELECT mention_id, 0::BIGINT AS seq, event_id FROM mentions",
        "events/part-0.parquet": f"SELECT {event_cols} FROM events",
    }
    for name, sql in copies.items():
        con.execute(f"COPY ({sql}) TO '{out / name}' (FORMAT parquet)")
    con.close()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("parquet")
    db = root / "local.duckdb"
    store = open_store(db)
    ingest([write_corpus(root / "corpus", n=24)], store)
    store.close()
    _ray_folder(db, root / "out")
    return db, root / "out"


@pytest.mark.parametrize("command", ["chart", "report"])
def test_chart_and_report_read_a_ray_folder(
    stores: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    db, out = stores
    runner = CliRunner()
    said = []
    for name, source in (("a", ["--db", str(db)]), ("b", ["--parquet", str(out)])):
        target = tmp_path / f"{name}.html"
        args = [command, "--all", "-o", str(target), "--plotly-js", "cdn", *source]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 2_000
        said.append(result.stderr.replace(str(target), "FILE"))
    assert said[0] == said[1]


def test_events_from_a_ray_folder_equal_the_store(stores: tuple[Path, Path]) -> None:
    db, out = stores
    runner = CliRunner()
    args = ["events", "--all", "--limit", "0", "-f", "csv"]
    a = runner.invoke(app, [*args, "--db", str(db)])
    b = runner.invoke(app, [*args, "--parquet", str(out)])
    assert a.exit_code == b.exit_code == 0, b.output
    assert a.stdout == b.stdout and a.stdout.count("\n") > 10


@pytest.mark.parametrize("command", ["events", "export", "timeline", "chart", "report"])
def test_no_match_in_a_ray_folder_names_the_folder(
    stores: tuple[Path, Path], tmp_path: Path, command: str
) -> None:
    _db, out = stores
    args = [command, "--parquet", str(out), "--since", "2099-01-01", "-o", str(tmp_path / "x")]
    if command in ("events", "export"):
        args += ["-f", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    said = " ".join(result.stderr.split())
    assert "No events match." in said and f"{out} holds" in said
    assert not (tmp_path / "x").exists()
