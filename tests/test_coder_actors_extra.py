"""Offices that are not held now: "former", "late", "president-elect"."""

from __future__ import annotations

import datetime as dt

from tidings.actors import load_tables
from tidings.ner import DocContext, find_actors


def actors(text: str, day: dt.date) -> list[tuple[str, str, str | None]]:
    refs = find_actors(text, load_tables(), DocContext(day=day))
    return [(r.kind, r.id, r.country) for r in refs]


def test_former_president_is_not_the_holder_on_the_day() -> None:
    got = actors("The former Russian President met students.", dt.date(2021, 4, 5))
    assert ("person", "vladimir-putin", "RUS") not in got
    assert any(kind == "role" and country == "RUS" for kind, _, country in got)


def test_president_elect_is_the_named_person_not_the_incumbent() -> None:
    got = actors("Argentina's president-elect Javier Milei met Biden.", dt.date(2023, 11, 20))
    ids = [i for _, i, _ in got]
    assert "javier-milei" in ids
    assert "alberto-fernandez" not in ids
