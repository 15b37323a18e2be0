"""The event coder: who did what to whom, and on which day. (Being written.)"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tidings.model import Article, Mention

__all__ = ["CODER_VERSION", "CoderOptions", "code_article", "code_articles"]

#: stored with every mention; bump when coding changes so ``tidings recode`` knows
CODER_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class CoderOptions:
    """Options for coding, built once and passed down (picklable for worker processes)."""

    #: extra actor file(s) that add to or override the packaged tables (``--actors``)
    actors_files: tuple[Path, ...] = ()


def code_article(article: Article, options: CoderOptions | None = None) -> list[Mention]:
    """Code one article into event mentions (evidence offsets point into ``article.text``)."""
    return []


def code_articles(
    articles: Iterable[Article], options: CoderOptions | None = None
) -> Iterator[tuple[Article, list[Mention]]]:
    """Code many articles lazily, yielding each with its mentions."""
    for article in articles:
        yield article, code_article(article, options)


def trace_article(article: Article, options: CoderOptions | None = None) -> list[dict]:
    """Explain the coding of an article sentence by sentence (for ``evaluate --explain``).

    One dict per sentence: ``index``, ``start``, ``end``, ``text``, ``date``,
    ``date_reason``, ``actors`` (list of dicts: ``text``, ``start``, ``end``, ``id``,
    ``code``, ``country``), ``triggers`` (list of dicts: ``text``, ``start``, ``end``,
    ``rule``, ``cameo``), ``mentions`` (the coded events of this sentence, as dicts) and
    ``dropped`` (list of dicts: ``rule``, ``cameo``, ``reason``: pattern matches that did
    not become events, e.g. negated, future, history, no target).
    """
    return []
