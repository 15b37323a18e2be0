"""The pipeline: every good article is stored whatever fails around it, reading stays
lazy (memory bounded by one batch), re-ingesting changes nothing, and ``recode``
replaces the mentions of documents coded by another coder version."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import make_article, make_mention
from tidings import coder
from tidings.errors import MalformedRecord
from tidings.model import Article
from tidings.pipeline import CodingFailed, code_batch, ingest, ingest_articles, recode
from tidings.store import Store


@pytest.fixture
def fake_coder(monkeypatch: pytest.MonkeyPatch) -> None:
    """One mention per article; an article saying BOOM makes the coder raise."""

    def code(article: Article, options=None):
        if "BOOM" in article.text:
            raise ValueError("bad offsets")
        return [make_mention(article)]

    monkeypatch.setattr(coder, "code_article", code)
    monkeypatch.setattr(coder, "code_many", one_by_one(code))


def one_by_one(code):
    """A batch coder (the contract of ``coder.code_many``) made of a per-article one."""

    def many(articles, options=None):
        out = []
        for article in articles:
            try:
                out.append(code(article, options))
            except Exception as exc:  # noqa: BLE001 - the contract: the exception, returned
                out.append(exc)
        return out

    return many


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the changed doc ids of each batch whose events the store merged (in the
    batch's own transaction), and merge for real."""
    calls: list[list[str]] = []
    real = Store.write_batch

    def spy(self, articles, mentions_by_doc=None, **kw):
        counts = real(self, articles, mentions_by_doc, **kw)
        if counts.changed and kw.get("merge", True):
            calls.append(sorted(counts.changed))
        return counts

    monkeypatch.setattr(Store, "write_batch", spy)
    return calls


def test_stores_good_articles_and_reports_each_failure(
    store: Store, fake_coder: None, merges: list[list[str]]
) -> None:
    items = [
        make_article("Vietnam met Russia.", origin="a.txt"),
        MalformedRecord("feed.jsonl:2", "invalid JSON: Expecting value"),
        make_article("BOOM goes the coder.", origin="b.txt"),
        make_article("Russia met Vietnam.", origin="c.txt"),
    ]
    seen: list[str] = []
    report = ingest_articles(items, store, batch_size=2, on_error=lambda i: seen.append(str(i)))
    assert (report.read, report.added, report.failed, report.mentions) == (3, 2, 2, 2)
    assert [(e.origin, e.kind) for e in report.errors] == [
        ("feed.jsonl:2", "MalformedRecord"),
        ("b.txt", "CodingFailed"),
    ]
    assert seen[0] == "feed.jsonl:2: invalid JSON: Expecting value"
    assert "the coder failed on this article (ValueError: bad offsets)" in seen[1]
    assert store.count_documents() == 2
    assert merges == [[items[0].doc_id], [items[3].doc_id]]
    with store.session() as con:
        logged = con.execute("SELECT origin, error FROM ingest_errors ORDER BY origin").fetchall()
    assert logged == [("b.txt", "CodingFailed"), ("feed.jsonl:2", "MalformedRecord")]


def test_second_run_changes_nothing(
    store: Store, fake_coder: None, merges, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [make_article(f"Article number {i}.") for i in range(5)]
    ingest_articles(items, store)
    coded: list[str] = []
    real = coder.code_article
    counted = one_by_one(lambda a, o=None: coded.append(a.doc_id) or real(a))
    monkeypatch.setattr(coder, "code_many", counted)
    again = ingest_articles(items, store)
    assert (again.read, again.added, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert again.mentions == 0
    assert merges == [sorted(a.doc_id for a in items)]  # nothing to re-merge the second time
    assert coded == []  # same text, same coder version: not coded again
    monkeypatch.setattr(coder, "CODER_VERSION", "next")  # a new coder codes them again
    assert ingest_articles(items, store).updated == 5
    assert len(coded) == 5


def test_strict_stores_what_came_before_and_raises(store: Store) -> None:
    items = [make_article("one"), MalformedRecord("x.csv:3", "bad row"), make_article("two")]
    with pytest.raises(MalformedRecord):
        ingest_articles(items, store, strict=True)
    assert store.count_documents() == 1


def test_strict_stops_on_a_coder_failure(store: Store, fake_coder: None) -> None:
    with pytest.raises(CodingFailed, match="b.txt"):
        ingest_articles(
            [make_article("fine"), make_article("BOOM", origin="b.txt")], store, strict=True
        )
    assert store.count_documents() == 1


def test_reading_is_lazy(store: Store) -> None:
    """The reader is never more than one batch ahead of the store."""
    ahead: list[int] = []

    def articles() -> Iterator[Article]:
        for i in range(120):
            if i % 30 == 0:
                ahead.append(i - store.count_documents())
            yield make_article(f"Report {i} about talks.")

    report = ingest_articles(articles(), store, batch_size=25, code=False)
    assert report.added == 120
    assert max(ahead) <= 25
    assert len(ahead) == 4


def test_code_batch_is_the_parallel_seam(fake_coder: None) -> None:
    out = code_batch([make_article("ok"), make_article("BOOM", origin="z.txt")])
    assert len(out[0][1]) == 1
    assert out[1][1].origin == "z.txt"


def test_recode_replaces_mentions_of_other_versions(
    store: Store, monkeypatch: pytest.MonkeyPatch, merges
) -> None:
    a, b = make_article("first text"), make_article("second text")
    report = ingest_articles([a, b], store, code=False)  # stored uncoded
    assert report.mentions == 0
    assert store.stats()["coder_versions"] == {"not coded": 2}
    monkeypatch.setattr(coder, "code_many", one_by_one(lambda art, o=None: [make_mention(art)]))
    done = recode(store)
    assert (done.read, done.updated, done.mentions) == (2, 2, 2)
    assert store.stats()["coder_versions"] == {coder.CODER_VERSION: 2}
    assert recode(store).read == 0  # nothing left on an old version
    monkeypatch.setattr(
        coder,
        "code_many",
        one_by_one(lambda art, o=None: [make_mention(art), make_mention(art, 1)]),
    )
    assert recode(store, everything=True).mentions == 4
    assert store.stats()["mentions"] == 4  # replaced, not added to


def test_updated_page_replaces_its_old_version(store: Store, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    rec = {"url": "https://news.example/a", "title": "Talks", "text": "Leaders met on Monday."}
    feed.write_text(json.dumps(rec) + "\n")
    assert ingest([feed], store).added == 1
    rec["text"] = "Leaders met on Monday and signed a deal."
    feed.write_text(json.dumps(rec) + "\n")
    report = ingest([feed], store)
    assert (report.added, report.updated) == (0, 1)
    docs = store.documents(limit=None)
    assert docs.num_rows == 1
    assert store.document(docs.column("doc_id")[0].as_py())["text"].endswith("signed a deal.")


def test_code_many_equals_code_article_and_keeps_failures_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One parse for a batch gives each article the mentions it gets alone, and an
    article whose coding raises gets its exception while the others are coded."""
    texts = [
        "President Macron met Chancellor Scholz in Paris on Monday.",
        "The weather was mild.",
        "Japan on Tuesday condemned the missile launch by North Korea and summoned its envoy.",
        "",
    ]
    articles = [make_article(t) for t in texts]
    alone = [coder.code_article(a) for a in articles]
    assert coder.code_many(articles) == alone
    assert any(alone)  # the comparison is not between empty lists
    real_finish = coder._finish

    def finish(job, parsed):
        if "weather" in job.article.text:
            raise ValueError("broken sentence")
        return real_finish(job, parsed)

    monkeypatch.setattr(coder, "_finish", finish)
    got = coder.code_many(articles)
    assert isinstance(got[1], ValueError)
    assert [got[0], got[2], got[3]] == [alone[0], alone[2], alone[3]]
