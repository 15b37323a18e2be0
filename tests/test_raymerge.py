"""The pieces of the cluster merge that need no cluster: which document versions are
kept, and merging a table of several partitions at once.

The Ray tests (``test_ray.py``) check the whole run on a two-node cluster; these check
the rules it rests on against the local store directly, in a second.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from _scale_corpus import write_corpus
from tidings import dedup
from tidings.ingest.normalize import make_article
from tidings.model import MENTION_SCHEMA
from tidings.pipeline import ingest
from tidings.raymerge import merge_table, superseded_sql
from tidings.store import open_store

#: (doc, text, published) in input order: the same page sent several times
VERSIONS = [
    ("same", "Chile thanked Peru.", "2024-01-01"),
    ("same", "Chile thanked Peru.", "2024-01-05"),  # same text again: left alone
    ("new", "Kenya warned Uganda.", "2024-01-01"),
    ("new", "Kenya warned Uganda twice.", "2024-01-02"),  # an update: replaces
    ("back", "Poland met Lithuania.", "2024-01-01"),
    ("back", "Poland met Lithuania again.", "2024-01-02"),
    ("back", "Poland met Lithuania.", "2024-01-03"),  # back to the first text: replaces
    ("run", "Mali hosted Niger.", "2024-01-01"),
    ("run", "Mali hosted Niger today.", "2024-01-02"),
    ("run", "Mali hosted Niger today.", "2024-01-03"),  # the update's copy: left alone
    ("once", "Chad praised Sudan.", "2024-01-01"),
]


def test_kept_versions_are_the_ones_the_store_keeps(tmp_path: Path) -> None:
    articles = []
    for doc, text, day in VERSIONS:
        a = make_article(
            text, url=f"https://example.org/{doc}", published=dt.date.fromisoformat(day)
        )
        articles.append(a)
    # the store, fed one version per batch in input order
    store = open_store(tmp_path / "s.duckdb")
    for a in articles:
        store.write_batch([a], {})
    kept_by_store = sorted(
        (doc_id, published)
        for doc_id, published in store.connection.execute(
            "SELECT doc_id, published FROM documents"
        ).fetchall()
    )
    store.close()
    # the rule, in SQL over (doc_id, seq, text_hash)
    table = pa.table(
        {
            "doc_id": [a.doc_id for a in articles],
            "seq": list(range(len(articles))),
            "text_hash": [a.text_hash for a in articles],
            "published": [a.published for a in articles],
        }
    )
    con = duckdb.connect()
    con.register("docs", table)
    kept = sorted(
        con.execute(
            f"SELECT doc_id, published FROM docs ANTI JOIN ({superseded_sql('docs')}) s "
            "USING (doc_id, seq)"
        ).fetchall()
    )
    assert kept == kept_by_store and len(kept) == 5
    days = {d.isoformat() for _, d in kept}
    assert days == {"2024-01-01", "2024-01-02", "2024-01-03"}


def test_merge_table_equals_the_reference_merge(tmp_path: Path) -> None:
    store = open_store(tmp_path / "local.duckdb")
    ingest([write_corpus(tmp_path / "c", n=40)], store)
    cols = ", ".join(f'm."{c}"' for c in MENTION_SCHEMA.names)
    con = store.connection
    mentions = con.sql(
        f"SELECT {cols}, d.url, 0::BIGINT AS seq FROM mentions m JOIN documents d USING (doc_id)"
    ).to_arrow_table()
    keyed = mentions.append_column("merge_key", dedup.partition_keys(mentions))
    # rows in any order, several partitions in one table: as one merge task gets them
    keyed = keyed.take(pa.array(list(range(keyed.num_rows))[::-1]))
    links, events, partitions, _ = merge_table(keyed)
    mapping, expected = dedup.merge_mentions(mentions)
    assert partitions == len(set(keyed.column("merge_key").to_pylist())) > 5
    assert sorted(events.to_pylist(), key=lambda e: e["event_id"]) == sorted(
        expected.to_pylist(), key=lambda e: e["event_id"]
    )
    ids, evs = links.column("mention_id").to_pylist(), links.column("event_id").to_pylist()
    assert dict(zip(ids, evs, strict=True)) == mapping
    stored = dict(con.execute("SELECT mention_id, event_id FROM mentions").fetchall())
    assert stored == mapping
    store.close()
