"""A small store of merged events for the output tests (exports, timelines, charts, report).

Built through the real store and the real merge: articles and hand-built mentions go in
with ``Store.write_batch``, events come out of ``dedup.update_events``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import actor_fields, make_article, make_mention
from tidings import dedup
from tidings.model import Article, Mention
from tidings.store import Store, open_store

HOSTILE = 'He said <script>alert("x")</script> & =HYPERLINK("http://bad") was "fine".'

ACTORS = {
    "putin": ("Vladimir Putin", "RUSGOV", "RUS", "head_of_state"),
    "trong": ("Nguyen Phu Trong", "VNMPTY", "VNM", "party_leader"),
    "xi": ("Xi Jinping", "CHNGOV", "CHN", "head_of_state"),
    "lavrov": ("Sergey Lavrov", "RUSGOV", "RUS", "foreign_minister"),
    "son": ("Bui Thanh Son", "VNMGOV", "VNM", "foreign_minister"),
    "usa": ("=United States", "USA", "USA", None),
}

CODES = {
    "040": ("Consult", 1.0, 1, "CONSULT", None),
    "042": ("Make a visit", 1.9, 1, "CONSULT", "visit"),
    "043": ("Host a visit", 2.8, 1, "CONSULT", "host"),
    "057": ("Sign formal agreement", 8.0, 2, "AGREE", None),
    "112": ("Accuse", -2.0, 3, "ACCUSE", None),
    "138": ("Threaten with military force", -7.0, 4, "THREATEN", None),
}

# (doc, outlet, published, src, tgt, cameo, event day, exact, sentence, location)
REPORTS = [
    (
        "a1",
        "Hanoi Daily",
        "2024-06-20",
        "putin",
        "trong",
        "042",
        "2024-06-19",
        True,
        "Vladimir Putin arrived in Hanoi on Wednesday for talks with Nguyen Phu Trong.",
        ("Hanoi", "VNM", 21.02, 105.84),
    ),
    (
        "a2",
        "Moscow Wire",
        "2024-06-20",
        "trong",
        "putin",
        "043",
        "2024-06-19",
        True,
        "Nguyen Phu Trong hosted Vladimir Putin in Hanoi.",
        None,
    ),
    (
        "a3",
        None,
        "2024-06-21",
        "putin",
        "trong",
        "040",
        "2024-06-20",
        False,
        "Putin and Trong held talks this week.",
        None,
    ),
    (
        "a1",
        "Hanoi Daily",
        "2024-06-20",
        "putin",
        "trong",
        "057",
        "2024-06-20",
        True,
        "Putin and Trong signed a strategic partnership treaty.",
        None,
    ),
    (
        "b1",
        "Beijing Post",
        "2024-05-17",
        "xi",
        "putin",
        "040",
        "2024-05-16",
        True,
        "Xi Jinping held talks with Vladimir Putin in Beijing.",
        ("Beijing", "CHN", 39.9, 116.4),
    ),
    (
        "c1",
        "Moscow Wire",
        "2024-07-02",
        "lavrov",
        "son",
        "040",
        "2024-07-01",
        True,
        "Sergey Lavrov spoke with Bui Thanh Son by phone.",
        None,
    ),
    ("c2", "Hanoi Daily", "2024-08-05", "usa", "putin", "112", "2024-08-04", True, HOSTILE, None),
    (
        "c3",
        "=cmd|' /C calc'!A0",
        "2024-08-20",
        "putin",
        "trong",
        "138",
        "2024-08-19",
        True,
        "-Putin threatened Trong, the report said.",
        None,
    ),
]


def _mention(i: int, r: tuple, article: Article, start: int) -> Mention:
    """Report ``r``, the ``i``-th of its article (same outlet and day), at ``start``."""
    src, tgt, cameo, day, exact, sentence, loc = r[3:]
    name, gold, quad, ptype, pmode = CODES[cameo]
    return make_mention(
        article,
        i,
        place=loc,
        sentence_start=start,
        sentence_end=start + len(sentence),
        sentence=sentence,
        trigger="x",
        trigger_start=start,
        trigger_end=start + 1,
        **actor_fields("source", _actor(src), start, start + 1),
        **actor_fields("target", _actor(tgt), start, start + 1),
        cameo=cameo,
        root=cameo[:2],
        cameo_name=name,
        goldstein=gold,
        quad_class=quad,
        plover_type=ptype,
        plover_mode=pmode,
        symmetric=cameo == "040",
        event_date=dt.date.fromisoformat(day),
        date_exact=exact,
        date_reason="test",
        confidence=0.8,
    )


def _actor(key: str) -> tuple:
    """``ACTORS[key]`` as ``(name, id, code, country, role)``: the key is the actor's id."""
    name, code, country, role = ACTORS[key]
    return (name, key, code, country, role)


def build_store(path: Path) -> Store:
    """A store at ``path`` with the REPORTS above ingested and merged."""
    store = open_store(path)
    texts: dict[str, list[str]] = {}
    for r in REPORTS:
        texts.setdefault(r[0], []).append(r[8])
    articles, by_doc = [], {}
    for doc, sentences in texts.items():
        text = " ".join(sentences)
        first = next(r for r in REPORTS if r[0] == doc)
        article = make_article(
            text,
            doc_id=doc,
            title=f"Story {doc}",
            url=f"https://news{doc}.example/{doc}",
            published=dt.date.fromisoformat(first[2]),
            outlet=first[1],
            name=f"{doc}.txt",
        )
        articles.append(article)
        start, ms = 0, []
        for i, r in enumerate(x for x in REPORTS if x[0] == doc):
            ms.append(_mention(i, r, article, start))
            start += len(r[8]) + 1
        by_doc[doc] = ms
    counts = store.write_batch(articles, by_doc, coder_version="test")
    dedup.update_events(store, counts.changed)
    return store
