"""Event days: what the text says, counted from the day of publication.

The coder's date rules (issue 4, item 4) through ``code_article``, and the public
functions of :mod:`tidings.dates` directly, with hypothesis for the parsers: they must
never crash on arbitrary text, and a weekday in a report of the past never lands after
the publication day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.coder import CoderOptions, code_article
from tidings.dates import (
    find_dates,
    infer_year,
    is_background,
    is_stamp,
    resolve_doc_dates,
    resolve_expr,
)
from tidings.model import Article, Mention

TUESDAY = dt.date(2021, 4, 6)


def mentions(text: str, published: dt.date | None, **options: object) -> list[Mention]:
    opts = CoderOptions(**options) if options else None  # type: ignore[arg-type]
    return code_article(Article(doc_id="d1", text=text, published=published), opts)


def dated(
    text: str, published: dt.date | None, **options: object
) -> set[tuple[str, dt.date, bool]]:
    """(root, event_date, date_exact) of every mention."""
    return {(m.root, m.event_date, m.date_exact) for m in mentions(text, published, **options)}


# ------------------------------------------------------------------ through the coder


@pytest.mark.parametrize(
    ("words", "day"),
    [
        ("on Monday", dt.date(2021, 4, 5)),
        ("on Sunday", dt.date(2021, 4, 4)),
        ("on Wednesday", dt.date(2021, 3, 31)),
        ("on Tuesday", TUESDAY),  # the publication day itself
        ("last Monday", dt.date(2021, 4, 5)),
    ],
)
def test_weekday_is_the_latest_such_day_up_to_publication(words: str, day: dt.date) -> None:
    assert dated(f"Japan praised Vietnam {words} for its vaccine drive.", TUESDAY) == {
        ("05", day, True)
    }


def test_yesterday_and_today() -> None:
    assert dated("Japan praised Vietnam yesterday for its vaccine drive.", TUESDAY) == {
        ("05", dt.date(2021, 4, 5), True)
    }
    assert dated("Japan praised Vietnam today for its vaccine drive.", TUESDAY) == {
        ("05", TUESDAY, True)
    }


@pytest.mark.parametrize(
    "text",
    [
        "Japan praised Vietnam on March 26 for its vaccine drive.",
        "Japan praised Vietnam on 26 March for its vaccine drive.",
        "Japan praised Vietnam on March 26, 2021, for its vaccine drive.",
        "Japan praised Vietnam on 26 March 2021 for its vaccine drive.",
        "Japan praised Vietnam on 2021-03-26 for its vaccine drive.",
    ],
)
def test_month_day_takes_the_publication_year_and_full_dates_are_exact(text: str) -> None:
    assert dated(text, TUESDAY) == {("05", dt.date(2021, 3, 26), True)}


def test_full_date_needs_no_publication_date() -> None:
    assert dated("Japan praised Vietnam on 26 March 2021 for its vaccine drive.", None) == {
        ("05", dt.date(2021, 3, 26), True)
    }


def test_month_day_without_any_year_is_not_guessed() -> None:
    (m,) = mentions("Japan praised Vietnam on March 26 for its vaccine drive.", None)
    assert (m.root, m.event_date, m.date_exact) == ("05", None, False)
    assert m.date_reason.startswith("undated:")


@pytest.mark.parametrize(
    ("text", "because"),
    [
        ("Japan praised Vietnam on Friday for its vaccine drive.", "Friday"),
        ("Japan praised Vietnam yesterday for its vaccine drive.", "yesterday"),
        ("Japan praised Vietnam for its vaccine drive.", "no publication date"),
        ("On March 26, Japan praised Vietnam for its vaccine drive.", "no year"),
    ],
)
def test_undated_text_still_yields_its_events_with_a_reason(text: str, because: str) -> None:
    (m,) = mentions(text, None)
    assert (m.source_country, m.target_country, m.root) == ("JPN", "VNM", "05")
    assert m.event_date is None and not m.date_exact
    assert because in m.date_reason


def test_year_from_the_tenures_of_the_people_named() -> None:
    """Chinh (PM from April 2021) and Suga (PM until October 2021) met on May 3: 2021."""
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met Japanese Prime Minister Yoshihide Suga "
        "on May 3."
    )
    assert dated(text, None, today=dt.date(2026, 6, 1)) == {("04", dt.date(2021, 5, 3), True)}


def test_tenures_that_allow_several_years_give_no_year() -> None:
    """Chinh and Kishida overlap from April 2021 to 2024: March 26 of which year?"""
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met Japanese Prime Minister Fumio Kishida "
        "on March 26."
    )
    found = mentions(text, None, today=dt.date(2026, 6, 1))
    assert [(m.root, m.event_date) for m in found] == [("04", None)]
    assert "3 years (2022-2024)" in found[0].date_reason  # 2021-03-26: before Chinh


def test_weekday_without_publication_date_counts_from_a_full_date_but_is_inexact() -> None:
    text = (
        "The two countries signed a deal on March 30, 2021. Japan praised Vietnam on Monday "
        "for its vaccine drive."
    )
    assert ("05", dt.date(2021, 3, 29), False) in dated(text, None)


def test_month_day_takes_the_year_of_a_full_date_elsewhere() -> None:
    text = (
        "Japan and Vietnam signed a deal on March 30, 2021. On March 31, Japan praised "
        "Vietnam for its vaccine drive."
    )
    assert ("05", dt.date(2021, 3, 31), True) in dated(text, None)


def test_no_date_in_the_text_gives_the_publication_day_inexact() -> None:
    assert dated("Japan praised Vietnam for its vaccine drive.", TUESDAY) == {
        ("05", TUESDAY, False)
    }


def test_main_event_day_is_carried_to_sentences_without_a_date() -> None:
    text = (
        "Russian President Vladimir Putin held talks with Vietnamese Prime Minister Pham Minh "
        "Chinh on Monday. Putin praised Vietnam for its vaccine drive. Chinh thanked Russia "
        "for its support."
    )
    got = dated(text, TUESDAY)
    assert got == {("04", dt.date(2021, 4, 5), True), ("05", dt.date(2021, 4, 5), True)}
    assert len(mentions(text, TUESDAY)) == 3


def test_last_week_dates_background_before_the_news_and_inexact() -> None:
    text = (
        "Japan and Vietnam held talks on Monday. Last week, Japan criticised China over the reef."
    )
    found = {m.root: m for m in mentions(text, TUESDAY)}
    assert found["04"].event_date == dt.date(2021, 4, 5) and found["04"].date_exact
    background = found["11"]
    assert background.event_date < dt.date(2021, 4, 5)
    assert not background.date_exact


def test_history_with_a_full_date_is_not_an_event() -> None:
    assert (
        mentions("Japan praised Vietnam on March 26, 2019, for its vaccine drive.", TUESDAY) == []
    )


def test_future_weekday_in_a_plan_is_not_a_past_event() -> None:
    found = mentions("Japan will host Vietnam on Friday, officials said.", TUESDAY)
    assert all(m.root == "03" for m in found)  # an intent, never a 04 dated in the past


# ------------------------------------------------------------ the public functions


def test_find_dates_kinds_and_offsets() -> None:
    text = "On Monday, March 26, 2021 and yesterday, after talks in 2019, last week too."
    found = find_dates(text)
    assert [e.kind for e in found] == ["weekday", "mdy", "today", "year", "vague"]
    for e in found:
        assert text[e.start : e.end] == e.text
    mdy = found[1]
    assert (mdy.year, mdy.month, mdy.day) == (2021, 3, 26)


def test_may_alone_is_not_a_month() -> None:
    assert find_dates("Officials may meet again soon.") == []
    assert [e.kind for e in find_dates("They met on May 9.")] == ["mdy"]


def test_resolve_expr_december_in_a_january_article_is_last_year() -> None:
    (e,) = find_dates("on December 30")
    day, exact, _ = resolve_expr(e, dt.date(2022, 1, 2), None)
    assert (day, exact) == (dt.date(2021, 12, 30), True)


def test_resolve_expr_uses_the_year_hint_without_publication_date() -> None:
    (e,) = find_dates("on March 26")
    assert resolve_expr(e, None, 2021)[:2] == (dt.date(2021, 3, 26), True)
    assert resolve_expr(e, None, None)[0] is None


def test_resolve_expr_future_weekday_looks_ahead() -> None:
    (e,) = find_dates("on Friday")
    assert resolve_expr(e, TUESDAY, None, future=True)[0] == dt.date(2021, 4, 9)
    assert resolve_expr(e, TUESDAY, None)[0] == dt.date(2021, 4, 2)


def test_resolve_doc_dates_main_event_day() -> None:
    dates = resolve_doc_dates(["Hanoi hosted talks.", "The leaders met on Monday."], TUESDAY)
    assert (dates.main, dates.main_exact) == (dt.date(2021, 4, 5), True)
    nothing = resolve_doc_dates(["Hanoi hosted talks."], TUESDAY)
    assert (nothing.main, nothing.main_exact) == (TUESDAY, False)
    none = resolve_doc_dates(["Hanoi hosted talks."], None)
    assert none.main is None


def test_resolve_doc_dates_ignores_a_plan_in_the_opening() -> None:
    dates = resolve_doc_dates(
        ["The leaders will meet on Friday.", "They spoke on Monday."], TUESDAY
    )
    assert dates.main == dt.date(2021, 4, 5)


def test_infer_year_prefers_a_full_date_in_the_article() -> None:
    year, why = infer_year(
        ["They met on March 26.", "A deal was signed on April 2, 2019."],
        [],
        (3, 26),
        dt.date(2026, 1, 1),
    )
    assert year == 2019 and "full date" in why


def test_infer_year_from_an_anniversary() -> None:
    year, _ = infer_year(
        ["The 75th anniversary of the ties set in 1950 was marked on May 3."],
        [],
        (5, 3),
        dt.date(2030, 1, 1),
    )
    assert year == 2025


def test_infer_year_within_tenures_and_never_in_the_future() -> None:
    spans = [(dt.date(2021, 4, 5), dt.date(2026, 12, 31))]
    year, _ = infer_year(["They met on December 20."], spans, (12, 20), dt.date(2022, 6, 1))
    assert year == 2021  # 2022-12-20 is after "today"
    assert infer_year(["No year here."], [], (3, 1), dt.date(2024, 6, 1))[0] is None


def test_infer_year_is_never_the_latest_of_several_possible_years() -> None:
    spans = [(dt.date(2021, 4, 5), dt.date(2026, 12, 31))]
    year, why = infer_year(["They met on December 20."], spans, (12, 20), dt.date(2026, 6, 1))
    assert year is None and "2021-2025" in why


LONG_TENURE = [(dt.date(2013, 3, 14), dt.date.max)]


@pytest.mark.parametrize(
    "text",
    [
        "On Monday, June 28, the two presidents spoke by video.",
        "The two presidents spoke by video on Monday (June 28).",
        "The two presidents spoke by video on June 28 (Monday).",
        "The call took place on June 28, a Monday, and lasted an hour.",
    ],
)
def test_a_weekday_printed_with_the_day_fixes_the_year(text: str) -> None:
    # June 28 fell on a Monday in 2010, 2021 and 2027; only 2021 is in office and past
    year, why = infer_year([text], LONG_TENURE, (6, 28), dt.date(2026, 6, 1))
    assert year == 2021 and "weekday" in why


def test_the_weekday_picks_among_anniversary_years() -> None:
    """Two years named (1996, 2001) make two 20th anniversaries; the weekday keeps one."""
    texts = [
        "On Monday, June 28, the two leaders praised the pact on its 20th anniversary.",
        "The pact has bound the two powers since 2001.",
        "A looser partnership had been agreed in 1996.",
    ]
    assert infer_year(texts, [], (6, 28), dt.date(2026, 6, 1))[0] == 2021


def test_a_month_and_year_named_elsewhere_give_the_year() -> None:
    texts = ["Talks began in June 2019 in Geneva.", "On June 28 the envoys met again."]
    year, why = infer_year(texts, [], (6, 28), dt.date(2026, 6, 1))
    assert year == 2019 and "month and year" in why


def test_a_full_date_in_a_history_clause_gives_no_year() -> None:
    texts = [
        "On May 3 the ministers marked the anniversary of the ties established on May 3, 1950.",
    ]
    spans = [(dt.date(2021, 4, 5), dt.date(2026, 12, 31))]
    year, _ = infer_year(texts, spans, (5, 3), dt.date(2026, 6, 1))
    assert year != 1950


@pytest.mark.parametrize(
    "opening",
    [
        "Leaders on Tuesday marked the 75th anniversary of the republic founded on "
        "October 1, 1949.",
        "The fighting ended on March 18, 1962, and independence followed; on Tuesday the "
        "country marked its 60th anniversary.",
        "The treaty, first signed on July 16, 2001, was extended on Monday.",
        "Ties were established on 12 January 1950, and the envoys met again on Monday.",
    ],
)
def test_an_anniversary_or_history_date_is_never_the_main_event_day(opening: str) -> None:
    dates = resolve_doc_dates([opening, "The ministers met again."], None)
    assert dates.main is None or dates.main.year >= 2000


def test_a_full_date_years_older_than_the_news_is_background() -> None:
    texts = [
        "The pact was signed on March 3, 2001, in Moscow.",
        "On May 4, 2019, the two presidents renewed it.",
    ]
    assert resolve_doc_dates(texts, None).main == dt.date(2019, 5, 4)


def test_a_day_without_a_year_after_anniversary_is_the_news() -> None:
    (e,) = [e for e in find_dates("They marked the anniversary on Tuesday.")]
    assert not is_background("They marked the anniversary on Tuesday.", e)
    text = "They marked the anniversary of the pact signed on May 3, 1950."
    (e,) = find_dates(text)
    assert is_background(text, e)


# ------------------------------------------------------------------------ hypothesis

_WORDS = st.sampled_from(
    [
        "on",
        "Monday",
        "Tuesday",
        "Friday",
        "Sunday",
        "last",
        "next",
        "March",
        "May",
        "Sept.",
        "26",
        "31",
        "1st",
        "2021",
        "1999",
        "yesterday",
        "today",
        "week",
        "ago",
        "in",
        "since",
        "earlier",
        "this",
        "month",
        "-",
        ",",
        "2024-02-30",
        "the",
        "same",
        "day",
        "tomorrow",
    ]
)
_TEXT = st.one_of(st.text(max_size=120), st.lists(_WORDS, max_size=25).map(" ".join))
_DAY = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    text=_TEXT,
    published=st.one_of(st.none(), _DAY),
    hint=st.one_of(st.none(), st.integers(1990, 2035)),
    future=st.booleans(),
)
def test_parsers_never_crash_and_offsets_hold(
    text: str, published: dt.date | None, hint: int | None, future: bool
) -> None:
    found = find_dates(text)
    last_end = 0
    for e in found:
        assert text[e.start : e.end] == e.text
        assert e.start >= last_end  # left to right, no overlaps
        last_end = e.end
        day, exact, why = resolve_expr(e, published, hint, future=future)
        assert isinstance(why, str)
        assert day is None or isinstance(day, dt.date)
        assert not (exact and day is None)
    resolve_doc_dates([text, text[::-1]], published)


@settings(max_examples=200, deadline=None)
@given(
    published=_DAY,
    weekday=st.sampled_from(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    ),
    lead=st.sampled_from(["on", "last", "On", "since"]),
)
def test_weekday_of_the_past_is_within_the_week_before_publication(
    published: dt.date, weekday: str, lead: str
) -> None:
    (e,) = find_dates(f"The ministers met {lead} {weekday}.")
    day, exact, _ = resolve_expr(e, published, None)
    assert day is not None and exact
    assert day <= published
    assert (published - day).days <= 7
    assert day.strftime("%A") == weekday
    ahead, _, _ = resolve_expr(e, published, None, future=True)
    assert ahead is not None and published <= ahead <= published + dt.timedelta(days=7)


@pytest.mark.parametrize(
    "text",
    [
        "Fresh from the G20 summit in New Delhi, the president flew on to Hanoi on Sept. 10.",
        "On Sept. 10 the president, who had attended the G-20 summit hosted by India, met Trong.",
    ],
)
def test_a_summit_named_with_its_host_gives_the_year(text: str) -> None:
    spans = [(dt.date(2021, 1, 20), dt.date(2024, 7, 19))]  # 2021, 2022, 2023 possible
    year, why = infer_year([text], spans, (9, 10), dt.date(2026, 6, 1))
    assert year == 2023 and "summit" in why


def test_a_summit_held_twice_by_one_host_needs_other_evidence() -> None:
    text = "After the G7 summit in Japan, the leaders met on May 28."
    assert infer_year([text], [], (5, 28), dt.date(2026, 6, 1))[0] is None
    tenure = [(dt.date(2020, 9, 16), dt.date(2024, 10, 1))]
    assert infer_year([text], tenure, (5, 28), dt.date(2026, 6, 1))[0] == 2023


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("Published: 12 Mar. 2023, 09:41 Updated: 12 Mar. 2023, 10:05", True),
        ("HANOI, March 3, 2024 (VNA) – The two ministers met in the capital.", True),
        ("Date: Monday, 09 July 2018", True),
        ("Posted on 2019-11-02 by the news desk", True),
        ("LIMA, Peru, 14 Nov 2024 — Leaders gathered for the forum.", True),
        ("Friday, January 23, 2015", True),
        ("Monday 5 May 2025", True),
        ("On March 3, 2024, the two ministers met in the capital.", False),
        ("The two ministers met in the capital on March 3, 2024.", False),
    ],
)
def test_a_page_stamp_or_dateline_is_not_an_event_day(line: str, stamp: bool) -> None:
    for expr in find_dates(line):
        assert is_stamp(line, expr) is stamp, expr.text


def test_the_main_event_day_skips_the_stamp_and_counts_back_from_it() -> None:
    texts = ["Posted: March 5, 2024", "The ministers met on Monday in Hanoi to sign the accord."]
    assert resolve_doc_dates(texts, dt.date(2024, 3, 5)).main == dt.date(2024, 3, 4)


def test_a_printed_stamp_stands_in_for_a_missing_date_line() -> None:
    texts = ["Published 12 May 2024", "The envoys met on Friday in Geneva for a second round."]
    dates = resolve_doc_dates(texts, None)
    assert dates.published == dt.date(2024, 5, 12)
    assert (dates.main, dates.main_exact) == (dt.date(2024, 5, 10), True)


def test_short_title_and_caption_lines_do_not_use_up_the_opening() -> None:
    furniture = ["Talks in Hanoi", "By a staff writer", "Photo: the two ministers"] * 3
    texts = [*furniture, "The two ministers held talks in Hanoi on Monday about trade."]
    assert resolve_doc_dates(texts, TUESDAY).main == dt.date(2021, 4, 5)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(_TEXT, max_size=4),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    start=_DAY,
    length=st.integers(0, 4000),
)
def test_an_inferred_year_always_fits_the_calendar_and_the_tenures(
    texts: list[str], month: int, day: int, start: dt.date, length: int
) -> None:
    today = dt.date(2026, 6, 1)
    spans = [(start, start + dt.timedelta(days=length))]
    year, why = infer_year(texts, spans, (month, day), today)
    assert isinstance(why, str)
    if year is not None:
        d = dt.date(year, month, day)  # a real day
        assert d <= today and start <= d <= spans[0][1]
    for text in texts:
        for e in find_dates(text):
            is_stamp(text, e), is_background(text, e)
    resolve_doc_dates(texts, None, today=today)


def test_an_anniversary_date_after_the_verb_is_not_the_meetings_day() -> None:
    text = (
        "On Tuesday, Chinese President Xi Jinping met Russian President Vladimir Putin on the "
        "75th anniversary of the ties established on October 2, 1949."
    )
    found = dated(text, dt.date(2024, 10, 2))  # a Wednesday
    assert found == {("04", dt.date(2024, 10, 1), True)}


def test_without_a_date_line_an_anniversary_date_leaves_the_meeting_current() -> None:
    text = (
        "Chinese President Xi Jinping met Russian President Vladimir Putin on Tuesday, marking "
        "the 75th anniversary of the ties established on October 2, 1949. The two leaders "
        "agreed to expand trade."
    )
    found = mentions(text, None)
    assert {m.root for m in found} >= {"04", "03"}
    assert all(m.event_date is None or m.event_date.year > 2000 for m in found)
    assert not any(m.root == "03" and "plan" in m.date_reason for m in found)


@pytest.mark.parametrize(
    ("words", "published", "day"),
    [
        ("on January 23", dt.date(2023, 1, 3), dt.date(2023, 1, 23)),  # within the month ahead
        ("on March 20", dt.date(2021, 3, 1), dt.date(2021, 3, 20)),
        ("on December 30", dt.date(2022, 1, 2), dt.date(2021, 12, 30)),  # last year's December
        ("on November 20", dt.date(2021, 3, 1), dt.date(2020, 11, 20)),
    ],
)
def test_a_month_day_takes_the_year_nearest_the_publication(
    words: str, published: dt.date, day: dt.date
) -> None:
    (e,) = find_dates(words)
    assert resolve_expr(e, published, None)[0] == day


@pytest.mark.parametrize(
    "text",
    [
        "As the two countries mark the 50th anniversary of their ties, Japan and Vietnam "
        "agreed on Monday to expand trade.",
        "Marking the 50th anniversary of ties, Japan and Vietnam agreed on Monday to expand trade.",
    ],
)
def test_an_anniversary_in_a_fronted_clause_leaves_the_news_current(text: str) -> None:
    found = dated(text, TUESDAY)
    assert ("03", dt.date(2021, 4, 5), True) in found


def test_an_act_inside_the_anniversary_phrase_is_still_history() -> None:
    text = "On Monday Hanoi recalled the anniversary of the Chinese attack on Vietnam."
    assert not any(root == "19" for root, _, _ in dated(text, TUESDAY))


def test_a_line_that_is_only_a_date_does_not_become_the_main_event_day() -> None:
    texts = [
        "Friday, January 23, 2015",
        "On January 20, 2015, the ambassador presented his credentials to the president.",
    ]
    assert resolve_doc_dates(texts, dt.date(2015, 1, 23)).main == dt.date(2015, 1, 20)


def test_of_the_years_the_tenures_allow_the_one_the_article_names_wins() -> None:
    spans = [(dt.date(2021, 4, 5), dt.date(2026, 12, 31))]
    texts = ["Trade grew fast in 2023.", "The ministers met on March 26."]
    year, why = infer_year(texts, spans, (3, 26), dt.date(2026, 6, 1))
    assert year == 2023 and "names" in why


def test_a_named_year_in_a_history_clause_does_not_count() -> None:
    spans = [(dt.date(2021, 4, 5), dt.date(2026, 12, 31))]
    texts = ["Ties date back to 2023.", "The ministers met on March 26."]
    assert infer_year(texts, spans, (3, 26), dt.date(2026, 6, 1))[0] is None


@pytest.mark.parametrize(
    "opening",
    ["On Monday,", "Late on Monday,", "Monday,", "On April 5,"],
)
def test_a_fronted_date_dates_every_clause_of_its_sentence(opening: str) -> None:
    text = (
        f"{opening} the Japanese government held a long and difficult meeting with the "
        "senior officials of several of its partners in the region, accusing China of "
        "breaking the fishing agreement."
    )
    found = {(root, day) for root, day, _ in dated(text, TUESDAY)}
    assert ("11", dt.date(2021, 4, 5)) in found
