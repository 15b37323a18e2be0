"""Event places measured on a gold set of our own sentences (tests/data/places/).

Each line gives a sentence, its event trigger and the place where that event happened
(or none). :func:`tidings.geo.locate` gets the trigger's position, so a place must be
tied to the event: a place that describes another event or a person in the sentence,
or that is part of a longer name, must be left empty. Precision matters most: a wrong
place is worse than none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings import geo

GOLD = Path(__file__).parent / "data" / "places" / "sentences.tsv"


def _rows() -> list[tuple[str, str, tuple[str, str] | None]]:
    rows = []
    for line in GOLD.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sentence, trigger, name, country = line.split("\t")
        rows.append((sentence, trigger, None if name == "-" else (name, country)))
    return rows


def _predict(sentence: str, trigger: str) -> tuple[str, str] | None:
    start = sentence.index(trigger)
    loc = geo.locate(sentence, trigger=(start, start + len(trigger)))
    return (loc.name, loc.country) if loc else None


def test_place_precision_and_recall_on_the_gold_set() -> None:
    rows = _rows()
    assert len(rows) >= 60
    right = wrong = missed = 0
    for sentence, trigger, gold in rows:
        got = _predict(sentence, trigger)
        if got is not None:
            right += got == gold
            wrong += got != gold
        missed += gold is not None and got != gold
    precision = right / (right + wrong)
    recall = right / (right + missed)
    print(f"places: {len(rows)} sentences, precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95  # measured 1.000 (40 of 40)
    assert recall >= 0.85  # measured 0.889 (40 of 45)


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("The president sent condolences over the flooding in Lagos.", "sent condolences"),
        ("Russia blamed Ukraine for the attack in Belgorod.", "blamed"),
        ("The minister phoned his counterpart in Seoul.", "phoned"),
        ("Saudi Arabia welcomed the deal reached in Beijing.", "welcomed"),
        ("Kenya deployed troops in the Horn of Africa.", "deployed"),
        ("Officials in Moscow warned Kyiv against further strikes.", "warned"),
    ],
)
def test_places_of_other_things_are_not_the_events(sentence: str, trigger: str) -> None:
    assert _predict(sentence, trigger) is None


def test_places_tied_to_the_event() -> None:
    assert _predict("In Nairobi, the delegations signed a truce.", "signed") == ("Nairobi", "KEN")
    assert _predict("US forces carried out an airstrike near Aleppo.", "carried out") == (
        "Aleppo",
        "SYR",
    )
    assert _predict("The envoy visited Kyiv on Monday.", "visited") == ("Kyiv", "UKR")
    assert _predict("Israel struck targets in Gaza City.", "struck") == ("Gaza", "PSE")


def test_a_country_has_no_point() -> None:
    loc = geo.locate("Delegates met in Vietnam.", trigger=(10, 13))
    assert loc is not None and loc.kind == "country"
    assert loc.latitude is None and loc.longitude is None


def test_dateline() -> None:
    loc = geo.dateline("HANOI (VNA) - The two sides signed five agreements.")
    assert loc is not None and (loc.name, loc.country) == ("Hanoi", "VNM")
    assert geo.dateline("Moscow, June 5 -- Officials said ...").name == "Moscow"
    assert geo.dateline("The two sides signed five agreements.") is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Chile's president, who grew up in Lima, met Peru's president on Monday.",
            None,
        ),
        ("Kenya's president met Uganda's president in Nairobi on Monday.", "Nairobi"),
    ],
)
def test_the_coder_places_an_event_only_by_its_own_trigger(text: str, place: str | None) -> None:
    """The coder hands geo.locate its trigger: a place of another event is not the call's."""
    import datetime as dt

    from tidings import code_article
    from tidings.model import Article

    article = Article(doc_id="place-1", text=text, published=dt.date(2024, 3, 5))
    mentions = [m for m in code_article(article) if m.source_country != m.target_country]
    assert mentions, "the sentence codes an event"
    assert {m.location_name for m in mentions} == {place}
    assert all(m.event_date == dt.date(2024, 3, 4) for m in mentions)
