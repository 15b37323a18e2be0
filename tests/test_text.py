"""Sentence splitting and tokenising: the offsets every piece of evidence relies on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tidings.text import split_sentences, tokenize


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "U.S. President Joe Biden met Mr. Kishida on Sept. 9 in Tokyo. They discussed trade.",
            [
                "U.S. President Joe Biden met Mr. Kishida on Sept. 9 in Tokyo.",
                "They discussed trade.",
            ],
        ),
        (
            "The talks took place in the U.S. The next round is in Tokyo.",
            ["The talks took place in the U.S.", "The next round is in Tokyo."],
        ),
        (
            "Joe R. Biden and Kamala D. Harris spoke. Then they left.",
            ["Joe R. Biden and Kamala D. Harris spoke.", "Then they left."],
        ),
        (
            "Gen. Phan Van Giang met Col. Smith. Dr. Lee attended.",
            ["Gen. Phan Van Giang met Col. Smith.", "Dr. Lee attended."],
        ),
        (
            "The meeting ended at 5 p.m. on Monday. It was long.",
            ["The meeting ended at 5 p.m. on Monday.", "It was long."],
        ),
        ("Exports rose 3.5 percent. Imports fell.", ["Exports rose 3.5 percent.", "Imports fell."]),
        (
            'He said: "We agree." Then he left!  Was it true? Yes.',
            ['He said: "We agree."', "Then he left!", "Was it true?", "Yes."],
        ),
    ],
)
def test_abbreviations_initials_and_punctuation(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_glued_sentences_are_split() -> None:
    """Crawlers glue paragraphs: "development.Lam thanked" is two sentences."""
    text = "Vietnam pledged sustainable development.Lam thanked Biden for the visit."
    assert texts(text) == [
        "Vietnam pledged sustainable development.",
        "Lam thanked Biden for the visit.",
    ]


def test_glued_decimal_and_domain_are_not_split() -> None:
    assert len(split_sentences("Growth reached 6.5 percent in 2024.")) == 1
    assert len(split_sentences("Read more at vnexpress.net today.")) == 1


def test_line_breaks_end_sentences_and_offsets_round_trip() -> None:
    text = "HANOI, Vietnam\nPresident To Lam met Xi Jinping.\n\n  The two leaders agreed.\n"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "HANOI, Vietnam",
        "President To Lam met Xi Jinping.",
        "The two leaders agreed.",
    ]
    assert [s.index for s in sents] == [0, 1, 2]
    for s in sents:
        assert text[s.start : s.end] == s.text


def test_repeated_lines_get_their_own_offsets() -> None:
    text = "Talks ended.\nTalks ended.\nTalks ended."
    assert [s.start for s in split_sentences(text)] == [0, 13, 26]


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []


def test_tokenize_keeps_abbreviations_and_hyphens() -> None:
    sentence = "U.S. officials re-elected Mr. Lam."
    toks = tokenize(sentence)
    assert [t.text for t in toks] == ["U.S.", "officials", "re-elected", "Mr.", "Lam", "."]
    for t in toks:
        assert sentence[t.start : t.end] == t.text
        assert t.lower == t.text.lower()


_PIECES = st.sampled_from(
    [
        "U.S.",
        "Mr.",
        "Sept.",
        "R.",
        "Hanoi",
        "met",
        "Lam",
        "the",
        "The",
        ".",
        ". ",
        "!",
        "? ",
        "\n",
        "\n\n",
        " ",
        "  ",
        '"',
        "”",
        "development.Lam",
        "3.5",
        "p.m.",
        "Tô Lâm",
        ",",
        "e.g.",
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_sentences_partition_the_text(text: str) -> None:
    sents = split_sentences(text)
    last_end = 0
    for i, s in enumerate(sents):
        assert s.index == i
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= last_end  # in order, never overlapping
        last_end = s.end
    covered = set()
    for s in sents:
        covered.update(range(s.start, s.end))
    # every visible character belongs to a sentence: nothing is lost from the evidence
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_tokens_round_trip(text: str) -> None:
    last_end = 0
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text
        assert t.start >= last_end
        last_end = t.end
