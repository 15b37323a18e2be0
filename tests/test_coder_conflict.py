"""Conflict events (CAMEO 11-19) in shapes the dev sets showed the coder missing.

Each rule is a fact of English or of the CAMEO codebook, checked on our own sentences of
several shapes, with negatives that must stay silent. The sentences stand in three
tables, one block of lines a rule: what must be coded, what must be coded instead of a
look-alike, and what must stay silent.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.coder import code_article
from tidings.model import Article

PUB = dt.date(2024, 5, 15)  # a Wednesday


def coded(text: str) -> set[tuple[str | None, str | None, str]]:
    """(source country, target country, CAMEO code) of the international events."""
    mentions = code_article(Article(doc_id="t1", text=text, published=PUB))
    return {(m.source_country, m.target_country, m.cameo) for m in mentions if not m.domestic}


def codes_starting(got: set[tuple[str | None, str | None, str]], prefix: str) -> set[tuple]:
    return {c for c in got if c[2].startswith(prefix)}


#: (sentence, an international event it must give)
ACTS = [
    # negation stops at a participle clause
    (
        "Brazil did not back down on Monday, announcing its own tariffs on Argentine steel.",
        ("BRA", "ARG", "163"),
    ),
    ("Kenya did not retreat, imposing sanctions on Uganda on Monday.", ("KEN", "UGA", "163")),
    # an expelled diplomat is the target, not the capital
    (
        "Russia is expelling an Estonian diplomat from Moscow, the ministry said on Monday.",
        ("RUS", "EST", "166"),
    ),
    ("Poland expelled two Belarusian diplomats from Warsaw on Monday.", ("POL", "BLR", "166")),
    ("Hungary on Monday expelled two diplomats of Ukraine.", ("HUN", "UKR", "166")),
    # diplomats with no nationality: "from" names their country
    ("Serbia on Monday expelled diplomats from Croatia.", ("SRB", "HRV", "166")),
    (
        "Latvia on Monday ordered three Russian diplomats to leave the country.",
        ("LVA", "RUS", "166"),
    ),
    # fire that lands near a border is a posture
    (
        "Armenian troops fired shells near the Azerbaijani border on Monday.",
        ("ARM", "AZE", "150"),
    ),
    ("China on Monday launched missiles toward Taiwan.", ("CHN", "TWN", "150")),
    (
        "North Korea on Monday fired about 90 artillery shells near a South Korean island.",
        ("PRK", "KOR", "150"),
    ),
    # an order to one's own officials or forces is the act itself
    (
        "Brazil's president on Monday instructed his trade minister \"to raise tariffs on "
        'imports from Argentina."',
        ("BRA", "ARG", "163"),
    ),
    (
        "Peru's president on Monday ordered his armed forces to attack Ecuadorian positions.",
        ("PER", "ECU", "190"),
    ),
    # drills near another country: 15
    ("China on Monday staged large-scale drills around Taiwan.", ("CHN", "TWN", "150")),
    ("Russia held naval exercises off Japan on Monday.", ("RUS", "JPN", "150")),
    (
        "South Korea on Monday carried out a live-fire drill near North Korea.",
        ("KOR", "PRK", "150"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), ACTS)
def test_act_is_coded(text: str, expected: tuple) -> None:
    assert expected in coded(text)


#: (sentence, the event it must give, the start of a CAMEO code it must not give)
INSTEAD = [
    # fire at a target stays fighting, not a posture
    ("Iran fired rockets at Israeli towns on Monday.", ("IRN", "ISR", "194"), "15"),
    (
        "North Korea on Monday fired artillery shells at South Korean positions.",
        ("PRK", "KOR", "194"),
        "15",
    ),
    # summoning one's own envoy home is a recall, not a protest
    (
        "Somalia on Monday summoned its ambassador from Ethiopia for consultations.",
        ("SOM", "ETH", "161"),
        "114",
    ),
    ("Kenya summons its envoy from Addis Ababa on Monday.", ("KEN", "ETH", "161"), "114"),
    (
        "Somalia on Monday summoned its ambassador to Ethiopia for consultations.",
        ("SOM", "ETH", "161"),
        "114",
    ),
    ("Algeria on Monday called home its ambassador to France.", ("DZA", "FRA", "161"), "114"),
    # summoning the other side's envoy stays a protest, not a reduction of relations
    ("Somalia on Monday summoned the Ethiopian ambassador.", ("SOM", "ETH", "114"), "16"),
]


@pytest.mark.parametrize(("text", "expected", "not_code"), INSTEAD)
def test_act_is_coded_instead_of_its_look_alike(text: str, expected: tuple, not_code: str) -> None:
    got = coded(text)
    assert expected in got
    assert not codes_starting(got, not_code)


#: (sentence, the start of a CAMEO code it must not give)
SILENT = [
    # negation still reaches its own clause
    ("Ghana did not impose sanctions on Togo on Monday.", "16"),
    ("Kenya did not, imposing sanctions on Uganda, back down on Monday.", "16"),
    ("Peru never imposed sanctions on Chile on Monday.", "16"),
    # a denial with no accuser: no other party in the article, nobody to answer
    ("Rwanda rejected the allegations on Tuesday.", "12"),
    # the allegations are qualified: about its own election, not the other side's
    (
        "Burundi and Rwanda held talks on Monday. Rwanda rejected the allegations of fraud "
        "in its election on Tuesday.",
        "12",
    ),
    # "that" opens a clause: nothing the other side said is denied
    (
        "Burundi and Rwanda met on Monday. Rwanda on Tuesday denied that claims about the "
        "meeting were true.",
        "12",
    ),
    # no expulsion when negated or planned
    ("Latvia did not expel Russian diplomats from Riga on Monday.", "16"),
    ("Latvia will expel three Russian diplomats from Riga next week.", "16"),
    # drills hosted in a country are joint work, not a show of force against it
    ("The United States and South Korea held joint exercises in South Korea on Monday.", "15"),
    # no posture for planned or negated drills
    ("Russia will hold naval exercises off Japan next week.", "15"),
    ("Russia did not hold naval exercises off Japan on Monday.", "15"),
]


@pytest.mark.parametrize(("text", "not_code"), SILENT)
def test_nothing_of_that_code_is_coded(text: str, not_code: str) -> None:
    assert not codes_starting(coded(text), not_code)


# ------------------------------------------- a denial answers the article's accuser
@pytest.mark.parametrize(
    "reply",
    [
        "Rwanda denied the accusations on Tuesday.",
        "Rwanda rejected the allegations on Tuesday.",
        "Rwanda dismissed the charge as baseless on Tuesday.",
        # a demonstrative "that" before the noun, not a clause
        "Rwanda dismissed that charge as absurd on Tuesday.",
        "On Tuesday Rwanda rejected these accusations.",
    ],
)
def test_denial_targets_the_accuser(reply: str) -> None:
    text = "Burundi accused Rwanda on Monday of backing rebels. " + reply
    assert ("RWA", "BDI", "120") in coded(text)


def test_planned_fire_near_codes_nothing() -> None:
    assert not coded("North Korea will fire artillery shells near the South Korean island.")


@pytest.mark.parametrize(
    "text",
    [
        # an order to another country is a demand; its content is not Peru's act
        "Peru's president on Monday ordered Ecuador to impose sanctions on Chile.",
        # a wish is no order
        "Peru's president wants his ministers to impose sanctions on Chile.",
    ],
)
def test_order_to_others_or_wish_is_not_the_act(text: str) -> None:
    assert ("PER", "CHL", "163") not in coded(text)
