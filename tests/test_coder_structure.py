"""One test per structural rule of the coder (see the docstring of ``tidings.coder``).

Roles come from the sentence's structure, not word order: subjects, prepositional
phrases, verb-phrase continuations, opening participles, passives, objects and allowed
prepositions, coordination and group words, symmetric and joint acts, pronouns and
counterparts; and what is not an event: negation, background, appeals and conditions,
plans, quotes. Plus the pattern table's own integrity, which every rule relies on.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest
import yaml

from tidings import cameo
from tidings.coder import code_article
from tidings.model import Article, Mention
from tidings.patterns import find_triggers, load_patterns

PUB = dt.date(2024, 5, 15)


def mentions(text: str, published: dt.date | None = PUB) -> list[Mention]:
    return code_article(Article(doc_id="s1", text=text, published=published))


def tuples(text: str, published: dt.date | None = PUB) -> set[tuple[str | None, str | None, str]]:
    return {(m.source_country, m.target_country, m.root) for m in mentions(text, published)}


# ------------------------------------------------------------------------ the source


def test_source_is_the_subject_not_an_actor_inside_a_prepositional_phrase() -> None:
    text = (
        "Russian Foreign Minister Sergey Lavrov, speaking in Beijing, criticised Washington "
        "on Monday."
    )
    assert tuples(text) == {("RUS", "USA", "11")}


def test_actor_in_an_opening_prepositional_phrase_is_not_the_source() -> None:
    text = (
        "During the visit of Japanese Prime Minister Fumio Kishida, Vietnam signed an "
        "agreement with Japan on Monday."
    )
    assert ("VNM", "JPN", "05") in tuples(text)


def test_continued_verb_phrase_keeps_its_subject() -> None:
    """'accused X ... and demanded': X is the object of the first verb, not a new subject."""
    text = (
        "China accused the Philippines on Monday of provocation and demanded that Manila "
        "withdraw its ship."
    )
    assert tuples(text) == {("CHN", "PHL", "11"), ("CHN", "PHL", "10")}


def test_opening_participle_takes_the_main_subject() -> None:
    text = (
        "Thanking Putin for the warm welcome on Monday, Vietnamese leader To Lam affirmed that "
        "Hanoi values the partnership."
    )
    got = mentions(text)
    assert {(m.source_id, m.target_id, m.root) for m in got} == {("to-lam", "vladimir-putin", "05")}


# ------------------------------------------------------------------------ the target


def test_passive_agent_after_by_is_the_source() -> None:
    assert tuples("India was praised by Germany on Monday for its digital payments.") == {
        ("DEU", "IND", "05")
    }
    assert tuples("Israel was condemned by Turkey on Monday for the raid.") == {
        ("TUR", "ISR", "11")
    }


def test_target_is_the_object_or_after_an_allowed_preposition() -> None:
    assert tuples("Japan congratulated Vietnam on Monday on the election.") == {
        ("JPN", "VNM", "05")
    }
    assert tuples("Japan extended condolences to Turkey on Monday.") == {("JPN", "TUR", "01")}


def test_actor_after_a_preposition_the_pattern_does_not_allow_is_no_target() -> None:
    """'praised the agreement with Japan': Japan is not whom Vietnam praised."""
    assert tuples("Vietnam praised the agreement with Japan on Monday.") == set()


# ----------------------------------------------------- coordination and group words


def test_coordinated_subjects_consult_once_undirected() -> None:
    found = [
        m for m in mentions("Vietnam and China held talks in Beijing on Monday.") if m.root == "04"
    ]
    assert len(found) == 1
    assert {found[0].source_country, found[0].target_country} == {"VNM", "CHN"}
    assert found[0].symmetric


def test_coordinated_subjects_of_a_joint_act_act_both_ways() -> None:
    text = (
        "Chinese President Xi Jinping and Russian President Vladimir Putin signed a joint "
        "statement in Beijing on Thursday."
    )
    assert tuples(text) == {("CHN", "RUS", "05"), ("RUS", "CHN", "05")}


@pytest.mark.parametrize("group", ["They", "The two leaders", "Both sides"])
def test_group_words_stand_for_the_article_dyad(group: str) -> None:
    text = (
        "Japanese Prime Minister Fumio Kishida met Philippine President Ferdinand Marcos Jr. on "
        f"Monday. {group} agreed to expand defence ties."
    )
    got = tuples(text)
    assert {("JPN", "PHL", "03"), ("PHL", "JPN", "03")} <= got
    assert len([t for t in got if t[2] == "04"]) == 1


# ---------------------------------------------------- pronouns and counterparts


def test_pronoun_and_counterpart_resolve_against_the_article() -> None:
    text = (
        "Russian Foreign Minister Sergey Lavrov arrived in Hanoi on Monday. He held talks with "
        "his Vietnamese counterpart."
    )
    second = [m for m in mentions(text) if m.sentence_index == 1]
    assert [(m.source_id, m.target_country, m.root) for m in second] == [
        ("sergey-lavrov", "VNM", "04")
    ]
    m = second[0]
    assert text[m.source_start : m.source_end] == "He"
    assert m.target_id == "bui-thanh-son"  # Vietnam's foreign minister in May 2024


# ------------------------------------------------------------- what is not an event


@pytest.mark.parametrize(
    "text",
    [
        "Putin did not meet Zelensky on Monday.",
        "Japan refused to sign the agreement with China on Monday.",
        "Vietnam never condemned China over the incident, officials said on Monday.",
    ],
)
def test_negated_acts_are_dropped(text: str) -> None:
    assert tuples(text) == set()


def test_background_long_before_the_news_is_dropped() -> None:
    text = (
        "Vietnamese President To Lam met Chinese President Xi Jinping on Monday. In 1979, "
        "China invaded Vietnam."
    )
    assert tuples(text, dt.date(2024, 8, 20)) == {("VNM", "CHN", "04")}


def test_an_act_inside_an_appeal_is_not_an_act_of_its_own() -> None:
    assert tuples("Japan urged China on Monday to stop harassing Philippine vessels.") == {
        ("JPN", "CHN", "02")
    }
    assert tuples(
        "Vietnam proposed that the United States recognise its market economy on Monday."
    ) == {("VNM", "USA", "02")}


def test_an_act_inside_a_condition_is_not_an_event() -> None:
    text = (
        "If China attacks the Philippines, Washington will respond, the ambassador said on Monday."
    )
    assert not [t for t in tuples(text) if t[2] == "19"]


def test_plans_become_intents_when_the_pattern_defines_one() -> None:
    visit = mentions("Japanese Prime Minister Fumio Kishida will visit Vietnam next month.")
    assert [(m.source_country, m.target_country, m.root, m.cameo) for m in visit] == [
        ("JPN", "VNM", "03", "036")
    ]
    assert tuples("The United States will impose sanctions on Iran next month.") == set()


def test_quoted_we_is_not_an_actor() -> None:
    text = (
        'Russian Foreign Minister Sergey Lavrov praised Vietnam on Monday. "We value our '
        'friends in Hanoi," he said.'
    )
    assert tuples(text) == {("RUS", "VNM", "05")}


def test_domestic_events_are_kept_and_flagged() -> None:
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met National Assembly Chairman Vuong Dinh Hue "
        "in Hanoi on Monday."
    )
    (m,) = mentions(text)
    assert m.domestic and m.source_country == m.target_country == "VNM"
    international = mentions("Vietnam and China held talks in Beijing on Monday.")
    assert not any(x.domestic for x in international)


def test_target_from_the_dyad_has_evidence_in_the_article() -> None:
    text = (
        "Prime Minister Pham Minh Chinh met Singaporean Prime Minister Lawrence Wong on Monday. "
        "Chinh invited Wong to visit Vietnam."
    )
    for m in mentions(text, dt.date(2024, 8, 20)):
        assert "Wong" in text[m.target_start : m.target_end]


# ------------------------------------------------------------------ pattern table


def _table() -> list[dict]:
    res = resources.files("tidings") / "data" / "patterns.yaml"
    return yaml.safe_load(res.read_text(encoding="utf-8"))


def test_pattern_table_values_are_strings() -> None:
    """YAML reads a bare `on`, `no` or `yes` as a boolean: prepositions must stay words."""
    for entry in _table():
        for key in ("verbs", "nouns", "preps"):
            for value in entry.get(key) or []:
                assert isinstance(value, str), (entry.get("id"), key, value)


def test_pattern_table_codes_exist_and_ids_are_unique() -> None:
    entries = _table()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert cameo.lookup(str(e["code"])).code == str(e["code"])
        if e.get("intent_code"):
            assert str(e["intent_code"]).startswith("03")
    assert {str(e["code"])[:2] for e in entries} == {f"{i:02d}" for i in range(1, 21)}


def test_every_verb_inflection_and_preposition_target_is_found() -> None:
    patterns = load_patterns()
    for sentence, expected in [
        ("Pakistan called on India on Monday.", "urge"),
        ("Japan is calling on India to act.", "urge"),
        ("They met with Putin.", "meet"),
        ("Russia shelled the town.", "artillery"),
    ]:
        assert expected in {t.pattern.id for t in find_triggers(sentence, patterns)}
    assert tuples("Pakistan called on India on Monday to resume dialogue.") == {
        ("PAK", "IND", "02")
    }


def test_implied_target_points_at_the_trigger_not_another_sentence() -> None:
    """Regression: a target taken from the article's dyad once kept the offsets of the
    sentence it came from, so the evidence highlighted unrelated words."""
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh met Singaporean Prime Minister "
        "Lawrence Wong in Hanoi on Monday. The Vietnamese leader pledged to deepen bilateral "
        "trade."
    )
    found = mentions(text, dt.date(2024, 8, 20))
    implied = [m for m in found if m.sentence_index == 1]
    assert implied, found
    for m in implied:
        assert m.target_start == m.target_end == m.trigger_end
        assert m.sentence_start <= m.target_start <= m.sentence_end
