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


def actor_fields(side: str, actor: tuple, start: int = 0, end: int = 1) -> dict[str, Any]:
    """The seven ``source_*`` or ``target_*`` fields of a mention, from an actor given as
    ``(name, id, code, country, role)``, whose words stand at ``start:end``."""
    name, actor_id, code, country, role = actor
    return {
        f"{side}_name": name,
        f"{side}_id": actor_id,
        f"{side}_code": code,
        f"{side}_country": country,
        f"{side}_role": role,
        f"{side}_start": start,
        f"{side}_end": end,
    }


Triple = tuple[str | None, str | None, str]


def coded_triples(text: str, published: dt.date | None = None, doc_id: str = "t") -> set[Triple]:
    """(source country, target country, CAMEO root) of each event the coder finds in ``text``:
    the shape most coder tests assert on."""
    from tidings.coder import code_article

    found = code_article(Article(doc_id=doc_id, text=text, published=published))
    return {(m.source_country, m.target_country, m.root) for m in found}


def make_mention(article: Article, n: int = 0, *, place: tuple | None = None, **kw: Any) -> Mention:
    """A plausible mention in ``article`` (Vietnam meets Russia unless overridden).

    ``place`` is ``(name, country, latitude, longitude)``, or None for no location; ``kw``
    overrides any other field.
    """
    place_name, place_country, lat, lon = place or (None, None, None, None)
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
        **actor_fields("source", ("Vietnam", "vnm", "VNMGOV", "VNM", "GOV"), 0, 7),
        **actor_fields("target", ("Russia", "rus", "RUSGOV", "RUS", "GOV"), 10, 16),
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
        location_name=place_name,
        location_country=place_country,
        latitude=lat,
        longitude=lon,
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
