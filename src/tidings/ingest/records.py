"""Structured inputs: JSON, JSONL and CSV/TSV records mapped onto articles.

Crawlers and exports name their fields differently (``body``, ``maintext``,
``date_publish``...); the accepted names live in ``data/input_fields.json`` so users can
see and extend them. JSONL and CSV are streamed line by line, so a 10 GB export costs
the memory of one record, and one bad line is reported without losing the others.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import EmptyInput, EncodingError, InputError, MalformedRecord
from ..model import Article
from .dates import parse_date
from .decode import (
    SNIFF_BYTES,
    check_binary,
    decode_bytes,
    decode_lines,
    open_binary,
    read_limited,
    sniff_bom,
)
from .limits import BoundedStream, Limits, as_limits, bounded_lines, over_limit
from .normalize import make_article, url_host

__all__ = [
    "FIELDS",
    "over_limit",
    "read_csv",
    "read_document",
    "read_document_text",
    "read_json",
    "read_jsonl",
    "read_jsonl_stream",
    "record_article",
]

Result = Article | InputError

FIELDS: dict[str, tuple[str, ...]] = {
    key: tuple(names)
    for key, names in json.loads(
        resources.files("tidings").joinpath("data/input_fields.json").read_text("utf-8")
    ).items()
    if not key.startswith("_") and key != "date_languages"
}
_LOOKED_FOR = ", ".join(FIELDS["text"])


def read_document(
    path: Path, where: str, limits: Limits | int, *, blank_is_empty: bool = True
) -> bytes | InputError:
    """The bytes of a one-document file, or the input error that stops it before parsing.

    The checks every whole-file reader makes, in one order: over the record limit,
    empty, then binary. ``blank_is_empty=False`` counts only a zero-byte file as empty,
    for a reader that decodes first and reports whitespace-only text in its own words.
    """
    limits = as_limits(limits)
    max_bytes = limits.record_bytes
    data = read_limited(path, max_bytes, limits.total_bytes)
    if isinstance(data, int):
        return over_limit(where, data, max_bytes)
    if not (data.strip() if blank_is_empty else data):
        return EmptyInput(where, "empty file")
    bad = check_binary(data[:SNIFF_BYTES], where)
    if bad is not None:
        return bad
    return data


def read_document_text(
    path: Path, where: str, limits: Limits | int, *, blank_is_empty: bool = True
) -> str | InputError:
    """As :func:`read_document`, then decoded to text (or the encoding error)."""
    data = read_document(path, where, limits, blank_is_empty=blank_is_empty)
    if isinstance(data, InputError):
        return data
    try:
        return decode_bytes(data, where)
    except EncodingError as err:
        return err


def _first(rec: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = rec.get(name)
        if value is not None and value != "":
            return value
    return None


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)  # a list of paragraphs
    return None


def _outlet(value: Any) -> Any:
    if isinstance(value, dict):  # {"id": "bbc-news", "name": "BBC News"}
        low = {str(k).lower(): v for k, v in value.items()}
        return _first(low, ("name", "title", "domain", "id"))
    return value


def record_article(rec: Any, where: str, name: str, max_bytes: int) -> Result:
    """One record (a dict from JSON or a CSV row) as an article, or why it is not one.

    ``where`` names the record in messages and becomes ``origin``; ``name`` is the
    display name unless the record has its own id. Never raises: whatever a hostile
    record trips becomes a :class:`MalformedRecord` for that record alone.
    """
    try:
        return _record_article(rec, where, name, max_bytes)
    except Exception as err:  # the run must go on; the message names the record
        return MalformedRecord(where, f"cannot read this record ({_describe(err)})")


def _describe(err: BaseException) -> str:
    text = str(err)
    return f"{type(err).__name__}: {text[:200]}" if text else type(err).__name__


def _record_article(rec: Any, where: str, name: str, max_bytes: int) -> Result:
    if not isinstance(rec, dict):
        return MalformedRecord(where, f"expected a JSON object, got {_kind(rec)}")
    low = {k.lower().strip() if isinstance(k, str) else k: v for k, v in rec.items()}
    text = None
    present = None
    wrong: Any = None
    for field in FIELDS["text"]:
        if field in low:
            present = present or field
            text = _as_text(low[field])
            if text is None and low[field] not in (None, "", []) and wrong is None:
                wrong = (field, low[field])
            if text and not text.isspace():
                break
            text = None
    if text is None:
        if present is None:
            return MalformedRecord(where, f"no text field (looked for: {_LOOKED_FOR})")
        if wrong is not None:
            return MalformedRecord(
                where, f"the text field {wrong[0]!r} is {_kind(wrong[1])}, not text"
            )
        return MalformedRecord(where, f"the text field {present!r} is empty")
    if len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return over_limit(where, len(text.encode("utf-8", "surrogatepass")), max_bytes)
    url = _first(low, FIELDS["url"])
    url = url if isinstance(url, str) else None
    outlet = _outlet(_first(low, FIELDS["outlet"])) or url_host(url)
    ident = _first(low, FIELDS["id"])
    if isinstance(ident, str | int) and not isinstance(ident, bool):
        name = str(ident)[:200]
    title = _first(low, FIELDS["title"])
    published = _first(low, FIELDS["published"])
    article = make_article(
        text,
        published=parse_date(published) if isinstance(published, str | int | float) else None,
        title=title if isinstance(title, str) else None,
        url=url,
        outlet=outlet if isinstance(outlet, str) else None,
        origin=where,
        name=name,
    )
    if not article.text:  # only controls / markup-free whitespace
        return MalformedRecord(where, f"the text field {present!r} is empty")
    return article


def _kind(value: Any) -> str:
    kinds = {list: "a list", dict: "an object", str: "a string", type(None): "null"}
    return kinds.get(type(value), "a boolean" if isinstance(value, bool) else "a number")


def _open_checked(
    path: Path, where: str, total: int
) -> tuple[BoundedStream | None, InputError | None, str | None]:
    """Open a container file after the empty/binary checks; report its BOM codec."""
    fh = open_binary(path, total)
    head = fh.read(SNIFF_BYTES)
    if not head:
        fh.close()
        return None, EmptyInput(where, "empty file"), None
    bad = check_binary(head, where)
    if bad is not None:
        fh.close()
        return None, bad, None
    fh.seek(0)
    return fh, None, sniff_bom(head)


def _utf16_lines(
    fh: BoundedStream, where: str, codec: str, max_bytes: int
) -> Iterator[tuple[int, int, str | InputError]]:
    """A UTF-16/32 file, decoded as a stream and split into lines of bounded length."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    number = 0
    pending = ""  # the start of the current line
    skipping = 0  # characters of an oversized line seen so far (0: not skipping)
    while True:
        chunk = fh.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            yield (
                number + 1,
                0,
                EncodingError(
                    f"{where}:{number + 1}",
                    f"not valid {err.encoding.upper()}; save the file as UTF-8",
                ),
            )
            return
        parts = (pending + text).split("\n")
        pending = parts.pop()
        for line in parts:
            number += 1
            if skipping or len(line) + 1 > max_bytes:
                yield (
                    number,
                    0,
                    over_limit(f"{where}:{number}", skipping + len(line) + 1, max_bytes),
                )
                skipping = 0
            else:
                yield number, 0, line + "\n"
        if len(pending) > max_bytes:  # an oversized line: count it, do not hold it
            skipping += len(pending)
            pending = ""
        if not chunk:
            break
    if pending or skipping:
        number += 1
        if skipping:
            yield number, 0, over_limit(f"{where}:{number}", skipping + len(pending), max_bytes)
        else:
            yield number, 0, pending


def _lines(path: Path, where: str, limits: Limits) -> Iterator[tuple[int, int, str | InputError]]:
    fh, err, codec = _open_checked(path, where, limits.total_bytes)
    if err is not None:
        yield 0, 0, err
        return
    assert fh is not None
    with fh:
        if codec in ("utf-16", "utf-32"):
            yield from _utf16_lines(fh, where, codec, limits.record_bytes)
        else:
            lines = bounded_lines(fh, limits.record_bytes)
            yield from decode_lines(lines, where, limits.record_bytes)


def read_jsonl(path: Path, where: str, limits: Limits | int) -> Iterator[Result]:
    """One article per line; blank lines are skipped, bad lines reported by number."""
    limits = as_limits(limits)
    yield from _jsonl(_lines(path, where, limits), where, path.name, limits.record_bytes)


def read_jsonl_stream(
    stream: BinaryIO | BoundedStream, where: str, limits: Limits | int
) -> Iterator[Result]:
    """JSONL from a byte stream (standard input): no seeking, no binary sniffing."""
    limits = as_limits(limits)
    bounded = BoundedStream(stream, where, limits.total_bytes)  # type: ignore[arg-type]
    lines = decode_lines(bounded_lines(bounded, limits.record_bytes), where, limits.record_bytes)
    try:
        yield from _jsonl(lines, where, where, limits.record_bytes)
    except InputError as err:  # the total limit: what was read before it is kept
        yield err


def _loads(text: str, here: str, *, whole: bool = False) -> Any:
    """``json.loads``, or the :class:`MalformedRecord` saying why the JSON is bad.

    ``whole``: the text is a whole file, so the message gives the line too.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        at = f"at line {err.lineno} column {err.colno}" if whole else f"(column {err.colno})"
        return MalformedRecord(here, f"malformed JSON: {err.msg} {at}")
    except RecursionError:
        return MalformedRecord(here, "malformed JSON: nested too deeply")
    except ValueError as err:  # a number of more than 4,300 digits, and the like
        reason = "a number too long to read" if "digits" in str(err) else _describe(err)
        return MalformedRecord(here, f"malformed JSON: {reason}")


def jsonl_line(line: str, where: str, name: str, number: int, max_bytes: int) -> Result | None:
    """One JSONL line as an article or the error naming it; None for a blank line.

    Shared by the whole-file reader and the split blocks Ray reads, so a line gives the
    same answer whichever reads it."""
    if not line or line.isspace():
        return None
    here = f"{where}:{number}"
    if len(line) > max_bytes:
        return over_limit(here, len(line.encode("utf-8", "surrogatepass")), max_bytes)
    rec = _loads(line, here)
    if isinstance(rec, MalformedRecord):
        return rec
    return record_article(rec, here, f"{name}:{number}", max_bytes)


def _jsonl(
    lines: Iterable[tuple[int, int, str | InputError]], where: str, name: str, max_bytes: int
) -> Iterator[Result]:
    empty = True
    for number, _offset, line in lines:
        got = (
            line
            if isinstance(line, InputError)
            else jsonl_line(line, where, name, number, max_bytes)
        )
        if got is not None:
            empty = False
            yield got
    if empty:
        yield EmptyInput(where, "empty file")


def read_json(path: Path, where: str, limits: Limits | int) -> Iterator[Result]:
    """A JSON file: one object, a list of objects, an object wrapping such a list, or
    JSONL saved under a .json name (recognised when the whole fails but lines parse)."""
    limits = as_limits(limits)
    max_bytes = limits.record_bytes
    text = read_document_text(path, where, limits)
    if isinstance(text, InputError):
        yield text
        return
    doc = _loads(text, where, whole=True)
    if isinstance(doc, MalformedRecord):
        if _looks_like_jsonl(text):
            lines = ((n, 0, line) for n, line in enumerate(text.splitlines(), 1))
            yield from _jsonl(lines, where, path.name, max_bytes)
            return
        yield doc
        return
    if isinstance(doc, dict) and not any(
        isinstance(k, str) and k.lower() in FIELDS["text"] for k in doc
    ):
        low = {k.lower(): v for k, v in doc.items()}
        inner = _first(low, FIELDS["containers"])
        if isinstance(inner, list):
            doc = inner
    if isinstance(doc, list):
        if not doc:
            yield EmptyInput(where, "empty JSON list")
        for index, rec in enumerate(doc):
            yield record_article(rec, f"{where}#{index}", f"{path.name}#{index}", max_bytes)
        return
    yield record_article(doc, where, path.name, max_bytes)


def _looks_like_jsonl(text: str) -> bool:
    lines = [line for line in text.splitlines()[:3] if line.strip()]
    if len(lines) < 2:
        return False
    return isinstance(_loads(lines[0], ""), dict)


class CsvStop(Exception):
    """Reading a CSV file (or block) stops here: raised by the line generator to carry an
    input error out through csv.reader, or by :func:`csv_rows` (``error`` None) when the
    reader cannot move past a bad row."""

    def __init__(self, error: InputError | None, number: int = 0) -> None:
        self.error = error
        self.number = number  # the line the error is about


def csv_rows(
    reader: Any, starts: list[int], where: str, first: int = 1
) -> Iterator[tuple[int, list[str] | MalformedRecord]]:
    """``reader``'s rows, each with the number of its first line; a row csv rejects comes
    out as a :class:`MalformedRecord` and reading goes on past it.

    The line generator feeding ``reader`` appends each line's number to ``starts``; this
    clears it after each row. Where it fed none, the number is counted from ``first``,
    the number of the reader's first line. Shared by the whole-file reader and the
    split blocks (:mod:`tidings.ingest.split`), so both number and report rows alike.
    """
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            line = starts[0] if starts else first + reader.line_num - 1
            starts.clear()
            if reader.line_num == last_line:
                raise CsvStop(None, line) from err  # give up on the file
            last_line = reader.line_num
            yield line, MalformedRecord(f"{where}:{line}", f"bad CSV row: {err}")
            continue
        line = starts[0] if starts else first + reader.line_num - 1
        last_line = reader.line_num
        starts.clear()
        yield line, row


def read_csv(
    path: Path, where: str, limits: Limits | int, delimiter: str = ","
) -> Iterator[Result]:
    """CSV (``,``) or TSV (tab) with a header row naming the same fields as JSON.

    Nothing is sniffed: the suffix decides the delimiter, so a comma inside a TSV field
    can never change how the file is split. A row (which quoted line breaks may spread
    over many lines) is bounded like any record; past the bound the file stops there,
    since a reader cut off inside a quoted field cannot find the next row for sure.
    """
    limits = as_limits(limits)
    max_bytes = limits.record_bytes
    starts: list[int] = []  # line number of the current row's first line
    held = [0]  # characters of the current row read so far

    def text_lines() -> Iterator[str]:
        for number, _offset, line in _lines(path, where, limits):
            if isinstance(line, InputError):
                raise CsvStop(line, number)
            if not starts:
                held[0] = 0
            starts.append(number)
            held[0] += len(line)
            if held[0] > max_bytes:
                raise CsvStop(
                    InputError(
                        f"{where}:{starts[0]}",
                        f"a CSV row of more than {max_bytes:,} bytes (use --max-bytes); "
                        "reading stopped there",
                    ),
                    starts[0],
                )
            yield line

    # the row bound above is the real limit; csv's own per-field limit must not be lower
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    reader = csv.reader(text_lines(), delimiter=delimiter, strict=False)
    yield from _csv_rows(reader, starts, where, path.name, max_bytes)


def _csv_rows(
    reader: Any, starts: list[int], where: str, name: str, max_bytes: int
) -> Iterator[Result]:
    header: list[str] | None = None
    seen_row = False
    try:
        for line, row in csv_rows(reader, starts, where):
            if isinstance(row, InputError):
                yield row
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                if not any(field in FIELDS["text"] for field in header):
                    yield MalformedRecord(where, f"no text column (looked for: {_LOOKED_FOR})")
                    return
                continue
            seen_row = True
            rec = {k: v for k, v in zip(header, row, strict=False) if v != ""}
            yield record_article(rec, f"{where}:{line}", f"{name}:{line}", max_bytes)
    except CsvStop as stop:
        if stop.error is not None:
            yield stop.error
        return
    if header is None:
        yield EmptyInput(where, "empty file")
    elif not seen_row:
        yield EmptyInput(where, "a header row but no records")
