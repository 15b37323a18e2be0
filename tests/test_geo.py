"""Event locations from the offline gazetteer."""

from __future__ import annotations

import time

import pytest

from tidings import geo


@pytest.mark.parametrize(
    ("sentence", "name", "country", "kind"),
    [
        ("Putin held talks with Trong in Hanoi on Thursday.", "Hanoi", "VNM", "city"),
        ("The two ministers met at the Kremlin.", "Kremlin", "RUS", "landmark"),
        ("Talks in the Vietnamese capital, Hanoi, ran late.", "Hanoi", "VNM", "city"),
        ("Officials gathered near Kyiv after the strike.", "Kyiv", "UKR", "city"),
        ("Delegates met in Vietnam last week.", "Vietnam", "VNM", "country"),
        ("A summit was held in New York.", "New York City", "USA", "city"),
        ("Protesters rallied outside the White House.", "White House", "USA", "landmark"),
        ("He spoke in Paris, not in Moscow.", "Paris", "FRA", "city"),
    ],
)
def test_locates_places_after_locative_prepositions(
    sentence: str, name: str, country: str, kind: str
) -> None:
    loc = geo.locate(sentence, "")
    assert loc is not None
    assert (loc.name, loc.country, loc.kind) == (name, country, kind)
    if kind == "country":  # no point for a country: never its capital's
        assert loc.latitude is None and loc.longitude is None
    else:
        assert loc.latitude is not None and loc.longitude is not None


def test_coordinates_are_the_places() -> None:
    loc = geo.locate("They met in Moscow.")
    assert loc is not None and abs(loc.latitude - 55.75) < 0.2 and abs(loc.longitude - 37.62) < 0.2
    assert loc.feature_id


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow said it would respond.",  # a metonym, not a location
        "He flew from Moscow to Hanoi.",  # origin and destination, not the event's place
        "The talks will resume in March.",  # a month that is also a city name
        "They met on Monday.",
        "In Hanoian cuisine, rice matters.",  # inside a longer word
        "",
    ],
)
def test_no_location_without_a_locative_place(sentence: str) -> None:
    assert geo.locate(sentence, "") is None


def test_ambiguous_city_uses_article_country() -> None:
    sentence = "Negotiators met in Cambridge."
    assert geo.locate(sentence, "").country == "GBR"  # the most populous
    assert geo.locate(sentence, "talks hosted in the United States").country == "USA"
    # a capital wins over the article's country
    assert geo.locate("Ministers met in London.", "Ontario, Canada").country == "GBR"


def test_locate_is_fast_after_the_first_call() -> None:
    geo.locate("warm up in Hanoi")
    t = time.perf_counter()
    for _ in range(2000):
        geo.locate("Putin held talks with Trong in Hanoi after a long flight from Moscow.")
    assert time.perf_counter() - t < 1.0
