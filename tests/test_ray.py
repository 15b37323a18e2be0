"""``--engine ray``: Ray Data on a local two-node cluster gives the single-process store.

The cluster test starts a real Ray cluster of two nodes (one CPU each) in this process,
runs ``tidings ingest --engine ray --address ... --output DIR --db STORE``, and checks
that the Parquet output is queryable by DuckDB as written and that the store equals the
one the ordinary ``tidings ingest`` makes from the same files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from _scale_corpus import snapshot, write_corpus
from tidings import export
from tidings.cli import app
from tidings.errors import MissingExtra
from tidings.pipeline import ingest
from tidings.store import open_store


def test_missing_ray_gives_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tidings import raycoder

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(MissingExtra, match=r"pip install 'tidings\[ray\]'"):
        raycoder.require_ray()
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'tidings[ray]'" in result.output
    assert "Traceback" not in result.output


def test_engine_options_are_checked(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 2 and "use local or ray" in result.output
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2 and "--engine ray" in result.output


def test_output_folder_must_be_new_or_empty(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    from tidings.errors import TidingsError
    from tidings.raycoder import ray_ingest

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.parquet").write_bytes(b"x")
    with pytest.raises(TidingsError, match="not empty"):
        ray_ingest([tmp_path], tmp_path / "out")


@pytest.fixture(scope="module")
def cluster():
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    small = 75 * 1024 * 1024
    c = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "include_dashboard": False, "object_store_memory": small},
    )
    c.add_node(num_cpus=1, object_store_memory=small)
    ray.init(address=c.address, log_to_driver=False, include_dashboard=False)
    try:
        yield c
    finally:
        ray.shutdown()
        c.shutdown()


@pytest.mark.slow
def test_ray_cluster_same_events_as_single_process(cluster, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", n=60)
    single = open_store(tmp_path / "single.duckdb")
    report = ingest([corpus], single, batch_size=25)
    expected = snapshot(single)
    assert report.failed == 1 and len(expected["events"]) > 40

    out = tmp_path / "parquet"
    db = tmp_path / "ray.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(corpus),
            "--engine",
            "ray",
            "--address",
            cluster.address,
            "--output",
            str(out),
            "--db",
            str(db),
            "--batch-size",
            "25",
        ],
    )
    assert result.exit_code == 1, result.output  # broken.json, as in the single path
    assert "broken.json" in result.output and "66 documents" in result.output

    # the Parquet output, queried directly by DuckDB with hive partitions
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT year, month, count(*) FROM read_parquet('{out}/mentions/**/*.parquet', "
        "hive_partitioning=true) GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert sum(n for _, _, n in rows) >= len(expected["mentions"])
    months = {(y, m) for y, m, _ in rows}
    assert (2024, 1) in months and (2024, 2) in months and all(y == 2024 for y, _ in months)
    # one row per input article: keep each page's latest version, as the store does
    ids = con.execute(
        f"""
        WITH latest AS (SELECT doc_id, max(seq) AS seq
                        FROM read_parquet('{out}/documents/*.parquet') GROUP BY doc_id)
        SELECT mention_id FROM read_parquet('{out}/mentions/**/*.parquet')
        SEMI JOIN latest USING (doc_id, seq) ORDER BY 1
        """
    ).fetchall()
    assert [i[0] for i in ids] == [m[0] for m in expected["mentions"]]
    docs = con.execute(
        f"SELECT count(*), count(DISTINCT doc_id) FROM read_parquet('{out}/documents/*.parquet')"
    ).fetchone()
    assert docs == (66, 65)  # one page came twice; the store keeps its later version

    # merged on the cluster too (--output was kept): the same events, the re-sent page
    # counted in its later version only
    assert _ray_events(out) == _local_events_of(single)

    got = snapshot(open_store(db))
    assert got["documents"] == expected["documents"]
    assert got["mentions"] == expected["mentions"]
    assert got["events"] == expected["events"]
    assert got["errors"] == expected["errors"]


# --------------------------------------------------------------------------- issue 15

_DENSE_PAIRS = [("Chile", "Peru"), ("Kenya", "Uganda"), ("Poland", "Lithuania")]
_DENSE_ACTS = [
    "{a} met {b} in the capital on {d} to discuss the border.",
    "{a} sharply criticised {b} on {d} over the fishing dispute.",
    "{a} signed a water agreement with {b} on {d}.",
    "{a} and {b} agreed on {d} to reopen the crossing.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def write_dense_corpus(path: Path, n: int = 2000, seed: int = 11) -> Path:
    """``n`` one-line reports (one JSONL file) about three dyads over ten weeks.

    Many outlets report the same few acts on nearby days, in both directions, so most
    partitions hold dozens of mentions and several 28-day bucket edges are crossed.
    Written for this test.
    """
    import datetime as dt
    import json
    import random

    rng = random.Random(seed)
    start = dt.date(2024, 2, 26)
    lines = []
    for i in range(n):
        a, b = rng.choice(_DENSE_PAIRS)
        if rng.random() < 0.5:
            a, b = b, a
        text = rng.choice(_DENSE_ACTS).format(a=a, b=b, d=rng.choice(_WEEKDAYS))
        day = start + dt.timedelta(days=5 * rng.randrange(14))  # 14 news days
        outlet = f"outlet{rng.randrange(40)}.example"
        # every report has its own URL: syndicated copies of one text stay separate
        # documents (without a URL they would share a text-derived id)
        record = {"text": text, "date": day.isoformat(), "source": outlet}
        record["url"] = f"https://{outlet}/{i}"
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _local_events(paths: list[Path], db: Path) -> tuple[list, list]:
    store = open_store(db)
    ingest([str(p) for p in paths], store, batch_size=200)
    return _local_events_of(store)


def _local_events_of(store) -> tuple[list, list]:
    """(events, (mention_id, event_id) links) of ``store``, sorted; closes it."""
    from tidings.model import EVENT_SCHEMA

    cols = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
    con = store.connection
    events = con.execute(f"SELECT {cols} FROM events ORDER BY event_id").fetchall()
    links = con.execute("SELECT mention_id, event_id FROM mentions ORDER BY 1").fetchall()
    store.close()
    return events, links


def _ray_events(out: Path) -> tuple[list, list]:
    from tidings.raymerge import open_output

    return _local_events_of(open_output(out))


def _summary(events: list) -> list[tuple]:
    """(date, source, target, code, mentions, sources, articles) per event, sorted."""
    from tidings.model import EVENT_SCHEMA

    at = {name: i for i, name in enumerate(EVENT_SCHEMA.names)}
    keys = ("event_date", "source_id", "target_id", "cameo")
    counts = ("num_mentions", "num_sources", "num_articles")
    return sorted(tuple(e[at[k]] for k in keys + counts) for e in events)


@pytest.mark.slow
def test_big_jsonl_is_split_and_merged_like_the_local_store(cluster, tmp_path: Path) -> None:
    from tidings.raycoder import ray_ingest

    path = write_dense_corpus(tmp_path / "dense.jsonl")
    run = ray_ingest([path], tmp_path / "out", partitions=3)
    # one 2,000-line file: read as several blocks, coded as several tasks
    assert run.files == 1 and run.read_tasks >= 2 and run.coded_blocks >= 2
    assert run.articles == 2000 and not run.errors
    assert run.merge.merge_tasks == 3 and run.merge.partitions > 20

    expected, expected_links = _local_events([path], tmp_path / "local.duckdb")
    got, got_links = _ray_events(tmp_path / "out")
    assert len(expected) > 50 and max(e[24] for e in expected) >= 8  # dense: big events
    assert len({e[1] for e in expected}) > 20  # dated over weeks, across bucket edges
    assert _summary(got) == _summary(expected)
    assert got == expected  # every column, ids included
    assert got_links == expected_links


@pytest.mark.slow
def test_demo_corpus_events_equal_local_and_read_with_parquet(cluster, tmp_path: Path) -> None:
    from importlib import resources

    from tidings.raycoder import ray_ingest

    demo = Path(str(resources.files("tidings") / "data" / "demo" / "articles"))
    out = tmp_path / "out"
    ray_ingest([demo], out)
    expected, expected_links = _local_events([demo], tmp_path / "local.duckdb")
    got, got_links = _ray_events(out)
    assert len(expected) > 50
    assert _summary(got) == _summary(expected)
    assert got == expected and got_links == expected_links

    # the read commands take the folder directly: events, export, timeline
    runner = CliRunner()
    local = ["--db", str(tmp_path / "local.duckdb")]
    folder = ["--parquet", str(out)]
    for args in (
        ["events", "--limit", "0", "--format", "csv", "--all"],
        ["events", "--mentions", "--limit", "0", "--format", "jsonl", "--all"],
        ["timeline", "--all", "--format", "json"],
    ):
        a = runner.invoke(app, [*args, *local])
        b = runner.invoke(app, [*args, *folder])
        assert a.exit_code == 0 and b.exit_code == 0, b.output
        assert a.stdout == b.stdout and len(b.stdout) > 1000
    for name, args in (("a.tsv", local), ("b.tsv", folder)):
        result = runner.invoke(app, ["export", "-f", "gdelt", "-o", str(tmp_path / name), *args])
        assert result.exit_code == 0, result.output
    # the same rows, but for DATEADDED (when each engine stored the documents)
    added = export.GDELT_COLUMNS.index("DATEADDED")

    def rows(name: str) -> list[list[str]]:
        lines = (tmp_path / name).read_text().splitlines()
        return [line.split("\t")[:added] + line.split("\t")[added + 1 :] for line in lines]

    assert rows("a.tsv") == rows("b.tsv")

    result = runner.invoke(app, ["events", "--parquet", str(tmp_path)])
    assert result.exit_code == 2 and "no events/ folder" in result.output


@pytest.mark.slow
def test_serve_reads_a_ray_output_folder(cluster, tmp_path: Path) -> None:
    import json
    import urllib.request

    from api_helpers import serve
    from tidings.api import create_app
    from tidings.raycoder import ray_ingest
    from tidings.raymerge import view_file

    corpus = write_corpus(tmp_path / "corpus", n=20)
    out = tmp_path / "out"
    run = ray_ingest([corpus], out)
    with serve(create_app(view_file(out))) as url:
        with urllib.request.urlopen(f"{url}/events?limit=100") as resp:
            body = json.load(resp)
        first = body["events"][0]["event_id"]
        with urllib.request.urlopen(f"{url}/events/{first}") as resp:
            detail = json.load(resp)
    assert 5 < body["total"] <= run.merge.events
    assert detail["event_id"] == first and detail["mentions"]
