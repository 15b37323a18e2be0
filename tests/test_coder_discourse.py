"""Events that span sentences: the report's protagonist behind a subjectless meeting,
numbered groups ("the three governments"), hosts and their guests, facilitators.

Sentences are our own, in several shapes; each rule also has cases where it must not
fire (a new subject, a partner of the protagonist's own country, a protagonist who
stopped acting several sentences before).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import coded_triples
from tidings.coder import code_article
from tidings.model import Article

PUB = dt.date(2024, 5, 15)


def tuples(text: str) -> set[tuple[str | None, str | None, str]]:
    return coded_triples(text, PUB, "disc")


def pairs04(text: str) -> set[frozenset[str | None]]:
    return {frozenset((s, t)) for s, t, r in tuples(text) if r == "04"}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "Indonesian President Prabowo Subianto held talks with Japanese Prime Minister "
            "Shigeru Ishiba in Tokyo on Monday. Separate talks with Australian Prime Minister "
            "Anthony Albanese followed in the evening.",
            {"IDN", "AUS"},
        ),
        (
            "Kenyan President William Ruto met French President Emmanuel Macron in Paris on "
            "Tuesday. On the sidelines of the forum, a bilateral meeting with the Ghanaian "
            "president was also held.",
            {"KEN", "GHA"},
        ),
    ],
)
def test_a_subjectless_meeting_is_the_protagonists(text: str, pair: set[str]) -> None:
    assert frozenset(pair) in pairs04(text)


@pytest.mark.parametrize(
    "text",
    [
        # a new subject: the meeting is Nigeria's, not the earlier traveller's
        "Kenyan President William Ruto met French President Emmanuel Macron in Paris on "
        "Tuesday. Nigeria's president held talks with the Ghanaian president on Wednesday.",
        # the traveller stopped acting four sentences before
        "Kenyan President William Ruto met French President Emmanuel Macron in Paris on "
        "Tuesday. The forum discussed climate finance. Delegates debated the price of carbon. "
        "The hall was full. Several banks made pledges. A bilateral meeting with the Ghanaian "
        "president was held.",
        # no one acted before: nobody to stand in
        "Talks with the Ghanaian president took place on Monday in Nairobi.",
    ],
)
def test_a_subjectless_meeting_takes_no_stray_actor(text: str) -> None:
    assert frozenset({"KEN", "GHA"}) not in pairs04(text)


def test_a_subjectless_meeting_with_compatriots_is_domestic() -> None:
    text = (
        "Kenyan President William Ruto met French President Emmanuel Macron in Paris on "
        "Tuesday. Back home, a meeting with Kenyan opposition leaders was held."
    )
    assert pairs04(text) == {frozenset({"KEN", "FRA"})}


def test_the_last_name_of_a_list_after_with_is_no_subject_for_he() -> None:
    # "He" is the traveller, not the last leader named in the subjectless sentence
    text = (
        "Dutch Prime Minister Mark Rutte arrived in Hanoi on Sunday. A dinner with Thai "
        "Prime Minister Srettha Thavisin and Lao President Thongloun Sisoulith followed. "
        "He also met the President of Nigeria."
    )
    got = pairs04(text)
    assert frozenset({"NLD", "NGA"}) in got
    assert frozenset({"LAO", "NGA"}) not in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Estonia, Latvia and Lithuania expelled Russian diplomats on Monday. The three "
            "governments accused Moscow of espionage.",
            {("EST", "RUS", "11"), ("LVA", "RUS", "11"), ("LTU", "RUS", "11")},
        ),
        (
            # an Oxford comma, and "all three" after an adverb
            "Chile, Peru, and Bolivia issued a statement on Monday. Later, all three countries "
            "condemned the Argentine decision to close the border.",
            {("CHL", "ARG", "11"), ("PER", "ARG", "11"), ("BOL", "ARG", "11")},
        ),
    ],
)
def test_the_three_governments_are_the_three_named_before(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert expected <= tuples(text)


def test_three_leaders_who_talk_make_every_pair() -> None:
    # the host city is no member of the group
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met Lao Prime Minister Sonexay Siphandone "
        "and Cambodian Prime Minister Hun Manet in Bangkok on Monday. The three prime "
        "ministers discussed trade and transport links."
    )
    assert frozenset({"LAO", "KHM"}) in pairs04(text)
    assert not any("THA" in p for p in pairs04(text))


@pytest.mark.parametrize(
    "text",
    [
        # no group of three was named
        "The three countries condemned the Argentine decision on Monday.",
        # four were named: "the three" is not them
        "Chile, Peru, Bolivia and Ecuador met in Lima on Monday. The three countries "
        "condemned the Argentine decision.",
        # an object inside a complement, not a party to the urging
        "Kenya, Uganda and Tanzania opened a railway on Monday. The Egyptian president urged "
        "other states to follow the three nations.",
    ],
)
def test_the_three_countries_resolve_only_to_a_group_of_three_in_subject_position(
    text: str,
) -> None:
    got = tuples(text)
    assert not any(r in ("11", "02", "10") for _, _, r in got), got


def test_a_broker_among_three_parties_is_not_one_of_the_two_sides() -> None:
    # "the two countries" after the broker met the three parties are the two parties
    text = (
        "Kenya and Uganda agreed on Monday to reopen their border. The deal was reached "
        "between Kenya, Uganda and Qatar in Doha. Qatari Emir Tamim bin Hamad Al Thani held "
        "talks with the three parties. The two countries also agreed to exchange ambassadors."
    )
    got = tuples(text)
    assert {("QAT", "KEN", "04"), ("QAT", "UGA", "04")} <= got
    assert not any("QAT" in (s, t) and r == "03" for s, t, r in got), got


HOST = "Spanish Prime Minister Pedro Sanchez hosted a summit on migration in Madrid on Monday. "
GUESTS = "Italian Prime Minister Giorgia Meloni and Greek Prime Minister Kyriakos Mitsotakis"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HOST + f"Among those who attended were {GUESTS}.", {("ESP", "ITA"), ("ESP", "GRC")}),
        (
            "Spanish Prime Minister Pedro Sanchez hosted a dinner in Madrid on Monday, attended "
            "by Spanish ministers and Italian Prime Minister Giorgia Meloni.",
            {("ESP", "ITA")},
        ),
        (
            "Kenyan President William Ruto watched the celebrations on Monday alongside foreign "
            "guests, including Ugandan President Yoweri Museveni.",
            {("KEN", "UGA")},
        ),
    ],
)
def test_a_host_consults_each_guest(text: str, expected: set[tuple[str, str]]) -> None:
    assert {frozenset(p) for p in expected} <= pairs04(text)


@pytest.mark.parametrize(
    "text",
    [
        HOST + "Italian Prime Minister Giorgia Meloni did not attend.",
        # no host named: a funeral's mourners do not consult each other
        f"Among those who attended the funeral on Monday were {GUESTS}.",
        # the host was named five sentences before
        HOST + "The rain stopped. Markets rose. Prices fell. Fans cheered. Among those who "
        f"attended a concert later were {GUESTS}.",
    ],
)
def test_no_guest_without_a_host_nearby_or_when_absent(text: str) -> None:
    assert not any({"ITA", "GRC"} & p for p in pairs04(text))


@pytest.mark.parametrize(
    "second",
    [
        "The talks facilitated by President William Ruto of Kenya and President Abdel Fattah "
        "al-Sisi of Egypt ended a long standoff between the two countries.",
        "Kenyan President William Ruto and Egyptian President Abdel Fattah al-Sisi acted as "
        "the main mediators.",
    ],
)
def test_each_facilitator_consults_each_party(second: str) -> None:
    text = "Ethiopia and Eritrea agreed on Monday to reopen their border. " + second
    got = pairs04(text)
    for helper in ("KEN", "EGY"):
        for side in ("ETH", "ERI"):
            assert frozenset({helper, side}) in got, (helper, side, got)
    assert frozenset({"KEN", "EGY"}) not in got


def test_a_facilitator_named_before_is_no_party_of_the_talks() -> None:
    text = (
        "Ethiopia and Eritrea agreed on Monday to reopen their border. The talks were "
        "facilitated by Kenyan President William Ruto. Egyptian President Abdel Fattah "
        "al-Sisi acted as the main mediator."
    )
    got = pairs04(text)
    assert frozenset({"EGY", "ETH"}) in got and frozenset({"EGY", "ERI"}) in got
    assert frozenset({"EGY", "KEN"}) not in got


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        (
            "Sweden and Finland were joined by Denmark on Tuesday in declaring formal "
            "recognition of Palestine.",
            ("DNK", "PSE", "05"),
        ),
        (
            "Joined by France and Italy, Germany condemned the Russian strikes on Monday.",
            ("ITA", "RUS", "11"),
        ),
    ],
)
def test_who_joined_the_subjects_does_the_act_too(text: str, joined: tuple[str, str, str]) -> None:
    assert joined in tuples(text)


def test_joined_by_far_from_the_act_adds_no_source() -> None:
    text = (
        "Ireland, joined by Spain in a vote at the assembly last week, condemned the Israeli "
        "strikes on Monday."
    )
    got = tuples(text)
    assert ("IRL", "ISR", "11") in got
    assert not any(s == "ESP" for s, _, _ in got), got


def test_the_two_countries_after_one_act_on_two_are_those_two() -> None:
    text = (
        "China summoned the ambassadors of Japan and the Philippines on Monday. The two "
        "countries condemned the Chinese coast guard."
    )
    # the summoned pair condemns, not China and the first of them
    assert {("JPN", "CHN", "11"), ("PHL", "CHN", "11")} <= tuples(text)


def test_the_two_countries_after_talk_of_others_are_the_pair_that_met() -> None:
    # a war named as a topic is no act on its two parties: the pair that met stands
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met Chinese Premier Li Qiang on Monday. "
        "Both sides discussed the war between Russia and Ukraine. The two countries agreed "
        "to expand trade."
    )
    got = tuples(text)
    assert {("VNM", "CHN", "03"), ("CHN", "VNM", "03")} <= got
    assert not any(r == "03" and {"RUS", "UKR"} & {s, t} for s, t, r in got), got


TOUR = (
    "Indian Prime Minister Narendra Modi held talks with Brazilian President Lula in Rio de "
    "Janeiro on Tuesday. "
)


def nga_day(text: str) -> set[dt.date | None]:
    got = code_article(Article(doc_id="disc", text=text, published=dt.date(2024, 11, 22)))
    return {m.event_date for m in got if {m.source_country, m.target_country} == {"IND", "NGA"}}


@pytest.mark.parametrize(
    "text",
    [
        TOUR + "Modi arrived in Abuja on Sunday. During the visit, he held talks with "
        "President Bola Tinubu.",
        TOUR + "The prime minister reached Nigeria on Sunday. There he held bilateral talks "
        "with President Bola Tinubu.",
    ],
)
def test_a_sentence_that_continues_a_visit_takes_its_day(text: str) -> None:
    assert dt.date(2024, 11, 17) in nga_day(text)
    assert dt.date(2024, 11, 19) not in nga_day(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # no opener that continues the visit: the article's main event day
        (
            TOUR + "The prime minister reached Nigeria on Sunday. He held bilateral talks "
            "with President Bola Tinubu.",
            dt.date(2024, 11, 19),
        ),
        # the sentence's own day wins
        (
            TOUR + "The prime minister reached Nigeria on Sunday. During the visit, he held "
            "talks with President Bola Tinubu on Monday.",
            dt.date(2024, 11, 18),
        ),
    ],
)
def test_a_continued_day_only_without_a_day_of_its_own(text: str, day: dt.date) -> None:
    assert day in nga_day(text)


def test_a_numbered_group_named_before_its_list_is_that_list() -> None:
    text = (
        "Japan sent relief supplies to 3 Pacific nations on Monday. The tents and water were "
        "flown to Fiji, Tonga and Samoa, the foreign ministry in Tokyo said."
    )
    got = tuples(text)
    assert {("JPN", "FJI", "07"), ("JPN", "TON", "07"), ("JPN", "WSM", "07")} <= got


@pytest.mark.parametrize(
    "second",
    [
        # four named: not the three announced
        "The tents were flown to Fiji, Tonga, Samoa and Vanuatu.",
        # the list is two sentences on
        "The tents were loaded in Osaka. They were flown to Fiji, Tonga and Samoa.",
    ],
)
def test_a_numbered_group_takes_only_a_list_of_its_size_next(second: str) -> None:
    text = "Japan sent relief supplies to 3 Pacific nations on Monday. " + second
    got = tuples(text)
    assert not any(s == "JPN" and r == "07" for s, _, r in got), got


def test_a_list_ends_at_its_and() -> None:
    # the ministry after the list is its speaker, not a fourth member
    text = (
        "Chile, Peru and Bolivia, the Argentine foreign ministry said, closed their borders "
        "on Monday. The three governments condemned Argentina."
    )
    got = tuples(text)
    assert {("CHL", "ARG", "11"), ("PER", "ARG", "11"), ("BOL", "ARG", "11")} <= got


@pytest.mark.parametrize(
    "text",
    [
        # the subject attended: it hosts no one
        "French President Emmanuel Macron attended the conference in Rome on Monday "
        "alongside German Chancellor Olaf Scholz.",
        # welcoming a decision makes no host of a later gathering
        "Vietnam welcomed the agreement on Monday. Participants at the Paris conference "
        "included French President Emmanuel Macron and German Chancellor Olaf Scholz.",
    ],
)
def test_an_attendee_or_a_welcome_makes_no_host(text: str) -> None:
    got = pairs04(text)
    assert frozenset({"FRA", "DEU"}) not in got and not any("VNM" in p for p in got), got
