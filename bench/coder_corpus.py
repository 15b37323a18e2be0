"""A synthetic, news-like corpus for the coder benchmark (``bench/coder.py``).

Why a separate generator from ``bench/common.py``: the coder's cost depends on what it
has to untangle, so these articles are closer to real wire copy: 6 to 15 sentences,
a dateline, real office holders taken from the package's own ``people.yaml`` (in office
on the publication day, so role-by-date resolution does real work), titles and
appositions ("Russian President Vladimir Putin"), capitals as metonyms, pronouns and
"his counterpart", weekday / month-day / relative dates, quotes, negated and planned
acts, history and background, and sentences with no event at all.

Everything is generated in memory from a seed: the same seed gives the same articles.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tidings.ingest import make_article
from tidings.model import Article

DATA = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data"

#: offices whose holders appear in the generated news, with the generic role form
OFFICES = {
    "head_of_state": "President",
    "head_of_government": "Prime Minister",
    "foreign_minister": "Foreign Minister",
    "defence_minister": "Defence Minister",
}
#: names written with "the" in running text
_THE = {"United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
OUTLETS = ["Harbour Wire", "Capital Ledger", "Evening Courier", "River Post", "Summit Daily"]

#: {a} source, {b} target (full forms), {when} a date phrase; a mix of CAMEO roots
EVENTS = [
    "{a} met {b} in {city} {when} to discuss trade, energy and regional security.",
    "{a} held talks with {b} {when}, the foreign ministry said.",
    "{a} held phone talks with {b} {when}, according to a statement from {city}.",
    "{a} and {b} signed an agreement {when} to expand cooperation in defence and energy.",
    "{when_cap}, {a} strongly condemned {b} over the detention of two journalists.",
    "{a} imposed sanctions on {b} {when}, freezing the assets of three state banks.",
    "{a} expelled four diplomats from {b} {when} over what it called hostile activity.",
    "{a} accused {b} {when} of violating the ceasefire along the disputed border.",
    "Troops from {a_country} shelled positions held by {b} {when}, local officials said.",
    "{a} congratulated {b} {when} on the anniversary of the founding of the republic.",
    "{a} paid a state visit to {b_country} {when} at the invitation of {b}.",
    "{a} received {b} in {city} {when}, and the two leaders discussed investment.",
    "{a} urged {b} {when} to release the detained sailors without delay.",
    "{a} criticised {b} {when} for what it described as interference in its affairs.",
    "{a} summoned the ambassador of {b_country} {when} to protest against the remarks.",
    "{a} praised {b} {when} for its role in the negotiations.",
    "{a} pledged humanitarian aid to {b_country} {when} after the floods.",
    "{a} threatened {b} {when} with retaliation if the blockade continued.",
    "{a} was welcomed by {b} at the airport {when}.",
    "{a} extended condolences to {b} {when} over the victims of the earthquake.",
]
#: follow-ups that lean on the previous event's actors through pronouns and roles
FOLLOW = [
    "He told his {b_adj} counterpart that relations had entered a new stage.",
    "The two leaders agreed to raise bilateral trade to $20 billion by the end of the decade.",
    "Both sides reaffirmed their commitment to a peaceful settlement of disputes.",
    "{a_short} also invited {b_short} to visit {a_country} next year, and the invitation was "
    "accepted.",
    "He said the two countries would continue to coordinate closely at the United Nations.",
    "{a_short} did not meet {b_short} during the summit, officials later confirmed.",
    "{a_short} will visit {b_capital} next month to sign a new investment pact.",
    "The {a_adj} {a_generic} is expected to meet the {b_adj} {b_generic} again in the autumn.",
]
QUOTES = [
    '"We will not accept any attempt to change the status quo by force," {a_short} said.',
    '"This is a historic day for our two peoples," {a_short} told reporters after the talks.',
    '"The door to dialogue remains open," a spokesperson for {a_short} said.',
    '"Our position has not changed," the ministry said in a statement on its website.',
]
BACKGROUND = [
    "{a_country} and {b_country} established diplomatic relations in {year}.",
    "The two countries fought a brief border war in {year}, and ties remained tense for years.",
    "Bilateral trade reached $14.2 billion last year, up 8 percent from a year earlier.",
    "Relations between {a_capital} and {b_capital} have improved since the {year} treaty.",
    "{a_country} is {b_country}'s third-largest trading partner, according to customs data.",
]
FILLER = [
    "Markets in the region were calm during the morning session.",
    "Heavy rain delayed several flights at the main airport.",
    "Analysts said the figures would probably be revised next quarter.",
    "The statement gave no further details about the timetable.",
    "Local newspapers devoted their front pages to the football final.",
    "The central bank left its key interest rate unchanged at 4.5 percent.",
    "Officials said the discussions covered energy, transport, climate and education.",
]


@dataclass(frozen=True, slots=True)
class Figure:
    """One office holder on a given day, with the forms news use for them."""

    name: str
    short: str
    office: str  # "President", "Foreign Minister", ...
    country: str
    adjective: str
    capital: str

    @property
    def full(self) -> str:
        return f"{self.adjective} {self.office} {self.name}"


@cache
def _countries() -> dict[str, dict]:
    with (DATA / "countries.yaml").open(encoding="utf-8") as fh:
        rows = yaml.safe_load(fh)
    return {
        r["iso3"]: r
        for r in rows
        if r.get("adjectives") and r.get("capital") and not r.get("territory")
    }


@cache
def _people() -> list[dict]:
    with (DATA / "people.yaml").open(encoding="utf-8") as fh:
        return [p for p in yaml.safe_load(fh) if p.get("country") in _countries()]


def _country_name(row: dict) -> str:
    return f"the {row['name']}" if row["name"] in _THE else row["name"]


@cache
def figures_on(day: dt.date) -> tuple[Figure, ...]:
    """The holders of the offices in :data:`OFFICES` on ``day`` (cached per day)."""
    countries = _countries()
    out = []
    for person in _people():
        for role in person.get("roles") or ():
            if role.get("role") not in OFFICES or role.get("org"):
                continue
            start, end = role.get("from"), role.get("to")
            if not isinstance(start, dt.date) or start > day:
                continue
            if isinstance(end, dt.date) and end <= day:
                continue
            row = countries[person["country"]]
            short = (person.get("short") or [person["name"].split()[-1]])[0]
            out.append(
                Figure(
                    name=person["name"],
                    short=short,
                    office=OFFICES[role["role"]],
                    country=_country_name(row),
                    adjective=row["adjectives"][0],
                    capital=row["capital"],
                )
            )
    return tuple(out)


def _when(rng: random.Random, published: dt.date) -> str:
    """A date phrase for an event one to six days before ``published``."""
    back = rng.randint(1, 6)
    day = published - dt.timedelta(days=back)
    kind = rng.random()
    if back == 1 and kind < 0.3:
        return "yesterday"
    if kind < 0.55:
        return f"on {WEEKDAYS[day.weekday()]}"
    if kind < 0.8:
        return f"on {MONTHS[day.month - 1]} {day.day}"
    if kind < 0.9:
        return f"on {day.day} {MONTHS[day.month - 1]} {day.year}"
    return "earlier this week"


def _slots(rng: random.Random, a: Figure, b: Figure, published: dt.date) -> dict[str, str]:
    when = _when(rng, published)
    return {
        "a": a.full,
        "b": b.full,
        "a_short": a.short,
        "b_short": b.short,
        "a_country": a.country,
        "b_country": b.country,
        "a_adj": a.adjective,
        "b_adj": b.adjective,
        "a_generic": a.office,
        "b_generic": b.office,
        "a_capital": a.capital,
        "b_capital": b.capital,
        "city": rng.choice([a.capital, b.capital]),
        "when": when,
        "when_cap": when[0].upper() + when[1:],
        "year": str(rng.randint(1950, 1995)),
    }


def _cap(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


def _pair(rng: random.Random, pool: tuple[Figure, ...]) -> tuple[Figure, Figure]:
    a = rng.choice(pool)
    b = rng.choice(pool)
    while b.country == a.country:
        b = rng.choice(pool)
    return a, b


def make_record(i: int, seed: int = 1) -> dict:
    """Article ``i`` of the corpus as a plain record (depends only on ``seed`` and ``i``)."""
    rng = random.Random(seed * 1_000_003 + i)
    published = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(0, 7300, 7))
    pool = figures_on(published)
    a, b = _pair(rng, pool)
    slots = _slots(rng, a, b, published)
    target = rng.randint(6, 15)
    lead = _cap(rng.choice(EVENTS).format(**slots))
    sentences = [lead]
    while len(sentences) < target:
        kind = rng.random()
        if kind < 0.3:
            template = rng.choice(FOLLOW)
        elif kind < 0.45:
            template = rng.choice(QUOTES)
        elif kind < 0.6:
            template = rng.choice(BACKGROUND)
        elif kind < 0.8:
            template = rng.choice(FILLER)
        else:  # a second dyad in the same article
            a, b = _pair(rng, pool)
            slots = _slots(rng, a, b, published)
            template = rng.choice(EVENTS)
        sentences.append(_cap(template.format(**slots)))
    dateline = f"{slots['city'].upper()}, {MONTHS[published.month - 1]} {published.day} -"
    paragraphs = [f"{dateline} {sentences[0]}"]
    rest = sentences[1:]
    while rest:
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(rest[:size]))
        rest = rest[size:]
    return {
        "title": f"{a.short} and {b.short} in focus as {a.country} and {b.country} talk",
        "published": published,
        "outlet": rng.choice(OUTLETS),
        "url": f"https://news.example/{published:%Y/%m/%d}/{i}",
        "text": "\n\n".join(paragraphs),
    }


def make_corpus(n: int, seed: int = 1) -> list[Article]:
    """``n`` articles built with tidings' own normaliser, as ingest would build them."""
    out = []
    for i in range(n):
        rec = make_record(i, seed)
        out.append(
            make_article(
                rec["text"],
                title=rec["title"],
                published=rec["published"],
                url=rec["url"],
                outlet=rec["outlet"],
                origin=f"bench-coder#{i}",
                name=f"bench-coder-{i}",
            )
        )
    return out
