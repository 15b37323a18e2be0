"""The records that flow through tidings, and their Arrow schemas.

Three records matter:

* :class:`Article` - one news article as ingested (text normalised; every offset any
  later stage reports points into ``Article.text``).
* :class:`Mention` - one coded event as one sentence of one article states it, with its
  evidence. The coder produces mentions.
* merged events - rows of :data:`EVENT_SCHEMA`: one real-world event, built by
  :mod:`tidings.dedup` from the mentions of possibly many articles.

The Arrow schemas are the single definition of the columns: the store creates its
tables from them, exports read them, and bulk writes go through Arrow tables built with
:func:`mentions_to_arrow` / :func:`articles_to_arrow`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

import pyarrow as pa

__all__ = [
    "ARTICLE_SCHEMA",
    "EVENT_SCHEMA",
    "MENTION_SCHEMA",
    "Article",
    "Mention",
    "articles_to_arrow",
    "mentions_to_arrow",
]


@dataclass(slots=True)
class Article:
    """One article: normalised text plus what the input said about it.

    ``doc_id`` is stable: derived from the URL when there is one (so an updated page
    replaces its old version), else from the text (so re-ingesting is a no-op).
    """

    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    #: where it came from: file path, plus ``:line`` / ``#record`` inside a container
    origin: str | None = None
    #: display name used in outputs such as ``tidings extract`` (the file's name)
    name: str | None = None
    #: sha1 of the normalised text: tells an updated document from an identical one
    text_hash: str = ""


@dataclass(slots=True)
class Mention:
    """One coded event as stated in one sentence of one article."""

    mention_id: str
    doc_id: str
    sentence_index: int
    sentence_start: int
    sentence_end: int
    sentence: str
    trigger: str
    trigger_start: int
    trigger_end: int
    source_name: str
    source_id: str
    source_code: str
    source_country: str | None
    source_role: str | None
    source_start: int
    source_end: int
    target_name: str
    target_id: str
    target_code: str
    target_country: str | None
    target_role: str | None
    target_start: int
    target_end: int
    cameo: str
    root: str
    cameo_name: str
    goldstein: float
    quad_class: int
    plover_type: str | None
    plover_mode: str | None
    symmetric: bool
    event_date: dt.date | None
    date_exact: bool
    date_reason: str
    published: dt.date | None
    domestic: bool
    rule: str
    confidence: float
    coder_version: str
    location_name: str | None = None
    location_country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    event_id: str | None = None
    outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ARTICLE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.date32()),
        ("text", pa.string()),
        ("text_hash", pa.string()),
        ("origin", pa.string()),
        ("name", pa.string()),
    ]
)

_PY_TO_ARROW = {
    "str": pa.string(),
    "str | None": pa.string(),
    "int": pa.int32(),
    "float": pa.float64(),
    "float | None": pa.float64(),
    "bool": pa.bool_(),
    "dt.date": pa.date32(),
    "dt.date | None": pa.date32(),
}

MENTION_SCHEMA = pa.schema([(f.name, _PY_TO_ARROW[str(f.type)]) for f in fields(Mention)])

#: One merged, real-world event. ``event_id`` is stable across re-ingests: derived from
#: the id of the event's earliest mention.
EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_date", pa.date32()),
        ("date_exact", pa.bool_()),
        ("source_name", pa.string()),
        ("source_id", pa.string()),
        ("source_code", pa.string()),
        ("source_country", pa.string()),
        ("target_name", pa.string()),
        ("target_id", pa.string()),
        ("target_code", pa.string()),
        ("target_country", pa.string()),
        ("cameo", pa.string()),
        ("root", pa.string()),
        ("cameo_name", pa.string()),
        ("goldstein", pa.float64()),
        ("quad_class", pa.int32()),
        ("plover_type", pa.string()),
        ("plover_mode", pa.string()),
        ("symmetric", pa.bool_()),
        ("domestic", pa.bool_()),
        ("location_name", pa.string()),
        ("location_country", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("num_mentions", pa.int32()),
        ("num_sources", pa.int32()),
        ("num_articles", pa.int32()),
        ("first_reported", pa.date32()),
        ("confidence", pa.float64()),
        ("best_mention_id", pa.string()),
        ("doc_id", pa.string()),
        ("evidence", pa.string()),
        ("coder_version", pa.string()),
    ]
)


def articles_to_arrow(articles: list[Article]) -> pa.Table:
    """Build one Arrow table from articles (column-wise: no per-row Arrow calls)."""
    cols = {name: [getattr(a, name) for a in articles] for name in ARTICLE_SCHEMA.names}
    return pa.table(cols, schema=ARTICLE_SCHEMA)


def mentions_to_arrow(mentions: list[Mention]) -> pa.Table:
    """Build one Arrow table from mentions, for bulk inserts and exports."""
    cols = {name: [getattr(m, name) for m in mentions] for name in MENTION_SCHEMA.names}
    return pa.table(cols, schema=MENTION_SCHEMA)


def empty_like(schema: pa.Schema) -> pa.Table:
    """An empty table with ``schema`` (for stores and exports with nothing in them)."""
    return schema.empty_table()
