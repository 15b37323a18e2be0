"""``tidings serve`` in a process of its own, for the load benchmark and the tests.

Both need the server as users run it (its own process, its own DuckDB instance) and
must know when it answers, and why not when it died: they start it here.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["free_port", "served_process"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served_process(
    db: str | Path, *extra: str, timeout: float = 60
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Run ``tidings serve --db DB EXTRA...`` until the block ends; yield it and its URL.

    Returns once ``/stats`` answers 200. If the server exits first, or does not answer
    within ``timeout`` seconds, raises RuntimeError with what it wrote to stderr.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "tidings", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen([*cmd, *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while not _answers(url + "/stats"):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                said = proc.communicate(timeout=30)[1].decode(errors="replace")
                raise RuntimeError(f"the server did not start: {said.strip()}")
            time.sleep(0.2)
        yield proc, url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our loopback URL
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False
