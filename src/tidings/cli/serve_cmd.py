"""``tidings serve``: the REST API and the web page on uvicorn."""

from __future__ import annotations

from pathlib import Path

import typer

from tidings.cli import _filters as F
from tidings.cli._app import app, err_console
from tidings.errors import TidingsError
from tidings.store import default_path


@app.command(rich_help_panel="Explore")
def serve(
    db: Path | None = typer.Option(
        None,
        "--db",
        help="Store file (DuckDB). Default: $TIDINGS_DB or ./tidings.duckdb.",
        envvar="TIDINGS_DB",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    allow_ingest: bool = typer.Option(
        False, "--allow-ingest", help="Turn on POST /articles (needs --token)."
    ),
    token: str | None = typer.Option(
        None,
        "--token",
        envvar="TIDINGS_TOKEN",
        help="Bearer token that POST /articles must send (or $TIDINGS_TOKEN).",
        show_default=False,
    ),
    cors_origin: list[str] | None = typer.Option(
        None,
        "--cors-origin",
        help="Let pages from this origin call the API (repeatable). Off by default.",
    ),
    parquet: Path | None = F.PARQUET,
    workers: int = typer.Option(
        1,
        "--workers",
        "-w",
        min=1,
        help="Server processes (read-only servers only): requests use every core.",
    ),
) -> None:
    """Serve the events of a store: the web page at / and the REST API (docs at /docs).

    The server holds the store open while it runs; stop it before `tidings ingest`,
    or start it with --allow-ingest --token and post articles to /articles.

    [bold]Example:[/] tidings demo --db demo.duckdb && tidings serve --db demo.duckdb
    """
    import uvicorn

    from tidings.api import create_app

    if workers > 1 and allow_ingest:
        err_console.print(
            "[red]error:[/] --workers needs a read-only server (DuckDB has one writer); "
            "drop --allow-ingest or --workers"
        )
        raise typer.Exit(2)
    target = db or Path(default_path())
    if parquet is not None:  # DuckDB views over the folder's Parquet, in a scratch file
        from tidings.raymerge import view_file

        if allow_ingest:
            err_console.print("[red]error:[/] --parquet is read-only; drop --allow-ingest")
            raise typer.Exit(2)
        try:
            target = view_file(parquet)
        except TidingsError as exc:
            err_console.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
    elif target.exists():
        # sort events by date and index the lookups once, so filtered queries stay fast
        from tidings.store import open_store

        try:
            store = open_store(target)
            store.optimize()
            store.close()
        except TidingsError as exc:
            err_console.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
    try:
        api = create_app(
            target,
            allow_ingest=allow_ingest,
            token=token,
            cors_origins=list(cors_origin or []),
        )
    except TidingsError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(
            f"[yellow]note:[/] listening on {host}: anyone who can reach it can read the store",
            highlight=False,
        )
    err_console.print(f"Serving {target} at http://{host}:{port}/  (Ctrl+C stops)", highlight=False)
    if workers == 1:
        uvicorn.run(api, host=host, port=port, log_level="warning")
        return
    import os

    from tidings.api.app import ENV_CORS, ENV_DB

    api.state.stores.close()  # checked; each worker opens the file itself
    os.environ[ENV_DB] = str(target)
    os.environ[ENV_CORS] = ",".join(cors_origin or [])
    uvicorn.run(
        "tidings.api.app:from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )
