"""The event filters every query command takes, declared and checked once.

``events``, ``export``, ``timeline``, ``chart`` and ``report`` all select events the same
way, so they share these options and :func:`event_filter`, which checks them as the REST
API does: a country is a code or a name (``Vietnam`` becomes ``VNM``), and an unknown
country, a malformed CAMEO code or date is an error (exit code 2), never a query that
silently matches nothing.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from tidings.cli._app import fail
from tidings.errors import TidingsError
from tidings.resolve import check_filter
from tidings.store import EventFilter

__all__ = ["event_filter", "no_events", "with_filters"]

DB_HELP = "Store file (DuckDB). Default: $TIDINGS_DB or ./tidings.duckdb."


def _filter_option(default: Any, flag: str, help: str, **kw: Any) -> Any:
    """A filter option, shown in its own "Filters" help panel."""
    return typer.Option(default, flag, help=help, rich_help_panel="Filters", **kw)


ACTOR = _filter_option(None, "--actor", "Actor name, id or code (substring).")
COUNTRY = _filter_option(
    None, "--country", "Country on either side: ISO3 code or name (VNM, Vietnam)."
)
DYAD = _filter_option(
    None, "--dyad", "Two countries (codes or names) or actor ids, either direction.", metavar="A B"
)
CODE = _filter_option(None, "--code", "CAMEO code prefix, e.g. 04 or 0311.")
ROOT = _filter_option(None, "--root", "CAMEO root, 01-20.")
QUAD = _filter_option(None, "--quad", "Quad class 1-4.", min=1, max=4)
SINCE = _filter_option(None, "--since", "First event day, YYYY-MM-DD.")
UNTIL = _filter_option(None, "--until", "Last event day, YYYY-MM-DD.")
ALL = _filter_option(False, "--all", "Include domestic events (both sides in one country).")
DB = typer.Option(None, "--db", help=DB_HELP, envvar="TIDINGS_DB")
#: read a Ray output folder (:func:`tidings.raymerge.store_for`) in place of ``--db``
PARQUET = typer.Option(
    None,
    "--parquet",
    help="Read a Ray output folder (ingest --engine ray --output DIR) instead of --db.",
)
ALLOW_EMPTY = typer.Option(
    False, "--allow-empty", help="Write the file even when no event matches."
)


def event_filter(**options: Any) -> EventFilter:
    """The checked :class:`EventFilter` of a command's options (as the REST API checks
    its parameters, :func:`tidings.resolve.check_filter`); bad values exit with 2."""
    names = {n: "--all" if n == "include_domestic" else f"--{n}" for n, _t, _o in _FILTERS}
    try:
        return check_filter(**options, names=names)
    except TidingsError as exc:
        raise fail(str(exc)) from None


#: the filter options, in the order help shows them: (name, type, Typer option)
_FILTERS: list[tuple[str, Any, Any]] = [
    ("dyad", tuple[str, str] | None, DYAD),
    ("actor", str | None, ACTOR),
    ("country", str | None, COUNTRY),
    ("code", str | None, CODE),
    ("root", str | None, ROOT),
    ("quad", int | None, QUAD),
    ("since", str | None, SINCE),
    ("until", str | None, UNTIL),
    ("include_domestic", bool, ALL),
]


def with_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command every filter option; it receives them checked, as ``flt``.

    One declaration for ``events``, ``export``, ``timeline``, ``chart`` and ``report``,
    so they cannot drift apart: the command's own signature takes ``flt: EventFilter``
    in place of the nine options, which are added before its other options.
    """
    own = inspect.signature(command, eval_str=True)
    if "flt" not in own.parameters:
        raise TypeError(f"{command.__name__} must take flt: EventFilter")
    kind = inspect.Parameter.KEYWORD_ONLY
    added = [inspect.Parameter(n, kind, default=o, annotation=t) for n, t, o in _FILTERS]
    rest = [p.replace(kind=kind) for p in own.parameters.values() if p.name != "flt"]

    @functools.wraps(command)
    def run(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name, _t, _o in _FILTERS}
        return command(flt=event_filter(**values), **kwargs)

    run.__signature__ = own.replace(parameters=added + rest)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in added + rest}
    run.__annotations__["return"] = own.return_annotation
    del run.__wrapped__  # type: ignore[attr-defined]  # Typer must read the new signature
    return run


def no_events(
    store: object, flt: EventFilter, what: str = "events", *, source: Path | None = None
) -> None:
    """Say on stderr that nothing matched, and what the store holds, so the user can tell
    a filter that is too narrow from a store that is empty or not the one they meant.

    ``source``: what the user named, when it is not the store file (a --parquet folder).
    """
    from rich.markup import escape

    from tidings.cli._app import err_console
    from tidings.report import describe_filter

    total = store.count_events()  # type: ignore[attr-defined]
    path = source or getattr(store, "path", "the store")
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
