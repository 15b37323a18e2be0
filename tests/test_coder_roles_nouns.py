"""Roles inside noun phrases: who acts in an event noun (issue 11).

The possessor ("Ankara's strikes"), the "by"-phrase ("the strikes by Israeli jets") and a
nationality adjective ("Iranian missile strikes") name the agent of an event noun; a
noun modifier ("the Hanoi talks") names a place, not an agent. Sentences are our own.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import coded_triples

DAY = dt.date(2024, 1, 17)


def coded(text: str) -> set[tuple[str | None, str | None, str]]:
    return coded_triples(text, DAY, "r")


@pytest.mark.parametrize(
    "text",
    [
        "Two soldiers were killed on Tuesday by Iranian missile strikes on Pakistan.",
        "Islamabad condemned the Iranian missile strikes on Pakistan on Tuesday.",
        "Officials said Iranian drone strikes on Pakistan on Tuesday hit a village.",
    ],
)
def test_a_nationality_adjective_on_an_event_noun_is_its_agent(text: str) -> None:
    assert ("IRN", "PAK", "19") in coded(text)


@pytest.mark.parametrize(
    "text",
    [
        "Syria's air strikes on Turkey on Monday killed three soldiers.",
        "The air strikes on Turkey by Syrian jets on Monday killed three soldiers.",
    ],
)
def test_a_possessor_or_by_agent_of_an_event_noun_acts(text: str) -> None:
    assert ("SYR", "TUR", "19") in coded(text)


def test_an_adjective_on_the_target_is_not_the_agent() -> None:
    """ "strikes on Iranian bases": the adjective belongs to the target's noun."""
    text = "Pakistan launched air strikes on Iranian bases on Thursday."
    found = coded(text)
    assert ("PAK", "IRN", "19") in found and ("IRN", "IRN", "19") not in found


def pairs_on(text: str, day: dt.date) -> set[tuple[str | None, str | None, str]]:
    return coded_triples(text, day, "q")


def test_a_group_known_by_its_owner_stands_for_the_members_listed() -> None:
    """ "grateful to our partners ..., including A, B and C": A, B and C are thanked."""
    text = (
        "Argentine President Javier Milei spoke to reporters in Buenos Aires on Monday.\n\n"
        '"I am grateful to our partners for their help in this outcome, including the '
        'governments of Chile, Peru and Brazil," he added.'
    )
    found = pairs_on(text, dt.date(2024, 5, 6))
    assert {("ARG", iso, "05") for iso in ("CHL", "PER", "BRA")} <= found


def test_a_repeated_preposition_adds_a_second_target() -> None:
    text = '"I give special thanks to the King of Spain and to the President of France," Lula said.'
    found = pairs_on(text, dt.date(2024, 5, 6))
    assert {("BRA", "ESP", "05"), ("BRA", "FRA", "05")} <= found


@pytest.mark.parametrize(
    "text",
    [
        '"I thank Japan for its generous help," Indonesian President Joko Widodo said.',
        'Indonesian President Joko Widodo met reporters.\n\n"I thank Japan for its help," he said.',
    ],
)
def test_i_in_a_quotation_is_its_speaker(text: str) -> None:
    assert ("IDN", "JPN", "05") in pairs_on(text, dt.date(2023, 1, 11))


def test_i_of_a_roman_numeral_is_no_pronoun() -> None:
    from tidings.actors import load_tables
    from tidings.ner import DocContext, find_actors

    refs = find_actors(
        "Poland marked the start of World War I in Warsaw.", load_tables(), DocContext()
    )
    assert not [r for r in refs if r.kind == "pronoun"]


@pytest.mark.parametrize(
    "text",
    [
        "During Monday's talks with Xi Jinping, Joe Biden raised Taiwan.",
        "During yesterday's talks with Xi Jinping, Joe Biden raised Taiwan.",
    ],
)
def test_a_possessor_that_says_when_is_no_agent(text: str) -> None:
    """ "Monday's talks": the day owns nothing; the clause's subject took part."""
    assert ("USA", "CHN", "04") in pairs_on(text, dt.date(2023, 11, 16))


@pytest.mark.parametrize(
    "text",
    [
        "A donation of 3,000 tonnes of wheat was made on Monday by Japan to Kenya.",
        "On Monday a donation of medical supplies was made by Japan to Kenya.",
    ],
)
def test_an_event_noun_subject_of_a_passive_is_done_by_its_agent(text: str) -> None:
    """ "A donation was made by X to Y": the light verb's agent gives, its "to" receives."""
    assert ("JPN", "KEN", "07") in pairs_on(text, dt.date(2021, 7, 29))
