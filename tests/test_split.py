"""Splitting big inputs into blocks gives exactly what reading the whole file gives.

For each format the test writes a file with good records, bad ones and awkward ones
(blank lines, quoted line breaks, stray quotes, non-HTML WARC records), cuts it into
small blocks, reads every block on its own and compares the concatenation with the
whole-file reader: same articles, same errors, same origins, same order.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tidings.ingest import read_path
from tidings.ingest.split import Split, plan_splits, read_split

MAX = 1 << 20


def _key(item: object) -> tuple:
    return (
        type(item).__name__,
        getattr(item, "doc_id", None),
        getattr(item, "origin", None),
        getattr(item, "title", None),
        getattr(item, "published", None),
        str(item)[:300],
    )


def _read_blocks(splits: list[Split], max_bytes: int = MAX) -> list[tuple]:
    got: list[tuple[int, tuple]] = []
    for split in splits:
        got += [(pos, _key(item)) for pos, item in read_split(split, max_bytes)]
    positions = [p for p, _ in got]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    return [k for _, k in got]


def _same_as_whole(path: Path, block: int, max_bytes: int = MAX) -> list[Split]:
    splits = plan_splits(path, block)
    assert _read_blocks(splits, max_bytes) == [
        _key(i) for i in read_path(path, max_bytes=max_bytes)
    ]
    return splits


def _report(i: int) -> str:
    return (
        f"The envoy of Chile met officials from Peru on the {i % 28 + 1}th to talk about fishing."
    )


def test_jsonl_blocks_keep_lines_and_errors(tmp_path: Path) -> None:
    rng = random.Random(7)
    lines = []
    for i in range(2000):
        r = rng.random()
        if r < 0.02:
            lines.append("{broken")
        elif r < 0.04:
            lines.append("   ")
        elif r < 0.05:
            lines.append('"just a string"')
        else:
            lines.append(json.dumps({"text": _report(i) * rng.randint(1, 4), "date": "2024-05-02"}))
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())  # BOM, no final newline
    splits = _same_as_whole(path, 16_000)
    assert len(splits) > 8 and all(s.kind == "jsonl" for s in splits)
    assert splits[1].first > 50  # a block numbers its lines as the whole file does


def test_jsonl_overlong_and_undecodable_lines(tmp_path: Path) -> None:
    body = [json.dumps({"text": _report(i)}).encode() for i in range(300)]
    body[40] = json.dumps({"text": "x" * 5000}).encode()  # over the 2,000-byte limit
    body[41] = b"\xff\xfe not utf-8"
    body[200] = b'{"text": "' + b"y" * 20_000 + b'"}'  # over 4x the limit: drained, not held
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\n".join(body) + b"\n")
    _same_as_whole(path, 3_000, max_bytes=2_000)


def _csv_text(n: int, seed: int) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Title", "Body", "URL"])
    for i in range(n):
        text = _report(i)
        if i % 3 == 0:  # quoted line breaks, quotes and commas inside a field
            text = f'"{text}"\nSecond paragraph, with a comma.\n\nThird, "quoted".'
        if i % 7 == 0:
            out.write("\n")  # a blank line between records
        writer.writerow([f"T{i}", text if rng.random() > 0.02 else "", f"https://w.example/{i}"])
    return out.getvalue()


def test_csv_blocks_cut_only_between_records(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(_csv_text(900, 1), "utf-8")
    splits = _same_as_whole(path, 6_000)
    assert len(splits) > 5 and all(s.kind == "csv" for s in splits)


def test_csv_stray_quote_does_not_shift_the_cuts(tmp_path: Path) -> None:
    # a quote inside an unquoted field is literal to the csv module; counting quote
    # characters would then cut inside the quoted line breaks that follow
    rows = [f'"Peru met Chile {i}.\nA second line {i}.",u{i}\n' for i in range(600)]
    path = tmp_path / "stray.tsv"
    text = "text\turl\n" + 'Peru said 5" of rain fell.\tu\n' + "".join(rows).replace(",u", "\tu")
    path.write_text(text, "utf-8")
    assert len(_same_as_whole(path, 3_000)) > 5


def test_tsv_with_no_text_column_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "nohead.tsv"
    path.write_text("a\tb\n" + "x\ty\n" * 5000, "utf-8")
    assert plan_splits(path, 1_000) == [Split(str(path))]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_blocks_at_record_offsets(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for i in range(60):
            url = f"https://news.example/{i}"
            if i % 4 == 0:  # a request record: not an article, still numbered
                req = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            kind = "image/png" if i % 9 == 0 else "text/html"
            paras = f"<p>{_report(i)}</p><p>{_report(i + 1)}</p>"
            page = f"<html><body><article>{paras}</article></body></html>"
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(page.encode()),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-03-01T08:00:00Z"},
            )
            writer.write_record(rec)
    splits = _same_as_whole(path, 4_000)
    assert len(splits) > 4 and all(s.kind == "warc" for s in splits)
    assert splits[1].first > 1


def test_small_compressed_and_other_files_stay_whole(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"text": _report(1)}) + "\n", "utf-8")
    assert plan_splits(small, 1 << 20) == [Split(str(small))]
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n" * 50_000, "utf-8")
    assert plan_splits(blank, 1_000) == [Split(str(blank))]  # the reader says "empty"
    assert plan_splits(tmp_path / "missing.jsonl", 10) == [Split(str(tmp_path / "missing.jsonl"))]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.text(alphabet=st.sampled_from('ab ,"\n\r\t'), min_size=0, max_size=12),
        min_size=2,
        max_size=120,
    ),
    block=st.integers(min_value=1, max_value=60),
)
def test_csv_any_quoting_splits_like_the_whole_file(
    tmp_path: Path, cells: list[str], block: int
) -> None:
    out = io.StringIO()
    out.write("text,url\n")
    for i in range(0, len(cells) - 1, 2):
        # half the rows written properly, half raw (stray quotes and all)
        if i % 4:
            csv.writer(out).writerow([cells[i], cells[i + 1]])
        else:
            out.write(f"{cells[i]},{cells[i + 1]}\n")
    path = tmp_path / "h.csv"
    path.write_text(out.getvalue(), "utf-8", newline="")
    _same_as_whole(path, block)


def test_csv_block_stops_at_an_undecodable_line(tmp_path: Path) -> None:
    # the planner leaves an undecodable file whole; a file that changes between planning
    # and reading still stops only the block at fault, at the faulty line
    path = tmp_path / "changed.csv"
    rows = [f"{_report(i)},u{i}\n" for i in range(300)]
    path.write_text("text,url\n" + "".join(rows), "utf-8")
    splits = plan_splits(path, 3_000)
    assert len(splits) > 3
    second = splits[1]
    data = bytearray(path.read_bytes())
    bad_line = second.first + 2
    data[data.index(b"Chile", second.start + len(rows[0]) * 2)] = 0xFF  # same length
    path.write_bytes(bytes(data))
    got = [item for _, item in read_split(second, MAX)]
    assert len(got) == 3  # two records, then the error ends the block
    assert str(got[-1]).startswith(f"{path}:{bad_line}: not valid UTF-8")
    assert all(hasattr(item, "doc_id") for item in got[:2])
    nxt = [item for _, item in read_split(splits[2], MAX)]  # the next block reads on
    assert nxt and all(hasattr(item, "doc_id") for item in nxt)


def test_jsonl_block_reports_a_number_too_long_to_read(tmp_path: Path) -> None:
    # a JSON integer of more than 4,300 digits makes json.loads raise ValueError (not
    # JSONDecodeError): a block must report that line as the whole-file reader does and
    # go on, not let the exception end the read task
    path = tmp_path / "huge_int.jsonl"
    lines = [json.dumps({"text": _report(i), "url": f"https://e.example/{i}"}) for i in range(60)]
    lines[40] = '{"text": "Peru met Chile.", "n": ' + "7" * 5000 + "}"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    splits = _same_as_whole(path, 2_000)
    assert len(splits) > 2
    got = _read_blocks(splits)
    bad = [k for k in got if k[0] == "MalformedRecord"]
    assert len(bad) == 1 and "a number too long to read" in bad[0][-1]
    assert sum(k[0] == "Article" for k in got) == 59
