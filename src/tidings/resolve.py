"""Country and actor arguments as users type them: ``VNM``, ``vnm``, ``Vietnam``, ``putin``.

The CLI and the REST API take the same filters, so they check them the same way: a
country code or a country's name (any name ``data/countries.yaml`` lists for it, any case,
with or without diacritics) resolves to its ISO3 code, and anything else is an error that
says so, rather than a query that silently matches nothing.
"""

from __future__ import annotations

import difflib
import functools

from tidings.errors import TidingsError

__all__ = ["UnknownCountry", "country_name", "country_names", "resolve_country", "resolve_side"]


class UnknownCountry(TidingsError):
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


def country_names() -> dict[str, str]:
    """ISO3 -> the common English name news use (``VNM`` -> ``Vietnam``)."""
    return {iso: c.name for iso, c in sorted(_tables().countries.items())}


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
        raise UnknownCountry(f"{what}: {value!r} is not a country code or name{_suggest(value)}")
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
        f"{what}: {value!r} is not a country (code or name) or a known actor id or code"
        f"{_suggest(value)}"
    )
