"""Acceptance: merging on the merge test corpus, through the real pipeline and coder.

``tests/data/merge_corpus``: 51 reports by invented outlets of 25 real events, with
near-misses that must stay apart, among them directed acts of both sides on the same
day (air strikes and rocket fire, accusations and counter-accusations, expulsions and
the expulsions in return) and joint acts ("A and B agreed", "A and B signed") that are
one event per direction. For each (article, event) we take its *main-event mention*:
the mention with the event's CAMEO root and countries (in its direction, but for the
undirected root 04), nearest its date, and score merging pairwise against
``clusters.json``: two are predicted together when their main mentions share an
``event_id``. A main event the coder missed counts against recall.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from conftest import SHARED
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


def _main_mentions(db: Path, clusters: list[dict]) -> dict[tuple[str, str], dict]:
    """(article id, event key) -> the article's mention of that event (with its counts)."""
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

    def same_sides(m: dict, c: dict) -> bool:
        if c["root"] == "04":  # undirected: either order
            return {m["sc"], m["tc"]} == {c["source"], c["target"]}
        return (m["sc"], m["tc"]) == (c["source"], c["target"])

    main: dict[tuple[str, str], dict] = {}
    for c in clusters:
        day = dt.date.fromisoformat(c["date"])
        for art in c["articles"]:
            cands = [
                m
                for m in by_article.get(art, [])
                if m["root"] in [c["root"], *c.get("alt_roots", [])] and same_sides(m, c)
            ]
            if cands:
                main[(art, c["key"])] = min(
                    cands,
                    key=lambda m: (
                        m["root"] != c["root"],  # the cluster's own root first, then alternatives
                        abs((m["date"] - day).days) if m["date"] else 99,
                        m["sentence"],
                    ),
                )
    return main


def pairwise(
    main: dict[tuple[str, str], dict], clusters: list[dict], *, coded_only: bool = False
) -> tuple[float, float, int, int, int]:
    """Pairwise precision, recall, true positives, predicted pairs, true pairs.

    The items are (article, event) pairs: an article reporting a joint act is in the
    events of both directions, and merging the two directions is a false positive.
    ``coded_only`` scores only pairs whose two items both have a main-event mention:
    merging's own recall, without the coder's misses.
    """
    items = sorted((a, c["key"]) for c in clusters for a in c["articles"])
    items = [i for i in items if i in main or not coded_only]
    tp = pred = gold = 0
    for x, y in itertools.combinations(items, 2):
        same = x[1] == y[1]
        merged = x in main and y in main and main[x]["event_id"] == main[y]["event_id"]
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
    assert precision >= 0.95
    assert coded_recall >= 0.95
    if recall < 0.95 and len(main) < total - 2:
        pytest.xfail(f"needs the coder: main events coded for only {len(main)}/{total} articles")
    assert recall >= 0.95


def test_merged_source_counts(stores: dict[str, Path]) -> None:
    articles, clusters = _load()
    outlet = {a["id"]: a["outlet"] for a in articles}
    main = _main_mentions(stores["all"], clusters)
    checked = wrong = 0
    for c in clusters:
        found = [main[(a, c["key"])] for a in c["articles"] if (a, c["key"]) in main]
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


def test_no_directed_event_is_lost(stores: dict[str, Path]) -> None:
    """Per (source, target, root), the events hold exactly the mentions that had that
    direction before merging (root 04 counts both orders as one pair), and every such
    triple that has mentions has an event."""
    store = open_store(stores["all"], read_only=True)
    with store.session() as con:
        rows = con.execute(
            """
            SELECT m.root, m.source_country, m.target_country,
                   e.root, e.source_country, e.target_country
            FROM mentions m JOIN events e USING (event_id)
            """
        ).fetchall()
        events = con.execute(
            "SELECT root, source_country, target_country, num_mentions FROM events"
        ).fetchall()
    store.close()

    def side(root: str, sc: str | None, tc: str | None) -> tuple:
        pair = (sc or "", tc or "")
        return (root, *sorted(pair)) if root == "04" else (root, *pair)

    before: dict[tuple, int] = {}
    for root, sc, tc, *_ in rows:
        key = side(root, sc, tc)
        before[key] = before.get(key, 0) + 1
    after: dict[tuple, int] = {}
    for root, sc, tc, n in events:
        key = side(root, sc, tc)
        after[key] = after.get(key, 0) + n
    assert before == after
    assert all(side(*r[:3]) == side(*r[3:]) for r in rows)  # no mention in another direction
    directed = [k for k in before if k[0] != "04"]
    assert len(directed) >= 20


def test_seed_phone_call_is_041_trong_to_putin(tmp_path: Path) -> None:
    """The 2024-03-26 call: three reports say Trong held phone talks with Putin (041),
    one says Putin discussed (040); the event is 041, Trong -> Putin, and Trong has
    one actor code on that day in every event."""
    db = tmp_path / "seeds.duckdb"
    store = open_store(db)
    report = pipeline.ingest([SHARED / "seeds"], store)
    assert report.failed == 0
    with store.session() as con:
        calls = con.execute(
            "SELECT cameo, source_name, target_name, num_mentions FROM events "
            "WHERE event_date = DATE '2024-03-26' AND root = '04'"
        ).fetchall()
        codes = con.execute(
            "SELECT DISTINCT code FROM (SELECT source_id AS id, source_code AS code, event_date "
            "FROM events UNION ALL SELECT target_id, target_code, event_date FROM events) "
            "WHERE id = 'nguyen-phu-trong' AND event_date = DATE '2024-03-26'"
        ).fetchall()
    store.close()
    assert [c[:3] for c in calls] == [("041", "Nguyen Phu Trong", "Vladimir Putin")]
    assert calls[0][3] >= 4
    assert len(codes) == 1
