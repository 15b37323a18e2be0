"""A small real store and a real uvicorn server, for the API and browser tests.

The store is built by hand (articles and mentions written with the store's bulk API,
events merged by :func:`tidings.dedup.update_events`), so these tests do not depend on
what the coder finds. All text is made up for the tests.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from conftest import actor_fields, make_mention
from tidings.api import create_app
from tidings.dedup import update_events
from tidings.ingest.normalize import make_article
from tidings.model import Article, Mention
from tidings.store import open_store

#: a sentence of one article that shows up in the page and must stay text
HOSTILE_SENTENCE = (
    "France's foreign minister <script>alert(1)</script> criticized Germany over the budget."
)
HOSTILE_TITLE = "<img src=x onerror=alert(2)> Budget row"

#: (name, id, code, country, role)
VNM = ("Vietnam", "VNM", "VNM", "VNM", None)
RUS = ("Russia", "RUS", "RUS", "RUS", None)
UKR = ("Ukraine", "UKR", "UKR", "UKR", None)
CHN = ("China", "CHN", "CHN", "CHN", None)
FRA = ("France", "FRA", "FRAGOV", "FRA", "foreign minister")
DEU = ("Germany", "DEU", "DEU", "DEU", None)
PUTIN = ("Vladimir Putin", "vladimir_putin", "RUSGOV", "RUS", "President")
XI = ("Xi Jinping", "xi_jinping", "CHNGOV", "CHN", "President")

#: (cameo, root, name, goldstein, quad)
SIGN = ("057", "05", "Sign formal agreement", 8.0, 1)
SHELL = ("190", "19", "Use conventional military force", -10.0, 4)
CRITICIZE = ("111", "11", "Criticize or denounce", -2.0, 3)
MEET = ("042", "04", "Make a visit", 1.9, 1)


@dataclass
class Fixture:
    """What the tests need to know about the store they query."""

    db: Path
    url: str
    token: str
    hostile_event: str
    putin_event: str
    vnm_rus_events: int


def mention(
    article: Article,
    sentence: str,
    source: tuple,
    trigger: str,
    target: tuple,
    code: tuple,
    day: dt.date,
    index: int = 0,
    source_text: str | None = None,
    target_text: str | None = None,
) -> Mention:
    """A mention whose offsets point at the words in ``article.text``."""
    start = article.text.index(sentence)

    def span(word: str) -> tuple[int, int]:
        i = sentence.index(word)
        return start + i, start + i + len(word)

    ss, se = span(source_text or source[0])
    ts, te = span(trigger)
    gs, ge = span(target_text or target[0])
    cameo, root, name, goldstein, quad = code
    return make_mention(
        article,
        index,
        sentence_start=start,
        sentence_end=start + len(sentence),
        sentence=sentence,
        trigger=trigger,
        trigger_start=ts,
        trigger_end=te,
        **actor_fields("source", source, ss, se),
        **actor_fields("target", target, gs, ge),
        cameo=cameo,
        root=root,
        cameo_name=name,
        goldstein=goldstein,
        quad_class=quad,
        plover_type=None,
        symmetric=False,
        event_date=day,
        date_reason="test",
        domestic=source[3] == target[3],
    )


def build_store(db: Path) -> dict[str, int | str]:
    """Write the test articles and mentions to a new store at ``db``; merge events."""
    articles: list[Article] = []
    mentions: dict[str, list[Mention]] = {}

    def add(article: Article, *ms: Mention) -> None:
        articles.append(article)
        mentions[article.doc_id] = list(ms)

    # one agreement reported by two outlets: one event with two sources
    for outlet in ("Harbour Post", "Delta Daily"):
        s = "Vietnam and Russia signed a trade agreement in Hanoi on Monday."
        a = make_article(
            f"{s} Officials said more talks would follow.",
            title=f"Trade pact ({outlet})",
            url=f"https://news.example/{outlet.split()[0].lower()}/trade-pact",
            outlet=outlet,
            published=dt.date(2024, 3, 5),
        )
        add(a, mention(a, s, VNM, "signed", RUS, SIGN, dt.date(2024, 3, 4)))

    # three months of Vietnam-Russia accords, one a week (never within a day of the pact)
    for week in range(12):
        day = dt.date(2024, 1, 3) + dt.timedelta(days=7 * week)
        s = f"Vietnam signed accord number {week + 1} with Russia."
        a = make_article(s, title=f"Accord {week + 1}", outlet="Wire", published=day)
        add(a, mention(a, s, VNM, "signed", RUS, SIGN, day))

    s = "Russian troops shelled positions held by Ukraine near the border."
    a = make_article(
        s, title="Shelling", url="https://news.example/shelling", published=dt.date(2024, 2, 10)
    )
    add(a, mention(a, s, RUS, "shelled", UKR, SHELL, dt.date(2024, 2, 9), source_text="Russian"))

    s = "Vladimir Putin met Xi Jinping in Beijing on Tuesday."
    a = make_article(s, title="Summit", url="https://news.example/summit", outlet="Wire",
                     published=dt.date(2024, 5, 15))  # fmt: skip
    add(a, mention(a, s, PUTIN, "met", XI, MEET, dt.date(2024, 5, 14)))
    putin_doc = a.doc_id

    a = make_article(
        f"{HOSTILE_SENTENCE} The row went on for days.",
        title=HOSTILE_TITLE,
        url="javascript:alert(3)",
        outlet="<b>Gazette</b>",
        published=dt.date(2024, 4, 2),
    )
    add(
        a,
        mention(a, HOSTILE_SENTENCE, FRA, "criticized", DEU, CRITICIZE, dt.date(2024, 4, 1),
                source_text="France"),
    )  # fmt: skip
    hostile_doc = a.doc_id

    store = open_store(db)
    store.write_batch(articles, mentions, coder_version="test")
    update_events(store)
    with store.session() as con:
        ids = dict(
            con.execute(
                "SELECT doc_id, event_id FROM mentions WHERE doc_id IN (?, ?)",
                [hostile_doc, putin_doc],
            ).fetchall()
        )
        pairs = con.execute(
            "SELECT count(*) FROM events WHERE source_country = 'VNM' AND target_country = 'RUS'"
        ).fetchone()[0]
    store.close()
    return {"hostile_event": ids[hostile_doc], "putin_event": ids[putin_doc], "vnm_rus": pairs}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app: object) -> Iterator[str]:
    """Run ``app`` on a real uvicorn server in a thread; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def api_fixture(
    tmp: Path, *, allow_ingest: bool = True, token: str = "s3cret-token"
) -> Iterator[Fixture]:
    """A store built by :func:`build_store` behind a running server."""
    db = tmp / "api.duckdb"
    info = build_store(db)
    app = create_app(db, allow_ingest=allow_ingest, token=token if allow_ingest else None)
    with serve(app) as url:
        yield Fixture(
            db=db,
            url=url,
            token=token,
            hostile_event=str(info["hostile_event"]),
            putin_event=str(info["putin_event"]),
            vnm_rus_events=int(info["vnm_rus"]),
        )
