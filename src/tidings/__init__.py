"""tidings: news articles in, a queryable database of political events out.

The public API is small on purpose; the CLI (``tidings``) and the REST API are thin
layers over it.
"""

from __future__ import annotations

import logging

from tidings.coder import CODER_VERSION, CoderOptions, code_article, code_articles
from tidings.errors import TidingsError
from tidings.model import Article, Mention

__version__ = "0.1.0"

__all__ = [
    "CODER_VERSION",
    "Article",
    "CoderOptions",
    "Mention",
    "TidingsError",
    "__version__",
    "code_article",
    "code_articles",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
