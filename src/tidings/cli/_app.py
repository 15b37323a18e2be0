"""The Typer application every command module registers on.

Commands live in one module per area (``store_cmds``, ``coder_cmds``, ``output_cmds``,
``serve_cmd``); each only parses arguments and calls the library, so the CLI stays a
thin layer over :mod:`tidings`.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

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
