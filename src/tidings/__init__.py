"""tidings: news articles in, a queryable database of political events out.

The public API is small on purpose; the CLI (``tidings``) and the REST API are thin
layers over it.
"""

from __future__ import annotations

import logging

from tidings.coder import CODER_VERSION, CoderOptions, code_article, code_articles
from tidings.errors import TidingsError
from tidings.model import Article, Mention
from tidings.pipeline import IngestIssue, IngestReport, ingest, ingest_articles, recode
from tidings.store import EventFilter, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "CODER_VERSION",
    "Article",
    "CoderOptions",
    "EventFilter",
    "IngestIssue",
    "IngestReport",
    "Mention",
    "Store",
    "TidingsError",
    "__version__",
    "code_article",
    "code_articles",
    "ingest",
    "ingest_articles",
    "open_store",
    "recode",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
