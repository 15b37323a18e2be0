"""Who holds a store's file, and what a person can do about it.

DuckDB lets one process write a file, or several read it, and says which process
holds it when it refuses ("Conflicting lock is held in /usr/bin/python3 (PID 4242)").
:func:`lock_message` turns that into a sentence a person can act on: the holder's
command line (from ``/proc`` where there is one) and what to do. A running
``tidings serve`` holds its store until it is stopped, so waiting for it is pointless:
:attr:`LockHolder.is_server` lets the store give up at once instead of after its
timeout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LockHolder", "holder_of", "lock_message"]

_PID = re.compile(r"\(PID (\d+)\)")
#: DuckDB adds this when the holder only reads (a reader could still get in)
_READ_ONLY_HINT = "open this database in read-only mode"
#: longest command line quoted in a message
_SHOWN = 120


@dataclass(frozen=True)
class LockHolder:
    """The process that holds a store, as far as the lock error and ``/proc`` tell."""

    pid: int | None
    command: str | None
    read_only: bool

    @property
    def is_server(self) -> bool:
        """True for ``tidings serve``, which holds the store until it is stopped."""
        words = (self.command or "").split()
        return "serve" in words and any(w.endswith("tidings") for w in words)

    @property
    def takes_articles(self) -> bool:
        """True for a server started with ``--allow-ingest`` (POST /articles is on)."""
        return self.is_server and "--allow-ingest" in (self.command or "").split()


def _command_of(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    if len(words) > 1 and words[1] == "-c":  # a script given inline: its text says little
        return f"{Path(words[0]).name} -c ..."
    # "python -m tidings serve" and ".../bin/tidings serve" both read "tidings serve"
    if len(words) > 2 and words[1] == "-m":
        words = words[2:]
    elif len(words) > 1 and Path(words[0]).name.startswith("python"):
        words = words[1:]
    if words:
        words[0] = Path(words[0]).name
    return " ".join(words) or None


def holder_of(error: str) -> LockHolder:
    """The holder named in a DuckDB lock error."""
    found = _PID.search(error)
    pid = int(found.group(1)) if found else None
    command = _command_of(pid) if pid is not None else None
    return LockHolder(pid=pid, command=command, read_only=_READ_ONLY_HINT in error)


def lock_message(path: str, holder: LockHolder, *, want_write: bool, waited: float) -> str:
    """One message: what holds ``path`` and what to do about it."""
    who = f"process {holder.pid}" if holder.pid is not None else "another process"
    if holder.command:
        shown = holder.command
        shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "..."
        who += f" ({shown})"
    stop = f"kill {holder.pid}" if holder.pid is not None else "stop it"
    if holder.is_server:
        text = (
            f"{path} is held by a running server, {who}: `tidings serve` keeps its store "
            f"open until it stops. Stop it (Ctrl+C where it runs, or `{stop}`) and run "
            "this again"
        )
        if not want_write:
            return text + ", or ask the server instead (GET /events, /export)."
        if holder.takes_articles:
            return text + ", or send the articles to that server: POST /articles with its token."
        return text + (
            ", or restart it with --allow-ingest --token and send the articles to POST /articles."
        )
    doing = "read" if holder.read_only else "written"
    return (
        f"{path} is being {doing} by {who}; waited {waited:.0f} s. Try again when it "
        f"finishes, or stop it (`{stop}`). The wait is $TIDINGS_LOCK_TIMEOUT seconds."
    )
