"""A small store of merged events for the output tests (exports, timelines, charts, report).

Built through the real store and the real merge: articles and hand-built mentions go in
with ``Store.write_batch``, events come out of ``dedup.update_events``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

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


def _mention(i: int, r: tuple, text: str, start: int) -> Mention:
    doc, outlet, pub, src, tgt, cameo, day, exact, sentence, loc = r
    sname, scode, sc, srole = ACTORS[src]
    tname, tcode, tc, trole = ACTORS[tgt]
    name, gold, quad, ptype, pmode = CODES[cameo]
    loc = loc or (None, None, None, None)
    return Mention(
        mention_id=f"{doc}-{i}",
        doc_id=doc,
        sentence_index=i,
        sentence_start=start,
        sentence_end=start + len(sentence),
        sentence=sentence,
        trigger="x",
        trigger_start=start,
        trigger_end=start + 1,
        source_name=sname,
        source_id=src,
        source_code=scode,
        source_country=sc,
        source_role=srole,
        source_start=start,
        source_end=start + 1,
        target_name=tname,
        target_id=tgt,
        target_code=tcode,
        target_country=tc,
        target_role=trole,
        target_start=start,
        target_end=start + 1,
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
        published=dt.date.fromisoformat(pub),
        domestic=False,
        rule="test",
        confidence=0.8,
        coder_version="test",
        location_name=loc[0],
        location_country=loc[1],
        latitude=loc[2],
        longitude=loc[3],
        outlet=outlet,
    )


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
        articles.append(
            Article(
                doc_id=doc,
                text=text,
                title=f"Story {doc}",
                url=f"https://news{doc}.example/{doc}",
                published=dt.date.fromisoformat(first[2]),
                outlet=first[1],
                name=f"{doc}.txt",
                text_hash=hashlib.sha1(text.encode()).hexdigest(),
            )
        )
        start, ms = 0, []
        for i, r in enumerate(x for x in REPORTS if x[0] == doc):
            ms.append(_mention(i, r, text, start))
            start += len(r[8]) + 1
        by_doc[doc] = ms
    counts = store.write_batch(articles, by_doc, coder_version="test")
    dedup.update_events(store, counts.changed)
    return store
