"""The REST API, called over HTTP on a real uvicorn server backed by a real DuckDB file.

Invariants: filters and paging agree with each other; evidence offsets point at the
coded words; every bad or hostile parameter gets a 422 (or 404) in the one JSON error
shape and never reaches SQL; nothing is written without the token.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import httpx
import pyarrow.parquet as pq
import pytest

from api_helpers import HOSTILE_SENTENCE, Fixture, api_fixture
from tidings.api import create_app
from tidings.errors import TidingsError


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    """A read-only server (POST /articles off)."""
    with api_fixture(tmp_path_factory.mktemp("api"), allow_ingest=False) as fx:
        yield fx


@pytest.fixture(scope="module")
def client(api: Fixture) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    """A server started with allow_ingest and a token."""
    with api_fixture(tmp_path_factory.mktemp("ingest"), allow_ingest=True) as fx:
        yield fx


def events(client: httpx.Client, **params: object) -> dict:
    r = client.get("/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def assert_error(r: httpx.Response, status: int, param: str | None = None) -> dict:
    """The one error shape: {"error": {"status", "message", "details"}}, as JSON."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert err["status"] == status and isinstance(err["message"], str) and err["message"]
    assert isinstance(err["details"], list)
    if param is not None:
        assert [d["param"] for d in err["details"]] == [param], err
    return err


# --------------------------------------------------------------------------- reads


def test_events_page_shape_and_default_sort(client: httpx.Client) -> None:
    page = events(client)
    assert page["limit"] == 50 and page["offset"] == 0
    assert page["total"] == len(page["events"]) == 16
    dates = [e["event_date"] for e in page["events"]]
    assert dates == sorted(dates, reverse=True)
    oldest = events(client, sort="date")["events"]
    assert [e["event_date"] for e in oldest] == sorted(dates)


def test_filters(client: httpx.Client, api: Fixture) -> None:
    dyad = events(client, dyad="VNM,RUS")
    assert dyad["total"] == api.vnm_rus_events == 13
    assert events(client, dyad="rus,vnm")["total"] == dyad["total"]  # either direction
    assert {e["root"] for e in dyad["events"]} == {"05"}
    assert [e["target_name"] for e in events(client, country="UKR")["events"]] == ["Ukraine"]
    putin = events(client, actor="putin")["events"]
    assert [e["event_id"] for e in putin] == [api.putin_event]
    assert events(client, root="19")["total"] == events(client, root="19", quad=4)["total"] == 1
    assert events(client, code="05")["total"] == 13
    assert events(client, quad=3)["events"][0]["event_id"] == api.hostile_event
    window = events(client, since="2024-01-01", until="2024-01-31", dyad="VNM,RUS")
    assert window["total"] == 5  # Jan 3, 10, 17, 24, 31
    assert all("2024-01-01" <= e["event_date"] <= "2024-01-31" for e in window["events"])
    assert events(client, actor="nobody at all")["total"] == 0


def test_country_names_resolve_as_in_the_cli(client: httpx.Client) -> None:
    """The CLI's checks (tidings.resolve): a country's name is its code, in any case."""
    by_code = events(client, dyad="VNM,RUS")
    assert events(client, dyad="Vietnam, russia") == by_code
    assert events(client, country="Viet Nam") == events(client, country="VNM")
    assert events(client, country=" ukraine ")["total"] == 1
    err = assert_error(client.get("/events", params={"country": "Vietnm"}), 422, "country")
    assert "did you mean VNM Vietnam" in err["message"]
    err = assert_error(client.get("/timeline", params={"dyad": "VNM,XXX"}), 422, "dyad")
    assert "'XXX' is not a country" in err["message"]
    assert_error(client.get("/export", params={"country": "Atlantis"}), 422, "country")


def test_pagination_covers_everything_once(client: httpx.Client) -> None:
    seen: list[str] = []
    for offset in range(0, 16, 5):
        page = events(client, limit=5, offset=offset, sort="date")
        assert page["total"] == 16
        seen += [e["event_id"] for e in page["events"]]
    assert len(seen) == len(set(seen)) == 16
    assert events(client, offset=100)["events"] == []


@pytest.mark.parametrize("sort", ["date", "-sources", "goldstein"])
def test_cursor_pages_match_offset_pages(client: httpx.Client, sort: str) -> None:
    whole = events(client, limit=100, sort=sort)
    assert whole["total"] == 16 and whole["total_is_estimate"] is False
    assert whole["next"] is None
    seen: list[str] = []
    params: dict = {"limit": 5, "sort": sort}
    while True:
        page = events(client, **params)
        assert page["total"] == 16
        seen += [e["event_id"] for e in page["events"]]
        if page["next"] is None:
            break
        params["after"] = page["next"]
    assert seen == [e["event_id"] for e in whole["events"]]


def test_deep_offsets_point_to_the_cursor(client: httpx.Client) -> None:
    err = assert_error(client.get("/events", params={"offset": 100_001}), 422, "offset")
    assert "after" in err["message"]
    assert events(client, offset=100_000)["events"] == []
    after = events(client, limit=2)["next"]
    err = assert_error(client.get("/events", params={"after": after, "sort": "-sources"}), 422)
    assert "another sort order" in err["message"]


def test_sort_by_sources(client: httpx.Client) -> None:
    top = events(client, sort="-sources", limit=1)["events"][0]
    assert top["num_sources"] == 2 and top["num_mentions"] == 2


def test_evidence_highlights_point_at_the_coded_words(client: httpx.Client) -> None:
    assert "highlights" not in events(client, limit=1)["events"][0]  # only on request
    for ev in events(client, limit=100, highlights="true")["events"]:
        chars = ev["evidence"]
        spans = {h["kind"]: chars[h["start"] : h["end"]] for h in ev["highlights"]}
        assert set(spans) == {"source", "trigger", "target"}, ev
        assert spans["trigger"] in {"signed", "shelled", "met", "criticized"}
        assert spans["target"] == ev["target_name"]


def test_event_detail_has_every_mention_with_its_document(client: httpx.Client) -> None:
    merged = events(client, sort="-sources", limit=1)["events"][0]
    r = client.get(f"/events/{merged['event_id']}")
    assert r.status_code == 200
    detail = r.json()
    assert detail["event_id"] == merged["event_id"]
    assert len(detail["mentions"]) == 2
    outlets = set()
    for m in detail["mentions"]:
        doc = m["document"]
        assert doc["title"].startswith("Trade pact") and doc["url"].startswith("https://")
        outlets.add(doc["outlet"])
        trig = next(h for h in m["highlights"] if h["kind"] == "trigger")
        assert m["sentence"][trig["start"] : trig["end"]] == m["trigger"] == "signed"
    assert outlets == {"Harbour Post", "Delta Daily"}
    assert_error(client.get("/events/ev_does_not_exist"), 404)


def test_documents(client: httpx.Client, api: Fixture) -> None:
    ev = client.get(f"/events/{api.hostile_event}").json()
    doc_id = ev["mentions"][0]["doc_id"]
    doc = client.get(f"/documents/{doc_id}").json()
    assert HOSTILE_SENTENCE in doc["text"]  # stored and returned verbatim, as JSON data
    assert len(doc["mentions"]) == 1
    assert_error(client.get("/documents/0000000000000000"), 404)


def test_actors_search(client: httpx.Client) -> None:
    r = client.get("/actors", params={"q": "putin"})
    assert r.status_code == 200
    found = r.json()["actors"]
    assert any(a["name"] == "Vladimir Putin" for a in found)
    names = [a["name"] for a in client.get("/actors", params={"q": "viet"}).json()["actors"]]
    assert "Vietnam" in names
    assert_error(client.get("/actors"), 422, "q")
    assert_error(client.get("/actors", params={"q": "x" * 500}), 422, "q")


def test_timeline_is_in_date_order(client: httpx.Client, api: Fixture) -> None:
    r = client.get("/timeline", params={"dyad": "VNM,RUS"})
    assert r.status_code == 200, r.text
    entries = r.json()["entries"]
    assert len(entries) == api.vnm_rus_events
    dates = [e["date"] for e in entries]
    assert all(e["summary"] and e["evidence"] for e in entries)
    assert dates == sorted(dates)
    assert_error(client.get("/timeline", params={"since": "yesterday"}), 422, "since")


def test_stats_and_meta(client: httpx.Client) -> None:
    stats = client.get("/stats").json()
    assert stats["events"] == 16 and stats["documents"] == 17 and stats["mentions"] == 17
    assert "path" not in stats  # the server's file system stays private
    meta = client.get("/meta").json()
    codes = [c["code"] for c in meta["countries"]]
    assert codes[:2] == ["RUS", "VNM"] and "UKR" in codes
    roots = {r["root"]: r for r in meta["roots"]}
    assert len(roots) == 20 and roots["05"]["events"] == 13 and roots["19"]["name"]


def _export(client: httpx.Client, fmt: str, **params: object) -> httpx.Response:
    r = client.get("/export", params={"format": fmt, **params})
    assert r.status_code == 200, r.text
    return r


def test_export_csv_jsonl_parquet_read_back(client: httpx.Client) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(client, "csv", dyad="VNM,RUS").text)))
    assert len(rows) == 13
    lines = _export(client, "jsonl").text.splitlines()
    assert len(lines) == 16 and all(json.loads(line)["event_id"] for line in lines)
    table = pq.read_table(io.BytesIO(_export(client, "parquet").content))
    assert table.num_rows == 16
    for fmt in ("gdelt", "icews", "plover", "tkg"):
        body = _export(client, fmt, country="UKR").text
        assert "Ukraine" in body or "UKR" in body, fmt
    mentions = _export(client, "jsonl", mentions="true").text.splitlines()
    assert len(mentions) == 17 and json.loads(mentions[0])["sentence"]
    r = _export(client, "csv", root="11")
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert_error(client.get("/export", params={"format": "xls"}), 422, "format")
    assert_error(client.get("/export", params={"format": "gdelt", "mentions": "1"}), 422)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"since": "2024-13-01"}, "since"),
        ({"until": "not a date"}, "until"),
        ({"since": "2024-05-01", "until": "2024-01-01"}, "until"),
        ({"country": "XX"}, "country"),
        ({"country": "Atlantis"}, "country"),
        ({"dyad": "VNM,XXX"}, "dyad"),
        ({"dyad": "VNM,"}, "dyad"),
        ({"country": "R1S"}, "country"),
        ({"dyad": "VNM"}, "dyad"),
        ({"dyad": "VNM,RUS,CHN"}, "dyad"),
        ({"dyad": "VNM,' OR 1=1 --"}, "dyad"),
        ({"code": "abc"}, "code"),
        ({"root": "21"}, "root"),
        ({"quad": "5"}, "quad"),
        ({"quad": "one"}, "quad"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "9" * 40}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"sort": "event_date; DROP TABLE events"}, "sort"),
        ({"actor": "a" * 201}, "actor"),
        ({"actor": "bad\x00byte"}, "actor"),
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "x" * 1001}, "after"),
        # what the schema forbids is refused, also where Python would be lenient
        ({"since": "20240101"}, "since"),  # date.fromisoformat takes the basic form
        ({"country": "VNM\n"}, "country"),  # re's $ matches before a final newline
        ({"root": "\u0663"}, "root"),  # an Arabic-Indic 3 is a digit to str.isdigit
        ({"code": "0\u0664"}, "code"),
        ({"code": "04\n"}, "code"),
        ({"dyad": "VNM\t,RUS"}, "dyad"),
        ({"actor": " " * 199 + "ab"}, "actor"),  # too long before it is trimmed
    ],
)
def test_bad_parameters_get_422(client: httpx.Client, params: dict, param: str) -> None:
    assert_error(client.get("/events", params=params), 422, param)


@pytest.mark.parametrize(
    "actor",
    ["'; DROP TABLE events; --", '" OR "1"="1', "<script>alert(1)</script>", "%_%", "\\"],
)
def test_hostile_strings_are_plain_data(client: httpx.Client, actor: str) -> None:
    page = events(client, actor=actor)
    assert page["total"] == 0
    assert events(client)["total"] == 16  # nothing was dropped


def test_hostile_path_ids(client: httpx.Client) -> None:
    assert_error(client.get("/events/' OR '1'='1"), 422, "event_id")
    assert_error(client.get("/documents/<script>"), 422, "doc_id")
    assert client.get("/events/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    assert_error(client.get("/no/such/endpoint"), 404)


def test_cors_is_off_and_headers_are_safe(client: httpx.Client) -> None:
    r = client.get("/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    r = client.options(
        "/events",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"


def test_page_assets_are_local(client: httpx.Client) -> None:
    html = client.get("/").text
    assert "/static/plotly.min.js" in html and "http" not in html.split("<body>")[1]
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    for path in ("/static/app.js", "/static/style.css", "/docs", "/static/docs.js"):
        assert client.get(path).status_code == 200, path
    spec = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/actors", "/export", "/articles"} <= set(
        spec["paths"]
    )


# --------------------------------------------------------------------------- writes


ARTICLE = {
    "text": "Vietnam's president visited Moscow on Friday. <script>alert(4)</script>",
    "title": "A visit",
    "url": "https://news.example/visit",
    "published": "2024-06-07",
    "outlet": "Test Wire",
}


def test_post_articles_is_off_by_default(client: httpx.Client) -> None:
    err = assert_error(client.post("/articles", json=[ARTICLE]), 403)
    assert "--allow-ingest" in err["message"]


def test_post_articles_needs_the_token(writable: Fixture) -> None:
    with httpx.Client(base_url=writable.url, timeout=30) as c:
        assert_error(c.post("/articles", json=[ARTICLE]), 401)
        bad = {"Authorization": "Bearer wrong-token"}
        r = c.post("/articles", json=[ARTICLE], headers=bad)
        assert_error(r, 401)  # wrong credentials are a 401; 403 means "not allowed at all"
        assert r.headers["www-authenticate"] == "Bearer"
        basic = {"Authorization": f"Basic {writable.token}"}
        assert_error(c.post("/articles", json=[ARTICLE], headers=basic), 401)
        assert c.get("/stats").json()["documents"] == 17  # nothing written

        good = {"Authorization": f"Bearer {writable.token}"}
        r = c.post("/articles", json=[ARTICLE], headers=good)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["added"] == 1 and body["failed"] == 0
        doc = c.get(f"/documents/{body['doc_ids'][0]}").json()
        assert doc["title"] == "A visit" and "<script>alert(4)</script>" in doc["text"]
        assert c.get("/stats").json()["documents"] == 18
        again = c.post("/articles", json=[ARTICLE], headers=good).json()
        assert again["unchanged"] == 1 and again["added"] == 0  # idempotent


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"not": "a list"}, 422),
        ([{"title": "no text"}], 422),
        ([{"text": "ok", "published": "someday"}], 422),
        ([{"text": "ok", "extra": 1}], 422),
        ([{"text": 42}], 422),
        ([], 422),
        ([{"text": "short"}] * 101, 422),
    ],
)
def test_post_articles_checks_the_body(writable: Fixture, payload: object, status: int) -> None:
    headers = {"Authorization": f"Bearer {writable.token}"}
    r = httpx.post(f"{writable.url}/articles", json=payload, headers=headers, timeout=30)
    assert_error(r, status)


def test_post_body_limit_gives_413(writable: Fixture) -> None:
    headers = {"Authorization": f"Bearer {writable.token}", "Content-Type": "application/json"}
    big = json.dumps([{"text": "x" * (6 * 1024 * 1024)}])
    assert_error(httpx.post(f"{writable.url}/articles", content=big, headers=headers), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        for _ in range(7):
            yield b" " * (1024 * 1024)

    r = httpx.post(f"{writable.url}/articles", content=chunks(), headers=headers, timeout=30)
    assert_error(r, 413)
    assert_error(httpx.post(f"{writable.url}/articles", content=b"{not json", headers=headers), 422)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 2000 + b"]" * 2000,  # nests deeper than Python's recursion limit
        b'[{"text": {"a": ' * 1500 + b"1" + b"}}]" * 1500,
        b'[{"text": "ok", "title": ' + b"9" * 5000 + b"}]",  # an int json will not parse
        b'[{"text": "\xff\xfe"}]',  # not UTF-8
    ],
)
def test_hostile_bodies_get_422_without_a_traceback(writable: Fixture, body: bytes) -> None:
    headers = {"Authorization": f"Bearer {writable.token}", "Content-Type": "application/json"}
    r = httpx.post(f"{writable.url}/articles", content=body, headers=headers, timeout=30)
    err = assert_error(r, 422)
    assert "Traceback" not in r.text and "Error" not in err["message"]


def test_an_unexpected_error_is_a_clean_500(tmp_path) -> None:  # noqa: ANN001
    from api_helpers import build_store, serve

    build_store(tmp_path / "t.duckdb")
    app = create_app(tmp_path / "t.duckdb")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /home/user/store")

    with serve(app) as url:
        r = httpx.get(f"{url}/boom")
    err = assert_error(r, 500)
    assert "secret" not in r.text and "Traceback" not in r.text
    assert err["message"] == "internal error (RuntimeError)"


def test_favicon_and_meta(client: httpx.Client) -> None:
    """A favicon (no 404 in the console), tidings.palette's colours, the coder's country names."""
    from tidings.palette import OTHER_COLOR, QUAD_COLORS, QUAD_NAMES

    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert icon.content.lstrip().startswith(b"<svg")
    meta = client.get("/meta").json()
    assert {q["quad"]: q["color"] for q in meta["quads"]} == QUAD_COLORS
    assert {q["quad"]: q["name"] for q in meta["quads"]} == QUAD_NAMES
    assert meta["other_color"] == OTHER_COLOR
    names = {c["code"]: c["name"] for c in meta["countries"]}
    assert names["VNM"] == "Vietnam" and names["RUS"] == "Russia"


def test_country_names_come_from_the_actor_tables() -> None:
    from tidings.actors import load_tables
    from tidings.api.reads import country_name as _country_name

    tables = load_tables()
    assert _country_name("IRN") == tables.countries["IRN"].name != "Iran, Islamic Republic of"
    assert _country_name("VNM") == "Vietnam"
    assert _country_name("ZZZ") is None


def test_repeated_answers_come_from_the_cache_until_a_write(tmp_path) -> None:  # noqa: ANN001
    """A cached answer is the same bytes with the same headers (CORS too), and a write
    through POST /articles makes every later answer fresh."""
    from api_helpers import build_store, serve

    build_store(tmp_path / "t.duckdb")
    app = create_app(
        tmp_path / "t.duckdb", allow_ingest=True, token="t0k", cors_origins=["https://a.example"]
    )
    origin = {"Origin": "https://a.example"}
    with serve(app) as url, httpx.Client(base_url=url, timeout=30, headers=origin) as c:
        first, again = c.get("/events?limit=3"), c.get("/events?limit=3")
        assert first.content == again.content and first.status_code == again.status_code == 200
        for r in (first, again):
            assert r.headers["access-control-allow-origin"] == "https://a.example"
            assert r.headers["x-content-type-options"] == "nosniff"
        assert c.get("/stats").json()["documents"] == 17
        assert_error(c.get("/events?limit=0"), 422)  # errors are not kept
        assert_error(c.get("/events?limit=0"), 422)
        bad = c.post("/articles", json=[ARTICLE], headers={"Authorization": "Bearer no"})
        assert_error(bad, 401)
        good = c.post("/articles", json=[ARTICLE], headers={"Authorization": "Bearer t0k"})
        assert good.status_code == 200, good.text
        assert c.get("/stats").json()["documents"] == 18
        assert c.get("/events?limit=3").json()["total"] >= first.json()["total"]


def test_the_cache_drops_an_answer_computed_across_a_write() -> None:
    from tidings.api.stores import AnswerCache

    cache = AnswerCache(entries=2, largest=10)
    body, generation = cache.get("/a")
    assert body is None
    cache.clear()  # a write lands while /a is being computed
    cache.put("/a", b"old", generation)
    assert cache.get("/a")[0] is None
    _, generation = cache.get("/a")
    for key in ("/a", "/b", "/c"):
        cache.put(key, b"x", generation)
    cache.put("/big", b"x" * 11, generation)
    assert [cache.get(k)[0] for k in ("/a", "/b", "/c", "/big")] == [None, b"x", b"x", None]


def test_ingest_without_token_refuses_to_start(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(TidingsError, match="token"):
        create_app(tmp_path / "x.duckdb", allow_ingest=True)
    with pytest.raises(TidingsError, match="no store"):
        create_app(tmp_path / "missing.duckdb")
