"""Benchmark: documents per second for ingest alone (read + normalise + write to DuckDB).

Generates a JSONL corpus of synthetic news-like reports (20,000 by default) in a
temporary folder, then runs :func:`tidings.ingest` with coding switched off, so the
figure measures the readers, text normalisation, id hashing and the Arrow bulk writes
into a DuckDB file. Not a test: it prints figures.

    python bench/ingest.py [--docs 20000] [--files 20] [--batch-size 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from tidings import ingest, open_store

COUNTRIES = [
    ("Vietnam", "Hanoi"),
    ("Russia", "Moscow"),
    ("China", "Beijing"),
    ("India", "New Delhi"),
    ("Brazil", "Brasilia"),
    ("Kenya", "Nairobi"),
    ("Germany", "Berlin"),
    ("Japan", "Tokyo"),
    ("Mexico", "Mexico City"),
    ("Egypt", "Cairo"),
]
VERBS = [
    "held talks with",
    "signed a trade agreement with",
    "criticised",
    "expelled two diplomats from",
    "promised aid to",
    "hosted a delegation from",
    "accused",
    "called for dialogue with",
]
FILLER = [
    "Officials said the discussions covered energy, transport and security.",
    "The ministry did not give further details.",
    "Analysts expect the relationship to remain a priority next year.",
    "Both sides described the meeting as constructive.",
    "Protesters gathered outside the embassy on Tuesday evening.",
    "The statement was published on the government website late on Monday.",
]


def make_record(i: int, rng: random.Random) -> dict[str, str]:
    (a, city), (b, _) = rng.sample(COUNTRIES, 2)
    verb = rng.choice(VERBS)
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paras = [f"{city} - The government of {a} {verb} {b} on {day}, report {i} said."]
    paras += [" ".join(rng.sample(FILLER, 3)) for _ in range(rng.randint(2, 5))]
    return {
        "id": f"bench-{i}",
        "url": f"https://news.example/{i}",
        "title": f"{a} {verb} {b}",
        "published": day,
        "source": rng.choice(["wire.example", "daily.example", "herald.example"]),
        "text": "\n\n".join(paras),
    }


def write_corpus(folder: Path, docs: int, files: int) -> int:
    rng = random.Random(7)
    size = 0
    per_file = -(-docs // files)
    for f in range(files):
        path = folder / f"corpus-{f:03d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for i in range(f * per_file, min(docs, (f + 1) * per_file)):
                out.write(json.dumps(make_record(i, rng)) + "\n")
        size += path.stat().st_size
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tidings-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = write_corpus(folder, args.docs, args.files)
        print(f"corpus: {args.docs:,} documents in {args.files} JSONL files, {size / 1e6:.1f} MB")
        store = open_store(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        report = ingest([folder], store, code=False, batch_size=args.batch_size)
        seconds = time.perf_counter() - started
        assert report.added == args.docs, report.as_dict()
        print(f"ingest (no coding): {report.added:,} documents in {seconds:.2f}s")
        print(f"{report.added / seconds:,.0f} documents/s")
        started = time.perf_counter()
        again = ingest([folder], store, code=False, batch_size=args.batch_size)
        seconds = time.perf_counter() - started
        print(f"re-ingest (all unchanged): {again.unchanged / seconds:,.0f} documents/s")


if __name__ == "__main__":
    main()
