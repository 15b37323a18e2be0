"""Shared fixtures: real stores in tmp_path, and hand-built articles and mentions.

Tests build :class:`Article` and :class:`Mention` records by hand (as spaCy builds Docs)
so that store and pipeline tests do not depend on what the coder finds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tidings.model import Article, Mention
from tidings.store import Store, open_store

#: the shared folder beside the repository (seed articles, gold files), read at run time
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def make_article(text: str, *, doc_id: str | None = None, **kw: Any) -> Article:
    """An article whose ``text_hash`` matches its text, as the readers produce it."""
    digest = hashlib.sha1(text.encode()).hexdigest()
    return Article(doc_id=doc_id or digest[:16], text=text, text_hash=digest, **kw)


def make_mention(article: Article, n: int = 0, **kw: Any) -> Mention:
    """A plausible mention in ``article`` (Vietnam meets Russia unless overridden)."""
    values: dict[str, Any] = dict(
        mention_id=f"{article.doc_id}-{n}",
        doc_id=article.doc_id,
        sentence_index=n,
        sentence_start=0,
        sentence_end=len(article.text),
        sentence=article.text[:200],
        trigger="met",
        trigger_start=0,
        trigger_end=3,
        source_name="Vietnam",
        source_id="vnm",
        source_code="VNMGOV",
        source_country="VNM",
        source_role="GOV",
        source_start=0,
        source_end=7,
        target_name="Russia",
        target_id="rus",
        target_code="RUSGOV",
        target_country="RUS",
        target_role="GOV",
        target_start=10,
        target_end=16,
        cameo="040",
        root="04",
        cameo_name="Consult",
        goldstein=1.0,
        quad_class=1,
        plover_type="CONSULT",
        plover_mode=None,
        symmetric=True,
        event_date=article.published or dt.date(2024, 1, 1),
        date_exact=True,
        date_reason="published",
        published=article.published,
        domestic=False,
        rule="test",
        confidence=0.9,
        coder_version="test",
        outlet=article.outlet,
    )
    values.update(kw)
    return Mention(**values)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    with s.session():  # one connection for the test: opening a DuckDB file costs ~30 ms
        yield s
    s.close()


@pytest.fixture(scope="session")
def event_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output tests' small store of merged events (``tests/_eventdata.py``), built once
    per run: tests read it; a test that writes copies it first."""
    from _eventdata import build_store

    path = tmp_path_factory.mktemp("events") / "events.duckdb"
    build_store(path).close()
    return path
