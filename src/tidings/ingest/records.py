"""Structured inputs: JSON, JSONL and CSV/TSV records mapped onto articles.

Crawlers and exports name their fields differently (``body``, ``maintext``,
``date_publish``...); the accepted names live in ``data/input_fields.json`` so users can
see and extend them. JSONL and CSV are streamed line by line, so a 10 GB export costs
the memory of one record, and one bad line is reported without losing the others.
"""

from __future__ import annotations

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

# Articles can be longer than csv's 128 KB default field limit; the real limit on a
# document is max_bytes. 2**31 - 1 is the largest value every platform accepts.
csv.field_size_limit(2**31 - 1)


def over_limit(where: str, size: int, max_bytes: int) -> InputError:
    """The error for a document bigger than ``max_bytes`` (the CLI's --max-bytes)."""
    return InputError(
        where, f"{size:,} bytes is over the {max_bytes:,}-byte limit (use --max-bytes)"
    )


def read_document(
    path: Path, where: str, max_bytes: int, *, blank_is_empty: bool = True
) -> bytes | InputError:
    """The bytes of a one-document file, or the input error that stops it before parsing.

    The checks every whole-file reader makes, in one order: over ``max_bytes``, empty,
    then binary. ``blank_is_empty=False`` counts only a zero-byte file as empty, for a
    reader that decodes first and reports whitespace-only text in its own words.
    """
    data = read_limited(path, max_bytes)
    if isinstance(data, int):
        return over_limit(where, data, max_bytes)
    if not (data.strip() if blank_is_empty else data):
        return EmptyInput(where, "empty file")
    bad = check_binary(data[:SNIFF_BYTES], where)
    if bad is not None:
        return bad
    return data


def read_document_text(
    path: Path, where: str, max_bytes: int, *, blank_is_empty: bool = True
) -> str | InputError:
    """As :func:`read_document`, then decoded to text (or the encoding error)."""
    data = read_document(path, where, max_bytes, blank_is_empty=blank_is_empty)
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
    display name unless the record has its own id.
    """
    if not isinstance(rec, dict):
        return MalformedRecord(where, f"expected a JSON object, got {_kind(rec)}")
    low = {k.lower().strip() if isinstance(k, str) else k: v for k, v in rec.items()}
    text = None
    present = None
    for field in FIELDS["text"]:
        if field in low:
            present = present or field
            text = _as_text(low[field])
            if text and not text.isspace():
                break
            text = None
    if text is None:
        if present is None:
            return MalformedRecord(where, f"no text field (looked for: {_LOOKED_FOR})")
        return MalformedRecord(where, f"the text field {present!r} is empty")
    if len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return over_limit(where, len(text.encode("utf-8", "surrogatepass")), max_bytes)
    url = _first(low, FIELDS["url"])
    url = url if isinstance(url, str) else None
    outlet = _outlet(_first(low, FIELDS["outlet"])) or url_host(url)
    ident = _first(low, FIELDS["id"])
    if isinstance(ident, str | int) and not isinstance(ident, bool):
        name = str(ident)
    title = _first(low, FIELDS["title"])
    article = make_article(
        text,
        published=parse_date(_first(low, FIELDS["published"])),
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
    return {list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), "a number"
    )


def _open_checked(path: Path, where: str) -> tuple[BinaryIO | None, InputError | None, str | None]:
    """Open a container file after the empty/binary checks; report its BOM codec."""
    fh = open_binary(path)
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


def _utf16_lines(fh: BinaryIO, where: str) -> Iterator[tuple[int, int, str | EncodingError]]:
    """A UTF-16/32 file is small and rare: decode it whole, then split it into lines."""
    data = fh.read()
    try:
        text = decode_bytes(data, where)
    except EncodingError as err:
        yield 1, 0, err
        return
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        yield number, 0, line


def _lines(path: Path, where: str) -> Iterator[tuple[int, int, str | InputError]]:
    fh, err, codec = _open_checked(path, where)
    if err is not None:
        yield 0, 0, err
        return
    assert fh is not None
    with fh:
        if codec in ("utf-16", "utf-32"):
            yield from _utf16_lines(fh, where)
        else:
            yield from decode_lines(fh, where)


def read_jsonl(path: Path, where: str, max_bytes: int) -> Iterator[Result]:
    """One article per line; blank lines are skipped, bad lines reported by number."""
    yield from _jsonl(_lines(path, where), where, path.name, max_bytes)


def read_jsonl_stream(stream: Iterable[bytes], where: str, max_bytes: int) -> Iterator[Result]:
    """JSONL from a byte stream (standard input): no seeking, no binary sniffing."""
    yield from _jsonl(decode_lines(stream, where), where, where, max_bytes)


def _jsonl(
    lines: Iterable[tuple[int, int, str | InputError]], where: str, name: str, max_bytes: int
) -> Iterator[Result]:
    empty = True
    loads = json.loads
    for number, _offset, line in lines:
        if isinstance(line, InputError):
            empty = False
            yield line
            continue
        if not line or line.isspace():
            continue
        empty = False
        here = f"{where}:{number}"
        if len(line) > max_bytes:
            yield over_limit(here, len(line.encode("utf-8", "surrogatepass")), max_bytes)
            continue
        try:
            rec = loads(line)
        except json.JSONDecodeError as err:
            yield MalformedRecord(here, f"malformed JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield MalformedRecord(here, "malformed JSON: nested too deeply")
            continue
        yield record_article(rec, here, f"{name}:{number}", max_bytes)
    if empty:
        yield EmptyInput(where, "empty file")


def read_json(path: Path, where: str, max_bytes: int) -> Iterator[Result]:
    """A JSON file: one object, a list of objects, an object wrapping such a list, or
    JSONL saved under a .json name (recognised when the whole fails but lines parse)."""
    text = read_document_text(path, where, max_bytes)
    if isinstance(text, InputError):
        yield text
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        if _looks_like_jsonl(text):
            lines = ((n, 0, line) for n, line in enumerate(text.splitlines(), 1))
            yield from _jsonl(lines, where, path.name, max_bytes)
            return
        yield MalformedRecord(
            where, f"malformed JSON: {err.msg} at line {err.lineno} column {err.colno}"
        )
        return
    except RecursionError:
        yield MalformedRecord(where, "malformed JSON: nested too deeply")
        return
    if isinstance(doc, dict) and not any(k.lower() in FIELDS["text"] for k in doc):
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
    try:
        return isinstance(json.loads(lines[0]), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


class _StopAt(Exception):
    """Carries an encoding error out of the line generator through csv.reader."""

    def __init__(self, error: InputError) -> None:
        self.error = error


def read_csv(path: Path, where: str, max_bytes: int, delimiter: str) -> Iterator[Result]:
    """CSV (``,``) or TSV (tab) with a header row naming the same fields as JSON.

    Nothing is sniffed: the suffix decides the delimiter, so a comma inside a TSV field
    can never change how the file is split.
    """
    starts: list[int] = []  # line number of the current row's first line

    def text_lines() -> Iterator[str]:
        for number, _offset, line in _lines(path, where):
            if isinstance(line, InputError):
                raise _StopAt(line)
            starts.append(number)
            yield line

    reader = csv.reader(text_lines(), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    seen_row = False
    last_line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except _StopAt as stop:
            yield stop.error
            return
        except csv.Error as err:
            here = f"{where}:{starts[0] if starts else reader.line_num}"
            starts.clear()
            if reader.line_num == last_line:
                return  # the reader cannot move on: give up on the file
            last_line = reader.line_num
            yield MalformedRecord(here, f"bad CSV row: {err}")
            continue
        line = starts[0] if starts else reader.line_num
        last_line = reader.line_num
        starts.clear()
        if header is None:
            if not row or not any(cell.strip() for cell in row):
                continue
            header = [cell.strip().lower() for cell in row]
            if not any(name in FIELDS["text"] for name in header):
                yield MalformedRecord(where, f"no text column (looked for: {_LOOKED_FOR})")
                return
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        seen_row = True
        rec = {k: v for k, v in zip(header, row, strict=False) if v != ""}
        yield record_article(rec, f"{where}:{line}", f"{path.name}:{line}", max_bytes)
    if header is None:
        yield EmptyInput(where, "empty file")
    elif not seen_row:
        yield EmptyInput(where, "a header row but no records")
