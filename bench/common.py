"""Helpers shared by the benchmark scripts: a synthetic news corpus and memory figures.

The corpus is generated on the fly from a seed, so a million articles cost no disk and
the same seed gives the same articles (and so the same events) on every run. Each
article is a short wire report: a dateline, a headline, and a few sentences in which
real countries and offices act on each other with the verbs the coder's pattern table
knows (meet, visit, criticise, sign, sanction, ...), mixed with filler sentences that
hold no event, so the coder does its real work (actors, dates, roles, patterns).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

from tidings.ingest import make_article
from tidings.model import Article

#: (name as written, adjective) of actors the packaged tables know
COUNTRIES = [
    ("Vietnam", "Vietnamese"),
    ("China", "Chinese"),
    ("Russia", "Russian"),
    ("Japan", "Japanese"),
    ("France", "French"),
    ("Germany", "German"),
    ("India", "Indian"),
    ("Brazil", "Brazilian"),
    ("Ukraine", "Ukrainian"),
    ("Iran", "Iranian"),
    ("South Korea", "South Korean"),
    ("Indonesia", "Indonesian"),
    ("Mexico", "Mexican"),
    ("Kenya", "Kenyan"),
    ("Poland", "Polish"),
    ("Egypt", "Egyptian"),
    ("Canada", "Canadian"),
    ("Australia", "Australian"),
    ("the United States", "American"),
    ("the United Kingdom", "British"),
]
OFFICES = ["President", "Foreign Minister", "Prime Minister", "Defence Minister", "ambassador"]

#: event sentences: {a}/{b} are actors, {day} a weekday; each uses a verb in patterns.yaml
EVENTS = [
    "{a} met {b} in the capital on {day} to discuss trade and security.",
    "{a} hosted {b} for two days of talks that ended on {day}.",
    "On {day}, {a} strongly criticised {b} over the detention of two journalists.",
    "{a} signed an agreement with {b} on {day} to expand energy cooperation.",
    "{a} imposed sanctions on {b} on {day}, freezing the assets of several banks.",
    "{a} praised {b} for its role in the negotiations, officials said on {day}.",
    "{a} accused {b} of violating the ceasefire along the border on {day}.",
    "{a} sent humanitarian aid to {b} after the floods, a spokesman said on {day}.",
    "{a} expelled two diplomats from {b} on {day} over what it called hostile activity.",
    "{a} urged {b} on {day} to release the detained sailors without delay.",
    "{a} visited {b} on {day}, the first such trip in a decade.",
    "{a} condemned {b} on {day} for the missile test near its waters.",
]
FILLER = [
    "Markets in the region were calm during the morning session.",
    "The weather delayed several flights at the main airport.",
    "Analysts said the figures would be revised next quarter.",
    "Local newspapers devoted their front pages to the football final.",
    "The statement gave no further details about the timetable.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
OUTLETS = ["Harbour Wire", "Capital Ledger", "Evening Courier", "River Post", "Summit Daily"]


def _actor(rng: random.Random) -> str:
    name, adjective = rng.choice(COUNTRIES)
    if rng.random() < 0.5:
        return name
    return f"the {adjective} {rng.choice(OFFICES)}"


def _body(rng: random.Random, events: int) -> str:
    sentences = []
    for _ in range(events):
        a = _actor(rng)
        b = _actor(rng)
        while b.lower() == a.lower():
            b = _actor(rng)
        sentence = rng.choice(EVENTS).format(a=a, b=b, day=rng.choice(DAYS))
        sentences.append(sentence[0].upper() + sentence[1:])
        if rng.random() < 0.6:
            sentences.append(rng.choice(FILLER))
    return " ".join(sentences)


def synthetic_records(n: int, seed: int = 1, start: int = 0) -> Iterator[dict]:
    """``n`` article records (JSONL-shaped dicts), generated lazily and reproducibly.

    Record ``i`` depends only on ``seed`` and ``i``, so any slice can be made alone
    (``start``) and two runs agree article for article.
    """
    base = dt.date(2021, 1, 1)
    for i in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + i)
        published = base + dt.timedelta(days=rng.randrange(1000))
        headline = f"{rng.choice(COUNTRIES)[0].title()} report {i}"
        yield {
            "title": headline,
            "date": published.isoformat(),
            "outlet": rng.choice(OUTLETS),
            "url": f"https://news.example/{published:%Y/%m}/{i}",
            "text": _body(rng, rng.randint(2, 4)),
        }


def synthetic_articles(n: int, seed: int = 1, start: int = 0) -> Iterator[Article]:
    """The same records as :class:`Article` objects, made by tidings' own normaliser."""
    for i, rec in enumerate(synthetic_records(n, seed, start), start):
        yield make_article(
            rec["text"],
            url=rec["url"],
            title=rec["title"],
            published=dt.date.fromisoformat(rec["date"]),
            outlet=rec["outlet"],
            origin=f"synthetic#{i}",
            name=f"synthetic-{i}",
        )


def write_jsonl(path: Path, n: int, seed: int = 1) -> Path:
    """Write ``n`` synthetic records as JSONL (what ``tidings ingest`` reads)."""
    with path.open("w", encoding="utf-8") as fh:
        for rec in synthetic_records(n, seed):
            fh.write(json.dumps(rec) + "\n")
    return path


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports KiB, macOS bytes
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float:
    """Resident memory right now, in MiB (from /proc; 0 where that is missing)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:  # pragma: no cover - not Linux
        return 0.0


def synthetic_events(start: int, size: int, seed: int = 7):  # -> pa.Table
    """``size`` merged events (EVENT_SCHEMA), built column-wise with numpy, for query timing."""
    import numpy as np
    import pyarrow as pa

    from tidings.model import EVENT_SCHEMA

    rng = np.random.default_rng(seed + start)
    codes = np.array(
        [
            "USA",
            "CHN",
            "RUS",
            "VNM",
            "UKR",
            "FRA",
            "DEU",
            "GBR",
            "JPN",
            "IND",
            "IRN",
            "ISR",
            "TUR",
            "BRA",
            "EGY",
            "KOR",
            "PRK",
            "PAK",
            "SAU",
            "MEX",
        ]
    )
    src = codes[rng.integers(0, len(codes), size)]
    tgt = codes[rng.integers(0, len(codes), size)]
    roots = rng.integers(1, 21, size)
    root_s = np.char.zfill(roots.astype(str), 2)
    days = rng.integers(0, 3650, size)
    dates = pa.array((np.datetime64("2015-01-01") + days).astype("datetime64[D]"), pa.date32())
    cols = {
        "event_id": [f"ev_{i:014x}" for i in range(start, start + size)],
        "event_date": dates,
        "source_name": src,
        "source_id": src,
        "source_code": src,
        "source_country": src,
        "target_name": tgt,
        "target_id": tgt,
        "target_code": tgt,
        "target_country": tgt,
        "cameo": np.char.add(root_s, "0"),
        "root": root_s,
        "goldstein": np.round(rng.uniform(-10, 10, size), 1),
        "quad_class": ((roots - 1) // 5 + 1).astype(np.int32),
        "domestic": src == tgt,
        "num_mentions": rng.integers(1, 9, size).astype(np.int32),
        "first_reported": dates,
    }
    arrays = [
        pa.array(cols[f.name]).cast(f.type) if f.name in cols else pa.nulls(size, f.type)
        for f in EVENT_SCHEMA
    ]
    return pa.table(arrays, schema=EVENT_SCHEMA)
