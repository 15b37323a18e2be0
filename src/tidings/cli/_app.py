"""The Typer application every command module registers on.

Commands live in one module per area (``store_cmds``, ``coder_cmds``, ``output_cmds``,
``serve_cmd``); each only parses arguments and calls the library, so the CLI stays a
thin layer over :mod:`tidings`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from tidings.errors import TidingsError

app = typer.Typer(
    name="tidings",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

#: help panels in the order a user's day goes: fill the store, look at it, make outputs,
#: check the coder. ``order_commands`` sorts the commands into this order.
PANELS = ("Store", "Explore", "Outputs", "Quality")
COMMAND_ORDER = (
    "demo",
    "ingest",
    "recode",
    "events",
    "docs",
    "stats",
    "serve",
    "timeline",
    "chart",
    "report",
    "export",
    "extract",
    "evaluate",
    "gate",
)


def order_commands() -> None:
    """Sort the registered commands (and so the help panels) into :data:`COMMAND_ORDER`."""

    def key(info: typer.models.CommandInfo) -> int:
        name = info.name or (info.callback.__name__ if info.callback else "")
        return COMMAND_ORDER.index(name) if name in COMMAND_ORDER else len(COMMAND_ORDER)

    app.registered_commands.sort(key=key)


def _hide_flag_types() -> None:
    """Show no ``<bool>`` type beside flags in help (recent Typer versions print one)."""
    from typer import core

    option = getattr(core, "TyperOption", None)
    original = getattr(option, "display_type_rich", None)
    if option is None or original is None or getattr(original, "_tidings", False):
        return

    def display_type_rich(self: typer.core.TyperOption, ctx: object) -> str | None:
        if getattr(self, "is_flag", False):
            return None
        return original(self, ctx)

    display_type_rich._tidings = True  # type: ignore[attr-defined]
    option.display_type_rich = display_type_rich  # type: ignore[method-assign]


_hide_flag_types()


def _version(value: bool) -> None:
    if value:
        from tidings import __version__

        typer.echo(f"tidings {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Turn news articles into a queryable database of political events.

    [bold]Start here:[/] tidings demo, then tidings ingest FOLDER and tidings events.
    """


#: stdout for results, stderr for messages, progress and errors
console = Console()
err_console = Console(stderr=True)


def interactive() -> bool:
    """True when progress bars make sense: stderr is a terminal."""
    return sys.stderr.isatty()


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one red line on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


@contextmanager
def errors_as_exit() -> Iterator[None]:
    """Turn a TidingsError into one red line and exit code 2: no tracebacks for users (a
    locked store's message, from :mod:`tidings.lockinfo`, names the holder and what to do)."""
    try:
        yield
    except TidingsError as exc:
        raise fail(str(exc)) from None
