"""The scale benchmark suite, one command: throughput, memory, worker scaling, query latency.

    python bench/suite.py                      # 1k/10k/100k articles, 1M/10M events
    python bench/suite.py --sizes 1000,10000   # cap the corpus sizes
    python bench/suite.py --events 1000000     # only the 1M-event store
    python bench/suite.py --huge               # stream 10k/100k/1M articles through coding: RSS
    python bench/suite.py --huge --huge-sizes 10000,100000
    python bench/suite.py --merge              # merge time per batch, 10k-200k docs: merge.py
    python bench/suite.py --ray                # Ray on 1 vs 2 CPUs, 20k articles; projection
    python bench/suite.py --load               # 50 API clients at 100k events: api.py --load

Every ingest measurement runs in a fresh subprocess (``--one``), so its peak memory is
its own: the writer's peak RSS and the largest coding worker's. Corpora are synthetic
(:mod:`common`), written as JSONL and ingested with ``tidings.pipeline.ingest`` exactly
as ``tidings ingest --workers N`` does. Query latency is measured on stores of synthetic
events built in Arrow chunks (``bench/api.py``'s builder). Prints a table with ratios
and writes ``bench/results/suite.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    current_rss_mb,
    peak_rss_mb,
    synthetic_articles,
    write_jsonl,
)

RESULTS = HERE / "results" / "suite.json"


def _worker_counts(cores: int) -> list[int]:
    counts, w = [], 1
    while w < cores:
        counts.append(w)
        w *= 2
    return counts + [cores]


def _vm_hwm_mb(pid: int) -> float:
    """Peak RSS of another process (Linux /proc), in MiB; 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --------------------------------------------------------------------------- one run


def one_ingest(path: Path, workers: int) -> dict[str, Any]:
    """Ingest ``path`` into a fresh store with ``workers``; runs in its own process."""
    from tidings.pipeline import ingest
    from tidings.store import open_store

    with tempfile.TemporaryDirectory(prefix="tidings-suite-") as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        # load the tables first, so the figure is coding, not start-up
        from tidings.coder import code_article
        from tidings.model import Article

        code_article(Article(doc_id="w", text="France met Germany on Monday."))
        started = time.perf_counter()
        report = ingest([path], store, workers=workers, batch_size=1000)
        seconds = time.perf_counter() - started
        size = (Path(tmp) / "bench.duckdb").stat().st_size
    return {
        "articles": report.read,
        "mentions": report.mentions,
        "seconds": round(seconds, 2),
        "docs_per_s": round(report.read / seconds, 1),
        "rss_writer_mb": round(peak_rss_mb(), 1),
        "rss_worker_mb": round(peak_rss_mb(children=True), 1) if workers > 1 else None,
        "store_mb": round(size / 2**20, 1),
    }


def run_one(path: Path, workers: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", str(path), "--workers", str(workers)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- queries


QUERIES = {
    "count by CAMEO root": "SELECT root, count(*) FROM events GROUP BY root",
    "dyad + date range": (
        "SELECT * FROM events WHERE ((source_country='USA' AND target_country='CHN') OR "
        "(source_country='CHN' AND target_country='USA')) AND event_date BETWEEN "
        "'2018-01-01' AND '2019-12-31' ORDER BY event_date DESC LIMIT 100"
    ),
    "monthly counts, one country": (
        "SELECT date_trunc('month', event_date) m, count(*) FROM events "
        "WHERE source_country='RUS' OR target_country='RUS' GROUP BY m ORDER BY m"
    ),
    "top 20 dyads": (
        "SELECT source_country, target_country, count(*) n FROM events "
        "GROUP BY ALL ORDER BY n DESC LIMIT 20"
    ),
    "event by id": "SELECT * FROM events WHERE event_id = 'ev_00000000012345'",
}


def query_latency(n_events: int) -> dict[str, float]:
    """Median latency (ms, 5 runs after one warm-up) of typical queries on ``n_events``."""
    import duckdb

    from common import synthetic_events
    from tidings.store import open_store

    with tempfile.TemporaryDirectory(prefix="tidings-suite-q-") as tmp:
        path = Path(tmp) / "events.duckdb"
        t = time.perf_counter()
        open_store(path).close()
        con = duckdb.connect(str(path))
        for start in range(0, n_events, 500_000):
            chunk = synthetic_events(start, min(500_000, n_events - start))
            con.register("_chunk", chunk)
            names = ", ".join(f'"{c}"' for c in chunk.column_names)
            con.execute(f"INSERT INTO events ({names}) SELECT {names} FROM _chunk")
            con.unregister("_chunk")
        con.close()
        print(f"  built {n_events:,} events in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        con = duckdb.connect(str(path), read_only=True)
        out = {}
        for name, sql in QUERIES.items():
            con.execute(sql).fetchall()
            times = []
            for _ in range(5):
                t = time.perf_counter()
                con.execute(sql).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            out[name] = round(statistics.median(times), 1)
        con.close()
    return out


# --------------------------------------------------------------------------- huge


def huge(sizes: list[int], workers: int) -> list[dict[str, Any]]:
    """Stream ``max(sizes)`` generated articles through the pool; RSS at each size."""
    from tidings.parallel import ParallelCoder

    marks = sorted(sizes)
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    mentions = 0
    with ParallelCoder(None, workers, chunk_size=100) as pool:
        done = 0
        for article in pool.stream(synthetic_articles(marks[-1], seed=11)):
            mentions += len(pool.code_batch([article])[0][1])  # hand over, as the writer does
            done += 1
            if done in marks or done % 100_000 == 0:
                pids = list(pool._pool._processes) if pool._pool else []  # noqa: SLF001
                seconds = time.perf_counter() - started
                row = {
                    "articles": done,
                    "mentions": mentions,
                    "seconds": round(seconds, 1),
                    "docs_per_s": round(done / seconds, 1),
                    "rss_main_mb": round(current_rss_mb(), 1),
                    "peak_main_mb": round(peak_rss_mb(), 1),
                    "peak_worker_mb": round(max((_vm_hwm_mb(p) for p in pids), default=0), 1),
                }
                print(json.dumps(row), file=sys.stderr, flush=True)
                if done in marks:
                    rows.append(row)
    return rows


# --------------------------------------------------------------------------- main


def _table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    out = [f"\n{title}", line, "-+-".join("-" * w for w in widths)]
    for r in rows:
        out.append(" | ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes (articles)")
    ap.add_argument("--scaling-size", type=int, default=10000, help="corpus for worker scaling")
    ap.add_argument("--max-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--events", default="1000000,10000000", help="store sizes for queries")
    ap.add_argument("--huge", action="store_true", help="only the streaming-memory run")
    ap.add_argument("--huge-sizes", default="10000,100000,1000000")
    ap.add_argument("--merge", action="store_true", help="only the merge cost per batch")
    ap.add_argument("--merge-sizes", default="10000,50000,100000,200000")
    ap.add_argument("--load", action="store_true", help="only the API load (bench/api.py)")
    ap.add_argument("--load-workers", type=int, default=2, help="server processes for --load")
    ap.add_argument("--json", type=Path, default=RESULTS)
    ap.add_argument("--ray", action="store_true", help="only the Ray engine benchmark")
    ap.add_argument("--ray-size", type=int, default=20000, help="articles for --ray")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--ray-one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cpus", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.one:
        print(json.dumps(one_ingest(args.one, args.workers)))
        return
    if args.merge:  # bench/merge.py: one dense dyad, batches of 500, a fresh process
        import merge

        merged = merge.run([int(s) for s in args.merge_sizes.split(",")], per_day=100)
        print(merge.table(merged))
        args.json.parent.mkdir(exist_ok=True)
        args.json.write_text(json.dumps({"merge": merged}, indent=1) + "\n")
        return
    if args.load:  # bench/api.py: its own server process, identical and unique mixes
        api = Path(__file__).with_name("api.py")
        cmd = [sys.executable, str(api), "--events", "100000", "--load"]
        raise SystemExit(subprocess.call([*cmd, "--workers", str(args.load_workers)]))
    if args.ray_one:
        import raybench

        print(json.dumps(raybench.ray_one(args.ray_one, args.cpus)))
        return
    if args.ray:
        import raybench

        out = raybench.run(args.ray_size, _table)
        _write(args.json.with_name("ray.json"), out)
        return

    cores = args.max_workers
    result: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        }
    }
    if args.huge:
        sizes = [int(s) for s in args.huge_sizes.split(",")]
        rows = huge(sizes, cores)
        result["huge"] = {"workers": cores, "rows": rows}
        print(
            _table(
                f"Streaming coding, {cores} workers (memory must stay flat)",
                ["articles", "docs/s", "main RSS MiB", "main peak", "worker peak"],
                [
                    [
                        f"{r['articles']:,}",
                        r["docs_per_s"],
                        r["rss_main_mb"],
                        r["peak_main_mb"],
                        r["peak_worker_mb"],
                    ]
                    for r in rows
                ],
            )
        )
        _write(args.json.with_name("huge.json"), result)
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="tidings-suite-corpus-") as tmp:
        corpora = {}
        for n in sorted(set(sizes + [args.scaling_size]) - {0}):
            corpora[n] = write_jsonl(Path(tmp) / f"c{n}.jsonl", n)
        ingest_rows = []
        for n in sizes:
            r = run_one(corpora[n], cores)
            r["workers"] = cores
            ingest_rows.append(r)
            print(f"  ingest {n:,}: {r}", file=sys.stderr, flush=True)
        scaling_rows = []
        for w in _worker_counts(cores) if args.scaling_size else []:
            r = run_one(corpora[args.scaling_size], w)
            r["workers"] = w
            scaling_rows.append(r)
            print(f"  workers {w}: {r}", file=sys.stderr, flush=True)
    result["ingest"] = ingest_rows
    result["scaling"] = {"articles": args.scaling_size, "rows": scaling_rows}
    base = ingest_rows[0]["docs_per_s"] if ingest_rows else 1
    print(
        _table(
            f"Ingest + coding ({cores} workers)",
            [
                "articles",
                "mentions",
                "seconds",
                "docs/s",
                "x smallest",
                "writer MiB",
                "worker MiB",
                "store MiB",
            ],
            [
                [
                    f"{r['articles']:,}",
                    f"{r['mentions']:,}",
                    r["seconds"],
                    r["docs_per_s"],
                    f"{r['docs_per_s'] / base:.2f}",
                    r["rss_writer_mb"],
                    r["rss_worker_mb"],
                    r["store_mb"],
                ]
                for r in ingest_rows
            ],
        )
    )
    one = scaling_rows[0]["docs_per_s"] if scaling_rows else 1
    print(
        _table(
            f"Scaling with workers ({args.scaling_size:,} articles, {os.cpu_count()} cores)",
            ["workers", "seconds", "docs/s", "speed-up", "efficiency"],
            [
                [
                    r["workers"],
                    r["seconds"],
                    r["docs_per_s"],
                    f"{r['docs_per_s'] / one:.2f}x",
                    f"{r['docs_per_s'] / one / r['workers']:.0%}",
                ]
                for r in scaling_rows
            ],
        )
    )
    latency = {}
    for n in [int(s) for s in args.events.split(",") if s]:
        latency[n] = query_latency(n)
    result["query_ms"] = {str(k): v for k, v in latency.items()}
    if latency:
        ns = sorted(latency)
        header = ["query"] + [f"{n:,} events (ms)" for n in ns]
        if len(ns) > 1:
            header.append(f"ratio {ns[-1] // ns[0]}x data")
        rows = []
        for q in QUERIES:
            row = [q] + [latency[n][q] for n in ns]
            if len(ns) > 1:
                row.append(f"{latency[ns[-1]][q] / max(latency[ns[0]][q], 0.01):.1f}x")
            rows.append(row)
        print(_table("DuckDB query latency (median of 5)", header, rows))
    _write(args.json, result)


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
