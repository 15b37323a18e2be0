"""Merging mentions into events: hand-built mentions, a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import itertools

import duckdb
import pyarrow as pa
import pytest

from tidings import dedup
from tidings.dedup import _run
from tidings.model import ARTICLE_SCHEMA, EVENT_SCHEMA, MENTION_SCHEMA, Mention, mentions_to_arrow

D = dt.date(2024, 6, 19)
_ids = itertools.count()

PEOPLE = {
    "putin": ("Vladimir Putin", "RUS"),
    "trong": ("Nguyen Phu Trong", "VNM"),
    "lavrov": ("Sergey Lavrov", "RUS"),
    "xi": ("Xi Jinping", "CHN"),
    "biden": ("Joe Biden", "USA"),
    "VNM": ("Vietnam", "VNM"),
    "RUS": ("Russia", "RUS"),
}


def mention(
    src: str = "putin",
    tgt: str = "trong",
    day: int = 0,
    *,
    exact: bool = True,
    cameo: str = "040",
    doc: str | None = None,
    outlet: str | None = "Outlet A",
    published: dt.date | None = None,
    confidence: float = 0.8,
    mid: str | None = None,
    symmetric: bool = False,
) -> Mention:
    n = next(_ids)
    sname, sc = PEOPLE[src]
    tname, tc = PEOPLE[tgt]
    date = D + dt.timedelta(days=day)
    return Mention(
        mention_id=mid or f"m{n:04d}",
        doc_id=doc or f"d{n:04d}",
        sentence_index=0,
        sentence_start=0,
        sentence_end=40,
        sentence=f"{sname} did {cameo} with {tname} (#{n}).",
        trigger="met",
        trigger_start=0,
        trigger_end=3,
        source_name=sname,
        source_id=src,
        source_code=sc + "GOV",
        source_country=sc,
        source_role="GOV",
        source_start=0,
        source_end=5,
        target_name=tname,
        target_id=tgt,
        target_code=tc + "GOV",
        target_country=tc,
        target_role="GOV",
        target_start=10,
        target_end=15,
        cameo=cameo,
        root=cameo[:2],
        cameo_name="name",
        goldstein=1.0,
        quad_class=1,
        plover_type="CONSULT",
        plover_mode=None,
        symmetric=symmetric,
        event_date=date,
        date_exact=exact,
        date_reason="test",
        published=published or date + dt.timedelta(days=1),
        domestic=False,
        rule="test",
        confidence=confidence,
        coder_version="t",
        outlet=outlet,
    )


def clusters(mentions: list[Mention]) -> set[frozenset[str]]:
    mapping, events = dedup.merge_mentions(mentions_to_arrow(mentions))
    assert events.num_rows == len(set(mapping.values()))
    groups: dict[str, set[str]] = {}
    for m, e in mapping.items():
        groups.setdefault(e, set()).add(m)
    return {frozenset(g) for g in groups.values()}


def test_same_call_reported_by_many_outlets_is_one_event() -> None:
    ms = [mention(day=d, outlet=f"O{i}", exact=d == 0) for i, d in enumerate([0, 0, 1, 2, 3])]
    mapping, events = dedup.merge_mentions(mentions_to_arrow(ms))
    assert events.num_rows == 1
    ev = events.to_pylist()[0]
    assert ev["num_mentions"] == 5 and ev["num_sources"] == 5 and ev["num_articles"] == 5
    assert ev["event_date"] == D  # the exact dates' mode wins over the inexact ones
    assert ev["date_exact"] is True
    assert ev["first_reported"] == D + dt.timedelta(days=1)
    assert set(mapping) == {m.mention_id for m in ms}


def test_undirected_consultation_merges_both_orientations() -> None:
    a = mention("putin", "trong", cameo="042")
    b = mention("trong", "putin", cameo="043")
    assert len(clusters([a, b])) == 1


def test_directed_codes_do_not_merge_reversed() -> None:
    a = mention("putin", "trong", cameo="112")
    b = mention("trong", "putin", cameo="112")
    assert len(clusters([a, b])) == 2


def test_calls_a_month_apart_stay_apart() -> None:
    a = mention(day=0)
    b = mention(day=30)
    c = mention(day=31, exact=False)
    assert clusters([a, b, c]) == {
        frozenset({a.mention_id}),
        frozenset({b.mention_id, c.mention_id}),
    }


def test_one_leader_two_counterparts_same_day_stay_apart() -> None:
    a = mention("putin", "trong")
    b = mention("putin", "xi")
    c = mention("xi", "putin")
    assert clusters([a, b, c]) == {
        frozenset({a.mention_id}),
        frozenset({b.mention_id, c.mention_id}),
    }


def test_different_people_of_same_countries_stay_apart_but_country_joins() -> None:
    a = mention("putin", "trong")
    b = mention("lavrov", "trong")
    c = mention("RUS", "VNM")  # country-level: joins one of them, never bridges both
    result = clusters([a, b, c])
    assert len(result) == 2
    assert frozenset({a.mention_id}) in result or frozenset({b.mention_id}) in result


def test_different_roots_stay_apart() -> None:
    assert len(clusters([mention(cameo="040"), mention(cameo="051")])) == 2


@pytest.mark.parametrize(
    ("exact_a", "exact_b", "gap", "merged"),
    [
        (True, True, 1, True),
        (True, True, 2, False),
        (True, False, 3, True),
        (True, False, 4, False),
        (False, False, 5, True),
        (False, False, 6, False),
    ],
)
def test_date_window_depends_on_exactness(
    exact_a: bool, exact_b: bool, gap: int, merged: bool
) -> None:
    a = mention(day=0, exact=exact_a)
    b = mention(day=gap, exact=exact_b)
    assert (len(clusters([a, b])) == 1) is merged


def test_sources_fall_back_to_url_host_then_doc() -> None:
    ms = [
        mention(outlet=None, doc="x1"),
        mention(outlet=None, doc="x2"),
        mention(outlet=None, doc="x3"),
    ]
    ms.append(mention(outlet="reuters ", doc="x4"))
    ms.append(mention(outlet="Reuters", doc="x5"))
    table = mentions_to_arrow(ms).append_column(
        "url",
        pa.array(["https://www.a.com/1", "https://a.com/2", None, None, None], pa.string()),
    )
    _, events = dedup.merge_mentions(table)
    ev = events.to_pylist()[0]
    assert ev["num_sources"] == 3  # a.com, doc x3, reuters
    assert ev["num_articles"] == 5


def test_same_article_mentions_count_once_as_article() -> None:
    ms = [mention(doc="same"), mention(doc="same", day=1)]
    ev = dedup.merge_mentions(mentions_to_arrow(ms))[1].to_pylist()[0]
    assert (ev["num_mentions"], ev["num_articles"], ev["num_sources"]) == (2, 1, 1)


def test_best_mention_prefers_exact_then_confidence() -> None:
    a = mention(exact=False, confidence=0.99)
    b = mention(exact=True, confidence=0.6)
    c = mention(exact=True, confidence=0.9)
    ev = dedup.merge_mentions(mentions_to_arrow([a, b, c]))[1].to_pylist()[0]
    assert ev["best_mention_id"] == c.mention_id
    assert ev["evidence"] == c.sentence
    assert ev["doc_id"] == c.doc_id


def test_confidence_grows_with_sources_and_exactness() -> None:
    one = dedup.merge_mentions(mentions_to_arrow([mention(confidence=0.7)]))[1]
    two = dedup.merge_mentions(
        mentions_to_arrow(
            [mention(confidence=0.7, outlet="X"), mention(confidence=0.7, outlet="Y")]
        )
    )[1]
    vague = dedup.merge_mentions(mentions_to_arrow([mention(confidence=0.7, exact=False)]))[1]
    c1, c2, c3 = (t["confidence"][0].as_py() for t in (one, two, vague))
    assert c2 > c1 > c3
    assert 0 <= c3 and c2 <= 1


def test_event_id_is_stable_and_order_independent() -> None:
    ms = [
        mention(day=d % 3, outlet=f"O{d}", exact=d % 2 == 0, published=D + dt.timedelta(days=d))
        for d in range(8)
    ]
    ms += [mention("putin", "xi", day=d) for d in range(0, 60, 20)]
    base = dedup.merge_mentions(mentions_to_arrow(ms))
    for perm in (ms[::-1], ms[3:] + ms[:3], sorted(ms, key=lambda m: m.confidence)):
        other = dedup.merge_mentions(mentions_to_arrow(perm))
        assert other[0] == base[0]
        assert other[1].equals(base[1])
    first = min(ms[:8], key=lambda m: (m.published, m.mention_id))
    assert dedup.event_id_for(first.mention_id) in set(base[0].values())


def test_events_table_has_event_schema() -> None:
    _, events = dedup.merge_mentions(mentions_to_arrow([mention()]))
    assert events.schema.equals(EVENT_SCHEMA)
    _, empty = dedup.merge_mentions(MENTION_SCHEMA.empty_table())
    assert empty.num_rows == 0


# -- incremental merging in DuckDB ---------------------------------------------------


def _db(path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for name, schema in (
        ("mentions", MENTION_SCHEMA),
        ("events", EVENT_SCHEMA),
        ("documents", ARTICLE_SCHEMA),
    ):
        con.register("_empty", schema.empty_table())
        _run(con, f"CREATE TABLE {name} AS SELECT * FROM _empty")
        con.unregister("_empty")
    return con


def _insert(con: duckdb.DuckDBPyConnection, ms: list[Mention]) -> list[str]:
    con.register("_new", mentions_to_arrow(ms))
    cols = ", ".join(f'"{c}"' for c in MENTION_SCHEMA.names)  # no merge_key: filled later
    _run(con, f"INSERT INTO mentions ({cols}) SELECT {cols} FROM _new")
    con.unregister("_new")
    return sorted({m.doc_id for m in ms})


def _state(con: duckdb.DuckDBPyConnection) -> tuple[list, list]:
    events = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    links = con.execute("SELECT mention_id, event_id FROM mentions ORDER BY 1").fetchall()
    return events, links


def _corpus() -> list[Mention]:
    ms = []
    for d in range(0, 90, 9):  # a call every 9 days, each reported by 3 outlets
        for k in range(3):
            ms.append(mention(day=d + k % 2, exact=k != 2, outlet=f"O{k}", doc=f"doc{d}-{k}"))
    ms += [mention("putin", "xi", day=d, doc=f"x{d}") for d in (0, 1, 40)]
    ms += [mention("biden", "xi", day=3, cameo="112", doc="b1")]
    return ms


def test_incremental_merging_matches_batch_in_any_order(tmp_path) -> None:
    ms = _corpus()
    mapping, events = dedup.merge_mentions(mentions_to_arrow(ms))
    expected_links = sorted(mapping.items())
    half = len(ms) // 2
    # interleaved halves: each half holds some reports of every call
    halves = (ms[::2], ms[1::2])
    states = []
    for n, order in enumerate((halves, halves[::-1], (ms[:half], ms[half:]))):
        con = _db(tmp_path / f"s{n}.duckdb")
        for part in order:
            dedup.update_events(con, _insert(con, part))
        dedup.update_events(con, [m.doc_id for m in ms[:5]])  # again: changes nothing
        states.append(_state(con))
        assert states[-1][1] == expected_links
        assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == events.num_rows
        con.close()
    assert states[0] == states[1] == states[2]
    con = _db(tmp_path / "all.duckdb")
    _insert(con, ms)
    dedup.update_events(con)  # full re-merge
    assert _state(con) == states[0]


def test_replaced_document_shrinks_its_event(tmp_path) -> None:
    con = _db(tmp_path / "s.duckdb")
    ms = [mention(outlet=f"O{i}", doc=f"d{i}") for i in range(3)]
    dedup.update_events(con, _insert(con, ms))
    assert con.execute("SELECT num_sources FROM events").fetchall() == [(3,)]
    _run(con, "DELETE FROM mentions WHERE doc_id = 'd0'")
    dedup.update_events(con, ["d0"])
    assert con.execute("SELECT num_sources, num_mentions FROM events").fetchall() == [(2, 2)]
    _run(con, "DELETE FROM mentions")
    dedup.update_events(con, ["d1", "d2"])
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == 0


def test_update_uses_document_urls_for_sources(tmp_path) -> None:
    con = _db(tmp_path / "s.duckdb")
    ms = [mention(outlet=None, doc="u1"), mention(outlet=None, doc="u2")]
    docs = pa.table(
        {
            "doc_id": ["u1", "u2"],
            "url": ["https://news.example/a", "https://www.news.example/b"],
        }
    )
    con.register("_d", docs)
    _run(con, "INSERT INTO documents (doc_id, url) SELECT doc_id, url FROM _d")
    dedup.update_events(con, _insert(con, ms))
    assert con.execute("SELECT num_sources, num_articles FROM events").fetchall() == [(1, 2)]


def test_update_events_with_a_tidings_store(tmp_path) -> None:
    store_mod = pytest.importorskip("tidings.store")
    store = store_mod.open_store(tmp_path / "t.duckdb")
    with store.session() as con:
        _insert(con, [mention(outlet="A", doc="s1"), mention(outlet="B", doc="s2")])
    dedup.update_events(store, ["s1", "s2"])
    with store.session() as con:
        assert con.execute("SELECT num_sources FROM events").fetchall() == [(2,)]
        assert con.execute("SELECT count(DISTINCT event_id) FROM mentions").fetchall()[0][0] == 1


def test_undated_mentions_use_publication_day_or_stay_alone(tmp_path) -> None:
    a = mention(day=0, exact=False)
    b = mention(day=0, exact=False)
    b.event_date = None  # undated: placed on its publication day (day 1)
    c = mention(day=0, exact=False)
    c.event_date, c.published = None, None  # nothing to place it by
    mapping, events = dedup.merge_mentions(mentions_to_arrow([a, b, c]))
    assert mapping[a.mention_id] == mapping[b.mention_id] != mapping[c.mention_id]
    alone = next(e for e in events.to_pylist() if e["event_id"] == mapping[c.mention_id])
    assert alone["event_date"] is None and alone["first_reported"] is None
    con = _db(tmp_path / "u.duckdb")
    dedup.update_events(con, _insert(con, [a, b, c]))
    assert sorted(con.execute("SELECT mention_id, event_id FROM mentions").fetchall()) == sorted(
        mapping.items()
    )


def test_joint_act_in_one_sentence_stays_two_directed_events() -> None:
    a = mention("putin", "trong", cameo="057", doc="s", outlet="A")
    b = mention("trong", "putin", cameo="057", doc="s", outlet="A")
    c = mention("trong", "putin", cameo="057", outlet="B")  # another outlet, one direction
    assert clusters([a, b, c]) == {
        frozenset({a.mention_id}),
        frozenset({b.mention_id, c.mention_id}),
    }


def test_directed_mentions_never_join_the_other_direction() -> None:
    # many reports of a strike one way, one of a strike back: still two events
    ms = [mention("putin", "trong", cameo="195", outlet=f"O{i}") for i in range(5)]
    back = mention("trong", "putin", cameo="195", outlet="Z")
    mapping, events = dedup.merge_mentions(mentions_to_arrow([*ms, back]))
    assert events.num_rows == 2
    by_dir = {(e["source_country"], e["target_country"]): e for e in events.to_pylist()}
    assert by_dir[("RUS", "VNM")]["num_mentions"] == 5
    assert by_dir[("VNM", "RUS")]["num_mentions"] == 1
    assert mapping[back.mention_id] == by_dir[("VNM", "RUS")]["event_id"]


def test_event_code_and_direction_by_weighted_majority() -> None:
    # three reports of a phone call (041) from Trong's side, one plain "discussed" (040)
    # from Putin's: the event is 041 Trong -> Putin, whatever order the mentions come in
    calls = [mention("trong", "putin", cameo="041", outlet=f"O{i}") for i in range(3)]
    talk = mention("putin", "trong", cameo="040", outlet="O9", confidence=0.99)
    for order in ([*calls, talk], [talk, *calls]):
        (ev,) = dedup.merge_mentions(mentions_to_arrow(order))[1].to_pylist()
        assert (ev["cameo"], ev["source_id"], ev["target_id"]) == ("041", "trong", "putin")
        assert ev["best_mention_id"] in {m.mention_id for m in calls}
        assert ev["num_mentions"] == 4


def test_specific_code_beats_more_sources_and_ties_go_by_rule() -> None:
    generic = [mention(cameo="040", outlet=f"G{i}") for i in range(4)]
    phone = mention(cameo="041", outlet="P")
    (ev,) = dedup.merge_mentions(mentions_to_arrow([*generic, phone]))[1].to_pylist()
    assert ev["cameo"] == "041"
    # 042 and 043 from one source each: the smaller code, in either order
    a, b = mention(cameo="043", outlet="A"), mention(cameo="042", outlet="B")
    for order in ([a, b], [b, a]):
        (ev,) = dedup.merge_mentions(mentions_to_arrow(order))[1].to_pylist()
        assert ev["cameo"] == "042"


def test_an_actor_keeps_the_code_most_of_its_mentions_give() -> None:
    ms = [mention("trong", "putin", cameo="041", outlet=f"O{i}") for i in range(3)]
    ms[0].source_code = "VNMGOV"
    ms[1].source_code = ms[2].source_code = "VNMPTY"
    (ev,) = dedup.merge_mentions(mentions_to_arrow(ms))[1].to_pylist()
    assert ev["source_code"] == "VNMPTY"
    # a bare country on one side gives way to the person another report names
    ms[1].source_id, ms[1].source_name = "VNM", "Vietnam"
    ms[2].source_id, ms[2].source_name = "VNM", "Vietnam"
    (ev,) = dedup.merge_mentions(mentions_to_arrow(ms))[1].to_pylist()
    assert (ev["source_id"], ev["source_name"]) == ("trong", "Nguyen Phu Trong")


# -- the partition API (what the Ray merge calls) --------------------------------------


def test_partition_key_in_python_arrow_and_sql_agree() -> None:
    days = [dt.date(1969, 12, 30), dt.date(1970, 1, 4), dt.date(1970, 1, 5), D, None]
    ms = [mention("putin", "trong", day=0) for _ in days]
    ms.append(mention("trong", "putin", day=0))
    for m, d in zip(ms, days, strict=False):
        m.event_date = d
        if d is None:
            m.published = None
    table = mentions_to_arrow(ms)
    python = [
        dedup.partition_key(m.root, m.source_country, m.target_country, m.event_date or m.published)
        for m in ms
    ]
    assert dedup.partition_keys(table).to_pylist() == python
    con = duckdb.connect()
    con.register("m", table)
    sql = [r[0] for r in con.execute(f"SELECT {dedup.partition_key_sql()} FROM m").fetchall()]
    assert sql == python
    assert python[0] == "04|RUS|VNM|-1" and python[2] == "04|RUS|VNM|0"
    assert python[4] == "04|RUS|VNM|" and python[5] == python[3]  # both orientations


def test_no_merge_across_a_bucket_edge() -> None:
    # the Sunday before an edge and the Monday after it are in different partitions
    edge = dedup.BUCKET_ORIGIN + dt.timedelta(days=dedup.BUCKET_DAYS * 640)
    a, b, c = mention(), mention(), mention()
    a.event_date, b.event_date = edge - dt.timedelta(days=1), edge
    c.event_date = edge + dt.timedelta(days=1)
    assert clusters([a, b, c]) == {
        frozenset({a.mention_id}),
        frozenset({b.mention_id, c.mention_id}),
    }


def test_merge_mentions_is_the_union_of_its_partitions_in_any_order() -> None:
    ms = _corpus() + [mention("trong", "putin", cameo="112", day=d) for d in (0, 1, 27, 28, 29)]
    mapping, events = dedup.merge_mentions(mentions_to_arrow(ms))
    table = mentions_to_arrow(ms)
    keys = dedup.partition_keys(table).to_pylist()
    union_links: dict[str, str] = {}
    union_events: list[dict] = []
    for key in sorted(set(keys)):
        rows = [i for i, k in enumerate(keys) if k == key]
        for order in (rows, rows[::-1]):  # any order inside a partition, same result
            links, evs = dedup.merge_partition(table.take(order))
            assert links.schema.equals(dedup.ASSIGNMENT_SCHEMA)
            assert evs.schema.equals(EVENT_SCHEMA)
        union_links.update(
            zip(links["mention_id"].to_pylist(), links["event_id"].to_pylist(), strict=True)
        )
        union_events.extend(evs.to_pylist())
        for ev in evs.to_pylist():  # an event's own key is its partition's
            sides = (ev["root"], ev["source_country"], ev["target_country"], ev["event_date"])
            assert dedup.partition_key(*sides) == key
    assert union_links == mapping
    key = lambda e: (e["event_date"], e["event_id"])  # noqa: E731
    assert sorted(union_events, key=key) == events.to_pylist()
