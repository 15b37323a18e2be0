"""What every stage of the coder shares: options, the event record, the article state,
and where a clause begins (the lexical clause boundary every stage measures from)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tidings.actors import ActorRef, ActorTables
from tidings.dates import DocDates, find_dates
from tidings.ner import DocContext
from tidings.patterns import Trigger

#: background older than this (days before the article's news) is history, not an event
HISTORY_DAYS = 30


@dataclass(frozen=True, slots=True)
class CoderOptions:
    """Options for coding, built once and passed down (picklable for worker processes)."""

    #: extra actor file(s) that add to or override the packaged tables (``--actors``)
    actors_files: tuple[Path, ...] = ()
    #: extra pattern file(s) (``--patterns``)
    patterns_files: tuple[Path, ...] = ()
    #: pattern ids to leave out (for experiments and the quality gate's tests)
    exclude_patterns: tuple[str, ...] = ()
    #: the day "today" is, for year inference (None: the real today)
    today: dt.date | None = None
    #: publication day for articles that carry none (``--published``); an article's
    #: own date always wins
    published: dt.date | None = None


_BOUNDARY_LEFT = re.compile(
    r"[;:\"“”]|\b(?:that|which|whom|whose|while|whereas|because|although|though|if|unless|"
    r"when|where|said|says|told|added|stated|affirmed|stressed|noted|saying|adding)\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[\w'’-]+")


@dataclass(slots=True)
class Event:
    trigger: Trigger
    code: str
    source: ActorRef
    target: ActorRef
    day: dt.date | None
    exact: bool
    date_reason: str
    rule: str
    confidence: float
    symmetric: bool


@dataclass(slots=True)
class State:
    """What the coder knows about an article so far, carried from sentence to sentence."""

    tables: ActorTables
    #: the people named so far, by country and by role (what "he" and "the PM" resolve to)
    ctx: DocContext
    dates: DocDates
    #: the country of the dateline ("HANOI —"): where unnamed protesters or agents are
    dateline_country: str | None = None
    #: the person who last acted as a subject, and the person last named
    last_subject: ActorRef | None = None
    last_person: ActorRef | None = None
    #: the article's pair of actors (the pair its events involve most)
    dyad: list[ActorRef] = field(default_factory=list)
    #: one dict per sentence when the caller asked for a trace (``evaluate --explain``)
    trace: list[dict[str, Any]] | None = None
    #: the article marks an anniversary: undated fighting in it is history
    commemorative: bool = False
    meeting_pair: list[ActorRef] = field(default_factory=list)
    #: a sports report: "attack", "clash" and "fired a shot" are about a match
    sports: bool = False
    #: who speaks in the current sentence's quotation (for "we" and "our")
    speaker: ActorRef | None = None
    pair_counts: dict[frozenset[str], int] = field(default_factory=dict)
    pair_refs: dict[frozenset[str], list[ActorRef]] = field(default_factory=dict)
    #: the sentence being coded (its index in the article), and the article's sentences
    sentence_index: int = 0
    sentences: list[str] = field(default_factory=list)
    #: how many sentences each person acted in as a source (by actor id)
    source_counts: dict[str, int] = field(default_factory=dict)
    #: the person the report is about: the most frequent source (latest on ties), and
    #: the index of the last sentence in which that person acted
    protagonist: ActorRef | None = None
    protagonist_seen: int = -1
    #: the latest group of N countries named together ("Mali, Burkina Faso and Niger"),
    #: by N: what "the three governments" later stands for
    groups: dict[int, list[ActorRef]] = field(default_factory=dict)
    #: who hosts the gathering the article reports ("Merkel hosted leaders of ..."), and
    #: the index of the sentence that said so
    host: ActorRef | None = None
    host_seen: int = -1
    #: countries that facilitated or mediated the article's talks: never one of its parties
    mediators: set[str] = field(default_factory=set)
    #: the two countries one act of the last sentence had as its targets (or sources):
    #: "recalled its ambassadors from Ireland and Norway. The two countries ..." - and the
    #: index of that sentence
    act_pair: list[ActorRef] = field(default_factory=list)
    act_pair_at: int = -1
    #: (day, exact, reason, sentence index) of the last act a sentence dated itself
    last_day: tuple[dt.date, bool, str, int] | None = None


def same_actor(a: ActorRef, b: ActorRef) -> bool:
    if a.kind == "person" and b.kind == "person":
        return a.id == b.id
    return a.country is not None and a.country == b.country and a.kind == b.kind and a.id == b.id


def implied(ref: ActorRef, trig: Trigger) -> ActorRef:
    """An actor from earlier in the article, implied here: its evidence span is empty at
    the trigger, so offsets never point at words of another sentence."""
    return replace(ref, start=trig.end, end=trig.end, text="")


def clause_left(text: str, start: int) -> int:
    """Where the clause holding position ``start`` begins (scanning left)."""
    last = 0
    for m in _BOUNDARY_LEFT.finditer(text, 0, start):
        last = m.end()
    return last


def dates_in(text: str) -> tuple[Any, ...]:
    """The date expressions of a sentence (``find_dates`` keeps them per text, so a
    sentence's triggers do not search it again)."""
    return tuple(find_dates(text))
