"""What to select from the store's events, in what order, page by page.

:class:`EventFilter` turns a user's filters into a SQL ``WHERE`` body with bound
parameters (values never go into the SQL); ``order`` strings are checked against a
whitelist; cursors (``after``) encode the sort values and row id of a page's last row,
so deep pages cost what the first costs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from tidings.errors import StoreError
from tidings.model import EVENT_SCHEMA

__all__ = [
    "COUNT_CAP",
    "ORDER_COLUMNS",
    "EventFilter",
    "EventPage",
    "RowPage",
    "check_cursor",
]


_E = "''"
#: how names, ids, codes and user text are compared: lower case, no diacritics
_FOLD = "lower(strip_accents({}))"
_FOLD_ARG = _FOLD.format("?")


def _side_key_sql(side: str) -> str:
    """SQL for one side's search key, ``|country|code|id|name``, folded.

    Dyads match a whole ``|token|`` (country, code or id; the name has no closing bar);
    actor search is a substring of the whole key. Bars inside names become spaces.
    """
    bar = "'|'"
    parts = [f"coalesce({side}_{c}, {_E})" for c in ("country", "code", "id")]
    parts.append(f"replace(coalesce({side}_name, {_E}), {bar}, ' ')")
    return _FOLD.format(f"{bar} || " + f" || {bar} || ".join(parts))


@dataclass(slots=True)
class EventFilter:
    """What to select from ``events`` (and ``mentions``); every field narrows.

    ``actor`` is a case-insensitive substring of either side's name, id or code;
    ``country`` an ISO3 code on either side; ``dyad`` two actors or countries in either
    direction; ``code`` a CAMEO prefix; ``root`` a CAMEO root (``"4"`` = ``"04"``);
    ``quad`` the quad class 1-4. Domestic events (both sides in one country) are left
    out unless ``include_domestic``, as in most international-relations work.
    """

    actor: str | None = None
    country: str | None = None
    dyad: tuple[str, str] | None = None
    code: str | None = None
    root: str | None = None
    quad: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    include_domestic: bool = False
    doc_id: str | None = None

    def where(
        self, alias: str = "", *, mentions_table: bool = False, keyed: bool | None = None
    ) -> tuple[str, list[Any]]:
        """SQL ``WHERE`` body and its bound parameters (values never go into the SQL).

        ``keyed`` says whether every event has its search keys (``True``: actor and dyad
        filters read only the keys), none may (``False``: only the raw columns), or some
        may not (``None``, the default: keys where present, raw columns elsewhere; this
        reads both, so the store asks which case holds before its own queries).
        """
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[Any] = []
        if mentions_table:  # only ``events`` has the search keys
            keyed = False
        if self.actor:
            needle = self.actor.strip()
            cols = [
                f"{p}{side}_{part}"
                for side in ("source", "target")
                for part in ("name", "id", "code")
            ]
            raw = " OR ".join(
                f"contains({_FOLD.format(f'coalesce({c}, {_E})')}, {_FOLD_ARG})" for c in cols
            )
            fast = f"contains({p}source_key, {_FOLD_ARG}) OR contains({p}target_key, {_FOLD_ARG})"
            if keyed is False or "|" in needle:
                clauses.append(f"({raw})")
                params += [needle] * len(cols)
            elif keyed:  # one low-cardinality column per side instead of six
                clauses.append(f"({fast})")
                params += [needle] * 2
            else:  # rows merged since the keys were last filled (key NULL) read the columns
                clauses.append(f"coalesce({fast}, {raw})")
                params += [needle] * (2 + len(cols))
        if self.country:
            clauses.append(f"({p}source_country = ? OR {p}target_country = ?)")
            params += [self.country.upper()] * 2
        if self.dyad:
            a, b = self.dyad

            def side(s: str, x: str) -> tuple[str, list[Any]]:
                raw = (
                    f"(upper(coalesce({p}{s}_country, {_E})) = ? OR upper({p}{s}_code) = ? "
                    f"OR lower({p}{s}_id) = ?)"
                )
                raw_params = [x.upper(), x.upper(), x.lower()]
                # "|usa|" matches a whole country, code or id token, never the name
                fast = f"contains({p}{s}_key, '|' || {_FOLD_ARG} || '|')"
                if keyed is False:
                    return raw, raw_params
                if keyed:
                    return fast, [x]
                return f"coalesce({fast}, {raw})", [x, *raw_params]

            parts = []
            for x, y in ((a, b), (b, a)):
                (sx, px), (ty, py) = side("source", x), side("target", y)
                parts.append(f"({sx} AND {ty})")
                params += px + py
            clauses.append("(" + " OR ".join(parts) + ")")
        if self.code:
            clauses.append(f"starts_with({p}cameo, ?)")
            params.append(self.code.strip())
        if self.root:
            root = self.root.strip()
            clauses.append(f"{p}root = ?")
            params.append(root.zfill(2) if root.isdigit() else root)
        if self.quad is not None:
            clauses.append(f"{p}quad_class = ?")
            params.append(int(self.quad))
        if self.since:
            clauses.append(f"{p}event_date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{p}event_date <= ?")
            params.append(self.until)
        if not self.include_domestic:
            clauses.append(f"NOT coalesce({p}domestic, false)")
        if self.doc_id:
            if mentions_table:
                clauses.append(f"{p}doc_id = ?")
            else:
                clauses.append(
                    f"({p}doc_id = ? OR {p}event_id IN "
                    "(SELECT event_id FROM mentions WHERE doc_id = ?))"
                )
                params.append(self.doc_id)
            params.append(self.doc_id)
        return (" AND ".join(clauses) or "TRUE"), params


#: columns ``Store.events`` may sort by (``order`` is checked against this list)
ORDER_COLUMNS = frozenset(
    {
        "event_date",
        "event_id",
        "first_reported",
        "goldstein",
        "num_mentions",
        "num_sources",
        "num_articles",
        "confidence",
        "cameo",
        "root",
        "quad_class",
        "source_country",
        "target_country",
    }
)
_ORDER_TERM = re.compile(r"^\s*([a-z_]+)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


def _order_sql(order: str, alias: str = "") -> str:
    """Validate ``order`` ("col [ASC|DESC], ...") against the whitelist; raise otherwise."""
    terms = []
    for part in order.split(","):
        m = _ORDER_TERM.match(part)
        if not m or m.group(1).lower() not in ORDER_COLUMNS:
            allowed = ", ".join(sorted(ORDER_COLUMNS))
            raise StoreError(f"cannot order by {part.strip()!r}; use one of: {allowed}")
        direction = (m.group(2) or "ASC").upper()
        terms.append(f"{alias}{m.group(1).lower()} {direction}")
    terms.append(f"{alias}event_id ASC")  # ties broken the same way every time
    return ", ".join(terms)


#: ``Store.page_events`` counts matches exactly up to this many
COUNT_CAP = 10_000


#: the event columns callers get (the search keys stay inside the store)
_EVENT_COLS = ", ".join(f'"{c}"' for c in EVENT_SCHEMA.names)
_EVENT_TYPES = {f.name: f.type for f in EVENT_SCHEMA}


@dataclass(slots=True)
class EventPage:
    """What :meth:`Store.page_events` returns."""

    rows: pa.Table
    #: matching events (``COUNT_CAP`` when there are more: see ``total_is_estimate``)
    total: int
    total_is_estimate: bool
    #: cursor for the page after this one (``None`` on the last page)
    next_after: str | None


@dataclass(slots=True)
class RowPage:
    """What :meth:`Store.page_rowids` returns: a page before its rows are read."""

    #: the page's row ids, in order
    rids: list[int]
    total: int
    total_is_estimate: bool
    #: the bounded count behind ``total`` (``COUNT_CAP + 1`` means "more")
    counted: int
    next_after: str | None


def _order_keys(order: str) -> list[tuple[str, str]]:
    """``order`` as validated (column, ASC|DESC) pairs, repeated columns dropped."""
    keys: dict[str, str] = {}
    for term in _order_sql(order).split(", ")[:-1]:  # the last is the event_id tie-break
        col, direction = term.split()
        keys.setdefault(col, direction)
    return list(keys.items())


def _keys_sql(keys: list[tuple[str, str]], rid: str) -> str:
    return ", ".join(f"{c} {d} NULLS LAST" for c, d in keys) + f", {rid} ASC"


def _seek_sql(
    keys: list[tuple[str, str]], cursor: tuple[list[Any], int] | None, rid: str
) -> tuple[str, list[Any]]:
    """``WHERE`` body for the rows after ``cursor`` in the order of ``keys`` (nulls last).

    Spelled out key by key (a row tuple comparison would drop rows with NULL keys).
    """
    if cursor is None:
        return "TRUE", []
    values, last_rid = cursor
    ors: list[str] = []
    params: list[Any] = []
    eq: list[str] = []
    eq_params: list[Any] = []
    for (col, direction), value in zip(keys, values, strict=True):
        if value is not None:
            op = "<" if direction == "DESC" else ">"
            ors.append("(" + " AND ".join([*eq, f"({col} {op} ? OR {col} IS NULL)"]) + ")")
            params += [*eq_params, value]
            eq.append(f"{col} = ?")
            eq_params.append(value)
        else:  # nothing sorts after NULL in this key: only ties, decided by the next keys
            eq.append(f"{col} IS NULL")
    ors.append("(" + " AND ".join([*eq, f"{rid} > ?"]) + ")")
    params += [*eq_params, int(last_rid)]
    return "(" + " OR ".join(ors) + ")", params


def _seek_branches(
    keys: list[tuple[str, str]], cursor: tuple[list[Any], int]
) -> Iterator[tuple[str, list[Any]]]:
    """The rows after ``cursor`` as disjoint conjunctions, in sort order.

    Each is ANDs of ``=``, ``<``/``>`` and ``IS NULL`` that DuckDB applies inside the
    scan (an OR of them is evaluated row by row after it): first the ties on every key
    (row id after), then, from the last key to the first, the rows strictly after the
    cursor in that key (non-NULL, then NULL: nulls sort last).
    """
    values, last_rid = cursor
    eq: list[str] = []
    eq_params: list[Any] = []
    prefixes = []
    for (col, direction), value in zip(keys, values, strict=True):
        prefixes.append((list(eq), list(eq_params), col, direction, value))
        if value is None:
            eq.append(f"{col} IS NULL")
        else:
            eq.append(f"{col} = ?")
            eq_params.append(value)
    yield " AND ".join([*eq, "rowid > ?"]), [*eq_params, int(last_rid)]
    for prefix, prefix_params, col, direction, value in reversed(prefixes):
        if value is None:
            continue  # nothing sorts after NULL in this key
        op = "<" if direction == "DESC" else ">"
        yield " AND ".join([*prefix, f"{col} {op} ?"]), [*prefix_params, value]
        yield " AND ".join([*prefix, f"{col} IS NULL"]), list(prefix_params)


def _encode_cursor(keys: list[tuple[str, str]], values: list[Any], rid: int) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    body = json.dumps({"k": [f"{c} {d}" for c, d in keys], "v": plain, "r": rid})
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def _decode_cursor(token: str, keys: list[tuple[str, str]]) -> tuple[list[Any], int]:
    """The sort values and row id in an ``after`` cursor; ValueError if it is not ours."""
    try:
        body = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        made_for, values, rid = body["k"], body["v"], body["r"]
        if made_for == [f"{c} {d}" for c, d in keys]:
            if len(values) != len(keys) or not isinstance(rid, int) or isinstance(rid, bool):
                raise TypeError
            out = [
                _cursor_value(_EVENT_TYPES[c], v) for (c, _), v in zip(keys, values, strict=True)
            ]
    except (ValueError, KeyError, TypeError, IndexError):
        raise ValueError("not a cursor from this store (damaged or cut short)") from None
    if made_for != [f"{c} {d}" for c, d in keys]:
        raise ValueError("the cursor was made for another sort order")
    return out, rid


def check_cursor(after: str, order: str) -> None:
    """Raise ValueError (saying why) unless ``after`` is a cursor for ``order``."""
    _decode_cursor(after, _order_keys(order))


def _cursor_value(kind: pa.DataType, value: Any) -> Any:
    if value is None:
        return None
    if pa.types.is_date(kind):
        return dt.date.fromisoformat(value)
    if pa.types.is_integer(kind):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError
        return value
    if pa.types.is_floating(kind):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError
        return float(value)
    if not isinstance(value, str):
        raise TypeError
    return value
