"""``python bench/suite.py --ray``: the Ray engine on 1 and 2 CPUs, and a projection.

One synthetic JSONL file of N articles (default 20,000; :mod:`common`) goes through
``ray_ingest`` (read in blocks, code, write Parquet, merge events on the cluster) on a
local Ray of 1 CPU, then of 2 CPUs, each in a fresh subprocess. Measured:

* wall time of coding and merge together, and the speed-up from 1 to 2 CPUs;
* per-core rates: articles coded per second on 1 CPU (Ray) and in-process without Ray
  (the same coder on a sample: the difference is Ray's cost), mentions merged per
  second (the merge function alone, and the whole route + merge stage);
* Ray's overhead per task: CPU time per no-op task (throughput of 400 small tasks) and
  the coding overhead per coded block (Ray coding time minus in-process coding time,
  divided by the blocks);
* the load of the machine (``uptime``) before and after, since it is shared.

From these it prints the projected time for 16, 64 and 256 cores at 1M and 100M
articles (the model and its assumptions are in :func:`projection`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: assumptions of the projection (see README "Scale"): aggregate bandwidth of the
#: shared file system or object store, in MB/s, and the per-node network share
FS_MB_S = 2000.0
#: Ray start-up and planning on a real cluster, seconds (measured locally: ~5-10 s)
STARTUP_S = 15.0


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def task_overhead(ray: Any, cpus: int) -> dict[str, float]:
    """CPU milliseconds per no-op task (throughput) and one task's round trip (latency)."""

    @ray.remote(num_cpus=1)
    def noop(x: int) -> int:
        return x

    ray.get([noop.remote(i) for i in range(2 * cpus)])  # start the workers
    n = 400
    t0 = time.perf_counter()
    ray.get([noop.remote(i) for i in range(n)])
    per_task = (time.perf_counter() - t0) / n * cpus
    t0 = time.perf_counter()
    for i in range(30):
        ray.get(noop.remote(i))
    latency = (time.perf_counter() - t0) / 30
    return {"task_cpu_ms": round(per_task * 1000, 2), "task_latency_ms": round(latency * 1000, 2)}


def inprocess_rate(path: Path, sample: int = 1500) -> float:
    """Articles per CPU second coding in this process, no Ray (the first ``sample``
    lines, tables loaded first): the coder's own rate, to compare Ray's with."""
    from tidings.ingest import read_path
    from tidings.model import Article
    from tidings.pipeline import code_batch

    articles = []
    for item in read_path(path):
        if isinstance(item, Article):
            articles.append(item)
        if len(articles) >= sample:
            break
    code_batch(articles[:20])  # load the tables
    t0 = time.process_time()
    for i in range(0, len(articles), 100):
        code_batch(articles[i : i + 100])
    return len(articles) / (time.process_time() - t0)


def ray_one(path: Path, cpus: int) -> dict[str, Any]:
    """One measured run on a fresh local Ray with ``cpus`` CPUs (runs in a subprocess)."""
    import ray

    from tidings.raycoder import ray_ingest

    ray.init(
        address="local",  # a fresh local Ray even when another one runs on the machine
        num_cpus=cpus,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
    )
    try:
        overhead = task_overhead(ray, cpus)
        with tempfile.TemporaryDirectory(prefix="tidings-raybench-") as tmp:
            out = Path(tmp) / "out"
            t0 = time.perf_counter()
            run = ray_ingest([path], out)
            seconds = time.perf_counter() - t0
            mention_bytes = sum(f.stat().st_size for f in (out / "mentions").rglob("*.parquet"))
    finally:
        ray.shutdown()
    m = run.merge
    return {
        "cpus": cpus,
        "articles": run.articles,
        "mentions": run.mentions,
        "events": m.events,
        "seconds": round(seconds, 2),
        "coding_seconds": round(run.coding_seconds, 2),
        "merge_seconds": round(m.seconds, 2),
        "merge_fn_seconds": round(m.merge_cpu_seconds, 2),
        "read_tasks": run.read_tasks,
        "coded_blocks": run.coded_blocks,
        "coding_workers": run.coding_workers,
        "route_tasks": m.route_tasks,
        "merge_tasks": m.merge_tasks,
        "partitions": m.partitions,
        "mention_parquet_bytes": mention_bytes,
        "read_cpu": round(run.read_cpu_seconds, 2),
        "code_cpu": round(run.coding_cpu_seconds, 2),
        "code_cpu_busiest": round(run.coding_cpu_busiest, 2),
        "route_cpu": round(m.route_task_cpu, 2),
        "route_cpu_max": round(m.route_task_cpu_max, 2),
        "merge_cpu": round(m.merge_task_cpu, 2),
        "merge_cpu_max": round(m.merge_task_cpu_max, 2),
        **overhead,
    }


def _sub(path: Path, cpus: int) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "suite.py"), "--ray-one", str(path), "--cpus", str(cpus)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"the {cpus}-CPU run failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def projection(rates: dict[str, float]) -> list[list[Any]]:
    """Projected hours for 16/64/256 cores at 1M and 100M articles.

    time = start-up + coding + shuffle + merge, where
      coding  = articles / (cores * per-core coding rate on Ray)
      merge   = mentions / (cores * per-core merge-stage rate)   (route + merge tasks)
      shuffle = 3 passes over the mention Parquet (route read, shuffle write, merge read)
                plus one read of the input, at the file system's aggregate bandwidth
                FS_MB_S, shared by all nodes
    Mentions per article and bytes per mention and per article are the measured ones.
    """
    rows = []
    for n in (1_000_000, 100_000_000):
        for cores in (16, 64, 256):
            coding = n / (cores * rates["code_per_core"])
            mentions = n * rates["mentions_per_article"]
            merge = mentions / (cores * rates["merge_per_core"])
            io_mb = (
                3 * mentions * rates["bytes_per_mention"] + n * rates["bytes_per_article"]
            ) / 1e6
            shuffle = io_mb / FS_MB_S
            total = STARTUP_S + coding + merge + shuffle
            rows.append(
                [
                    f"{n:,}",
                    cores,
                    f"{coding / 60:.1f}",
                    f"{(merge + shuffle) / 60:.1f}",
                    f"{total / 3600:.2f}",
                ]
            )
    return rows


def cpu_total(r: dict[str, Any]) -> float:
    """CPU seconds of all the run's tasks: what one core would spend on everything."""
    return r["read_cpu"] + r["code_cpu"] + r["route_cpu"] + r["merge_cpu"]


def critical_path(r: dict[str, Any]) -> float:
    """Wall seconds the run's tasks need on ``cpus`` dedicated cores: per stage, the
    larger of an even share of its CPU seconds and its busiest worker or longest task."""
    c = r["cpus"]
    coding = max((r["read_cpu"] + r["code_cpu"]) / c, r["code_cpu_busiest"])
    route = max(r["route_cpu"] / c, r["route_cpu_max"])
    merge = max(r["merge_cpu"] / c, r["merge_cpu_max"])
    return coding + route + merge


def run(n: int, table: Any) -> dict[str, Any]:
    """The whole --ray benchmark: corpus, 1- and 2-CPU runs, rates, projection."""
    from common import write_jsonl

    load_before = _uptime()
    with tempfile.TemporaryDirectory(prefix="tidings-raybench-corpus-") as tmp:
        path = write_jsonl(Path(tmp) / f"c{n}.jsonl", n)
        size = path.stat().st_size
        local_rate = inprocess_rate(path)
        rows = []
        for cpus in (1, 2):
            r = _sub(path, cpus)
            rows.append(r)
            print(f"  ray {cpus} cpu: {r}", file=sys.stderr, flush=True)
    load_after = _uptime()
    one, two = rows
    # per-core rates from CPU seconds: the wall clock of a machine shared with other
    # jobs measures them as much as tidings
    rates = {
        "code_per_core": one["articles"] / (one["read_cpu"] + one["code_cpu"]),
        "code_per_core_wall": one["articles"] / one["coding_seconds"],
        "merge_per_core": one["mentions"] / (one["route_cpu"] + one["merge_cpu"]),
        "merge_fn_per_core": one["mentions"] / max(one["merge_fn_seconds"], 1e-9),
        "mentions_per_article": one["mentions"] / one["articles"],
        "bytes_per_mention": one["mention_parquet_bytes"] / one["mentions"],
        "bytes_per_article": size / n,
        "local_code_per_core": local_rate,
    }
    # Ray's coding cost per block: its coding CPU time minus the in-process time
    block_ms = (one["read_cpu"] + one["code_cpu"] - n / local_rate) / one["coded_blocks"] * 1e3
    load = [x.split("load average:")[-1].strip() for x in (load_before, load_after)]
    print(
        table(
            f"Ray engine, {n:,} articles in one JSONL file (coding + merge on the cluster)",
            ["CPUs", "wall s", "coding s", "merge s", "read tasks", "merge tasks",
             "wall speed-up", "CPU s, all tasks", "critical path s", "speed-up, idle cores"],
            [
                [r["cpus"], r["seconds"], r["coding_seconds"], r["merge_seconds"],
                 r["read_tasks"], r["merge_tasks"], f"{one['seconds'] / r['seconds']:.2f}x",
                 f"{cpu_total(r):.1f}", f"{critical_path(r):.1f}",
                 f"{cpu_total(one) / critical_path(r):.2f}x"]
                for r in rows
            ],
        )
    )  # fmt: skip
    print(
        table(
            "Per-core rates and Ray overhead (1-CPU run)",
            ["figure", "value"],
            [
                ["coding (read + code) on Ray, articles per CPU second",
                 f"{rates['code_per_core']:.0f}"],
                ["coding on Ray, articles per wall second", f"{rates['code_per_core_wall']:.0f}"],
                ["coding in-process (no Ray), articles per CPU second", f"{local_rate:.0f}"],
                ["merge stage (route + merge), mentions per CPU second",
                 f"{rates['merge_per_core']:,.0f}"],
                ["mentions per article", f"{rates['mentions_per_article']:.2f}"],
                ["Ray overhead per no-op task, CPU ms", one["task_cpu_ms"]],
                ["Ray round trip of one task, ms", one["task_latency_ms"]],
                ["Ray coding overhead per coded block (CPU, vs in-process), ms",
                 f"{block_ms:.0f}"],
                ["machine load (1/5/15 min) before; after", f"{load[0]}; {load[1]}"],
            ],
        )
    )  # fmt: skip
    print(
        table(
            f"Projection from these rates (file system {FS_MB_S:,.0f} MB/s aggregate, "
            f"{STARTUP_S:.0f} s start-up)",
            ["articles", "cores", "coding min", "shuffle + merge min", "total hours"],
            projection(rates),
        )
    )
    return {
        "articles": n,
        "rows": rows,
        "rates": rates,
        "block_overhead_ms": block_ms,
        "speedup_2_vs_1_wall": one["seconds"] / two["seconds"],
        "speedup_2_vs_1_idle_cores": cpu_total(one) / critical_path(two),
        "load_before": load_before,
        "load_after": load_after,
    }
