"""Property tests for the ingest parsers: dates, normalisation, JSONL and CSV round trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tidings.ingest import make_article, normalise_text, parse_date, split_date_header
from tidings.ingest.records import read_jsonl_stream
from tidings.model import Article

# Characters that exercise every normalisation step, mixed into arbitrary text.
TRICKY = st.sampled_from(
    [
        "&amp;", "&", "amp;", "&#1", "&#x", "0;", "&lt;", ";", "&#13;", "&#xFEFF;",
        "\r", "\n", "\r\n", " ", "  ", "\t", "\xa0", "\u2003", "\u2028", "\x0b", "\x0c", "\x85",
        "\x00", "\x07", "\x9f", "\ufeff", "\u200b", "\u202e",
        "e", "\u0301", "\u0327", "A", "\u212b", "\ud800", "\udfff", "x", ".",
    ]
)  # fmt: skip
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
MIXED = st.lists(st.one_of(TRICKY, ANY_TEXT), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(MIXED)
@example("&am&#1;p;")
@example("e\x00\u0301")
@example("&am&#xFEFF;p;amp;")
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once
    once.encode("utf-8")  # no lone surrogates survive
    assert unicodedata.is_normalized("NFC", once)
    assert once == once.strip()
    assert "\n\n\n" not in once and "\r" not in once and "  " not in once
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in once)


@settings(max_examples=200, deadline=None)
@given(MIXED)
def test_make_article_is_stable(text: str) -> None:
    article = make_article(text)
    again = make_article(article.text)
    assert (again.text, again.doc_id, again.text_hash) == (
        article.text,
        article.doc_id,
        article.text_hash,
    )


DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
# body text that does not itself start like a date or a time
BODY = st.text(
    st.characters(codec="utf-8", exclude_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=60,
).filter(lambda s: not s[:1].isdigit() and s[:1] not in ":/.-T \t")


@given(
    DATES,
    BODY,
    st.sampled_from([" date ", "date ", "Date: ", "DATE:", " date=", "\tdate\t"]),
    st.sampled_from(["-", "/"]),
)
def test_date_header_round_trip(when: dt.date, body: str, prefix: str, sep: str) -> None:
    stamp = when.isoformat().replace("-", sep)
    line = f"{prefix}{stamp} {body}\nsecond line"
    published, rest, had = split_date_header(line)
    assert had and published == when
    assert rest == f"{body}\nsecond line"


@given(BODY)
def test_text_without_header_is_untouched(body: str) -> None:
    text = "Dated " + body
    assert split_date_header(text) == (None, text, False)


@given(
    DATES,
    st.times(),
    st.sampled_from(["", "Z", "+05:30", "-08:00"]),
)
def test_parse_date_iso(when: dt.date, at: dt.time, zone: str) -> None:
    assert parse_date(when.isoformat()) == when
    assert parse_date(f"{when.isoformat()}T{at.isoformat()}{zone}") == when
    assert parse_date(dt.datetime.combine(when, at)) == when


@settings(deadline=None)
@given(st.text(max_size=40))
def test_parse_date_never_raises(value: str) -> None:
    got = parse_date(value)
    assert got is None or dt.date(1900, 1, 1) <= got <= dt.date(2100, 12, 31)


TEXT = st.text(st.characters(codec=None, exclude_categories=()), min_size=1, max_size=200).filter(
    lambda s: normalise_text(s) != ""
)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.one_of(st.none(), ANY_TEXT), st.booleans())
def test_jsonl_round_trip(text: str, title: str | None, ascii_only: bool) -> None:
    records = [{"text": text, "title": title}, {"Body": text}]
    data = "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records)
    raw = data.encode("utf-8", "surrogatepass")
    out = list(read_jsonl_stream(io.BytesIO(raw), "<test>", 1 << 20))
    if not ascii_only and any("\ud800" <= c <= "\udfff" for c in text + (title or "")):
        return  # raw surrogates are not UTF-8: that is an EncodingError, tested elsewhere
    assert all(isinstance(a, Article) for a in out), out
    first, second = out
    expected = make_article(text, title=title)
    assert first.text == second.text == expected.text
    assert first.title == expected.title
    assert first.doc_id == second.doc_id == expected.doc_id
    assert (first.origin, second.origin) == ("<test>:1", "<test>:2")


@settings(max_examples=100, deadline=None)
# no controls here: a short file full of them is rightly taken for binary (tested elsewhere)
@given(
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc",), include_characters="\n\r\t"),
        min_size=1,
    ).filter(lambda s: normalise_text(s) != "")
)
def test_csv_round_trip(text: str) -> None:
    import tempfile
    from pathlib import Path

    from tidings.ingest import iter_articles

    buf = io.StringIO()
    csv.writer(buf).writerows([["text", "date"], [text, "2020-02-02"]])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.csv"
        path.write_text(buf.getvalue(), encoding="utf-8", newline="")
        (article,) = list(iter_articles([path]))
    assert isinstance(article, Article), article
    # csv reads "\r" inside quoted fields as written; normalisation treats it as "\n"
    assert article.text == normalise_text(text)
    assert article.published == dt.date(2020, 2, 2)
