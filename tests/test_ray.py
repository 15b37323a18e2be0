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

    got = snapshot(open_store(db))
    assert got["documents"] == expected["documents"]
    assert got["mentions"] == expected["mentions"]
    assert got["events"] == expected["events"]
    assert got["errors"] == expected["errors"]
