"""The event filters every query command takes, declared and checked once.

``events``, ``export``, ``timeline``, ``chart`` and ``report`` all select events the same
way, so they share these options and :func:`event_filter`, which checks them as the REST
API does: a country is a code or a name (``Vietnam`` becomes ``VNM``), and an unknown
country, a malformed CAMEO code or date is an error (exit code 2), never a query that
silently matches nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import typer

from tidings.cli._app import fail
from tidings.errors import TidingsError
from tidings.resolve import resolve_country, resolve_side
from tidings.store import EventFilter

__all__ = ["event_filter", "no_events", "store_path"]

DB_HELP = "Store file (DuckDB). Default: $TIDINGS_DB or ./tidings.duckdb."

ACTOR = typer.Option(None, "--actor", help="Actor name, id or code (substring).")
COUNTRY = typer.Option(
    None, "--country", help="Country on either side: ISO3 code or name (VNM, Vietnam)."
)
DYAD = typer.Option(
    None,
    "--dyad",
    help="Two countries (codes or names) or actor ids, either direction.",
    metavar="A B",
)
CODE = typer.Option(None, "--code", help="CAMEO code prefix, e.g. 04 or 0311.")
ROOT = typer.Option(None, "--root", help="CAMEO root, 01-20.")
QUAD = typer.Option(None, "--quad", min=1, max=4, help="Quad class 1-4.")
SINCE = typer.Option(None, "--since", help="First event day, YYYY-MM-DD.")
UNTIL = typer.Option(None, "--until", help="Last event day, YYYY-MM-DD.")
ALL = typer.Option(False, "--all", help="Include domestic events (both sides in one country).")
DB = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB")
ALLOW_EMPTY = typer.Option(
    False, "--allow-empty", help="Write the file even when no event matches."
)

_CAMEO = re.compile(r"^[0-9]{2,4}$")


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: expected a date as YYYY-MM-DD") from None


def event_filter(
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
) -> EventFilter:
    """The checked :class:`EventFilter` of a command's options; bad values exit with 2."""
    start, end = _date(since, "--since"), _date(until, "--until")
    if start and end and start > end:
        raise fail(f"--until {end} is before --since {start}")
    if code is not None and not _CAMEO.match(code.strip()):
        raise fail(f"--code {code!r}: a CAMEO code is 2 to 4 digits, e.g. 04 or 0311")
    if root is not None:
        r = root.strip()
        if not r.isdigit() or not 1 <= int(r) <= 20:
            raise fail(f"--root {root!r}: a CAMEO root is 01 to 20")
        root = r.zfill(2)
    try:
        iso = resolve_country(country, "--country") if country else None
        pair = None
        if dyad and all(dyad):
            pair = (resolve_side(dyad[0], "--dyad"), resolve_side(dyad[1], "--dyad"))
    except TidingsError as exc:
        raise fail(str(exc)) from None
    return EventFilter(
        actor=actor.strip() if actor and actor.strip() else None,
        country=iso,
        dyad=pair,
        code=code.strip() if code else None,
        root=root,
        quad=quad,
        since=start,
        until=end,
        include_domestic=include_domestic,
    )


def store_path(db: Path | None) -> Path:
    """The store file a command will open (for messages)."""
    from tidings.store import default_path

    return Path(db) if db else Path(default_path())


def no_events(store: object, flt: EventFilter, what: str = "events") -> None:
    """Say on stderr that nothing matched, and what the store holds, so the user can tell
    a filter that is too narrow from a store that is empty or not the one they meant."""
    from rich.markup import escape

    from tidings.cli._app import err_console
    from tidings.report import describe_filter

    total = store.count_events()  # type: ignore[attr-defined]
    path = getattr(store, "path", "the store")
    if total == 0:
        hint = (
            f"{path} holds no events yet: fill it with `tidings ingest PATH`, "
            "or try `tidings demo --db demo.duckdb` and add --db demo.duckdb"
        )
    else:
        hint = f"{path} holds {total} events, none with {describe_filter(flt)}"
    err_console.print(
        f"[yellow]No {what} match.[/] {escape(hint)}.", soft_wrap=True, highlight=False
    )
