"""The day an event happened, from what the article says and when it was published.

News rarely print the event's full date. They say "on Monday", "yesterday", "on March
26" or nothing at all, and they count from the day of publication. This module finds
those expressions and resolves them:

* full dates ("March 26, 2024", "26 March 2024", "2024-03-26") are exact;
* a month and day without a year take the year from the publication date, else from a
  full date elsewhere in the article, else from an anniversary ("the 80th anniversary"
  of a year the text names), else from the tenures of the people the article names;
* weekdays are the latest such day on or before publication ("on Monday" in an article
  of Tuesday 2021-04-06 is 2021-04-05), or the next one in a sentence about the future;
* "today", "tonight", "this morning" are the publication day; "yesterday" the day before;
* "last week", "earlier this month", "months ago", "last year" and bare years are vague:
  they date background, not the news.

The article's main event day (the first resolvable day in its opening) dates sentences
that give none; ``exact`` says whether the text stated the day.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources

import yaml

__all__ = [
    "MONTH_NAMES",
    "WEEKDAY_NAMES",
    "DateExpr",
    "DocDates",
    "find_dates",
    "infer_year",
    "is_background",
    "resolve_doc_dates",
    "resolve_expr",
    "stated_weekday",
    "Summit",
    "named_summits",
]

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
#: the full names, capitalised as written ("January"), for code that must not read them
#: as names of people or places
MONTH_NAMES = tuple(m.title() for m in list(_MONTHS)[:12])
WEEKDAY_NAMES = tuple(d.title() for d in _WEEKDAYS)
_MONTH_RE = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(
            _MONTH_RE + r"\s?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?"
            r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH_RE
            + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "my",
        re.compile(
            r"\b(?:(?:in|since|of|by|from|until|before|after|during)\s+)?(?:early\s+|mid-?\s*|late\s+)?"
            + _MONTH_RE
            + r",?\s+(?P<year>(?:19|20)\d\d)\b"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?)\s+(?:early\s+|late\s+|mid-?)?"
            r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
            r"November|December)\b(?![\s,]*\d)"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?P<last>last\s+|this\s+|next\s+|coming\s+)?(?P<weekday>Monday|Tuesday|"
            r"Wednesday|Thursday|Friday|Saturday|Sunday)\b"
        ),
    ),
    (
        "today",
        re.compile(
            r"\b(?P<rel>today|tonight|this\s+(?:morning|afternoon|evening)|earlier\s+today|"
            r"yesterday|the\s+same\s+day|earlier\s+in\s+the\s+day|later\s+in\s+the\s+day|"
            r"on\s+the\s+same\s+day|tomorrow)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "vague",
        re.compile(
            r"\b(?P<vague>last\s+(?:week|month|year|decade)|earlier\s+this\s+(?:week|month|"
            r"year)|(?:a\s+few|several|two|three|four|five|six|many)\s+(?:days|weeks|months|"
            r"years)\s+(?:ago|earlier)|(?:weeks|months|years|decades)\s+ago|a\s+(?:week|"
            r"month|year)\s+ago|(?:in\s+|since\s+)?(?:the\s+)?(?:past|previous)\s+(?:week|"
            r"month|year)|of\s+last\s+year|next\s+(?:week|month|year)|later\s+this\s+"
            r"(?:week|month|year))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:[Ii]n|[Ss]ince|of|by|[Ff]rom|[Uu]ntil|[Bb]efore|[Aa]fter|[Dd]uring)\s+"
            r"(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?P<y>(?:1[89]|20)\d\d)s?\b"
        ),
    ),
]
_THREE_DAYS = dt.timedelta(days=3)
_PREV_WORD = re.compile(r"(\w+)\s*$")
_SPAN_EDGES = ("from", "since", "until", "till", "through", "throughout")
_ANNIVERSARY = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b[^.]{0,40}?\banniversary\b", re.I)
_ANY_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DEADLINE = re.compile(r"\b(?:by|until|till|through|to|before)\s+$", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to|scheduled|expected|due\s+to|set\s+to|plans?\s+to|"
    r"planned|upcoming|would|tomorrow|next)\b",
    re.IGNORECASE,
)


@dataclass(slots=True, frozen=True)
class DateExpr:
    start: int
    end: int
    kind: str  # iso | mdy | dmy | my | month | weekday | today | vague | year
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str = ""
    #: the word before the expression ("from Monday", "since 2014")
    prep: str = ""


@dataclass(slots=True)
class DocDates:
    published: dt.date | None
    main: dt.date | None
    main_exact: bool
    reason: str
    year_hint: int | None
    #: the day a visitor reached each place the article names ("reached Nigeria on
    #: Sunday"): a meeting told "in Nigeria" with no day of its own took place then
    arrivals: dict[str, tuple[dt.date, bool, str]] = field(default_factory=dict)
    #: for an article with no date line: the latest start of an office held by someone
    #: it names in that office (the article cannot be older)
    not_before: dt.date | None = None


def find_dates(text: str) -> list[DateExpr]:
    """Date expressions in a sentence, left to right, without overlaps."""
    return list(_find_dates(text))


@functools.lru_cache(maxsize=256)
def _find_dates(text: str) -> tuple[DateExpr, ...]:
    """`find_dates`, once per text: the article pass and the sentence pass both ask."""
    found: list[DateExpr] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            g = m.groupdict()
            if kind in ("mdy", "dmy"):
                month = _MONTHS[g["month"].rstrip(".").lower()]
                day = int(g["day"])
                if not 1 <= day <= 31:
                    continue
                if (
                    kind == "mdy"
                    and g["month"].lower() == "may"
                    and not re.match(r"\s?\d", text[m.end("month") :])
                ):
                    continue
                expr = DateExpr(
                    m.start(),
                    m.end(),
                    kind,
                    m.group(0),
                    int(g["year"]) if g.get("year") else None,
                    month,
                    day,
                )
            elif kind == "month":
                month = _MONTHS[g["month"].lower()]
                expr = DateExpr(m.start(), m.end(), kind, m.group(0), None, month, 15)
            elif kind == "my":
                month = _MONTHS[g["month"].rstrip(".").lower()]
                if g["month"].lower() == "may" and not re.match(
                    r"[,\s]+(?:19|20)\d\d", text[m.end("month") :]
                ):
                    continue
                expr = DateExpr(m.start(), m.end(), kind, m.group(0), int(g["year"]), month, 15)
            elif kind == "iso":
                expr = DateExpr(
                    m.start(),
                    m.end(),
                    kind,
                    m.group(0),
                    int(g["year"]),
                    int(g["mnum"]),
                    int(g["day"]),
                )
            elif kind == "weekday":
                expr = DateExpr(
                    m.start(),
                    m.end(),
                    kind,
                    m.group(0),
                    weekday=_WEEKDAYS[g["weekday"].lower()],
                    modifier=(g.get("last") or "").strip().lower(),
                )
            elif kind == "today":
                expr = DateExpr(
                    m.start(),
                    m.end(),
                    kind,
                    m.group(0),
                    modifier=re.sub(r"\s+", " ", g["rel"].lower()),
                )
            elif kind == "vague":
                expr = DateExpr(
                    m.start(),
                    m.end(),
                    kind,
                    m.group(0),
                    modifier=re.sub(r"\s+", " ", g["vague"].lower()),
                )
            else:
                expr = DateExpr(m.start(), m.end(), kind, m.group(0), year=int(g["y"]))
            pm = _PREV_WORD.search(text, 0, m.start())
            if pm:
                expr = replace(expr, prep=pm.group(1).lower())
            found.append(expr)
            taken.append((m.start(), m.end()))
    found.sort(key=lambda e: e.start)
    return tuple(found)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_expr(
    expr: DateExpr,
    published: dt.date | None,
    year_hint: int | None,
    *,
    future: bool = False,
    anchor: dt.date | None = None,
) -> tuple[dt.date | None, bool, str]:
    """Resolve one expression to (day, exact, reason); day None when it cannot be."""
    base = published or anchor
    if expr.kind == "iso" or (expr.kind in ("mdy", "dmy") and expr.year):
        d = _safe_date(expr.year or 0, expr.month or 1, expr.day or 1)
        return d, d is not None, f"'{expr.text}' is a full date"
    if expr.kind in ("mdy", "dmy"):
        year = None
        why = ""
        if published:
            year = published.year
            cand = _safe_date(year, expr.month or 1, expr.day or 1)
            # "on December 30" in an article of January 2: last year's December; but a
            # day within the next month is this year's ("the trip on January 23" in an
            # article of January 3), the year that puts it nearest the publication
            if cand and cand > published + dt.timedelta(days=31) and not future:
                year -= 1
            why = f"year from the publication date {published}"
        elif year_hint:
            year = year_hint
            why = f"year {year_hint} inferred from the article"
        if year is None:
            return None, False, f"'{expr.text}' has no year and the article gives none"
        d = _safe_date(year, expr.month or 1, expr.day or 1)
        return d, d is not None, f"'{expr.text}': {why}"
    if expr.kind == "weekday":
        if base is None:
            return None, False, f"'{expr.text}' with no publication date to count from"
        delta = (base.weekday() - (expr.weekday or 0)) % 7
        if expr.modifier == "last" and delta == 0:
            delta = 7
        if future or expr.modifier in ("next", "coming"):
            ahead = ((expr.weekday or 0) - base.weekday()) % 7
            d = base + dt.timedelta(days=ahead or 7 if expr.modifier == "next" else ahead)
            return d, True, f"'{expr.text}' after {base} (future)"
        d = base - dt.timedelta(days=delta)
        return d, published is not None, f"'{expr.text}' counted back from {base}"
    if expr.kind == "today":
        if base is None:
            return None, False, f"'{expr.text}' with no publication date"
        if expr.modifier == "yesterday":
            return base - dt.timedelta(days=1), published is not None, f"'yesterday' before {base}"
        if expr.modifier == "tomorrow":
            return base + dt.timedelta(days=1), published is not None, f"'tomorrow' after {base}"
        if expr.modifier in (
            "the same day",
            "on the same day",
            "earlier in the day",
            "later in the day",
        ):
            return None, False, f"'{expr.text}' refers to the main event day"
        return base, published is not None, f"'{expr.text}' is the publication day {base}"
    if expr.kind == "vague":
        if base is None:
            return None, False, f"'{expr.text}' with nothing to count from"
        mod = expr.modifier
        if mod.startswith(("next", "later")):
            return None, False, f"'{expr.text}' is in the future"
        if "year" in mod or "decade" in mod:
            days = 365
        elif "month" in mod:
            days = 45 if "ago" in mod or "last" in mod or "past" in mod or "previous" in mod else 0
        elif "week" in mod:
            days = 7
        else:
            days = 3
        if "months" in mod or "years" in mod or "decades" in mod:
            days = max(days, 90)
        return (
            base - dt.timedelta(days=days),
            False,
            f"'{expr.text}' is vague (about {days} days before {base})",
        )
    if expr.kind == "month":
        if base is None:
            return None, False, f"'{expr.text}' names only a month, and no year"
        year = base.year - (1 if (expr.month or 1) > base.month and not future else 0)
        d = _safe_date(year, expr.month or 1, 15)
        if d is not None and d > base and not future:
            d = base  # "in March" in an article of March 3: early March
        return d, False, f"'{expr.text}' names only a month (of {base})"
    if expr.kind == "year":
        d = _safe_date(expr.year or 1, 7, 1)
        return d, False, f"'{expr.text}' names only a year"
    if expr.kind == "my":
        d = _safe_date(expr.year or 1, expr.month or 1, 15)
        return d, False, f"'{expr.text}' names only a month"
    return None, False, "unknown expression"


def is_future(text: str) -> bool:
    """Whether a sentence speaks of something still to come (will, scheduled to, ...)."""
    return bool(_FUTURE.search(text))


_WEEKDAY_NEXT_TO = re.compile(
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*[,(]?\s*$"
)
_WEEKDAY_AFTER = re.compile(
    r"^\s*[,(]?\s*(?:a\s+|which\s+was\s+a\s+)?"
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
#: words that put a date into background: "the 75th anniversary of the ties set on
#: May 3, 1950", "founded on", "signed in" (a clause telling what happened long ago)
_BACKGROUND_BEFORE = re.compile(
    r"\b(?:anniversary|centenary|centennial|jubilee|founded|founding|established|"
    r"establishment|proclaimed|proclamation|independence|born|ago|since|dating\s+back|"
    r"back\s+(?:in|to)|first\s+(?:signed|established))\b[^.;:]{0,60}$",
    re.IGNORECASE,
)


def stated_weekday(text: str, expr: DateExpr) -> int | None:
    """The weekday printed right next to a month-day ("Monday, June 28", "July 25 (Thursday)").

    A weekday and a month-day together fix the year to one in five to eleven, which with
    anything else the article says usually leaves one year.
    """
    m = _WEEKDAY_NEXT_TO.search(text[max(0, expr.start - 14) : expr.start])
    if m is None:
        m = _WEEKDAY_AFTER.match(text[expr.end : expr.end + 24])
    return _WEEKDAYS[m.group("wd").lower()] if m else None


def is_background(text: str, expr: DateExpr, since: int = 0) -> bool:
    """Whether a date belongs to an anniversary or history clause rather than the news.

    "marked the 75th anniversary of the ties established on May 3, 1950" and "the treaty
    signed 20 years ago" name days of the past that the article only recalls; such a date
    never becomes the article's main event day, nor the day of the verb it follows.
    ``since`` limits the look-back (to the words after a trigger, say).
    """
    if expr.prep in _SPAN_EDGES:
        return True
    if not expr.year:
        # "marked the anniversary on Tuesday": a day without a year is the news itself
        return False
    return bool(_BACKGROUND_BEFORE.search(text[max(since, expr.start - 80) : expr.start]))


def _years_stated(texts: list[str], today: dt.date) -> list[int]:
    """Years the article names as past or present (not in a sentence about the future)."""
    years: list[int] = []
    for text in texts:
        if is_future(text):
            continue
        for m in _ANY_YEAR.finditer(text):
            if _DEADLINE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "by 2030", "until 2025": a limit, not a year of the news
            if int(m.group(1)) <= today.year:
                years.append(int(m.group(1)))
    return years


@dataclass(slots=True, frozen=True)
class Summit:
    """One leaders' summit of data/summits.yaml: its year, hosts and (if known) days."""

    forum: str
    year: int
    hosts: re.Pattern[str]
    first: dt.date | None = None
    last: dt.date | None = None


@functools.lru_cache(maxsize=1)
def _summits() -> tuple[tuple[re.Pattern[str], tuple[Summit, ...]], ...]:
    """The summit table (data/summits.yaml) as (forum regex, its summits)."""
    res = resources.files("tidings") / "data" / "summits.yaml"
    out = []
    for forum in yaml.safe_load(res.read_text(encoding="utf-8")):
        names = "|".join(re.escape(str(n)) for n in forum["names"])
        meetings = tuple(
            Summit(
                str(forum["names"][0]),
                int(row["year"]),
                re.compile(r"\b(?:" + "|".join(re.escape(str(h)) for h in row["hosts"]) + r")\b"),
                row.get("from"),
                row.get("to"),
            )
            for row in forum["meetings"]
        )
        out.append((re.compile(r"(?<![\w-])(?:" + names + r")(?![\w-])"), meetings))
    return tuple(out)


def named_summits(texts: list[str]) -> list[Summit]:
    """The summits the article names with their host ("the G20 summit in New Delhi" is
    the one of 2023); a host that held the summit twice gives both."""
    found: list[Summit] = []
    for text in texts:
        for forum, meetings in _summits():
            for m in forum.finditer(text):
                window = text[max(0, m.start() - 60) : m.end() + 60]
                found.extend(s for s in meetings if s.hosts.search(window) and s not in found)
    return found


def summit_years(texts: list[str]) -> list[int]:
    """Years of the recurring summits the article names with their host."""
    return [s.year for s in named_summits(texts)]


def _plain_years(texts: list[str], today: dt.date) -> set[int]:
    """Years the article names outside history clauses and sentences about the future."""
    found: set[int] = set()
    for text in texts:
        if is_future(text):
            continue
        for e in find_dates(text):
            if e.year and e.year <= today.year and not is_background(text, e):
                found.add(e.year)
    return found


def infer_year(
    texts: list[str],
    spans: list[tuple[dt.date, dt.date]],
    month_day: tuple[int, int] | None,
    today: dt.date | None = None,
) -> tuple[int | None, str]:
    """A year for an article that prints none for its main event, or None.

    Only evidence counts, never a default: a full date elsewhere in the article (not one
    in an anniversary or history clause), a month with its year ("in June 2021") for the
    same month, an "Nth anniversary" of a year the article names, or, when nothing is
    stated, the one year that the calendar and the tenures allow. ``spans`` are the
    periods in office of the people the article names in a role; the year must fall in
    all of them. A weekday printed next to the month-day ("Monday, June 28") must match.
    When several years remain possible the answer is None: the event is left undated
    rather than put in the latest year the tenures allow.
    """
    today = today or dt.date.today()
    full_years: list[int] = []
    month_years: list[int] = []
    anniversaries: list[int] = []
    weekday: int | None = None
    for text in texts:
        for e in find_dates(text):
            if e.kind in ("mdy", "dmy", "iso") and e.year and not is_background(text, e):
                full_years.append(e.year)
            elif e.kind == "my" and month_day and e.month == month_day[0]:
                month_years.append(e.year or 0)
            elif (
                weekday is None
                and e.kind in ("mdy", "dmy")
                and month_day == (e.month, e.day)
                and not e.year
            ):
                weekday = stated_weekday(text, e)
    years = set(_years_stated(texts, today))
    for text in texts:
        for m in _ANNIVERSARY.finditer(text):
            n = int(m.group(1))
            anniversaries.extend(y + n for y in years if y + n <= today.year)

    def feasible(year: int) -> bool:
        if month_day is None:
            return 1900 <= year <= today.year
        d = _safe_date(year, *month_day)
        if d is None or d > today:
            return False
        if weekday is not None and d.weekday() != weekday:
            return False
        return all(a <= d <= b for a, b in spans)

    for source, found in (
        ("a full date elsewhere in the article", full_years),
        ("a month and year the article names", month_years),
        ("an anniversary the article names", anniversaries),
    ):
        for y in sorted(set(found), key=found.count, reverse=True):
            if feasible(y):
                return y, f"from {source} ({y})"
    summits = sorted({y for y in summit_years(texts) if feasible(y)})
    if len(summits) == 1:  # "the G7 summit in Japan" is 2016 or 2023: only when one fits
        return summits[0], f"from a summit the article names with its host ({summits[0]})"
    if spans or weekday is not None:
        lo = max([a.year for a, _ in spans] + [1990])
        hi = min([b.year for _, b in spans] + [today.year])
        options = [y for y in range(lo, hi + 1) if feasible(y)]
        if len(options) == 1:
            what = "the tenures of the named people" if spans else "the calendar"
            if weekday is not None:
                what += " and the weekday printed with the day"
            return options[0], f"the only year {what} allow ({options[0]})"
        # of the years that fit, the one the article itself names ("in 2022 ... on March 26")
        named = sorted(set(options) & _plain_years(texts, today))
        if len(named) == 1:
            return named[0], f"the only fitting year the article names ({named[0]})"
        if options:
            return None, f"the tenures allow {len(options)} years ({options[0]}-{options[-1]})"
    return None, "no year in the article"


#: a line of page furniture that prints when the page went out, not when things happened
_STAMP_LINE = re.compile(
    r"^\W{0,3}(?:date|dated|published|updated|last\s+updated|first\s+published|posted|"
    r"posted\s+on|modified|by\b[^.]{0,60}?)\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b|" + _MONTH_RE,
    re.IGNORECASE,
)
#: before a dateline's date: only place names, an agency, commas ("HANOI, Vietnam, ")
_DATELINE_BEFORE = re.compile(r"^[\W\d]{0,3}(?:[A-Z][\w.'’&-]*(?:\s+|,\s*)){0,6}$")
#: after a dateline's date: an agency in brackets and a dash or the end of the line
_DATELINE_AFTER = re.compile(r"^,?\s*(?:\d{1,2}:\d\d\b.{0,12})?(?:\([^)]{1,30}\)\s*)?(?:[-–—:|]|$)")


def is_stamp(text: str, expr: DateExpr) -> bool:
    """Whether a date is the page's own stamp: a "Published: 24 Aug. 2025" line or a
    dateline ("ADDIS ABABA, July 9, 2018 (FBC) -"). It tells when the article went out,
    which is a publication date, never the day of the event reported."""
    if expr.kind not in ("iso", "mdy", "dmy", "weekday", "today"):
        return False
    if _STAMP_LINE.match(text) and expr.start < 80:
        return True
    if len(text) < 60 and not re.search(r"[A-Za-z]", _DATE_WORDS.sub("", text)):
        return True  # a line that is nothing but a date: "Friday, January 23, 2015"
    return bool(
        _DATELINE_BEFORE.match(text[: expr.start]) and _DATELINE_AFTER.match(text[expr.end :])
    )


def publication_stamp(sentences: list[str], lines: int = 12) -> tuple[dt.date | None, str]:
    """The publication date a page prints in its first lines, for text with no date line."""
    for text in sentences[:lines]:
        for expr in find_dates(text):
            if expr.year and expr.kind in ("iso", "mdy", "dmy") and is_stamp(text, expr):
                day = _safe_date(expr.year, expr.month or 1, expr.day or 1)
                if day is not None:
                    return day, f"publication date printed in the page ('{expr.text}')"
    return None, ""


def _latest_year(texts: list[str], today: dt.date) -> int | None:
    """The most recent year the article states or implies by an anniversary."""
    years = set(_years_stated(texts, today))
    for text in texts:
        for m in _ANNIVERSARY.finditer(text):
            years.update(y + int(m.group(1)) for y in list(years))
    years = {y for y in years if y <= today.year}
    return max(years) if years else None


def _opening(sentences: list[str], count: int) -> Iterator[str]:
    """The first ``count`` sentences of prose, after the title, byline and caption lines
    (lines of fewer than six words do not count towards the opening)."""
    for text in sentences:
        if count <= 0:
            return
        yield text
        if len(text.split()) >= 6:
            count -= 1


def resolve_doc_dates(
    sentences: list[str],
    published: dt.date | None,
    year_hint: int | None = None,
    opening: int = 6,
    today: dt.date | None = None,
    week: tuple[dt.date, str] | None = None,
    not_before: dt.date | None = None,
) -> DocDates:
    """The article's main event day: the first resolvable day in its opening sentences.

    A stated day near publication (up to 10 days before, or the day itself) is taken;
    with no publication date, the first stated full date or month-day (with the inferred
    year) is. Dates in an anniversary or history clause ("the 60th anniversary of the
    independence won on July 5, 1962") are never the main event day, nor, without a
    publication date, is a full date years older than the latest year the article
    states (the news is at least as recent as everything it recalls). Otherwise the
    publication day stands in, marked inexact.

    ``week`` is, for an article with no publication date, a day the article's news is
    known to be near (the last day of a summit it names) and why: a weekday in the
    opening is then the one of the three days before or after it, marked inexact.
    ``not_before`` is a day the article cannot be older than (an office someone it names
    took up): a full date long before it is history, never the main event day.
    """
    latest = None
    stamp_reason = ""
    if published is None:
        published, stamp_reason = publication_stamp(sentences)
    if published is None:
        latest = year_hint or _latest_year(sentences, today or dt.date.today())
    for text in _opening(sentences, opening):
        future = is_future(text)
        for expr in find_dates(text):
            if expr.kind in ("vague", "year", "my", "month") or is_background(text, expr):
                continue
            if is_stamp(text, expr):
                continue
            if future and expr.kind in ("weekday", "today"):
                continue
            if latest is not None and expr.year is not None and expr.year < latest - 1:
                continue
            if not_before is not None and expr.year is not None and expr.year < not_before.year:
                continue
            if published is None and week is not None and expr.kind == "weekday":
                day, _, why = resolve_expr(expr, None, None, anchor=week[0] + _THREE_DAYS)
                if day is not None and expr.modifier not in ("next", "coming"):
                    why = f"{why}: the week of {week[1]}"
                    return DocDates(None, day, False, f"main event day: {why}", year_hint)
            day, exact, why = resolve_expr(expr, published, year_hint)
            if day is None or not exact:
                continue
            if published and not (published - dt.timedelta(days=10) <= day <= published):
                continue
            if published is None and year_hint is None and expr.year:
                year_hint = expr.year  # "on March 26" elsewhere takes this year
            why = f"{why}; {stamp_reason}" if stamp_reason else why
            return DocDates(published, day, True, f"main event day: {why}", year_hint)
    if published:
        why = f"no day stated: publication day {published}"
        why = f"{why} ({stamp_reason})" if stamp_reason else why
        return DocDates(published, published, False, why, year_hint)
    return DocDates(None, None, False, "no day stated and no publication date", year_hint)
