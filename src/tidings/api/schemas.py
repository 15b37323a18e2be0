"""What the API answers, as OpenAPI documents it (``/openapi.json``).

These models describe the answers for readers of the schema and for the schemathesis
test, which checks every answer against them. Routes build their answers as plain
dicts and do not validate them through these models: on ``/events`` that would cost
more than the query. Records of events, mentions and documents carry the store's
columns, which grow with the schema, so they are open objects here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActorList",
    "ArticlesResult",
    "ErrorBody",
    "EventPage",
    "Meta",
    "Timeline",
    "error_responses",
]

Record = dict[str, Any]


class _Open(BaseModel):
    """A documented object that may carry more fields than it names."""

    model_config = ConfigDict(extra="allow")


class ErrorDetail(BaseModel):
    param: str = Field(description="the parameter or record at fault")
    message: str


class ErrorInfo(BaseModel):
    status: int
    message: str
    details: list[ErrorDetail]


class ErrorBody(BaseModel):
    """Every error answer has this one shape."""

    error: ErrorInfo


class EventPage(BaseModel):
    total: int = Field(description="matching events (at most 10,000 when an estimate)")
    total_is_estimate: bool
    limit: int
    offset: int
    next: str | None = Field(description="pass as `after` for the next page; null at the end")
    events: list[Record]


class ActorList(BaseModel):
    query: str
    actors: list[Record]


class Timeline(BaseModel):
    entries: list[Record]


class CountryChoice(BaseModel):
    code: str
    name: str | None = Field(description="as events name it (data/countries.yaml)")
    events: int


class QuadChoice(BaseModel):
    quad: int
    name: str
    color: str = Field(description="the colour of this class in the page and in charts")


class RootChoice(BaseModel):
    root: str
    name: str | None
    events: int


class Meta(BaseModel):
    countries: list[CountryChoice]
    quads: list[QuadChoice]
    #: the colour of events without a quad class (tidings.palette.OTHER_COLOR)
    other_color: str
    roots: list[RootChoice]
    stats: Record


class ArticlesResult(_Open):
    added: int
    updated: int
    unchanged: int
    failed: int
    doc_ids: list[str]


_WHY = {
    400: "the request cannot be served as asked",
    401: "a missing, malformed or wrong token",
    403: "the server takes no writes (start it with --allow-ingest --token)",
    404: "no such event, document or path",
    413: "the request body is too large",
    422: "a bad parameter or body, named in `details`",
    503: "the store cannot be read",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, all with :class:`ErrorBody`."""
    return {code: {"model": ErrorBody, "description": _WHY[code]} for code in codes}
