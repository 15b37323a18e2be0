"""Country and actor arguments as users type them: ``VNM``, ``vnm``, ``Vietnam``, ``putin``.

The CLI and the REST API take the same filters, so they check them the same way: a
country code or a country's name (any name ``data/countries.yaml`` lists for it, any case,
with or without diacritics) resolves to its ISO3 code, and anything else is an error that
says so, rather than a query that silently matches nothing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re

from tidings.errors import TidingsError
from tidings.store import EventFilter

__all__ = [
    "CAMEO_CODE",
    "CAMEO_ROOT",
    "MAX_TEXT",
    "BadFilter",
    "UnknownCountry",
    "check_day",
    "check_filter",
    "check_text",
    "country_name",
    "resolve_country",
    "resolve_side",
    "shown",
]

#: longest filter value (a country, an actor's name or id); longer ones are a mistake or
#: an attack, and would make the "did you mean" search slow
MAX_TEXT = 200


class BadFilter(TidingsError):
    """A filter value that cannot select anything: ``param`` names the filter."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


class UnknownCountry(BadFilter):
    """A country argument that is neither a known ISO3 code nor a country's name."""


@functools.lru_cache(maxsize=1)
def _tables():  # type: ignore[no-untyped-def]
    from tidings.actors import load_tables

    return load_tables()


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    """Folded country name -> ISO3, from every name, official form and code listed."""
    from tidings.actors import fold

    out: dict[str, str] = {}
    for iso, c in _tables().countries.items():
        for name in (iso, c.name, *c.names):
            out.setdefault(fold(name).strip().lower(), iso)
    return out


def country_name(iso3: str) -> str | None:
    """The common English name of a country code, or None when the code is unknown."""
    c = _tables().countries.get(iso3.upper())
    return c.name if c else None


def _lookup(value: str) -> str | None:
    from tidings.actors import fold

    return _by_name().get(fold(value).strip().lower())


def _suggest(value: str) -> str:
    from tidings.actors import fold

    near = difflib.get_close_matches(fold(value).lower(), list(_by_name()), n=3, cutoff=0.75)
    codes = list(dict.fromkeys(_by_name()[n] for n in near))
    if not codes:
        return ""
    return " (did you mean " + " or ".join(f"{c} {country_name(c)}" for c in codes) + "?)"


def resolve_country(value: str, what: str = "country") -> str:
    """The ISO3 code for a code or a country's name; :class:`UnknownCountry` otherwise."""
    iso = _lookup(value)
    if iso is None:
        raise UnknownCountry(what, f"{value!r} is not a country code or name{_suggest(value)}")
    return iso


def resolve_side(value: str, what: str = "dyad") -> str:
    """One side of a dyad: a country (code or name, as its code), or an actor id or code.

    Actor ids (``vladimir-putin``), organisation ids (``UN``) and CAMEO actor codes
    (``RUSGOV``, ``IGOUNO``) of the actor tables pass unchanged; anything else is an error.
    """
    iso = _lookup(value)
    if iso is not None:
        return iso
    tables = _tables()
    key = value.strip()
    upper, lower = key.upper(), key.lower()
    agents = set(tables.agents.values())
    known = (
        lower in tables.people
        or key in tables.orgs
        or upper in {o.cameo.upper() for o in tables.orgs.values()}
        or (len(upper) > 3 and upper[:3] in tables.countries and upper[3:] in agents)
    )
    if known:
        return key
    raise UnknownCountry(
        what,
        f"{value!r} is not a country (code or name) or a known actor id or code{_suggest(value)}",
    )


#: ``[0-9]`` and ``fullmatch`` throughout: ``str.isdigit`` and ``\d`` take other
#: scripts' digits, ``$`` matches before a final newline, and ``date.fromisoformat`` takes
#: the basic form ``20240101`` and ISO weeks, none of which a user means
CAMEO_CODE = re.compile(r"[0-9]{2,4}")
CAMEO_ROOT = re.compile(r"0?[1-9]|1[0-9]|20")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def shown(value: str, width: int = 40) -> str:
    """A user value quoted for an error message, cut short (it may be huge)."""
    return repr(value if len(value) <= width else value[:width] + "...")


def check_text(value: str | None, param: str) -> str | None:
    """A filter value without its outer spaces (None when empty): at most :data:`MAX_TEXT`
    characters before trimming, and no control characters (a newline or a NUL is never
    meant, and ``re``'s ``$`` would let a final newline through)."""
    if value is None:
        return None
    if len(value) > MAX_TEXT:
        raise BadFilter(param, f"longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise BadFilter(param, f"contains control characters: {shown(value)}")
    return value.strip(" ") or None


def check_day(value: str | None, param: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` day in ASCII digits, or None for an empty value."""
    if not value:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadFilter(param, f"{shown(value)} is not a date (use YYYY-MM-DD)") from None


def check_filter(
    *,
    actor: str | None = None,
    country: str | None = None,
    dyad: tuple[str, str] | None = None,
    code: str | None = None,
    root: str | None = None,
    quad: int | None = None,
    since: str | None = None,
    until: str | None = None,
    include_domestic: bool = False,
    names: dict[str, str] | None = None,
) -> EventFilter:
    """An :class:`EventFilter` from user input, checked; :class:`BadFilter` otherwise.

    Countries resolve from codes or names, dyad sides from countries or actor ids; CAMEO
    codes, roots, quad classes and dates must be well formed, and ``since`` not after
    ``until``. ``names`` maps a filter to what the user typed (``{"since": "--since"}``
    for the CLI), so the error names it the user's way.
    """
    name = (names or {}).get
    start = check_day(since, name("since", "since"))
    end = check_day(until, name("until", "until"))
    if start and end and start > end:
        raise BadFilter(name("until", "until"), f"{end} is before {name('since', 'since')} {start}")
    code = check_text(code, name("code", "code"))
    if code is not None and not CAMEO_CODE.fullmatch(code):
        raise BadFilter(name("code", "code"), f"{shown(code)}: a CAMEO code is 2 to 4 digits")
    root = check_text(root, name("root", "root"))
    if root is not None:
        if not CAMEO_ROOT.fullmatch(root):
            raise BadFilter(name("root", "root"), f"{shown(root)}: a CAMEO root is 01 to 20")
        root = root.zfill(2)
    if quad is not None and not 1 <= quad <= 4:
        raise BadFilter(name("quad", "quad"), f"the quad class is 1 to 4, not {quad}")
    pair = None
    if dyad is not None:
        where = name("dyad", "dyad")
        sides = [check_text(side, where) or "" for side in dyad]
        if len(sides) != 2 or not all(sides):
            raise BadFilter(where, "needs two countries or actors (e.g. VNM RUS)")
        pair = (resolve_side(sides[0], where), resolve_side(sides[1], where))
    country = check_text(country, name("country", "country"))
    return EventFilter(
        actor=check_text(actor, name("actor", "actor")),
        country=resolve_country(country, name("country", "country")) if country else None,
        dyad=pair,
        code=code,
        root=root,
        quad=quad,
        since=start,
        until=end,
        include_domestic=include_domestic,
    )
