"""Multi-party reports: mediators, hosts meeting several leaders, and the words ("the two
sides", "both nations") that refer back to the parties.

Sentences are our own, in several shapes, so a rule cannot pass for one article.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import coded_triples

PUB = dt.date(2024, 5, 15)


def tuples(text: str) -> set[tuple[str | None, str | None, str]]:
    return coded_triples(text, PUB, "m1")


@pytest.mark.parametrize(
    "text",
    [
        "Kenya and Uganda agreed on Monday to reopen their border. Qatar, which brokered the "
        "accord, hosted the talks. The foreign ministers of both nations will meet next month.",
        "Peru and Chile agreed on Monday to settle the fishing dispute. The deal was mediated "
        "by Brazil. Officials said the two sides will meet again in June.",
    ],
)
def test_the_two_sides_after_a_mediation_are_the_parties_not_the_mediator(text: str) -> None:
    got = tuples(text)
    mediator = {"QAT", "BRA"}
    # the later "both nations" / "the two sides" meeting pairs the two parties
    assert not any(s in mediator and r == "03" or t in mediator and r == "03" for s, t, r in got), (
        got
    )


@pytest.mark.parametrize(
    ("text", "partners"),
    [
        (
            "Turkish President Recep Tayyip Erdogan arrived in Samarkand on Monday. He spoke "
            "at the opening of the forum and is holding one-on-one talks with the heads of "
            "state present, including his Russian counterpart Vladimir Putin.",
            {("TUR", "RUS")},
        ),
        (
            "Kenyan President William Ruto arrived in Paris on Monday. He attended the summit "
            "dinner and held meetings with several leaders, including French President "
            "Emmanuel Macron and Japan's prime minister.",
            {("KEN", "FRA"), ("KEN", "JPN")},
        ),
    ],
)
def test_a_list_after_including_names_the_leaders_met(
    text: str, partners: set[tuple[str, str]]
) -> None:
    got = {frozenset((s, t)) for s, t, r in tuples(text) if r == "04"}
    assert {frozenset(p) for p in partners} <= got, got


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "In a statement issued after a meeting in Nairobi on Monday, Ugandan President "
            "Yoweri Museveni and his Rwandan counterpart Paul Kagame pledged to reopen the "
            "border.",
            ("UGA", "RWA"),
        ),
        (
            "On Monday, in a joint communique released after a meeting in Geneva, the "
            "presidents of Armenia and Azerbaijan promised to keep the ceasefire.",
            ("ARM", "AZE"),
        ),
    ],
)
def test_a_meeting_a_statement_followed_was_held_by_the_main_clause_subjects(
    text: str, pair: tuple[str, str]
) -> None:
    got = {frozenset((s, t)) for s, t, r in tuples(text) if r == "04"}
    assert frozenset(pair) in got, got


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("Japan on Monday announced a donation of 200 ambulances to Ukraine.", ("JPN", "UKR")),
        (
            "On Monday the Turkish government made a donation of medical supplies to Syria.",
            ("TUR", "SYR"),
        ),
        ("Officials said Monday's donation to Kenya by Germany included vaccines.", ("DEU", "KEN")),
    ],
)
def test_a_donation_is_aid_given(text: str, event: tuple[str, str]) -> None:
    assert (*event, "07") in tuples(text)


@pytest.mark.parametrize(
    "text",
    [
        "Brazil on Monday praised the aid to Paraguay.",
        "On Monday Chile hailed the donation of vaccines to Bolivia.",
        "Argentina on Monday criticised the assistance to Uruguay.",
    ],
)
def test_judging_an_act_does_not_make_the_judge_its_actor(text: str) -> None:
    assert not {r for _, _, r in tuples(text)} & {"07"}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "The declaration was issued on Monday. Agreed that Kenya and Somalia will settle "
            "their maritime dispute through talks.",
            ("KEN", "SOM"),
        ),
        (
            "The joint statement of Monday lists three points. Agreed that Peru and Ecuador "
            "will reopen their consulates within a month.",
            ("PER", "ECU"),
        ),
    ],
)
def test_a_declaration_item_agreed_that_binds_both_parties(
    text: str, pair: tuple[str, str]
) -> None:
    got = tuples(text)
    a, b = pair
    assert {(a, b, "03"), (b, a, "03")} <= got, got


def test_an_agreement_with_a_subject_is_not_a_declaration_item() -> None:
    # the speaker agreed; the country in the clause did not
    got = tuples("Kenya agreed on Monday that Somalia and Ethiopia will share the river water.")
    assert not any(s in ("SOM", "ETH") and r == "03" for s, _, r in got), got


_TOUR = (
    "Indian Prime Minister Narendra Modi arrived in Rio de Janeiro on Monday. Modi met the "
    "leaders of Brazil and Chile. Among the leaders Modi met for the first time were {names}. "
    "In Rio, PM also had informal interactions and short meetings with leaders of Japan and "
    "Peru."
)


@pytest.mark.parametrize(
    "names",
    [
        # the last head of government named is a prime minister
        "Gabriel Boric, President of Chile, and Mark Rutte, PM of the Netherlands",
        # the last one named is a president who also heads the government
        "Mark Rutte, PM of the Netherlands, and Gabriel Boric, President of Chile",
    ],
)
def test_a_bare_title_in_a_tour_report_is_the_touring_leader(names: str) -> None:
    got = {frozenset((s, t)) for s, t, r in tuples(_TOUR.format(names=names)) if r == "04"}
    # plural meeting nouns ("short meetings with") are meetings too
    assert {frozenset(("IND", "JPN")), frozenset(("IND", "PER"))} <= got, got
    assert not any("JPN" in p and ("NLD" in p or "CHL" in p) for p in got), got


def test_a_president_heading_the_government_is_not_the_pm() -> None:
    got = tuples(
        "Indian Prime Minister Narendra Modi arrived in Rio de Janeiro on Monday. Modi held "
        "talks with Argentine President Javier Milei. In Rio, PM also had short meetings "
        "with leaders of Japan and Peru."
    )
    assert ("IND", "JPN", "04") in got or ("JPN", "IND", "04") in got, got
    assert not any("ARG" in (s, t) and "JPN" in (s, t) for s, t, _ in got), got
