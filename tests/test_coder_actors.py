"""Actor rules of the coder: who a name, a title or a metonym stands for, on the day.

Each test names one rule of issue 4 (role by date, Vietnamese short names, diacritics,
"To Lam" as a person, "the two leaders", metonyms, organisations, ``--actors``). The
sentences are our own; the people and their tenures are real.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tidings.actors import fold, load_tables
from tidings.coder import CoderOptions, code_article
from tidings.errors import TidingsError
from tidings.model import Article, Mention
from tidings.ner import DocContext, find_actors


def mentions(
    text: str, published: str | None, options: CoderOptions | None = None
) -> list[Mention]:
    day = dt.date.fromisoformat(published) if published else None
    return code_article(Article(doc_id="a1", text=text, published=day), options)


def sources(text: str, published: str | None) -> set[str]:
    return {m.source_id for m in mentions(text, published)}


def actor_ids(sentence: str, day: dt.date | None = None) -> list[str]:
    """Ids of the actors found in one sentence, with no article context."""
    return [r.id for r in find_actors(sentence, load_tables(), DocContext(day=day))]


# ------------------------------------------------------------------- role by date


@pytest.mark.parametrize(
    ("text", "published", "person"),
    [
        (
            "The Russian President held talks with the Vietnamese Prime Minister on Friday.",
            "2021-04-05",
            "vladimir-putin",
        ),
        (
            "The U.S. President met the Vietnamese Party chief in Hanoi on Sunday.",
            "2023-09-10",
            "joe-biden",
        ),
        (
            "The U.S. President spoke by phone with the Japanese Prime Minister on Tuesday.",
            "2025-07-02",
            "donald-trump",
        ),
        (
            "The American President spoke by phone with the Japanese Prime Minister on Tuesday.",
            "2025-07-02",
            "donald-trump",
        ),
        (
            "Vietnam's Party chief met the Chinese ambassador on Tuesday.",
            "2021-06-10",
            "nguyen-phu-trong",
        ),
        ("Vietnam's Party chief met the Chinese ambassador on Tuesday.", "2025-06-10", "to-lam"),
        (
            "The Russian President held talks with the Vietnamese Prime Minister on Friday.",
            "2009-03-14",
            "dmitry-medvedev",
        ),
        pytest.param(
            "The US President met the Vietnamese Party chief in Hanoi on Sunday.",
            "2023-09-10",
            "joe-biden",
        ),
        pytest.param(
            "The US President spoke by phone with the Japanese Prime Minister on Tuesday.",
            "2025-07-02",
            "donald-trump",
        ),
    ],
)
def test_generic_role_resolves_to_the_holder_on_the_day(
    text: str, published: str, person: str
) -> None:
    assert person in sources(text, published)


def test_role_target_resolves_by_date_too() -> None:
    found = mentions(
        "The Russian President held talks with the Vietnamese Prime Minister on Friday.",
        "2021-04-05",
    )
    assert {(m.source_id, m.target_id) for m in found} == {("vladimir-putin", "nguyen-xuan-phuc")}
    # the same words a year later: Pham Minh Chinh had taken over in April 2021
    later = mentions(
        "The Russian President held talks with the Vietnamese Prime Minister on Friday.",
        "2022-04-05",
    )
    assert {m.target_id for m in later} == {"pham-minh-chinh"}


def test_role_without_a_known_holder_keeps_country_and_agent() -> None:
    (m,) = mentions(
        "The Russian Foreign Ministry summoned the Japanese ambassador on Monday.", "2021-04-06"
    )
    assert (m.source_code, m.target_code) == ("RUSGOV", "JPNDIP")
    assert (m.source_country, m.target_country, m.root) == ("RUS", "JPN", "11")


def test_agent_nouns_give_cameo_agent_codes() -> None:
    (m,) = mentions("Russian troops shelled Ukrainian positions on Monday.", "2021-04-06")
    assert m.source_code == "RUSMIL"
    assert m.target_country == "UKR"


def test_party_role_gives_party_agent() -> None:
    (m,) = mentions("Vietnam's Party chief met the Chinese ambassador on Tuesday.", "2021-06-10")
    assert m.source_code == "VNMPTY"


# ------------------------------------------------------- Vietnamese short names


@pytest.mark.parametrize(
    ("text", "published", "person", "short"),
    [
        (
            "Party General Secretary Nguyen Phu Trong received Russian President Vladimir Putin on "
            "Tuesday. Trong thanked Putin for the vaccines.",
            "2021-06-10",
            "nguyen-phu-trong",
            "Trong",
        ),
        (
            "General Secretary and President To Lam met Chinese President Xi Jinping in Beijing on "
            "Monday. Lam thanked Xi for the warm welcome.",
            "2024-08-20",
            "to-lam",
            "Lam",
        ),
        (
            "Prime Minister Pham Minh Chinh met Singaporean Prime Minister Lawrence Wong on "
            "Monday. Chinh thanked Singapore for its support.",
            "2024-08-20",
            "pham-minh-chinh",
            "Chinh",
        ),
    ],
)
def test_vietnamese_given_name_after_a_full_mention(
    text: str, published: str, person: str, short: str
) -> None:
    found = mentions(text, published)
    second = [m for m in found if m.sentence_index == 1]
    assert second, found
    m = second[0]
    assert m.source_id == person
    assert text[m.source_start : m.source_end] == short


def test_short_name_alone_is_not_an_actor() -> None:
    """'Lam' with no full mention in the article may be anyone (a place, a surname)."""
    assert mentions("Lam thanked Xi for the warm welcome on Monday.", "2024-08-20") == []


# --------------------------------------------------------------------- diacritics


def test_diacritics_and_plain_ascii_name_the_same_person() -> None:
    plain = mentions("To Lam held talks with Xi Jinping on Monday.", "2024-08-20")
    marked = mentions("Tô Lâm held talks with Xi Jinping on Monday.", "2024-08-20")
    assert [m.source_id for m in plain] == [m.source_id for m in marked] == ["to-lam"]
    (m,) = marked
    assert "Tô Lâm held talks with Xi Jinping on Monday."[m.source_start : m.source_end] == "Tô Lâm"


def test_short_name_with_diacritics_after_full_form() -> None:
    text = (
        "General Secretary and State President Tô Lâm met Chinese President Xi Jinping in "
        "Beijing on Monday. Lâm thanked Xi for the warm welcome."
    )
    found = mentions(text, "2024-08-20")
    assert {(m.source_id, m.root) for m in found} >= {("to-lam", "04"), ("to-lam", "05")}


def test_fold_removes_vietnamese_marks_and_keeps_length() -> None:
    for name in ("Tô Lâm", "Nguyễn Phú Trọng", "Phạm Minh Chính", "Đỗ Mười"):
        folded = fold(name)
        assert folded.isascii()
        assert len(folded) == len(name)  # offsets into the folded text stay valid
    assert fold("Tô Lâm") == "To Lam"


# ------------------------------------------------------------ "To Lam" is a person


def test_to_lam_is_a_person_not_a_preposition() -> None:
    found = mentions(
        "Chinese Premier Li Qiang received General Secretary To Lam in Beijing on Monday.",
        "2024-08-20",
    )
    assert [(m.source_id, m.target_id) for m in found] == [("li-qiang", "to-lam")]


def test_to_lam_as_sentence_subject() -> None:
    assert sources("To Lam held talks with Xi Jinping on Monday.", "2024-08-20") == {"to-lam"}


def test_lowercase_to_before_a_place_is_not_to_lam() -> None:
    assert "to-lam" not in actor_ids(
        "The Japanese envoy went to Lam Dong on Monday to meet provincial leaders.",
        dt.date(2024, 8, 20),
    )
    assert mentions("The Japanese envoy went to Lam Dong on Monday.", "2024-08-20") == []


# -------------------------------------------------------------- "the two leaders"


@pytest.mark.parametrize("group", ["The two leaders", "Both leaders", "The two sides"])
def test_group_phrase_stands_for_both_actors(group: str) -> None:
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh held phone talks with Russian Prime "
        f"Minister Mikhail Mishustin on Monday. {group} agreed to boost trade."
    )
    found = [m for m in mentions(text, "2021-04-06") if m.root == "03"]
    assert {(m.source_id, m.target_id) for m in found} == {
        ("pham-minh-chinh", "mikhail-mishustin"),
        ("mikhail-mishustin", "pham-minh-chinh"),
    }
    for m in found:
        assert text[m.source_start : m.source_end] == group


# ------------------------------------------------------------------------ metonyms


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("The Kremlin condemned Washington on Monday for the new sanctions.", "RUS", "USA"),
        ("Beijing criticised Tokyo on Tuesday over the water release.", "CHN", "JPN"),
        ("The White House praised Hanoi on Monday for the agreement.", "USA", "VNM"),
        ("Moscow rebuffed Kyiv's peace proposal on Monday.", "RUS", "UKR"),
    ],
)
def test_capitals_and_seats_stand_for_their_governments(
    text: str, source: str, target: str
) -> None:
    (m,) = mentions(text, "2024-05-15")
    assert (m.source_country, m.target_country) == (source, target)
    assert m.source_code == f"{source}GOV"


def test_newspaper_named_after_a_capital_is_not_the_government() -> None:
    assert (
        mentions(
            "The Washington Post criticised China on Monday over its human rights record.",
            "2024-05-15",
        )
        == []
    )
    assert "USA" not in actor_ids("The Washington Post reported the story on Monday.")


def test_sea_named_after_a_country_is_not_the_country() -> None:
    assert "CHN" not in actor_ids("Vietnamese fishermen work in the South China Sea.")


# ------------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    ("text", "org_code"),
    [
        (
            "The UN Security Council condemned North Korea on Monday for the missile launch.",
            "IGOUNO",
        ),
        (
            "ASEAN foreign ministers met Chinese Foreign Minister Wang Yi in Vientiane on Monday.",
            "IGOASN",
        ),
        ("The European Union imposed sanctions on Iran on Monday.", "IGOEEC"),
        ("NATO condemned Russia on Monday for the cyberattacks.", "IGONAT"),
        ("The United Nations urged Myanmar on Monday to free political prisoners.", "IGOUNO"),
    ],
)
def test_organisations_carry_their_cameo_codes(text: str, org_code: str) -> None:
    found = mentions(text, "2024-05-15")
    assert found
    m = found[0]
    assert m.source_code == org_code
    assert m.source_country is None


@pytest.mark.parametrize(
    ("text", "org_code"),
    [
        (
            "NATO Secretary General Jens Stoltenberg met Ukrainian President Volodymyr Zelensky in "
            "Kyiv on Monday.",
            "IGONAT",
        ),
        (
            "UN Secretary-General Antonio Guterres urged Israel on Monday to allow more aid into "
            "Gaza.",
            "IGOUNO",
        ),
    ],
)
def test_head_of_an_organisation_speaks_for_it(text: str, org_code: str) -> None:
    (m,) = mentions(text, "2024-05-15")
    assert m.source_code == org_code


# --------------------------------------------------------------- --actors files


def test_actors_file_adds_a_new_person(tmp_path: Path) -> None:
    text = (
        "Finnish Foreign Minister Aino Virtanen met Swedish Foreign Minister Tobias Billstrom "
        "in Helsinki on Monday. Virtanen thanked Sweden for its support."
    )
    before = mentions(text, "2024-05-15")
    assert "aino-virtanen" not in {m.source_id for m in before}
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "people:\n"
        "  - id: aino-virtanen\n"
        "    name: Aino Virtanen\n"
        "    aliases: [Aino Virtanen]\n"
        "    short: [Virtanen]\n"
        "    country: FIN\n"
        "    roles:\n"
        "      - {role: foreign_minister, title: Foreign Minister, from: 2024-05-01, to: null}\n"
        # an override by id: end the packaged holder's tenure the day before
        "  - id: elina-valtonen\n"
        "    name: Elina Valtonen\n"
        "    aliases: [Elina Valtonen]\n"
        "    country: FIN\n"
        "    roles:\n"
        "      - {role: foreign_minister, title: Foreign Minister, from: 2023-06-20, "
        "to: 2024-05-01}\n",
        encoding="utf-8",
    )
    after = mentions(text, "2024-05-15", CoderOptions(actors_files=(extra,)))
    got = {(m.source_id, m.target_country, m.root) for m in after}
    assert ("aino-virtanen", "SWE", "04") in got
    assert ("aino-virtanen", "SWE", "05") in got  # the short name after the full one
    # the role resolves to the new holder, as the override ended the old one's tenure
    role = mentions(
        "The Finnish Foreign Minister met the Swedish Foreign Minister on Monday.",
        "2024-05-15",
        CoderOptions(actors_files=(extra,)),
    )
    assert "aino-virtanen" in {m.source_id for m in role}


def test_actors_file_adds_an_organisation(tmp_path: Path) -> None:
    extra = tmp_path / "orgs.yaml"
    extra.write_text(
        "organisations:\n"
        "  - id: MRC\n"
        "    name: Mekong River Commission\n"
        "    aliases: [MRC]\n"
        "    cameo: IGOMRC\n"
        "    country: null\n"
        "    agent: null\n"
        "    kind: igo\n",
        encoding="utf-8",
    )
    text = "The Mekong River Commission urged Laos on Monday to share dam data."
    assert mentions(text, "2024-05-15") == []
    (m,) = mentions(text, "2024-05-15", CoderOptions(actors_files=(extra,)))
    assert (m.source_code, m.target_country, m.root) == ("IGOMRC", "LAO", "02")


def test_bad_actors_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(TidingsError, match="bad.yaml"):
        mentions(
            "Japan praised Vietnam on Monday.", "2024-05-15", CoderOptions(actors_files=(bad,))
        )
