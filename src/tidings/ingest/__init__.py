"""Ingest: news articles from files into :class:`~tidings.model.Article` records.

Readers for plain text, JSON/JSONL, CSV/TSV, HTML and WARC; directories, globs and
standard input. The stream is lazy and never raises for bad input (see
:func:`iter_articles`), and every article goes through :func:`make_article`, the one
place text is normalised and ids are made.

Modules: ``normalize`` (text, URLs, ids), ``dates`` (publication dates, header lines),
``decode`` (bytes to text, binary detection), ``limits`` (the bounds on what is read,
and the streams that keep them), ``records`` (JSON/CSV field mapping), ``web`` (HTML
and WARC via trafilatura/warcio), ``readers`` (paths and dispatch).
"""

from __future__ import annotations

from .dates import parse_date, split_date_header
from .limits import DEFAULT_MAX_TOTAL_BYTES, Limits
from .normalize import doc_id_for, make_article, normalise_text, normalise_url
from .readers import DEFAULT_MAX_BYTES, SUFFIXES, iter_articles, iter_paths, read_path

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TOTAL_BYTES",
    "SUFFIXES",
    "Limits",
    "doc_id_for",
    "iter_articles",
    "iter_paths",
    "make_article",
    "normalise_text",
    "normalise_url",
    "parse_date",
    "read_path",
    "split_date_header",
]
