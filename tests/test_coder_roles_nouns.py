"""Roles inside noun phrases: who acts in an event noun (issue 11).

The possessor ("Ankara's strikes"), the "by"-phrase ("the strikes by Israeli jets") and a
nationality adjective ("Iranian missile strikes") name the agent of an event noun; a
noun modifier ("the Hanoi talks") names a place, not an agent. Sentences are our own.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tidings.coder import code_article
from tidings.model import Article

DAY = dt.date(2024, 1, 17)


def coded(text: str) -> set[tuple[str | None, str | None, str]]:
    found = code_article(Article(doc_id="r", text=text, published=DAY))
    return {(m.source_country, m.target_country, m.root) for m in found}


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
