"""``GET /export``: every matching event (or mention) as a file, streamed."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from tidings.api.errors import bad, shown
from tidings.api.params import event_filter, filter_query
from tidings.api.reads import stores_of
from tidings.api.schemas import error_responses
from tidings.api.stores import Stores
from tidings.store import EventFilter, Store

__all__ = ["EXPORT_TYPES", "export_response", "router"]

router = APIRouter()

#: kind of file -> its media type
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
#: export format -> the kind of file it writes (a format named after its kind is that kind)
_KINDS = {kind: kind for kind in ("csv", "jsonl", "parquet")} | {
    "gdelt": "tsv", "icews": "tsv", "plover": "jsonl", "tkg": "tsv"
}  # fmt: skip
#: export format -> (media type, file suffix): ``.gdelt.tsv``, but ``.csv``, not ``.csv.csv``
EXPORT_TYPES: dict[str, tuple[str, str]] = {
    fmt: (_MEDIA[kind], f".{fmt}" if fmt == kind else f".{fmt}.{kind}")
    for fmt, kind in _KINDS.items()
}


#: the 200 answer of /export, one media type per format (the type names the format)
_EXPORT_CONTENT = {
    media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for media, _suffix in EXPORT_TYPES.values()
}


@router.get(
    "/export",
    summary="Every matching event as a file (streamed)",
    response_class=Response,  # no default JSON body: the file's type is documented below
    responses={
        200: {"description": "the file, as an attachment", "content": _EXPORT_CONTENT},
        **error_responses(422),
    },
)
def export(
    format: str = Query(
        "csv",
        description="csv, jsonl, parquet, gdelt, icews, plover, tkg",
        json_schema_extra={"enum": list(EXPORT_TYPES)},
    ),
    filters: dict[str, Any] = Depends(filter_query),
    mentions: bool = Query(False, description="export mentions instead of events"),
    stores: Stores = Depends(stores_of),
) -> FileResponse:
    flt = event_filter(**filters)
    with stores.open() as store:
        return export_response(store, format, flt, mentions)


def export_response(store: Store, fmt: str, flt: EventFilter, mentions: bool) -> FileResponse:
    """Write an export with :func:`tidings.export.export`, then stream the file back.

    The export module writes files (Parquet needs one); writing to a temporary file
    keeps memory bounded by one batch however large the store, and the response sends
    it in chunks and deletes it afterwards.
    """
    from tidings import export

    if fmt not in export.FORMATS:
        choices = ", ".join(export.FORMATS)
        raise bad("format", f"unknown format {shown(fmt)}; use one of: {choices}")
    if mentions and fmt not in ("csv", "jsonl", "parquet"):
        raise bad("mentions", "mentions export only as csv, jsonl or parquet")
    media, suffix = EXPORT_TYPES.get(fmt, ("application/octet-stream", f".{fmt}"))
    folder = tempfile.mkdtemp(prefix="tidings-export-")
    name = ("mentions" if mentions else "events") + suffix
    try:
        export.export(store, fmt, Path(folder) / name, flt, mentions=mentions)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        Path(folder) / name,
        media_type=media,
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
