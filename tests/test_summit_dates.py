"""Dating an article with no date line by the summit it names (issue 11).

"on Sunday" next to "the G20 summit in New Delhi" is a day of that summit's week; the
summit table (data/summits.yaml) holds the real days. Only one summit may fit: the host,
the calendar and the tenures of the people named must leave one.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest
import yaml

from tidings.coder import code_article
from tidings.dates import find_dates, named_summits
from tidings.model import Article


def days(text: str, published: dt.date | None = None) -> set[tuple[str, dt.date | None, bool]]:
    """(root, event_date, date_exact) of every mention of an article."""
    article = Article(doc_id="s1", text=text, published=published)
    return {(m.root, m.event_date, m.date_exact) for m in code_article(article)}


def test_a_weekday_is_counted_in_the_week_of_the_summit_named() -> None:
    text = (
        "Canada and Mexico on Sunday agreed to expand trade in farm goods.\n"
        "The deal came after a two-day summit of the Group of 20 in New Delhi."
    )
    assert days(text) == {("03", dt.date(2023, 9, 10), False)}


def test_a_weekday_just_after_the_summit_is_that_week_s() -> None:
    text = (
        "Japan praised Chile on Tuesday for its rescue teams.\n"
        "Both leaders had attended the APEC summit in Lima, Peru, days before."
    )
    # APEC 2016 and 2024 were both in Lima: nothing fixes the year, the day stays unknown
    assert days(text) == {("05", None, False)}


def test_the_tenures_pick_one_of_two_summits_of_a_host() -> None:
    text = (
        "Prime Minister Fumio Kishida praised Brazil on Monday for its climate pledges.\n"
        "The talks came after the G7 summit in Japan."
    )
    # G7 summits in Japan: 2016 and 2023; Kishida was prime minister only in 2023
    assert days(text) == {("05", dt.date(2023, 5, 22), False)}


def test_a_publication_date_wins_over_the_summit() -> None:
    text = (
        "Canada and Mexico on Sunday agreed to expand trade in farm goods.\n"
        "The deal came after a summit of the Group of 20 in New Delhi."
    )
    assert days(text, dt.date(2024, 3, 14)) == {("03", dt.date(2024, 3, 10), True)}


def test_a_summit_is_named_only_with_its_host() -> None:
    assert [s.year for s in named_summits(["The G20 summit in Bali ended."])] == [2022]
    assert named_summits(["The G20 summit ended.", "Bali was sunny."]) == []


@pytest.mark.parametrize(
    "forum", yaml.safe_load((resources.files("tidings") / "data" / "summits.yaml").read_text())
)
def test_summit_rows_are_well_formed(forum: dict) -> None:
    for row in forum["meetings"]:
        assert row["hosts"], row
        first, last = row.get("from"), row.get("to")
        assert (first is None) == (last is None), row
        if first is not None:
            assert isinstance(first, dt.date) and isinstance(last, dt.date), row
            assert first.year == row["year"] and 0 <= (last - first).days <= 5, row


# ------------------------------------------------------------------ stops of a tour

TOUR = (
    "Indian Prime Minister Narendra Modi ended a three-nation tour on Friday.\n"
    "In Nigeria, Modi had bilateral talks with the President of Nigeria.\n"
    "In Guyana, Modi met the President of Guyana.\n"
    "Modi reached Nigeria on Sunday, the first such trip in 17 years.\n"
    "He later arrived in Guyana on Wednesday."
)


def test_a_meeting_at_a_stop_is_dated_by_the_arrival_there() -> None:
    found = {
        (m.target_country, m.root, m.event_date)
        for m in code_article(Article(doc_id="t", text=TOUR, published=dt.date(2024, 11, 22)))
    }
    assert ("NGA", "04", dt.date(2024, 11, 17)) in found
    assert ("GUY", "04", dt.date(2024, 11, 20)) in found
    # the arrival after the main day (Sunday) but before publication is no plan
    assert not any(root == "03" for _, root, _ in found)


def test_a_planned_arrival_dates_nothing() -> None:
    text = (
        "In Nigeria, Modi had bilateral talks with the President of Nigeria.\n"
        "Modi will reach Nigeria on Sunday."
    )
    found = {
        (m.root, m.event_date)
        for m in code_article(Article(doc_id="t", text=text, published=dt.date(2024, 11, 22)))
    }
    assert ("04", dt.date(2024, 11, 22)) in found


# ------------------------------------------------------------------ a month with no day


def test_a_month_alone_is_found_but_not_a_modal_or_a_day() -> None:
    kinds = [(e.kind, e.month) for e in find_dates("In January, and again in late May, it rained.")]
    assert kinds == [("month", 1), ("month", 5)]
    assert [e.kind for e in find_dates("It may rain on March 26 and in May 2021.")] == [
        "mdy",
        "my",
    ]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # two months before publication: background, left out
        ("In January, Japan summoned China's ambassador.", dt.date(2024, 3, 14), set()),
        # the month of publication: kept, the day not stated
        (
            "In March, Japan summoned China's ambassador.",
            dt.date(2024, 3, 14),
            {("11", dt.date(2024, 3, 14), False)},
        ),
        # no date line: an act placed only in a month is what came before the news
        ("In January, Japan summoned China's ambassador.", None, set()),
        ("On Friday, Japan summoned China's ambassador.", None, {("11", None, False)}),
    ],
)
def test_an_act_placed_only_in_a_month(
    text: str, published: dt.date | None, expected: set[tuple[str, dt.date | None, bool]]
) -> None:
    assert days(text, published) == expected


# ------------------------------------------------------------------ history by apposition


@pytest.mark.parametrize("link", ["the day", "when"])
def test_a_date_named_by_apposition_is_the_act_s_day(link: str) -> None:
    text = (
        "The embassy has stayed shut since April 2, 1962, "
        f"{link} Britain broke off relations with Albania."
    )
    assert days(text, dt.date(2024, 3, 8)) == set()  # 1962: history


def test_an_undated_article_is_no_older_than_the_offices_it_names() -> None:
    text = (
        "British Foreign Secretary David Cameron visited Albania on Friday.\n"
        "On April 2, 1962, Britain broke off relations with Albania."
    )
    # Cameron took that office in 2023: 1962 is history, and not the article's main day
    assert days(text) == {("04", None, False)}
    assert days("Britain on April 2, 2013 criticized Albania.") == {
        ("11", dt.date(2013, 4, 2), True)
    }
