"""The gold scorer, on hand-made gold and predictions (no coder involved)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.errors import GoldFileError
from tidings.evaluate import load_gold, score


def item(date: str, source: str, target: str, root: str, exact: bool = True) -> dict:
    return {"date": date, "source": source, "target": target, "root": root, "date_exact": exact}


def gold(*articles: dict) -> dict:
    return {"articles": list(articles)}


def art(file: str, required=(), optional=(), group: str | None = None) -> dict:
    out = {"file": file, "required": list(required), "optional": list(optional)}
    if group:
        out["group"] = group
    return out


def figures(report) -> tuple[int, int, int]:
    o = report.overall
    return o.tp, o.fp, o.fn


def test_exact_match_is_a_true_positive():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "05")]))
    r = score(g, {"a.txt": [("2021-04-05", "VNM", "RUS", "05")]})
    assert figures(r) == (1, 0, 0)
    assert r.overall.precision == r.overall.recall == r.overall.f1 == 1.0
    assert r.overall.exact_date_share == 1.0


def test_directed_root_in_the_wrong_direction_is_fp_and_fn():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "05")]))
    r = score(g, {"a.txt": [("2021-04-05", "RUS", "VNM", "05")]})
    assert figures(r) == (0, 1, 1)
    assert r.overall.f1 == 0.0


def test_root_04_is_undirected():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "04")]))
    r = score(g, {"a.txt": [("2021-04-05", "RUS", "VNM", "04")]})
    assert figures(r) == (1, 0, 0)


def test_both_orders_of_04_are_one_prediction():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "04")]))
    preds = [("2021-04-05", "RUS", "VNM", "04"), ("2021-04-05", "VNM", "RUS", "04")]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (1, 0, 0)
    assert r.overall.ignored == 0


def test_04_in_both_orders_without_gold_is_one_false_positive():
    g = gold(art("a.txt"))
    preds = [("2021-04-05", "RUS", "VNM", "04"), ("2021-04-05", "VNM", "RUS", "04")]
    assert figures(score(g, {"a.txt": preds})) == (0, 1, 0)


def test_one_day_apart_matches_two_days_do_not():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "03")]))
    assert figures(score(g, {"a.txt": [("2021-04-06", "VNM", "RUS", "03")]})) == (1, 0, 0)
    assert figures(score(g, {"a.txt": [("2021-04-04", "VNM", "RUS", "03")]})) == (1, 0, 0)
    assert figures(score(g, {"a.txt": [("2021-04-07", "VNM", "RUS", "03")]})) == (0, 1, 1)


def test_one_day_off_lowers_the_exact_date_share_only_when_date_exact():
    g = gold(
        art(
            "a.txt",
            [
                item("2021-04-05", "VNM", "RUS", "03"),
                item("2021-04-05", "RUS", "VNM", "03", exact=False),
            ],
        )
    )
    preds = [("2021-04-06", "VNM", "RUS", "03"), ("2021-04-06", "RUS", "VNM", "03")]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (2, 0, 0)
    assert r.overall.exact_eligible == 1
    assert r.overall.exact_date_share == 0.0


def test_matching_prefers_the_exact_date():
    # two gold items one day apart; each prediction must go to its own day
    g = gold(
        art(
            "a.txt",
            [item("2021-04-05", "VNM", "RUS", "04"), item("2021-04-06", "VNM", "RUS", "04")],
        )
    )
    preds = [("2021-04-06", "VNM", "RUS", "04"), ("2021-04-05", "RUS", "VNM", "04")]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (2, 0, 0)
    assert r.overall.exact_date_share == 1.0


def test_matching_is_maximal_when_greedy_would_strand_an_item():
    # p1 (04-05) fits both items (one exactly); p2 (04-04) fits only the first.
    # Greedy alone would give p1 the first item; augmenting re-assigns p1 to the second.
    g = gold(
        art(
            "a.txt",
            [item("2021-04-05", "VNM", "LAO", "05"), item("2021-04-06", "VNM", "LAO", "05")],
        )
    )
    preds = [("2021-04-05", "VNM", "LAO", "05"), ("2021-04-04", "VNM", "LAO", "05")]
    assert figures(score(g, {"a.txt": preds})) == (2, 0, 0)


def test_duplicate_predictions_of_one_item_count_once():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "05")]))
    preds = [
        ("2021-04-05", "VNM", "RUS", "05"),
        ("2021-04-05", "VNM", "RUS", "05"),
        (dt.date(2021, 4, 5), "VNM", "RUS", "052"),  # same tuple once normalised
        ("2021-04-06", "VNM", "RUS", "05"),  # another tuple, but only fits the matched item
    ]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (1, 0, 0)
    assert [reason for _, reason in r.articles[0].ignored] == ["duplicate"]


def test_optional_items_neither_earn_nor_cost():
    g = gold(
        art(
            "a.txt",
            [item("2021-04-05", "VNM", "RUS", "04")],
            [item("2021-04-05", "VNM", "RUS", "01")],
        )
    )
    preds = [("2021-04-05", "VNM", "RUS", "04"), ("2021-04-05", "VNM", "RUS", "01")]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (1, 0, 0)
    assert r.articles[0].ignored == [(("2021-04-05", "VNM", "RUS", "01"), "optional")]
    # an optional item that is not found is no false negative
    assert figures(score(g, {"a.txt": preds[:1]})) == (1, 0, 0)


def test_optional_only_article_and_a_matching_prediction():
    g = gold(art("a.txt", optional=[item("*", "USA", "*", "04")]))
    r = score(g, {"a.txt": [("2019-01-01", "IND", "USA", "04")]})
    assert figures(r) == (0, 0, 0)
    assert r.overall.precision is None and r.overall.recall is None and r.overall.f1 is None


def test_wildcards_in_date_source_and_target():
    g = gold(
        art(
            "a.txt",
            [item("*", "USA", "IND", "04"), item("2020-01-01", "*", "CHN", "11")],
            [item("*", "PRK", "*", "13")],
        )
    )
    preds = [
        ("1999-12-31", "IND", "USA", "04"),
        ("2020-01-02", "JPN", "CHN", "11"),
        ("2020-05-05", "PRK", "USA", "13"),
        ("2020-05-05", "USA", "PRK", "13"),  # directed: the wildcard is on the target only
    ]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (2, 1, 0)
    assert r.articles[0].false_positives == [("2020-05-05", "USA", "PRK", "13")]
    # a wildcard date has no exact day: left out of the exact-date share
    assert r.overall.exact_eligible == 1 and r.overall.exact == 0


def test_domestic_and_unknown_country_predictions_are_not_scored():
    g = gold(art("a.txt", [item("2021-04-05", "VNM", "RUS", "04")]))
    preds = [
        ("2021-04-05", "VNM", "VNM", "04"),
        ("2021-04-05", None, "RUS", "12"),
        ("2021-04-05", "VNM", "", "12"),
    ]
    assert figures(score(g, {"a.txt": preds})) == (0, 0, 1)


def test_empty_articles_and_missing_predictions():
    g = gold(
        art("a.txt", [item("2021-04-05", "VNM", "RUS", "04")]),
        art("empty.txt"),
    )
    r = score(g, {})
    assert figures(r) == (0, 0, 1)
    assert r.overall.precision is None
    assert r.overall.recall == 0.0 and r.overall.f1 == 0.0
    r = score(g, {"empty.txt": [("2021-04-05", "THA", "KHM", "19")], "other.txt": [("x",) * 4]})
    assert figures(r) == (0, 1, 1)


def test_micro_average_and_groups():
    g = gold(
        art("a.txt", [item("2021-01-01", "VNM", "RUS", "04")] * 1, group="vietnam"),
        art(
            "b.txt",
            [item("2021-01-01", "IND", "BGD", "03"), item("2021-01-01", "BGD", "IND", "03")],
            group="coop",
        ),
        art("c.txt", group="negative"),
    )
    preds = {
        "a.txt": [("2021-01-01", "VNM", "RUS", "04")],
        "b.txt": [("2021-01-01", "IND", "BGD", "03"), ("2021-01-01", "IND", "BGD", "05")],
        "c.txt": [("2021-01-01", "FRA", "DEU", "04")],
    }
    r = score(g, preds)
    assert figures(r) == (2, 2, 1)
    assert r.overall.precision == pytest.approx(0.5)
    assert r.overall.recall == pytest.approx(2 / 3)
    assert r.overall.f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))
    assert r.groups["vietnam"].f1 == 1.0
    assert (r.groups["coop"].tp, r.groups["coop"].fp, r.groups["coop"].fn) == (1, 1, 1)
    assert r.groups["negative"].fp == 1


def test_confusion_table_pairs_near_misses_by_root():
    g = gold(
        art(
            "a.txt",
            [item("2021-01-01", "VNM", "RUS", "05"), item("2021-01-01", "VNM", "CHN", "04")],
        )
    )
    preds = [
        ("2021-01-02", "VNM", "RUS", "03"),  # near-miss of the 05
        ("2021-01-01", "USA", "CHN", "12"),  # a plain FP
    ]
    r = score(g, {"a.txt": preds})
    assert r.confusion == {("05", "03"): 1, ("04", ""): 1, ("", "12"): 1}
    assert r.articles[0].near_misses[0][1] == ("2021-01-02", "VNM", "RUS", "03")
    keys = r.articles[0].error_keys()
    assert "FN 2021-01-01 VNM RUS 05" in keys and "FP 2021-01-02 VNM RUS 03" in keys


def test_report_to_dict_is_json():
    g = gold(art("a.txt", [item("2021-01-01", "VNM", "RUS", "05")], group="vietnam"))
    d = score(g, {"a.txt": [("2021-01-01", "VNM", "RUS", "05")]}).to_dict()
    text = json.dumps(d)
    assert json.loads(text)["overall"]["f1"] == 1.0
    assert d["groups"]["vietnam"]["tp"] == 1


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        ({"articles": "x"}, "articles"),
        ({"articles": [{"required": []}]}, "file"),
        ({"articles": [art("a", [item("2021-13-01", "VNM", "RUS", "04")])]}, "month"),
        ({"articles": [art("a", [item("5 May", "VNM", "RUS", "04")])]}, "bad date"),
        ({"articles": [art("a", [item("2021-01-01", "Vietnam", "RUS", "04")])]}, "bad source"),
        ({"articles": [art("a", [item("2021-01-01", "VNM", "RUS", "21")])]}, "bad root"),
        ({"articles": [art("a", [{"date": "2021-01-01"}])]}, "missing"),
        ({"articles": [art("a"), art("a")]}, "twice"),
    ],
)
def test_malformed_gold_is_a_clear_error(bad, needle, tmp_path: Path):
    with pytest.raises(GoldFileError, match=needle):
        score(bad, {})
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(GoldFileError, match="gold.json"):
        load_gold(path)


def test_gold_file_that_is_not_json(tmp_path: Path):
    path = tmp_path / "g.json"
    path.write_text("{nope")
    with pytest.raises(GoldFileError, match="g.json: not valid JSON"):
        load_gold(path)


countries = st.sampled_from(["VNM", "RUS", "CHN", "USA"])
roots = st.sampled_from(["03", "04", "05", "12"])
days = st.integers(0, 4).map(lambda d: (dt.date(2022, 3, 1) + dt.timedelta(d)).isoformat())
tuples = st.tuples(days, countries, countries, roots)


@given(st.lists(tuples, max_size=6), st.lists(tuples, max_size=8))
def test_scorer_invariants(required, predicted):
    # distinct gold items (04 is undirected: one order of it only)
    unique: dict[tuple, tuple] = {}
    for t in required:
        if t[1] != t[2]:
            key = (t[0], *sorted(t[1:3]), t[3]) if t[3] == "04" else t
            unique.setdefault(key, t)
    required = list(unique.values())
    g = gold(art("a.txt", [item(*t) for t in required]))
    r = score(g, {"a.txt": predicted})
    o = r.overall
    assert o.tp + o.fn == len(required)
    distinct = {p for p in predicted if p[1] != p[2]}
    assert o.tp + o.fp + o.ignored <= len(distinct)
    # scoring the gold against itself is perfect
    perfect = score(g, {"a.txt": required})
    assert perfect.overall.fn == 0 and perfect.overall.fp == 0
    # adding predictions never lowers the number of true positives
    more = score(g, {"a.txt": predicted + required})
    assert more.overall.tp == len(required) >= o.tp


def test_undated_predictions_match_only_wildcard_dates():
    g = gold(
        art(
            "a.txt",
            [item("2023-09-10", "USA", "VNM", "04")],
            [item("*", "USA", "IND", "04")],
        )
    )
    preds = [(None, "USA", "VNM", "04"), (None, "USA", "IND", "04")]
    r = score(g, {"a.txt": preds})
    assert figures(r) == (0, 1, 1)
    assert r.articles[0].error_keys() == ["FN 2023-09-10 USA VNM 04", "FP ? USA VNM 04"]
