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
    help="Turn news articles into a queryable database of political events.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

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
    """Turn a TidingsError into one red line and exit code 2: no tracebacks for users."""
    try:
        yield
    except TidingsError as exc:
        raise fail(str(exc)) from None
