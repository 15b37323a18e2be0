"""``tidings.__all__`` is the public API: every name in it exists, and every public
name the package exposes is in it (as httpx checks its exported members)."""

from __future__ import annotations

import types

import tidings


def test_all_names_exist() -> None:
    missing = [name for name in tidings.__all__ if not hasattr(tidings, name)]
    assert missing == []
    assert len(set(tidings.__all__)) == len(tidings.__all__)


def test_every_public_name_is_in_all() -> None:
    public = {
        name
        for name, value in vars(tidings).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name not in {"annotations", "logging"}
    }
    assert public - set(tidings.__all__) == set()


def test_the_api_is_usable_end_to_end(tmp_path) -> None:
    store = tidings.open_store(tmp_path / "api.duckdb")
    article = tidings.Article(doc_id="d1", text="Vietnam and Russia held talks.", text_hash="h")
    report = tidings.ingest_articles([article], store)
    assert report.added == 1
    assert isinstance(store.count_events(tidings.EventFilter(dyad=("VNM", "RUS"))), int)
