"""Command-line interface: ``tidings COMMAND``. See ``tidings --help``."""

from __future__ import annotations

from tidings.cli import coder_cmds, output_cmds, serve_cmd, store_cmds  # noqa: F401  (registers)
from tidings.cli._app import app, order_commands

order_commands()

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
