"""Acceptance: merging on the merge test corpus, through the real pipeline and coder.

``tests/data/merge_corpus``: 35 reports by invented outlets of 15 real events, with
near-misses that must stay apart. For each article we take its *main-event mention*
(the mention with the cluster's CAMEO root and country pair, nearest its date) and
score merging pairwise against ``clusters.json``: two articles are predicted together
when their main mentions share an ``event_id``. An article whose main event the coder
missed counts against recall.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tidings import pipeline
from tidings.store import open_store

CORPUS = Path(__file__).resolve().parent / "data" / "merge_corpus"


def _load() -> tuple[list[dict], list[dict]]:
    articles = [json.loads(x) for x in (CORPUS / "articles.jsonl").read_text().splitlines() if x]
    clusters = json.loads((CORPUS / "clusters.json").read_text())["events"]
    return articles, clusters


def _ingest(tmp: Path, name: str, parts: list[list[dict]]) -> Path:
    db = tmp / f"{name}.duckdb"
    store = open_store(db)
    for i, part in enumerate(parts):
        path = tmp / f"{name}-{i}.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in part))
        report = pipeline.ingest([path], store)
        assert report.failed == 0
    store.close()
    return db


def _state(db: Path) -> tuple[list, list]:
    store = open_store(db, read_only=True)
    with store.session() as con:
        events = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
        links = con.execute(
            "SELECT mention_id, event_id FROM mentions ORDER BY mention_id"
        ).fetchall()
    store.close()
    return events, links


def _main_mentions(db: Path, clusters: list[dict]) -> dict[str, dict]:
    """article id -> its main-event mention (with the merged event's counts)."""
    store = open_store(db, read_only=True)
    with store.session() as con:
        rows = con.execute(
            """
            SELECT regexp_extract(d.url, '/([^/]+)$', 1) AS article, m.root,
                   m.source_country, m.target_country, m.event_date, m.sentence_index,
                   m.mention_id, m.event_id, e.num_sources, e.num_articles
            FROM mentions m JOIN documents d USING (doc_id)
            JOIN events e ON e.event_id = m.event_id
            """
        ).fetchall()
    store.close()
    cols = "article root sc tc date sentence mention_id event_id num_sources num_articles".split()
    by_article: dict[str, list[dict]] = {}
    for r in rows:
        by_article.setdefault(r[0], []).append(dict(zip(cols, r, strict=True)))
    import datetime as dt

    main: dict[str, dict] = {}
    for c in clusters:
        day = dt.date.fromisoformat(c["date"])
        pair = {c["source"], c["target"]}
        for art in c["articles"]:
            cands = [
                m
                for m in by_article.get(art, [])
                if m["root"] in [c["root"], *c.get("alt_roots", [])] and {m["sc"], m["tc"]} == pair
            ]
            if cands:
                main[art] = min(
                    cands,
                    key=lambda m: (
                        m["root"] != c["root"],  # the cluster's own root first, then alternatives
                        abs((m["date"] - day).days) if m["date"] else 99,
                        m["sentence"],
                    ),
                )
    return main


def pairwise(
    main: dict[str, dict], clusters: list[dict], *, coded_only: bool = False
) -> tuple[float, float, int, int, int]:
    """Pairwise precision, recall, true positives, predicted pairs, true pairs.

    ``coded_only`` scores only pairs whose two articles both have a main-event mention:
    merging's own recall, without the coder's misses.
    """
    truth = {a: c["key"] for c in clusters for a in c["articles"]}
    arts = sorted(a for a in truth if a in main or not coded_only)
    tp = pred = gold = 0
    for a, b in itertools.combinations(arts, 2):
        same = truth[a] == truth[b]
        merged = a in main and b in main and main[a]["event_id"] == main[b]["event_id"]
        gold += same
        pred += merged
        tp += same and merged
    return (tp / pred if pred else 1.0), (tp / gold if gold else 1.0), tp, pred, gold


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("merge")
    articles, _ = _load()
    first, second = articles[::2], articles[1::2]  # every event split across halves
    return {
        "all": _ingest(tmp, "all", [articles]),
        "twice": _ingest(tmp, "twice", [articles, articles]),
        "halves": _ingest(tmp, "halves", [first, second]),
        "reversed": _ingest(tmp, "reversed", [second, first]),
    }


def test_merge_precision_and_recall(stores: dict[str, Path]) -> None:
    _, clusters = _load()
    main = _main_mentions(stores["all"], clusters)
    precision, recall, tp, pred, gold = pairwise(main, clusters)
    _, coded_recall, ctp, _, cgold = pairwise(main, clusters, coded_only=True)
    total = sum(len(c["articles"]) for c in clusters)
    print(
        f"\nmerge corpus: pairwise precision {precision:.3f} ({tp}/{pred}), "
        f"recall {recall:.3f} ({tp}/{gold}); recall over coded pairs {coded_recall:.3f} "
        f"({ctp}/{cgold}); main events coded for {len(main)}/{total} articles"
    )
    # merging itself: never joins different events, always joins coded reports of one
    assert pred >= 5 and cgold >= 5
    assert precision >= 0.9
    assert coded_recall >= 0.9
    if recall < 0.9 and len(main) < total - 2:
        pytest.xfail(f"needs the coder: main events coded for only {len(main)}/{total} articles")
    assert recall >= 0.9


def test_merged_source_counts(stores: dict[str, Path]) -> None:
    articles, clusters = _load()
    outlet = {a["id"]: a["outlet"] for a in articles}
    main = _main_mentions(stores["all"], clusters)
    checked = wrong = 0
    for c in clusters:
        found = [main[a] for a in c["articles"] if a in main]
        if len(found) != len(c["articles"]) or len({m["event_id"] for m in found}) != 1:
            continue  # the coder missed a report, or merging split it: scored above
        checked += 1
        expected = len({outlet[a] for a in c["articles"]})
        wrong += found[0]["num_sources"] < expected  # other reports may add sources
        assert found[0]["num_articles"] >= len(c["articles"])
    print(f"\nsource counts checked on {checked} fully coded events, {wrong} wrong")
    assert checked >= 4 and wrong == 0


def test_ingesting_twice_or_in_halves_gives_the_same_events(stores: dict[str, Path]) -> None:
    base = _state(stores["all"])
    assert base[0], "no events at all"
    for name in ("twice", "halves", "reversed"):
        assert _state(stores[name]) == base, name
