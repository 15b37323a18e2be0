"""Merge cost per batch as the store grows, on one dense dyad.

    python bench/merge.py                          # 10k, 50k, 100k, 200k documents
    python bench/merge.py --sizes 10000,50000 --per-day 100

Writes batches of 500 synthetic documents through :meth:`Store.write_batch`, the
ingest's own write path (documents, mentions and the merge of their events in one
transaction), into a fresh store, in a fresh process. The mentions are generated
directly, not coded: coding 200k articles takes half an hour on two cores, and the
merge sees only mentions. Every document is about one dyad (the United States and
China), ``--per-day`` documents a day in publication order, with 1-3 mentions each over
eight CAMEO roots in both directions; most report the day's events, some an event of
up to ten days before (late reports reach back into older partitions).

At each size it prints the median and 95th percentile of the merge time of the last
20 batches (the time spent in :func:`tidings.dedup.merge_keys_in`), the whole batch
write, the mentions re-merged per batch, and the writer's RSS: after the batch, and
the highest peak of one batch since the previous size (Linux: the peak is reset before
each batch, so this is the memory one batch needs, DuckDB's checkpoints included).
Flat columns mean the merge costs O(batch), not O(store).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import current_rss_mb  # noqa: E402

BATCH = 500
START = dt.date(2015, 1, 5)
#: (cameo, name) of the acts between the pair; root 04 is undirected, the rest directed
ACTS = [
    ("040", "Consult"),
    ("042", "Make a visit"),
    ("051", "Praise or endorse"),
    ("057", "Sign formal agreement"),
    ("112", "Accuse"),
    ("130", "Threaten"),
    ("163", "Impose embargo, boycott, or sanctions"),
    ("172", "Impose administrative sanctions"),
]
SIDES = {
    "USA": [("United States", "USA", "USAGOV"), ("Joe Biden", "joe-biden", "USAGOV")],
    "CHN": [("China", "CHN", "CHNGOV"), ("Xi Jinping", "xi-jinping", "CHNGOV")],
}


#: what every generated mention shares (the rest comes from :func:`_documents`)
FIXED = {
    "trigger": "acted",
    "trigger_start": 0,
    "trigger_end": 5,
    "goldstein": 0.0,
    "quad_class": 1,
    "symmetric": False,
    "domestic": False,
    "date_reason": "bench",
    "rule": "bench",
    "coder_version": "bench",
    "sentence_start": 0,
}


def _side(side: str, actor: tuple[str, str, str, str], start: int) -> dict[str, Any]:
    """The ``source_*`` or ``target_*`` fields of a mention: (name, id, code, country)."""
    name, actor_id, code, country = actor
    return {
        f"{side}_name": name,
        f"{side}_id": actor_id,
        f"{side}_code": code,
        f"{side}_country": country,
        f"{side}_role": "GOV",
        f"{side}_start": start,
        f"{side}_end": start + 5,
    }


def _documents(n: int, per_day: int, seed: int = 7) -> Any:
    """Yield ``(article, mentions)`` for ``n`` documents, in publication order."""
    from tidings.model import Article, Mention

    # every field None but the shared ones; each mention replaces what is its own
    template = Mention(**({f.name: None for f in dataclasses.fields(Mention)} | FIXED))
    rng = random.Random(seed)
    for i in range(n):
        published = START + dt.timedelta(days=i // per_day)
        text = f"Report {i} on relations between the United States and China."
        digest = hashlib.sha1(text.encode()).hexdigest()
        doc_id = digest[:16]
        article = Article(
            doc_id=doc_id,
            text=text,
            title=f"Report {i}",
            published=published,
            outlet=f"Outlet {rng.randrange(40)}",
            text_hash=digest,
        )
        mentions = []
        for k in range(rng.choice((1, 1, 2, 3))):
            cameo, name = rng.choice(ACTS)
            src, tgt = ("USA", "CHN") if rng.random() < 0.5 else ("CHN", "USA")
            sname, sid, scode = rng.choice(SIDES[src])
            tname, tid, tcode = rng.choice(SIDES[tgt])
            lag = 0 if rng.random() < 0.7 else (1 if rng.random() < 0.6 else rng.randint(2, 10))
            exact = rng.random() < 0.8
            mentions.append(
                dataclasses.replace(
                    template,
                    mention_id=f"{doc_id}-{k}",
                    doc_id=doc_id,
                    sentence_index=k,
                    sentence_end=len(text),
                    sentence=text,
                    **_side("source", (sname, sid, scode, src), 0),
                    **_side("target", (tname, tid, tcode, tgt), 10),
                    cameo=cameo,
                    root=cameo[:2],
                    cameo_name=name,
                    event_date=published - dt.timedelta(days=lag),
                    date_exact=exact,
                    published=published,
                    confidence=round(rng.uniform(0.6, 0.95), 3),
                    outlet=article.outlet,
                )
            )
        yield article, mentions


def one(sizes: list[int], per_day: int) -> dict[str, Any]:
    """Fill one store up to the largest size; measure the last 20 batches before each."""
    from tidings import dedup
    from tidings.store import open_store

    merge_seconds: list[float] = []
    merged_rows: list[int] = []
    real = dedup.merge_keys_in

    def timed(con: Any, keys: Any) -> int:
        keys = sorted(set(keys))
        started = time.perf_counter()
        out = real(con, keys)
        merge_seconds.append(time.perf_counter() - started)
        if keys:  # one index lookup per key, outside the timing (an IN list would scan)
            merged_rows.append(
                sum(
                    con.execute(
                        "SELECT count(*) FROM mentions WHERE merge_key = ?", [k]
                    ).fetchall()[0][0]
                    for k in keys
                )
            )
        return out

    dedup.merge_keys_in = timed  # the store looks it up on the module at every batch
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tidings-merge-") as tmp:
        path = Path(tmp) / "bench.duckdb"
        store = open_store(path)
        batch_seconds: list[float] = []
        batch_peaks: list[float] = []
        mark = 0  # index of the first batch after the previous row
        articles, by_doc = [], {}
        done = 0
        targets = sorted(sizes)
        for article, mentions in _documents(targets[-1], per_day):
            articles.append(article)
            by_doc[article.doc_id] = mentions
            if len(articles) < BATCH:
                continue
            reset = _reset_peak()
            started = time.perf_counter()
            with store.session():  # as the pipeline does: one open of the file per batch
                store.write_batch(articles, by_doc, coder_version="bench")
            batch_seconds.append(time.perf_counter() - started)
            if reset:
                batch_peaks.append(_peak_since_reset())
            done += len(articles)
            articles, by_doc = [], {}
            if targets and done >= targets[0]:
                targets.pop(0)
                since, mark = mark, len(batch_peaks)
                last = slice(-20, None)
                with store.session() as con:
                    events, mentions_n = con.execute(
                        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)"
                    ).fetchall()[0]
                rows.append(
                    {
                        "documents": done,
                        "mentions": mentions_n,
                        "events": events,
                        "merge_ms_p50": round(statistics.median(merge_seconds[last]) * 1000, 1),
                        "merge_ms_p95": round(_p95(merge_seconds[last]) * 1000, 1),
                        "batch_ms_p50": round(statistics.median(batch_seconds[last]) * 1000, 1),
                        "remerged_mentions_p50": int(statistics.median(merged_rows[last])),
                        "rss_mb": round(current_rss_mb(), 1),
                        # every batch since the previous row (checkpoint batches included)
                        "batch_peak_mb": round(max(batch_peaks[since:]), 1)
                        if batch_peaks
                        else None,
                        "store_mb": round(path.stat().st_size / 2**20, 1),
                    }
                )
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return {"per_day": per_day, "batch": BATCH, "rows": rows}


def _reset_peak() -> bool:
    """Reset this process's peak RSS (Linux: ``clear_refs``), so the next reading is one
    batch's own peak; False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def _peak_since_reset() -> float:
    """Peak RSS since :func:`_reset_peak`, in MiB (``VmHWM``)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def run(sizes: list[int], per_day: int) -> dict[str, Any]:
    """:func:`one` in a fresh process, so the RSS figures are the writer's own."""
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            "--sizes",
            ",".join(map(str, sizes)),
            "--per-day",
            str(per_day),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(result: dict[str, Any]) -> str:
    head = (
        f"Merge per batch of {result['batch']} documents, one dense dyad "
        f"({result['per_day']} documents a day)\n"
        "documents  mentions   events  merge p50 ms  merge p95 ms  batch p50 ms"
        "  re-merged  RSS MiB  batch peak MiB  store MiB"
    )
    lines = [head]
    for r in result["rows"]:
        lines.append(
            f"{r['documents']:>9,}  {r['mentions']:>8,}  {r['events']:>7,}  "
            f"{r['merge_ms_p50']:>12}  {r['merge_ms_p95']:>12}  {r['batch_ms_p50']:>12}  "
            f"{r['remerged_mentions_p50']:>9,}  {r['rss_mb']:>7}  {r['batch_peak_mb']!s:>14}  "
            f"{r['store_mb']:>9}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000,200000")
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    if args.one:
        print(json.dumps(one(sizes, args.per_day)))
        return
    result = run(sizes, args.per_day)
    print(table(result))
    out = HERE / "results" / "merge.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
