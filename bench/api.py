"""How fast does ``GET /events`` answer on a store of a million events?

Builds a store of synthetic events (Arrow tables generated in chunks and bulk-inserted,
with one best mention per event so evidence highlighting does its real lookup), starts
the API on a real uvicorn server, and times filtered ``/events`` queries over HTTP:
by dyad, actor, date range, CAMEO root, all combined, and deep pages (by ``after``
cursor; ``offset`` stops at 100,000). The store is optimized after it is built, as a
big store is after an ingest (:meth:`tidings.store.Store.optimize`). Prints p50 and
p95 per kind. Target: p95 under 100 ms on a 2-core machine.

    python bench/api.py                 # 1,000,000 events in a temporary store
    python bench/api.py --events 200000 --db /tmp/bench.duckdb --keep

``--load`` measures throughput instead: the server runs as ``tidings serve`` in its
own process (as users run it), and many clients on keep-alive connections ask at once,
each as soon as its last answer came back, in two mixes side by side: the same
``/events?limit=50`` again and again (the answer cache's best case), and requests that
are all different (filters, sorts, pages: every answer computed). It prints requests
per second, latency percentiles, errors, the server's CPU time per request and the
machine's load average (other processes on the machine compete for the same cores):

    python bench/api.py --events 100000 --load --clients 50 --requests 4000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import httpx
import numpy as np
import pyarrow as pa
import uvicorn

from tidings.api import create_app
from tidings.api.serving import free_port, served_process
from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA
from tidings.store import open_store

COUNTRIES = (
    "USA RUS CHN VNM UKR FRA DEU GBR JPN KOR PRK IND PAK IRN ISR SAU EGY TUR BRA MEX "
    "CAN AUS IDN PHL THA MYS MMR KHM LAO BGD NGA ZAF KEN ETH SDN SYR IRQ AFG ITA ESP"
).split()
ROOT_NAMES = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
SYLLABLES = "an bo ka li mo ne ri sa to vu xi ze ha ju ko lu mi na pe qu".split()
START = dt.date(2015, 1, 1)
DAYS = 3650


def _people(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Made-up person names, each with a country: (name, id, country)."""
    out = []
    for i in range(n):
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        out.append((f"{first} {last}", f"p{i:05d}", rng.choice(COUNTRIES)))
    return out


def _chunk(start: int, size: int, people: list, rng: np.random.Generator) -> tuple:
    """Arrow tables of ``size`` events and their best mentions, built column-wise."""
    idx = np.arange(start, start + size)
    n_people = len(people)
    is_person = rng.random((2, size)) < 0.3
    pick = rng.integers(0, n_people, (2, size))
    ctry = rng.integers(0, len(COUNTRIES), (2, size))
    sides = []
    for s in range(2):
        names, ids, codes, countries = [], [], [], []
        for j in range(size):
            if is_person[s, j]:
                name, pid, c = people[pick[s, j]]
                names.append(name)
                ids.append(pid)
                codes.append(c + "GOV")
                countries.append(c)
            else:
                c = COUNTRIES[ctry[s, j]]
                names.append(c)
                ids.append(c)
                codes.append(c)
                countries.append(c)
        sides.append((names, ids, codes, countries))
    roots = rng.integers(1, 21, size)
    root_s = [f"{r:02d}" for r in roots]
    cameo = [f"{r}{d}" for r, d in zip(root_s, rng.integers(0, 10, size), strict=True)]
    days = rng.integers(0, DAYS, size)
    dates = pa.array((np.datetime64(START) + days).astype("datetime64[D]"), pa.date32())
    goldstein = np.round(rng.uniform(-10, 10, size), 1)
    quad = np.clip((roots - 1) // 5 + 1, 1, 4).astype(np.int32)
    event_ids = [f"ev_{i:014x}" for i in idx]
    mention_ids = [f"m{i:015x}-0" for i in idx]
    doc_ids = [f"{i:016x}" for i in idx]
    evidence = [
        f"{a} said on Monday it would {ROOT_NAMES[r].lower()} with {b} after talks."
        for a, b, r in zip(sides[0][0], sides[1][0], root_s, strict=True)
    ]
    domestic = np.array(sides[0][3]) == np.array(sides[1][3])
    n_sources = rng.integers(1, 8, size).astype(np.int32)
    common = {
        "event_date": dates,
        "source_name": sides[0][0],
        "source_id": sides[0][1],
        "source_code": sides[0][2],
        "source_country": sides[0][3],
        "target_name": sides[1][0],
        "target_id": sides[1][1],
        "target_code": sides[1][2],
        "target_country": sides[1][3],
        "cameo": cameo,
        "root": root_s,
        "cameo_name": [ROOT_NAMES[r] for r in root_s],
        "goldstein": goldstein,
        "quad_class": quad,
        "domestic": domestic,
        "confidence": np.round(rng.uniform(0.5, 1, size), 2),
        "coder_version": ["bench"] * size,
    }
    events = {
        **common,
        "event_id": event_ids,
        "date_exact": np.ones(size, bool),
        "num_mentions": n_sources + 1,
        "num_sources": n_sources,
        "num_articles": n_sources,
        "first_reported": dates,
        "best_mention_id": mention_ids,
        "doc_id": doc_ids,
        "evidence": evidence,
        "symmetric": np.zeros(size, bool),
    }
    ev = pa.table({f.name: events.get(f.name) for f in EVENT_SCHEMA if f.name in events})
    ev = _complete(ev, EVENT_SCHEMA)
    src_len = np.array([len(x) for x in sides[0][0]])
    trig_at = src_len + len(" said on Monday it would ")
    trig_len = np.array([len(ROOT_NAMES[r]) for r in root_s])
    tgt_at = trig_at + trig_len + len(" with ")
    tgt_len = np.array([len(x) for x in sides[1][0]])
    mentions = {
        **common,
        "mention_id": mention_ids,
        "doc_id": doc_ids,
        "event_id": event_ids,
        "sentence_index": np.zeros(size, np.int32),
        "sentence_start": np.zeros(size, np.int32),
        "sentence_end": np.array([len(e) for e in evidence], np.int32),
        "sentence": evidence,
        "trigger": [ROOT_NAMES[r].lower() for r in root_s],
        "trigger_start": trig_at.astype(np.int32),
        "trigger_end": (trig_at + trig_len).astype(np.int32),
        "source_start": np.zeros(size, np.int32),
        "source_end": src_len.astype(np.int32),
        "target_start": tgt_at.astype(np.int32),
        "target_end": (tgt_at + tgt_len).astype(np.int32),
        "symmetric": np.zeros(size, bool),
        "date_exact": np.ones(size, bool),
        "date_reason": ["bench"] * size,
        "published": dates,
        "rule": ["bench"] * size,
    }
    mt = pa.table({f.name: mentions.get(f.name) for f in MENTION_SCHEMA if f.name in mentions})
    return ev, _complete(mt, MENTION_SCHEMA)


def _complete(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Add the columns left out as nulls and cast to the schema."""
    cols = []
    for f in schema:
        if f.name in table.column_names:
            cols.append(table.column(f.name).cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.table(cols, schema=schema)


def build(path: Path, n: int, chunk: int = 100_000, seed: int = 7) -> list:
    """Create the store at ``path`` with ``n`` events; return the people pool."""
    rng = np.random.default_rng(seed)
    people = _people(2000, random.Random(seed))
    store = open_store(path)
    con = store.connection
    for start in range(0, n, chunk):
        ev, mt = _chunk(start, min(chunk, n - start), people, rng)
        for name, table in (("events", ev), ("mentions", mt)):
            con.register("_chunk", table)
            cols = ", ".join(f'"{c}"' for c in table.column_names)
            con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _chunk")
            con.unregister("_chunk")
    con.execute("CHECKPOINT")
    store.close()
    t0 = time.perf_counter()
    open_store(path).optimize()  # what a big store gets after an ingest
    print(f"optimized (date order, search keys, indexes) in {time.perf_counter() - t0:.1f} s")
    return people


def _queries(people: list, rng: random.Random) -> dict[str, callable]:
    def window() -> dict:
        start = START + dt.timedelta(days=rng.randrange(DAYS - 60))
        return {"since": start.isoformat(), "until": (start + dt.timedelta(days=30)).isoformat()}

    def dyad() -> str:
        a, b = rng.sample(COUNTRIES, 2)
        return f"{a},{b}"

    return {
        "dyad": lambda: {"dyad": dyad()},
        "actor (person)": lambda: {"actor": rng.choice(people)[0].split()[1].lower()},
        "country": lambda: {"country": rng.choice(COUNTRIES)},
        "date range": window,
        "root": lambda: {"root": f"{rng.randrange(1, 21):02d}"},
        "combined": lambda: {"dyad": dyad(), "root": f"{rng.randrange(1, 21):02d}", **window()},
        "page 20 of a dyad": lambda: {"dyad": dyad(), "offset": 950, "limit": 50},
        "deep page (cursor)": None,  # filled in main(): after= a cursor 50,000 deep
        "root, with highlights": lambda: {
            "root": f"{rng.randrange(1, 21):02d}",
            "highlights": "true",
        },
        "event detail": None,  # filled in main()
    }


# --------------------------------------------------------------------------- load


def unique_targets(people: list, n: int, seed: int) -> list[str]:
    """``n`` different ``/events`` requests, as people browsing send them.

    Filters (country, dyad, root, actor, date window, combinations), sorts and pages
    (offsets up to 5,000) drawn at random and never repeated, so that no answer can
    come from the server's answer cache. A filter does come back with another page or
    sort, as when someone pages through a search: that is what the count cache is for.
    """
    rng = random.Random(seed)
    sorts = ("-date", "-date", "-date", "date", "-sources", "-mentions", "goldstein", "-reported")

    def window() -> dict:
        start = START + dt.timedelta(days=rng.randrange(DAYS - 60))
        return {"since": start.isoformat(), "until": (start + dt.timedelta(days=30)).isoformat()}

    def dyad() -> str:
        return ",".join(rng.sample(COUNTRIES[:12], 2))

    filters = (
        lambda: {},
        lambda: {"country": rng.choice(COUNTRIES)},
        lambda: {"dyad": dyad()},
        lambda: {"root": f"{rng.randrange(1, 21):02d}"},
        lambda: {"actor": rng.choice(people[:200])[0].split()[1].lower()},
        window,
        lambda: {"country": rng.choice(COUNTRIES), **window()},
        lambda: {"dyad": dyad(), "root": f"{rng.randrange(1, 21):02d}"},
    )
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        params = {**rng.choice(filters)(), "sort": rng.choice(sorts), "limit": 50}
        params["offset"] = 50 * min(rng.randrange(100), rng.randrange(100))  # early pages
        target = "/events?" + urllib.parse.urlencode(params)
        if target not in seen:
            seen.add(target)
            out.append(target)
    return out


async def _client(
    port: int, targets: list[str], counter: list[int], times: list[float], errors: list[str]
) -> None:
    """One client on one keep-alive connection: request, read the answer, repeat.

    Plain asyncio streams, not an HTTP library: the load generator shares the machine's
    cores with the server, so it must cost as little CPU per request as possible.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while counter[0] < len(targets):  # the clients share one list of requests
            target = targets[counter[0]]
            counter[0] += 1
            request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            times.append((time.perf_counter() - t) * 1000)
            if status != 200 or not body.startswith(b'{"total"'):
                errors.append(f"{status} {target} {body[:80]!r}")
    finally:
        writer.close()


async def _load(port: int, targets: list[str], clients: int) -> tuple[float, list, list]:
    times: list[float] = []
    errors: list[str] = []
    counter = [0]
    t0 = time.perf_counter()
    await asyncio.gather(*(_client(port, targets, counter, times, errors) for _ in range(clients)))
    return time.perf_counter() - t0, times, errors


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cpu_seconds(pid: int, children: bool = False) -> float:
    """CPU time (user + system, all threads) a process has used, from /proc; with
    ``children``, that of its live child processes too (``--workers``)."""
    pids = [pid]
    if children:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0.0
    for one in pids:
        fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def load(path: Path, people: list, clients: int, total: int, warmup: int, workers: int = 1) -> None:
    """Run ``tidings serve`` on ``path`` in a subprocess; time both request mixes.

    The identical mix asks ``/events?limit=50`` again and again (the answer cache
    answers all but the first); the unique mix never asks the same thing twice (see
    :func:`unique_targets`), so every answer is computed. Each mix is warmed up with
    requests of its own kind first (other ones: none of the timed requests is cached).
    Besides latency, the server's CPU time per request: unlike requests per second, it
    does not depend on what else the machine is doing.
    """
    mixes = {
        "identical": (["/events?limit=50"] * warmup, ["/events?limit=50"] * total),
        "unique": (
            unique_targets(people, warmup, seed=1),
            unique_targets(people, total, seed=2),
        ),
    }
    rows = []
    with served_process(path, "--workers", str(workers), timeout=120) as (server, url):
        port = int(url.rsplit(":", 1)[1])
        for name, (warm, timed) in mixes.items():
            asyncio.run(_load(port, warm, clients))  # DuckDB's caches, the threads
            before, cpu = os.getloadavg()[0], _cpu_seconds(server.pid)
            seconds, times, errors = asyncio.run(_load(port, timed, clients))
            cpu = _cpu_seconds(server.pid, children=workers > 1) - cpu
            rows.append((name, len(times), seconds, times, errors, cpu, before, os.getloadavg()[0]))
    print(f"\nGET /events: {clients} clients, {os.cpu_count()} CPUs shared with other jobs")
    print(
        f"{'mix':<10}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'errors':>7}{'CPU ms/req':>11}{'load avg':>13}"
    )
    for name, n, seconds, times, errors, cpu, before, after in rows:
        pcts = "".join(f"{_percentile(times, q):8.1f}" for q in (0.50, 0.95, 0.99))
        print(
            f"{name:<10}{n:>9,}{n / seconds:8.1f}{pcts}{max(times):8.1f}{len(errors):7d}"
            f"{1000 * cpu / n:11.2f}{before:6.2f}->{after:5.2f}"
        )
        if errors:
            print(f"  first error: {errors[0]}")
    print("(load avg: the 1-minute load average before and after, as uptime gives it)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=None, help="store file (default: temporary)")
    ap.add_argument("--keep", action="store_true", help="reuse --db if it exists")
    ap.add_argument("--repeat", type=int, default=40, help="requests per query kind")
    ap.add_argument("--load", action="store_true", help="throughput under many clients")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (--load)")
    ap.add_argument("--requests", type=int, default=4000, help="requests in all (--load)")
    ap.add_argument("--warmup", type=int, default=500, help="untimed requests (--load)")
    ap.add_argument("--workers", type=int, default=1, help="server processes (--load)")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tidings-bench-"))
    path = args.db or folder / "bench.duckdb"
    t0 = time.perf_counter()
    if args.keep and path.exists():
        people = _people(2000, random.Random(7))
        print(f"reusing {path}")
    else:
        path.unlink(missing_ok=True)
        people = build(path, args.events)
        print(f"built {args.events:,} events (+ mentions) in {time.perf_counter() - t0:.1f} s")
    if args.load:
        load(path, people, args.clients, args.requests, args.warmup, args.workers)
        return

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    rng = random.Random(11)
    kinds = _queries(people, rng)
    results: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        ids = [e["event_id"] for e in client.get("/events", params={"limit": 200}).json()["events"]]
        # cursors 50,000 events deep in two orders, reached once by offset (not timed)
        deep = []
        for sort in ("-sources", "-date"):
            params = {"offset": 49_950 + len(deep), "limit": 50, "sort": sort}
            deep.append((sort, client.get("/events", params=params).json()["next"]))
        for kind, make in kinds.items():
            times = []
            for i in range(args.repeat + 3):
                if kind == "event detail":
                    url, params = f"/events/{rng.choice(ids)}", {}
                elif kind.startswith("deep page"):
                    sort, cursor = rng.choice(deep)
                    url, params = "/events", {"after": cursor, "sort": sort}
                else:
                    url, params = "/events", make()
                t = time.perf_counter()
                r = client.get(url, params=params)
                elapsed = (time.perf_counter() - t) * 1000
                r.raise_for_status()
                if i >= 3:  # the first requests warm DuckDB's caches
                    times.append(elapsed)
            results[kind] = times
    server.should_exit = True
    thread.join(timeout=10)

    print(f"\nGET /events on {args.events:,} events, {args.repeat} requests each (ms)")
    print(f"{'query':<24}{'p50':>8}{'p95':>8}{'max':>8}")
    worst = 0.0
    for kind, times in results.items():
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        worst = max(worst, p95)
        print(f"{kind:<24}{p50:8.1f}{p95:8.1f}{max(times):8.1f}")
    print(f"\nworst p95: {worst:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
