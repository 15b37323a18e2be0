"""Scope: which triggers report an act of the article's news (issue 11).

Each rule is checked on sentences of several shapes, both the shape it keeps and the
shape it still drops, through the whole coder.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.coder import code_article
from tidings.model import Article

THURSDAY = dt.date(2024, 3, 14)


def coded(text: str, published: dt.date | None = THURSDAY) -> set[tuple[str, str, str]]:
    """(source country, target country, root) of every mention of the text."""
    article = Article(doc_id="s1", text=text, published=published)
    return {(m.source_country, m.target_country, m.root) for m in code_article(article)}


#: (rule, sentence): sentences that tell no act of the news, by the rule that says so
NO_ACT = [
    ("a_habit_is_no_event", "Chinese leaders visit Russia from time to time."),
    ("a_habit_is_no_event", "Indian leaders visit China from time to time, as they visit Russia."),
    ("a_habit_is_no_event", "The Chinese and Russian navies routinely hold joint drills."),
    (
        "a_habit_is_no_event",
        "Japan and the Philippines hold talks every year on maritime security.",
    ),
    (
        "a_meeting_on_the_schedule_is_not_yet_an_event",
        "Emmanuel Macron will instead meet with Indian Prime Minister Narendra Modi.",
    ),
    (
        "a_meeting_on_the_schedule_is_not_yet_an_event",
        "Kim Jong Un is set to meet Vietnamese President Nguyen Phu Trong on Friday.",
    ),
    (
        "a_meeting_on_the_schedule_is_not_yet_an_event",
        "Kim Jong Un is scheduled to hold talks with Vietnamese President Nguyen Phu Trong.",
    ),
    (
        "an_act_over_a_period_is_background",
        "Over the past years, Japan accused China of hostile actions.",
    ),
    (
        "an_act_over_a_period_is_background",
        "Japan had long accused China of bullying its neighbours.",
    ),
    (
        "an_act_over_a_period_is_background",
        "Japan has for years accused China of bullying its neighbours.",
    ),
    (
        "an_event_that_did_not_take_place_is_no_event",
        "The talks between Iran and Saudi Arabia did not happen.",
    ),
    (
        "an_event_that_did_not_take_place_is_no_event",
        "The talks between Iran and Saudi Arabia have never taken place.",
    ),
    (
        "an_event_that_did_not_take_place_is_no_event",
        "The visit by Modi to China did not go ahead.",
    ),
    (
        "an_expected_act_is_speculation",
        "The two presidents were also expected to discuss trade with Mexico.",
    ),
    (
        "an_expected_act_is_speculation",
        "Egypt's foreign minister is reportedly expected to meet his Turkish counterpart.",
    ),
    (
        "an_expected_act_is_speculation",
        "The Chinese president was widely expected to meet Biden in November.",
    ),
    (
        "inverted_conditions_and_yes_no_questions_tell_no_act",
        "Had Russia invaded Finland, the alliance would have responded.",
    ),
    (
        "inverted_conditions_and_yes_no_questions_tell_no_act",
        "Should Iran attack Israel, the United States would defend it.",
    ),
    (
        "inverted_conditions_and_yes_no_questions_tell_no_act",
        "Did Japan condemn China for the drills?",
    ),
    (
        "inverted_conditions_and_yes_no_questions_tell_no_act",
        '"Will China sanction the United States?" the senator asked.',
    ),
    (
        "inverted_conditions_and_yes_no_questions_tell_no_act",
        "Has Russia expelled Moldovan diplomats yet?",
    ),
    (
        "older_past_perfect_stays_background",
        "In 2019 Japan had summoned the South Korean ambassador over the ruling.",
    ),
    (
        "older_past_perfect_stays_background",
        "In January, Japan had summoned the South Korean ambassador over the ruling.",
    ),
    (
        "older_past_perfect_stays_background",
        "Japan had summoned the South Korean ambassador over the ruling.",
    ),
]

#: (rule, sentence, events): sentences whose act is news, with what the coder must find
ACTS = [
    (
        "a_commitment_to_meet_or_an_announced_visit_is_an_intent",
        "Kim Jong Un agreed to meet Vietnamese President Nguyen Phu Trong.",
        {("PRK", "VNM", "03")},
    ),
    (
        "a_commitment_to_meet_or_an_announced_visit_is_an_intent",
        "Kim Jong Un is ready to meet Vietnamese President Nguyen Phu Trong.",
        {("PRK", "VNM", "03")},
    ),
    (
        "a_commitment_to_meet_or_an_announced_visit_is_an_intent",
        "Kim Jong Un will visit Vietnam next week.",
        {("PRK", "VNM", "03")},
    ),
    (
        "a_period_before_a_dated_act_belongs_to_something_else",
        "After years of tension, Japan on Wednesday accused China of hostile actions.",
        {("JPN", "CHN", "11")},
    ),
    (
        "a_period_before_a_dated_act_belongs_to_something_else",
        "Tensions have grown over the past months, and on Wednesday Japan accused China "
        "of hostile actions.",
        {("JPN", "CHN", "11")},
    ),
    (
        "an_act_asked_about_by_a_wh_question_or_before_a_question_happened",
        "Why did Japan condemn China for the drills?",
        {("JPN", "CHN", "11")},
    ),
    (
        "an_act_asked_about_by_a_wh_question_or_before_a_question_happened",
        "Japan condemned China for the drills. Did it go too far?",
        {("JPN", "CHN", "11")},
    ),
    (
        "recent_past_perfect_is_news",
        "Earlier, the Russian Foreign Ministry had summoned the Latvian ambassador to "
        "complain about the closure of a school.",
        {("RUS", "LVA", "11")},
    ),
    (
        "recent_past_perfect_is_news",
        "On Tuesday, the Indian Foreign Ministry had summoned the Canadian envoy, officials said.",
        {("IND", "CAN", "11")},
    ),
    (
        "recent_past_perfect_is_news",
        "The Indian Foreign Ministry had summoned the Canadian envoy on Tuesday over the remarks.",
        {("IND", "CAN", "11")},
    ),
    (
        "talks_a_trip_was_made_for_were_held",
        "Japan's foreign minister went on a short trip to discuss trade with Vietnamese "
        "Prime Minister Pham Minh Chinh.",
        {("JPN", "VNM", "04")},
    ),
    (
        "talks_a_trip_was_made_for_were_held",
        "Japan's foreign minister travelled overnight to discuss trade with Vietnamese "
        "Prime Minister Pham Minh Chinh.",
        {("JPN", "VNM", "04")},
    ),
    (
        "talks_that_took_place_stay_events",
        "The talks between Iran and Saudi Arabia did not produce an agreement.",
        {("IRN", "SAU", "04")},
    ),
    (
        "talks_that_took_place_stay_events",
        "The talks between Iran and Saudi Arabia took place in Baghdad.",
        {("IRN", "SAU", "04")},
    ),
]


@pytest.mark.parametrize(("rule", "text"), NO_ACT, ids=[f"{r}:{t[:30]}" for r, t in NO_ACT])
def test_no_act(rule: str, text: str) -> None:
    assert coded(text) == set(), rule


@pytest.mark.parametrize(
    ("rule", "text", "events"), ACTS, ids=[f"{r}:{t[:30]}" for r, t, _ in ACTS]
)
def test_act(rule: str, text: str, events: set[tuple[str, str, str]]) -> None:
    assert coded(text) == events, rule


def test_a_period_does_not_reach_past_a_report_of_its_own() -> None:
    text = (
        "Japan praised ties with Vietnam built over the past decades, saying Tokyo commits "
        "to deepening cooperation with Hanoi."
    )
    assert ("JPN", "VNM", "03") in coded(text)
    assert coded("Over the past decades, Japan has deepened cooperation with Vietnam.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Japan's foreign minister wanted to fly to Hanoi to discuss trade with Vietnam.",
        "Japan sent an envoy to Hanoi to demand the release of Japanese sailors by Vietnam.",
    ],
)
def test_a_wish_to_travel_or_a_non_consult_purpose_is_no_act(text: str) -> None:
    assert not any(root in ("04", "10") for _, _, root in coded(text))


def test_rounds_of_talks_were_held() -> None:
    text = "Saudi Arabia announced a deal after two rounds of talks with Iran."
    assert coded(text) == {("SAU", "IRN", "04")}
    assert coded("Saudi Arabia announced a deal after talk of negotiations with Iran.") == set()


def test_a_habit_in_another_clause_leaves_the_act_of_a_day() -> None:
    text = "Japan and the Philippines held talks on Monday, as they do every year."
    assert coded(text) == {("JPN", "PHL", "04")}


@pytest.mark.parametrize(
    "text",
    [
        "Donald Trump touched on trade, calling Denmark ungrateful.",
        "Donald Trump called Denmark a bad ally.",
    ],
)
def test_calling_someone_something_is_no_phone_call(text: str) -> None:
    assert not any(root == "04" for _, _, root in coded(text))


def test_a_call_to_a_person_stays_a_phone_call() -> None:
    text = "Japanese Prime Minister Fumio Kishida called Chinese Premier Li Qiang late on Monday."
    assert coded(text) == {("JPN", "CHN", "04")}
