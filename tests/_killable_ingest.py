"""A warm process that forks ingests to be killed (used by ``test_crash.py``).

Started once per test with ``python _killable_ingest.py CORPUS BATCH``, it imports
tidings and loads the coder's tables, then answers commands on stdin, one per line:

    go MODE N DB

It forks a child that ingests CORPUS into DB (``batch_size=BATCH``) and prints the
child's pid; when the child ends it prints ``exit CODE`` (``-9`` when SIGKILL ended
it). MODE says where the child kills ITSELF with SIGKILL:

* ``none``: nowhere (the test kills it from outside at a random moment, or not at all);
* ``before-merge``: at its N-th merge, after the batch's documents and mentions are
  written and before its events are merged (the old crash window);
* ``before-commit``: at its N-th merge, after the events are written and before the
  transaction commits.

Forking a warm process makes each kill cost milliseconds instead of a cold start.
"""

from __future__ import annotations

import os
import signal
import sys

from tidings import dedup, pipeline
from tidings.ingest import iter_articles
from tidings.model import Article
from tidings.store import open_store


def _child(mode: str, n: int, db: str, corpus: str, batch: int) -> None:
    real = dedup.merge_keys_in
    calls = [0]

    def hooked(con, keys):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if mode == "before-merge" and calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        written = real(con, keys)
        if mode == "before-commit" and calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return written

    dedup.merge_keys_in = hooked
    store = open_store(db)
    report = pipeline.ingest([corpus], store, batch_size=batch)
    store.close()
    os._exit(0 if report.failed == 0 else 3)


def main() -> None:
    corpus, batch = sys.argv[1], int(sys.argv[2])
    # code the corpus once: every table and pattern the coder loads lazily is loaded
    pipeline.code_batch([a for a in iter_articles([corpus]) if isinstance(a, Article)])
    print("ready", flush=True)
    for line in sys.stdin:
        _, mode, n, db = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                _child(mode, int(n), db, corpus, batch)
            finally:
                os._exit(4)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        print(f"exit {code}", flush=True)


if __name__ == "__main__":
    main()
