"""Bad input: one clear message per problem, and the good articles around it survive."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tidings.errors import (
    BinaryInput,
    EmptyInput,
    EncodingError,
    InputError,
    MalformedRecord,
    NoArticleText,
    UnknownFormat,
)
from tidings.ingest import iter_articles
from tidings.model import Article, articles_to_arrow

GOOD = "The two presidents met in the capital on Monday and signed a trade agreement."
LOOKED_FOR = "text, body, content, article, full_text, fulltext, maintext, article_text, story"

ARTICLE_HTML = b"""<html><head><title>Talks end</title></head><body><article>
<p>The negotiators of both delegations left the hotel late on Sunday after a third round of
talks about the disputed river islands ended without an agreement on the boundary line.</p>
<p>A fourth round is planned for the autumn, a spokesman for the ministry told reporters
outside the building, adding that both sides had narrowed their differences.</p>
</article></body></html>"""


def run(tmp_path: Path, bad: Path, **kw: object) -> tuple[list[Article], list[InputError]]:
    """Read a good file, the bad one and another good file, in that order."""
    (tmp_path / "a_good.txt").write_text(GOOD)
    (tmp_path / "z_good.txt").write_text(GOOD + " Later.")
    out = list(iter_articles([tmp_path / "a_good.txt", bad, tmp_path / "z_good.txt"], **kw))
    good = [item for item in out if isinstance(item, Article)]
    errors = [item for item in out if isinstance(item, InputError)]
    assert len(good) + len(errors) == len(out)
    return good, errors


def only_error(tmp_path: Path, bad: Path, **kw: object) -> InputError:
    good, errors = run(tmp_path, bad, **kw)
    assert [a.name for a in good] == ["a_good.txt", "z_good.txt"]
    (error,) = errors
    return error


def test_empty_file(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    error = only_error(tmp_path, bad)
    assert isinstance(error, EmptyInput)
    assert str(error) == f"{bad}: empty file"


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".html", ".warc.gz"])
def test_empty_file_every_format(tmp_path: Path, suffix: str) -> None:
    bad = tmp_path / f"empty{suffix}"
    bad.write_bytes(b"")
    error = only_error(tmp_path, bad)
    assert isinstance(error, EmptyInput)
    assert str(error) == f"{bad}: empty file"


def test_whitespace_only_and_header_only(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n")
    assert str(only_error(tmp_path, blank)) == f"{blank}: only whitespace, no text"
    header = tmp_path / "header.txt"
    header.write_text(" date 2021-01-01\n\n")
    error = only_error(tmp_path, header)
    assert isinstance(error, NoArticleText)
    assert str(error) == f"{header}: nothing after the date line"


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"abc\x00\x01\x02" * 100)
    error = only_error(tmp_path, bad)
    assert isinstance(error, BinaryInput)
    assert str(error) == f"{bad}: binary file (NUL bytes in the first 8 KB), not text"


def test_binary_file_with_control_bytes(tmp_path: Path) -> None:
    bad = tmp_path / "noise"  # no suffix: sniffed
    bad.write_bytes(b"ab\x01\x02\x03\x1b" * 50)
    error = only_error(tmp_path, bad)
    assert isinstance(error, BinaryInput)
    assert str(error) == f"{bad}: binary file (67% control bytes in the first 8 KB), not text"


def test_binary_file_by_signature(tmp_path: Path) -> None:
    bad = tmp_path / "report.txt"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert str(only_error(tmp_path, bad)) == f"{bad}: binary file (a PDF document), not text"
    gz = tmp_path / "dump.jsonl"
    gz.write_bytes(gzip.compress(b'{"text": "x"}\n'))
    error = only_error(tmp_path, gz)
    assert isinstance(error, BinaryInput)
    assert str(error) == f"{gz}: binary file (gzip-compressed), not text"


def test_invalid_utf8_names_the_offset(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Le ministre a visité Hanoï.".encode("latin-1"))  # never guessed
    error = only_error(tmp_path, bad)
    assert isinstance(error, EncodingError)
    assert str(error) == f"{bad}: not valid UTF-8: byte 0xe9 at offset 19; save the file as UTF-8"


def test_invalid_utf8_after_bom(tmp_path: Path) -> None:
    bad = tmp_path / "bom.txt"
    bad.write_bytes(b"\xef\xbb\xbfabc\xffdef")
    assert str(only_error(tmp_path, bad)) == (
        f"{bad}: not valid UTF-8: byte 0xff at offset 6; save the file as UTF-8"
    )


def test_invalid_utf8_in_one_jsonl_line(tmp_path: Path) -> None:
    bad = tmp_path / "mixed.jsonl"
    lines = [b'{"text": "Line one."}\n', b'{"text": "caf\xe9"}\n', b'{"text": "Line three."}\n']
    bad.write_bytes(b"".join(lines))
    good, errors = run(tmp_path, bad)
    assert [a.text for a in good] == [GOOD, "Line one.", "Line three.", GOOD + " Later."]
    (error,) = errors
    assert isinstance(error, EncodingError)
    # offset in the whole file: 22 bytes of line one, then 13 into line two
    assert str(error) == f"{bad}:2: not valid UTF-8: byte 0xe9 at offset 35; save the file as UTF-8"


def test_malformed_json_line_among_good_ones(tmp_path: Path) -> None:
    bad = tmp_path / "feed.jsonl"
    bad.write_text(
        json.dumps({"text": "First good line."})
        + "\n"
        + '{"text": "missing a comma" "title": "x"}\n'
        + json.dumps({"text": "Third good line."})
        + "\n"
        + json.dumps({"headline": "No body here", "url": "https://e.example/1"})
        + "\n"
        + "[1, 2]\n"
    )
    good, errors = run(tmp_path, bad)
    assert [a.text for a in good] == [
        GOOD,
        "First good line.",
        "Third good line.",
        GOOD + " Later.",
    ]
    assert [type(e) for e in errors] == [MalformedRecord] * 3
    assert [str(e) for e in errors] == [
        f"{bad}:2: malformed JSON: Expecting ',' delimiter (column 28)",
        f"{bad}:4: no text field (looked for: {LOOKED_FOR})",
        f"{bad}:5: expected a JSON object, got a list",
    ]


def test_malformed_json_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('[{"text": "a"},\n {"text": ]')
    error = only_error(tmp_path, bad)
    assert isinstance(error, MalformedRecord)
    assert str(error) == f"{bad}: malformed JSON: Expecting value at line 2 column 11"


def test_json_list_with_bad_members(tmp_path: Path) -> None:
    bad = tmp_path / "list.json"
    bad.write_text(json.dumps([{"text": "Fine."}, "just a string", {"body": "   "}]))
    good, errors = run(tmp_path, bad)
    assert [a.origin for a in good][1] == f"{bad}#0"
    assert [str(e) for e in errors] == [
        f"{bad}#1: expected a JSON object, got a string",
        f"{bad}#2: the text field 'body' is empty",
    ]


def test_csv_without_text_column(tmp_path: Path) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("title,date\nA,2020-01-01\n")
    error = only_error(tmp_path, bad)
    assert isinstance(error, MalformedRecord)
    assert str(error) == f"{bad}: no text column (looked for: {LOOKED_FOR})"


def test_csv_header_only(tmp_path: Path) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("title,text\n")
    assert str(only_error(tmp_path, bad)) == f"{bad}: a header row but no records"


def write_warc(path: Path, count: int) -> list[int]:
    """A .warc.gz with ``count`` HTML responses; returns each record's end offset."""
    ends = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(count):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(ARTICLE_HTML.replace(b"third", f"round {i}".encode())),
                http_headers=http,
            )
            writer.write_record(record)
            ends.append(fh.tell())
    return ends


def test_truncated_warc_gz(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    ends = write_warc(whole, 5)
    bad = tmp_path / "cut.warc.gz"
    # cut in the middle of the fourth record
    bad.write_bytes(whole.read_bytes()[: (ends[2] + ends[3]) // 2])
    good, errors = run(tmp_path, bad)
    assert [a.origin for a in good][1:4] == [f"{bad}#{i}" for i in (1, 2, 3)]
    assert len(good) == 5
    (error,) = errors
    assert isinstance(error, MalformedRecord)
    assert str(error) == f"{bad}: truncated WARC: record 4 is cut short"


def test_truncated_warc_anywhere_never_crashes(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    ends = write_warc(whole, 3)
    data = whole.read_bytes()
    bad = tmp_path / "cut.warc.gz"
    for cut in range(1, len(data), 23):
        bad.write_bytes(data[:cut])
        out = list(iter_articles([bad]))
        complete = sum(end <= cut for end in ends)
        articles = [a for a in out if isinstance(a, Article)]
        errors = [e for e in out if not isinstance(e, Article)]
        assert all(isinstance(e, MalformedRecord) for e in errors), cut
        # every complete record is read; a record cut only in its gzip trailer still
        # has all its content, else the damage is reported
        assert complete <= len(articles) <= complete + 1, cut
        assert len(errors) == (len(articles) == complete and cut not in ends), cut


def test_not_a_warc(tmp_path: Path) -> None:
    bad = tmp_path / "fake.warc"
    bad.write_text("this is not an archive\n")
    error = only_error(tmp_path, bad)
    assert isinstance(error, MalformedRecord)
    assert str(error) == f"{bad}: corrupt WARC: record 1 has a malformed header"


def test_too_big_text_file(tmp_path: Path) -> None:
    bad = tmp_path / "huge.txt"
    with bad.open("wb") as fh:
        line = b"The envoy repeated the same statement again. " * 1024 + b"\n"
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line[: 50 * 1024 * 1024 - fh.tell()])
    assert bad.stat().st_size == 52_428_800
    error = only_error(tmp_path, bad)
    assert type(error) is InputError
    assert str(error) == (
        f"{bad}: 52,428,800 bytes is over the 20,971,520-byte limit (use --max-bytes)"
    )


def test_max_bytes_applies_per_record(tmp_path: Path) -> None:
    bad = tmp_path / "feed.jsonl"
    bad.write_text(json.dumps({"text": "x" * 2000}) + "\n" + json.dumps({"text": "Short."}) + "\n")
    good, errors = run(tmp_path, bad, max_bytes=1000)
    assert "Short." in [a.text for a in good]
    assert [str(e) for e in errors] == [
        f"{bad}:1: 2,013 bytes is over the 1,000-byte limit (use --max-bytes)"
    ]


def test_html_page_without_article(tmp_path: Path) -> None:
    bad = tmp_path / "index.html"
    bad.write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/a'>A</a>"
        "<a href='/b'>B</a></nav><img src='x.png'></body></html>"
    )
    error = only_error(tmp_path, bad)
    assert isinstance(error, NoArticleText)
    assert str(error) == f"{bad}: no article text found in the HTML page"


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    page = tmp_path / "latin.html"
    page.write_bytes(
        ARTICLE_HTML.replace(b"<head>", b'<head><meta charset="iso-8859-1">').replace(
            b"Sunday", "dimanche élevé".encode("latin-1")
        )
    )
    good, errors = run(tmp_path, page)
    assert not errors
    assert "dimanche élevé" in good[1].text


def test_unknown_suffix(tmp_path: Path) -> None:
    bad = tmp_path / "slides.pptx"
    bad.write_text("whatever")
    error = only_error(tmp_path, bad)
    assert isinstance(error, UnknownFormat)
    assert str(error) == (
        f"{bad}: unknown format '.pptx' (tidings reads .csv, .htm, .html, .json, .jsonl, "
        ".ndjson, .text, .tsv, .txt, .warc, .warc.gz, .xhtml; any of them gzip-compressed too)"
    )


def test_truncated_gzip_export(tmp_path: Path) -> None:
    # random words compress badly, so half the file holds hundreds of whole lines
    words = [hashlib.sha1(str(i).encode()).hexdigest()[:8] for i in range(5000)]
    lines = "".join(
        json.dumps({"text": " ".join(words[i * 10 : i * 10 + 10])}) + "\n" for i in range(500)
    )
    whole = gzip.compress(lines.encode())
    bad = tmp_path / "feed.jsonl.gz"
    bad.write_bytes(whole[: len(whole) // 2])
    good, errors = run(tmp_path, bad)
    assert 100 < len(good) < 502  # what was readable before the cut, plus the two good files
    (error,) = errors
    assert isinstance(error, MalformedRecord)
    assert str(error) == (
        f"{bad}: truncated or corrupt gzip data "
        "(Compressed file ended before the end-of-stream marker was reached)"
    )


def test_too_big_after_decompression(tmp_path: Path) -> None:
    bad = tmp_path / "bomb.txt.gz"
    bad.write_bytes(gzip.compress(b"The same sentence again. " * 100_000))
    assert str(only_error(tmp_path, bad, max_bytes=1_000_000)) == (
        f"{bad}: 2,500,000 bytes is over the 1,000,000-byte limit (use --max-bytes)"
    )


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert str(only_error(tmp_path, missing)) == f"{missing}: no such file or directory"
    pattern = tmp_path / "*.nothing"
    assert str(only_error(tmp_path, pattern)) == f"{pattern}: no files match this pattern"


def test_strict_raises_the_first_error(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    with pytest.raises(EmptyInput, match="empty file"):
        run(tmp_path, bad, strict=True)
    stream = iter_articles([tmp_path / "a_good.txt", bad], strict=True)
    assert next(stream).text == GOOD  # good input before the error still arrives
    with pytest.raises(EmptyInput):
        next(stream)


HOSTILE = [
    "<script>alert('x')</script><b>Bold</b> claim &lt;i&gt; here",
    "\u202eevil RTL override\u202c and \u200fmarks\u200e",
    "zero\u200bwidth\u200cjoin\u200dchars\ufeff and \u2060",
    "lone \ud800 surrogate and \udfff another",
    "nul \x00 and bell \x07 and escape \x1b[31m",
    "&#0; &#xD800; &#1114112; &#x1F600; &amp;#x26;",
    "combining \u0301\u0301\u0301 at the start",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_do_not_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.jsonl"
    rec = {"text": text, "title": text, "url": "https://e.example/\ud800", "source": text}
    path.write_text(json.dumps(rec) + "\n")  # ensure_ascii keeps lone surrogates as \\u escapes
    (article,) = list(iter_articles([path]))
    assert isinstance(article, Article)
    for value in (article.text, article.title, article.url, article.outlet):
        value.encode("utf-8")  # storable: no surrogates left
    assert articles_to_arrow([article]).num_rows == 1


def test_hostile_html_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    path.write_bytes(
        b"<html><body><script>"
        + b"x" * 10_000
        + b"</script><p>"
        + b"<div>" * 3000
        + "\u202e\u200b text".encode()
        + b"</p></body></html>"
    )
    (out,) = list(iter_articles([path]))
    assert isinstance(out, Article | NoArticleText | MalformedRecord)
