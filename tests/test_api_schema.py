"""The OpenAPI schema tells the truth: schemathesis calls every operation on a real server.

Invariants: every answer has a status the schema lists for its operation, a content
type it lists (``/export`` answers CSV, TSV, JSONL or Parquet, not JSON), and a body
that matches the documented model (errors in the one error shape); nothing generated
from the schema, valid or not, gets a 500; POST /articles without the token is a 401.
The number of cases per operation is bounded so the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api_helpers import Fixture, api_fixture
from tidings.ingest.normalize import make_article
from tidings.resolve import BadFilter, resolve_country, resolve_side

#: generated cases per operation (each POST /articles case runs the coder)
CASES = 30


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    with api_fixture(tmp_path_factory.mktemp("schema"), allow_ingest=True) as fx:
        yield fx


@pytest.fixture(scope="module")
def api_schema(served: Fixture) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(served.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=CASES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure reproduces
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_matches_the_schema(case: schemathesis.Case, served: Fixture) -> None:
    headers = {"Authorization": f"Bearer {served.token}"}
    # Every check, "schema-valid data is accepted" too, except for a case that breaks
    # one of the rules a schema of separate parameters cannot state (each a 422 that
    # test_api.py checks)
    excluded = [positive_data_acceptance] if beyond_the_schema(case) else []
    case.call_and_validate(headers=headers, timeout=30, excluded_checks=excluded)


def beyond_the_schema(case: schemathesis.Case) -> str | None:
    """Which rule the schema cannot state this case breaks, if any.

    A country or dyad side must be one the tables know (they are data, which users
    extend with ``--actors``); an ``after`` cursor must come from this store; ``since``
    is not after ``until``; mentions export only as csv, jsonl or parquet; an article's
    text keeps a character after normalisation (some characters the schema's ``\\S``
    takes are dropped).
    """
    query = case.query or {}
    if not names_known(query):
        return "a country or actor the tables know"
    if query.get("after"):
        return "a cursor made by this store"
    since, until = query.get("since"), query.get("until")
    if since and until and str(since) > str(until):
        return "since after until"
    if str(query.get("mentions")).lower() == "true" and query.get("format") not in (
        None,
        "csv",
        "jsonl",
        "parquet",
    ):
        return "mentions in an events-only format"
    if case.method.upper() == "POST" and case.path == "/articles" and isinstance(case.body, list):
        texts = [a.get("text") for a in case.body if isinstance(a, dict)]
        if any(isinstance(t, str) and not make_article(t).text.strip() for t in texts):
            return "a text that normalisation empties"
    return None


def names_known(query: dict) -> bool:
    """Whether every country and dyad side in ``query`` is one the tables know."""
    try:
        country = str(query.get("country") or "").strip()
        if country:
            resolve_country(country)
        dyad = str(query.get("dyad") or "")
        if dyad:
            sides = [side.strip() for side in dyad.split(",")]
            if not all(sides):
                return False
            for side in sides:
                resolve_side(side)
    except BadFilter:
        return False
    return True
