"""A small corpus for the parallel and Ray tests: several files, a bad one, a re-sent page.

Written for these tests: short wire reports where countries meet, criticise, sign and
sanction each other, so the coder finds events, and where some reports repeat the same
events so that merging has work to do. Deterministic (seeded), so every engine reads
the same articles.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ACTORS = [
    "Vietnam",
    "China",
    "Russia",
    "Japan",
    "France",
    "Germany",
    "India",
    "Brazil",
    "the Indian Prime Minister",
    "the French President",
    "the Japanese Foreign Minister",
]
ACTS = [
    "{a} met {b} in the capital on {d} to discuss trade.",
    "{a} sharply criticised {b} on {d} over the arrest of two reporters.",
    "{a} signed an energy agreement with {b} on {d}.",
    "{a} imposed sanctions on {b} on {d}.",
    "{a} praised {b} for its help with the talks, officials said on {d}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        a, b = rng.sample(ACTORS, 2)
        s = rng.choice(ACTS).format(a=a, b=b, d=rng.choice(DAYS))
        parts.append(s[0].upper() + s[1:])
        parts.append("Markets were calm in the afternoon.")
    return " ".join(parts)


def write_corpus(folder: Path, n: int = 60, seed: int = 3) -> Path:
    """Write ``n`` articles over two JSONL files and a few .txt files, plus bad input."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(n):
        day = f"2024-0{1 + i % 3}-{10 + i % 15:02d}"
        records.append(
            {
                "title": f"Report {i}",
                "date": day,
                "url": f"https://wire.example/{i}",
                "text": _text(rng),
            }
        )
    # the same page sent again later with new text: the later version must win
    records.append({**records[4], "text": records[4]["text"] + " France met Japan on Monday."})
    half = len(records) // 2
    for name, chunk in (("a.jsonl", records[:half]), ("b.jsonl", records[half:])):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in chunk), "utf-8")
    for i in range(5):
        (folder / f"note{i}.txt").write_text(f" date 2024-02-0{i + 1}\n{_text(rng)}\n", "utf-8")
    (folder / "broken.json").write_text("{not json", "utf-8")
    return folder


def snapshot(store) -> dict[str, list]:
    """Everything an engine decides, in a comparable order (times and run ids left out)."""
    con = store.connection
    try:
        return {
            "documents": con.execute(
                "SELECT * EXCLUDE (ingested_at) FROM documents ORDER BY doc_id"
            ).fetchall(),
            "mentions": con.execute("SELECT * FROM mentions ORDER BY mention_id").fetchall(),
            "events": con.execute("SELECT * FROM events ORDER BY event_id").fetchall(),
            "errors": con.execute(
                "SELECT origin, error, message FROM ingest_errors ORDER BY origin"
            ).fetchall(),
        }
    finally:
        store.close()
