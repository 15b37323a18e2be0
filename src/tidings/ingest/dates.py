"""Publication dates from whatever the input says: ISO strings, header lines, prose.

Clean ISO dates (the vast majority) go through a compiled regex; only other strings
reach :mod:`dateparser`, which is slow to import and to run. dateparser is configured
so that it never fills a missing day, month or year from today's date and never reads
relative expressions ("yesterday"), because a publication date guessed from the day
of ingest would silently corrupt every event date derived from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["parse_date", "split_date_header"]

#: Dates outside this range are taken for garbage (epoch zero, "0001-01-01", typos).
MIN_YEAR, MAX_YEAR = 1900, 2100

_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_]|[+-]\d\d|Z)")
_NUMERIC = re.compile(r"\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*$")
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})\s*$")
_EPOCH = re.compile(r"\s*\d{9,13}(?:\.\d+)?\s*$")
# The English forms most feeds use, parsed without dateparser: "April 2, 2022",
# "2 Apr. 2022", "Tue, 09 Feb 2021 10:00:00 GMT".
_MONTHS = {
    name[:3].lower(): number
    for number, name in enumerate(
        "January February March April May June July August September October November "
        "December".split(),
        1,
    )
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY_MONTH_YEAR = re.compile(
    rf"(?:[a-z]+,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?:[a-z]+,?\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
# No plausible year, no date: spares dateparser (slow on garbage) from trying at all.
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")

# The header line crawlers write: " date 2021-02-09", leniently "Date: 2021/02/09" or
# "date=2021-02-09T10:00:00Z". Whatever follows the date on the same line is body text.
_HEADER = re.compile(
    r"[ \t]*date[ \t]*[:=]?[ \t]*"
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?![\d:/.-]\d)[ \t]*",
    re.IGNORECASE,
)
# A header whose date is prose ("Date: 9 February 2021"): only when the line holds
# nothing else, so body text on the same line is never eaten.
_HEADER_PROSE = re.compile(r"[ \t]*date[ \t]*[:=][ \t]*(.{6,40}?)[ \t]*$", re.IGNORECASE)


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _dateparser() -> Any:
    """One configured parser, built on first use (importing dateparser takes ~0.5 s)."""
    from dateparser.date import DateDataParser

    config = resources.files("tidings").joinpath("data/input_fields.json").read_text("utf-8")
    return DateDataParser(
        # detection over every language dateparser knows costs seconds on first use
        languages=json.loads(config)["date_languages"],
        settings={
            # absent parts are an error, not "this month" / "this year"
            "REQUIRE_PARTS": ["day", "month", "year"],
            # no "yesterday", "3 hours ago": those depend on the current date
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )


def parse_date(value: object) -> dt.date | None:
    """The calendar date in ``value``, or None when there is no trustworthy one.

    Accepts dates, datetimes, epoch seconds/milliseconds and strings. A datetime keeps
    the day as written (the publisher's local day), not converted to UTC. A bad date is
    never fatal: it is simply None.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return _make(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _make(value.year, value.month, value.day)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    m = _ISO.match(value) or _NUMERIC.match(value) or _COMPACT.match(value)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if _EPOCH.match(text):
        return _from_epoch(float(text))
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        return _make(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    m = _MONTH_DAY_YEAR.match(text)
    if m:
        return _make(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    if not _YEAR.search(text):
        return None  # no four-digit year: nothing absolute to find
    return _slow_parse(text)


@lru_cache(maxsize=4096)
def _slow_parse(text: str) -> dt.date | None:
    """dateparser for everything else (other languages, odd orders); cached, because a
    corpus repeats the same date strings and dateparser takes milliseconds per call."""
    try:
        found = _dateparser().get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    got = found.date_obj if found is not None else None
    return _make(got.year, got.month, got.day) if got is not None else None


def _from_epoch(seconds: float) -> dt.date | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    try:
        when = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _make(when.year, when.month, when.day)


def split_date_header(text: str) -> tuple[dt.date | None, str, bool]:
    """Split an optional date header off the first line of a text file.

    Returns ``(published, rest, had_header)``: ``rest`` is the text with the date prefix
    removed (body that continues on the header line is kept). A header with an
    impossible date ("date 2021-13-45") is still removed, with ``published`` None.
    """
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    m = _HEADER.match(first)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3])), text[m.end() :], True
    m = _HEADER_PROSE.match(first)
    if m:
        when = parse_date(m[1])
        if when is not None:
            return when, ("" if end < 0 else text[end + 1 :]), True
    return None, text, False
