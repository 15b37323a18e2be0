"""The coder's dates: the day of each event and the article's main day.

:mod:`tidings.dates` is the library of date expressions; this module attaches them: the
expression nearest the trigger in its clause, "two days after" the main event, intents
dated by the main event, history (long before the news) and plans (after it) told apart.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tidings.actors import ActorRef, ActorTables, fold
from tidings.coder.common import _WORDS, HISTORY_DAYS, CoderOptions, State, clause_left, dates_in
from tidings.coder.scope import future_before
from tidings.dates import (
    DocDates,
    find_dates,
    infer_year,
    is_background,
    named_summits,
    resolve_doc_dates,
    resolve_expr,
)
from tidings.model import Article
from tidings.ner import DocContext, find_actors
from tidings.patterns import Trigger
from tidings.text import Sentence

_DAYS_AFTER = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(days?|weeks?|months?|years?|decades?)\s+after\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_SPAN_EDGES = ("from", "since", "until", "till", "through", "throughout")
#: an apposition after a date that tells what happened on it: ", the day X did"
_THE_DAY = re.compile(
    r"\s*,\s*(?:the\s+(?:very\s+)?(?:day|date|night)\s+(?:when\s+|that\s+|on\s+which\s+)?|"
    r"when\s+)[^,;.]{0,60}$",
    re.IGNORECASE,
)
#: a visitor reaching a place: "reached Nigeria", "arrived in Lima", "landed in Hanoi"
_ARRIVAL = re.compile(
    r"\b(?:reached|arrived\s+(?:in|at)|landed\s+in|touched\s+down\s+in)\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})"
)
#: what may stand before a sentence-initial date phrase: "On Saturday, ..." "Late on Monday, ..."
_FRONTED_BEFORE = re.compile(r"^\W*(?:(?:early|late|later|earlier)\s+)?(?:on\s+)?$", re.IGNORECASE)


def event_day(
    text: str, trig: Trigger, state: State, code: str, intent: bool
) -> tuple[dt.date | None, bool, str, str, bool] | str:
    """(day, exact, reason, code, intent) of a trigger's event, or why it is dropped:
    history (long before the article's news) or a plan dated after it. An event whose
    day the text cannot fix is kept with day None and a reason that says why."""
    pattern = trig.pattern
    day, exact, date_reason = date_for(text, trig, state, intent)
    if day is None and "names only a month, and no year" in date_reason:
        # "In January, X ordered Y ..." in an article that prints no date: news is told
        # by its day; an act placed only in a month is what came before it
        return f"background: {date_reason.removesuffix('; main event day used')}"
    if day is None:
        why = date_reason.removesuffix("; main event day used")
        if state.dates.reason not in why:
            why = f"{why}; {state.dates.reason}"
        return None, False, f"undated: {why}", code, intent
    if "names only a year" in date_reason:
        return f"history: {date_reason}"
    ref_day = state.dates.main or state.dates.published
    if ref_day is not None and day < ref_day - dt.timedelta(days=HISTORY_DAYS):
        return f"history: dated {day}, long before the article's news ({ref_day})"
    floor = state.dates.not_before
    if ref_day is None and floor is not None and day < floor - dt.timedelta(days=HISTORY_DAYS):
        return f"history: dated {day}, before the article could be written ({floor})"
    # a day after the main event but not after publication happened ("arrived in Guyana
    # on Wednesday" in a tour report whose main day is Sunday); only a later one is a plan
    last_day = state.dates.published or ref_day
    if last_day is not None and day > last_day + dt.timedelta(days=1) and not intent:
        if pattern.future == "intent" and pattern.intent_code:
            code, intent = pattern.intent_code, True
            day, exact, date_reason = (
                ref_day,
                state.dates.main_exact,
                "plan: dated by the main event",
            )
        else:
            return f"planned for {day}"
    return day, exact, date_reason, code, intent


def date_for(
    text: str, trig: Trigger, state: State, intent: bool
) -> tuple[dt.date | None, bool, str]:
    dates = state.dates
    if intent:
        old = [e for e in dates_in(text) if e.kind in ("year", "my", "mdy", "dmy", "iso")]
        for e in old:
            day, _, why = resolve_expr(e, dates.published, dates.year_hint, anchor=dates.main)
            ref = dates.main or dates.published
            if day is not None and ref is not None and day < ref - dt.timedelta(days=HISTORY_DAYS):
                return day, False, f"intent in a sentence about the past: {why}"
        return dates.main, dates.main_exact, "intent: dated by the main event"
    offset = None
    for m in _DAYS_AFTER.finditer(text, 0, trig.start):
        offset = m
    if offset is not None and dates.main is not None:
        n = _NUMBERS.get(offset.group(1).lower()) or int(offset.group(1))
        n *= _UNIT_DAYS[offset.group(2).lower().rstrip("s")]
        return (
            dates.main - dt.timedelta(days=n),
            dates.main_exact,
            f"'{offset.group(0)}' the main event day {dates.main}",
        )
    named = _day_named_before(text, trig)
    if named is not None:
        day, exact, why = resolve_expr(named, dates.published, dates.year_hint, anchor=dates.main)
        if day is not None:
            return day, exact, f"{why}, the day the act is told of"
    # "met on the 75th anniversary of ties set up on October 1, 1949": that date is the
    # anniversary's, not the meeting's (a history clause after the trigger)
    exprs = [
        e
        for e in dates_in(text)
        if e.prep not in _SPAN_EDGES
        and not (e.start >= trig.end and is_background(text, e, since=trig.end))
    ]
    if not exprs:
        return _stop_day(text, dates) or (dates.main, dates.main_exact, dates.reason)

    # the expression closest to the trigger, preferring one after it in the same clause
    def distance(e: Any) -> int:
        if e.start >= trig.end:
            same_clause = not re.search(r"[,;]", text[trig.end : e.start])
            return (e.start - trig.end) // (3 if same_clause else 1)
        return (trig.start - e.end) * 2

    def near(e: Any) -> bool:
        if (
            e.end <= trig.start
            and _FRONTED_BEFORE.match(text[: e.start])
            and re.match(r"\s*,", text[e.end :])
        ):
            return True  # "On Saturday, X did A, accusing B": a fronted date scopes the sentence
        gap = text[trig.end : e.start] if e.start >= trig.end else text[e.end : trig.start]
        return len(_WORDS.findall(gap)) <= 12 or e.kind in ("year", "my", "month", "vague")

    exprs = [e for e in exprs if near(e)]
    if not exprs:
        # a date far from the verb belongs to something else ("the attack on March 22")
        return _stop_day(text, dates) or (dates.main, dates.main_exact, dates.reason)
    best = min(exprs, key=distance)
    future = bool(future_before(text[clause_left(text, trig.start) : trig.start]))
    day, exact, why = resolve_expr(
        best, dates.published, dates.year_hint, future=future, anchor=dates.main
    )
    if best.kind == "today" and day is None:
        return dates.main, dates.main_exact, why
    if day is None:
        return dates.main, dates.main_exact, f"{why}; main event day used"
    return day, exact, why


def _day_named_before(text: str, trig: Trigger) -> Any:
    """The date an apposition names the trigger's day by: "since May 9, 1955, the day
    the two states signed their border treaty" (whatever the date's preposition)."""
    for e in dates_in(text):
        if e.end <= trig.start and _THE_DAY.match(text[e.end : trig.start]):
            return e
    return None


def _stop_day(text: str, dates: DocDates) -> tuple[dt.date | None, bool, str] | None:
    """The day a visitor reached the place a sentence with no day of its own is set in
    ("In Nigeria, the prime minister held talks with ..." after "reached Nigeria on
    Sunday"): a stop of a tour, dated by the arrival, not by the article's main day."""
    for place, (day, exact, why) in dates.arrivals.items():
        if re.search(r"\b(?:[Ii]n|[Tt]o|[Aa]t)\s+(?:the\s+)?" + re.escape(place) + r"\b", text):
            return day, exact, why
    return None


def doc_dates(
    article: Article, sentences: list[Sentence], tables: ActorTables, options: CoderOptions
) -> DocDates:
    """The article's dates: its publication and main event days, and the days its
    visitors reached each place (a tour's meetings are dated by the stop's day)."""
    texts = [s.text for s in sentences]
    dates = _main_dates(article, texts, tables, options)
    dates.arrivals = _arrivals(texts, dates)
    return dates


def _arrivals(texts: list[str], dates: DocDates) -> dict[str, tuple[dt.date, bool, str]]:
    """Place -> (day, exact, why) for each "reached Nigeria on Sunday", "arrived in Lima
    on Monday", "landed in Hanoi on March 3" the article tells (not a plan)."""
    found: dict[str, tuple[dt.date, bool, str]] = {}
    for text in texts:
        for m in _ARRIVAL.finditer(text):
            if future_before(text[clause_left(text, m.start()) : m.start()]):
                continue
            tail = m.end() + 40
            exprs = [
                e
                for e in dates_in(text)
                if m.end() <= e.start < tail
                and e.kind in ("weekday", "today", "mdy", "dmy", "iso")
                and not re.search(r"[;.]", text[m.end() : e.start])
            ]
            if not exprs:
                continue
            day, exact, why = resolve_expr(
                exprs[0], dates.published, dates.year_hint, anchor=dates.main
            )
            if day is not None:
                why = f"the day of '{m.group(0)}': {why}"
                found.setdefault(m.group("place"), (day, exact, why))
    return found


def _main_dates(
    article: Article, texts: list[str], tables: ActorTables, options: CoderOptions
) -> DocDates:
    if article.published is not None:
        return resolve_doc_dates(texts, article.published)
    spans = _tenure_spans(texts, tables)
    # the article is no older than the latest start of an office held by someone it names
    floor = max((a for a, _ in spans), default=None)
    dates = resolve_doc_dates(texts, None, not_before=floor)
    dates.not_before = floor
    if dates.main is not None:
        return dates
    # no publication date and no full date: infer the year of the first month-day
    month_day = None
    for t in texts[:12]:
        for e in find_dates(t):
            if e.kind in ("mdy", "dmy") and not e.year and not is_background(t, e):
                month_day = (e.month or 1, e.day or 1)
                break
        if month_day:
            break
    if month_day is None:
        week = _summit_week(texts, spans, options.today or dt.date.today())
        if week:
            dates = resolve_doc_dates(texts, None, week=week)
    else:
        year, why = infer_year(texts, spans, month_day, options.today)
        if year is None:
            dates.reason += f" (no year for the day stated: {why})"
        else:
            dates = resolve_doc_dates(texts, None, year_hint=year)
            dates.reason += f" ({why})"
    dates.not_before = floor
    return dates


def _tenure_spans(texts: list[str], tables: ActorTables) -> list[tuple[dt.date, dt.date]]:
    """The periods in office of the people the article names in a role."""
    ctx = DocContext(day=None)
    spans = []
    seen: set[str] = set()
    for t in texts:
        for ref in find_actors(t, tables, ctx):
            if ref.kind == "person" and ref.id and ref.id not in seen:
                seen.add(ref.id)
                person = tables.people.get(ref.id)
                span = _stated_span(person, t, ref) if person else None
                if span:
                    spans.append(span)
    return spans


def _summit_week(
    texts: list[str], spans: list[tuple[dt.date, dt.date]], today: dt.date
) -> tuple[dt.date, str] | None:
    """The last day of the one dated summit the article names with its host that the
    tenures of the people it names allow ("Biden ... after the G20 summit in India"),
    and how it was found; None when there is none or more than one."""
    days = {
        (s.last, f"the {s.forum} summit of {s.first}-{s.last}")
        for s in named_summits(texts)
        if s.first is not None
        and s.last is not None
        and s.last <= today
        and all(a <= s.first <= b for a, b in spans)
    }
    return days.pop() if len(days) == 1 else None


def _stated_span(person: Any, text: str, ref: ActorRef) -> tuple[dt.date, dt.date] | None:
    """The period in which the person held the office the text gives them, if it says."""
    window = fold(text[max(0, ref.start - 80) : ref.end + 80]).lower()
    wanted = None
    for role, words in (
        ("party_leader", ("general secretary", "party chief", "party leader")),
        ("head_of_government", ("prime minister", "premier", " pm ")),
        ("head_of_state", ("president",)),
    ):
        if any(w in window for w in words):
            wanted = role
            break
    tenures = [t for t in person.tenures if wanted is None or t.role == wanted]
    if not tenures:
        tenures = person.tenures
    if not tenures:
        return None
    return min(t.start for t in tenures), max(t.end or dt.date.max for t in tenures)
