"""Merging mentions of one real-world event into one event. (Being written.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["update_events"]


def update_events(store: Any, doc_ids: Sequence[str] | None = None) -> None:
    """Re-merge the events touched by ``doc_ids`` (all when None) in ``store``.

    Called by the pipeline after every ingest batch is committed. Must be incremental
    and idempotent: ingesting again, or in another order, gives the same events.
    """
