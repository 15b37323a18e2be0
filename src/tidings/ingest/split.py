"""Big input files cut into blocks, so that one crawl dump feeds every CPU of a cluster.

A crawl usually arrives as a few huge JSONL or WARC files. Read whole, one file is one
task and a cluster of N CPUs idles while one of them reads it. :func:`plan_splits`
cuts a file into blocks that are read independently (:func:`read_split`):

* **JSONL** at line boundaries: the planner scans the file once, counting newlines, so
  each block knows the number of its first line and errors keep ``file:line``.
* **CSV/TSV** at record boundaries. A newline ends a record only outside quotes. In
  CSV as every RFC 4180 writer produces it (a field holding a quote, delimiter or line
  break is quoted, and its quotes are doubled) that is exactly a newline preceded by an
  even number of quote characters since the start of the file, which the planner counts
  on the way. Each block parses the header itself (from the start of the file) and
  checks, when it ends, that its last record ended exactly at the cut; a stray unpaired
  quote (which Python's csv module reads as a literal character) would shift the
  parity, and the block then reports the file and line instead of reading on.
* **WARC** at record offsets, found by one pass of warcio over the headers (the
  records of a ``.warc.gz`` are separate gzip members, so each block seeks straight to
  its first record); errors keep ``file#record``.

Everything else is read whole: ``.gz``-compressed JSONL/CSV (a gzip stream cannot be
entered in the middle), UTF-16/32 files, single documents, and files smaller than a
block. Records come out as :func:`tidings.ingest.read_path` would give them, with the
same ids, origins and messages, because each block goes through the same per-record
function (:func:`~tidings.ingest.records.record_article` for JSONL and CSV,
:func:`~tidings.ingest.web.read_warc` on a byte range for WARC). Two differences, both
at the scale of a broken file: an undecodable line in a CSV file ends its block rather
than the whole file, and the "empty file" checks are made by the planner (a file of
only blank lines is not split).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, MalformedRecord
from ..model import Article
from .decode import encoding_error, is_gzipped
from .limits import Limits
from .readers import read_path
from .records import FIELDS, CsvStop, csv_rows, jsonl_line, over_limit, record_article

__all__ = ["Split", "plan_splits", "read_split"]

Result = Article | InputError

#: the planner reads files in chunks of this size
_CHUNK = 8 << 20
_LINE_SUFFIXES = (".jsonl", ".ndjson")
_CSV_SUFFIXES = {".csv": ",", ".tsv": "\t"}
_WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class Split:
    """One block of one file: bytes ``[start, stop)`` (``stop`` None: to the end).

    ``kind`` is ``whole`` (read the file with its ordinary reader), ``jsonl``, ``csv``
    or ``warc``; ``first`` is the number of the block's first line (JSONL, CSV) or
    record (WARC), as the whole-file reader would count it.
    """

    path: str
    kind: str = "whole"
    start: int = 0
    stop: int | None = None
    first: int = 1
    delimiter: str = ","


def _kind_of(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(_WARC_SUFFIXES):
        return "warc"
    if is_gzipped(path):
        return "whole"
    suffix = path.suffix.lower()
    if suffix in _LINE_SUFFIXES:
        return "jsonl"
    if suffix in _CSV_SUFFIXES:
        return "csv"
    return "whole"


def plan_splits(path: str | Path, block_bytes: int, limits: Limits | None = None) -> list[Split]:
    """Cut ``path`` into blocks of about ``block_bytes`` (one block when it is smaller).

    Costs one sequential read of the file (a warcio pass over a WARC's headers), made
    by whoever plans the run; any trouble reading it leaves the file whole, so its
    errors come from the ordinary reader, exactly as without splitting. The pass is
    bounded by ``limits`` (default :meth:`Limits.resolve`) like the readers: a WARC
    header line over ``header_bytes``, a CSV line over ``record_bytes`` or a file over
    ``total_bytes`` is not held, and leaves the file whole for the reader to report.
    """
    limits = limits or Limits.resolve()
    path = Path(path)
    whole = [Split(str(path))]
    kind = _kind_of(path)
    try:
        size = path.stat().st_size
    except OSError:
        return whole
    if kind == "whole" or block_bytes <= 0 or size <= block_bytes:
        return whole
    if size > limits.total_bytes:
        return whole  # the reader stops at the total limit, as without splitting
    try:
        if kind == "warc":
            return _plan_warc(path, block_bytes, limits) or whole
        return _plan_lines(path, block_bytes, kind, limits.record_bytes) or whole
    except (OSError, ValueError, InputError):
        return whole


def _plan_lines(path: Path, block_bytes: int, kind: str, max_bytes: int) -> list[Split]:
    """Cut points at newlines, with their line numbers (CSV: at record starts)."""
    if kind == "csv":
        return _plan_csv(path, block_bytes, max_bytes)
    cuts: list[tuple[int, int]] = [(0, 1)]  # (byte offset, number of the line there)
    lines = 1  # number of the line the current chunk starts in
    pos = 0
    want = block_bytes
    content = False
    with path.open("rb") as fh:
        head = fh.read(4)
        if codecs.BOM_UTF16_LE in head[:2] or codecs.BOM_UTF16_BE in head[:2]:
            return []  # UTF-16/32: decoded whole by the reader
        fh.seek(0)
        while chunk := fh.read(_CHUNK):
            content = content or not chunk.isspace()
            end = pos + len(chunk)
            while want < end:
                nl = chunk.find(b"\n", max(want - pos, 0))
                if nl < 0:
                    break  # the next cut is in a later chunk
                cut = pos + nl + 1
                if cut < end or fh.peek(1)[:1]:
                    cuts.append((cut, lines + chunk.count(b"\n", 0, nl + 1)))
                want = cut + block_bytes
            lines += chunk.count(b"\n")
            pos = end
    if not content:
        return []
    return _blocks(path, kind, cuts)


def _blocks(
    path: Path, kind: str, cuts: list[tuple[int, int]], delimiter: str = ","
) -> list[Split]:
    if len(cuts) < 2:
        return []
    bounds = [c[0] for c in cuts[1:]] + [None]
    return [
        Split(str(path), kind, start, stop, first, delimiter)
        for (start, first), stop in zip(cuts, bounds, strict=True)
    ]


def _plan_csv(path: Path, block_bytes: int, max_bytes: int) -> list[Split]:
    """Cut points at record starts, found by parsing the file once with the csv module.

    Exact whatever the quoting (a quoted field may hold line breaks, and a stray quote
    inside an unquoted field is a literal character to the csv module, so counting
    quote characters is not enough); about 80 MB/s on one core. A file the parser or
    the UTF-8 decoder trips on, or with a line over ``max_bytes`` (never held: the
    reader stops the file at such a row), is left whole, for the reader to report.
    """
    delimiter = _CSV_SUFFIXES[path.suffix.lower()]
    if not _csv_header_ok(path, delimiter):
        return []  # the reader reports a missing text column once, for the whole file
    whole = Split(str(path), "csv", 0, None, 1, delimiter)
    starts: list[tuple[int, int]] = []

    def text_lines() -> Iterator[str]:
        for number, offset, raw in _raw_lines(whole, max_bytes):
            if isinstance(raw, int):
                raise _TooLong
            starts.append((offset, number))
            yield raw.decode("utf-8-sig" if offset == 0 else "utf-8")

    cuts: list[tuple[int, int]] = [(0, 1)]
    want = block_bytes
    filled = 0  # rows with a non-blank cell: the header and at least one record
    try:
        for row in csv.reader(text_lines(), delimiter=delimiter, strict=False):
            filled += any(cell.strip() for cell in row)
            if starts and starts[0][0] >= want:
                cuts.append(starts[0])
                want = starts[0][0] + block_bytes
            starts.clear()
    except (csv.Error, UnicodeDecodeError, _TooLong):
        return []
    return _blocks(path, "csv", cuts, delimiter) if filled > 1 else []


class _TooLong(Exception):
    """A line over the record limit met while planning: the file is read whole."""


def _plan_warc(path: Path, block_bytes: int, limits: Limits) -> list[Split]:
    """Cut points at record offsets; one block holds records worth ``block_bytes``.

    warcio reads through the same bounded reader as :func:`~tidings.ingest.web.read_warc`;
    whatever stops it (a header bomb, the total limit, a corrupt record) leaves the
    file whole, and the reader reports it.
    """
    from warcio.archiveiterator import ArchiveIterator

    from .web import WARC_BLOCK, _bounded_reader

    cuts: list[tuple[int, int]] = [(0, 1)]
    with path.open("rb") as fh:
        archive = ArchiveIterator(fh, arc2warc=True, block_size=WARC_BLOCK)
        archive.reader = _bounded_reader(fh, limits)
        want = block_bytes
        try:
            for number, _record in enumerate(archive, 1):
                offset = archive.get_record_offset()
                if offset >= want and number > 1:
                    cuts.append((offset, number))
                    want = offset + block_bytes
        except Exception:  # warcio, gzip and zlib raise a zoo of errors, as in read_warc
            return []
    return _blocks(path, "warc", cuts)


# --------------------------------------------------------------------------- reading


def read_split(split: Split, limits: Limits | int) -> Iterator[tuple[int, Result]]:
    """The records of one block, each with its place: ``(position, article or error)``.

    Positions grow through a file across its blocks (the line or record number times
    16, plus a counter for the rare line giving two results), so sorting a file's
    results by position gives the whole-file reader's order. ``limits`` bound the block
    as they bound a whole file: no line, CSV row or WARC
    record is held past ``record_bytes``, and a WARC block stops at ``total_bytes``
    decompressed, like the whole-file readers.
    """
    # an int is --max-bytes; the total then comes from $TIDINGS_MAX_TOTAL_BYTES or the default
    limits = limits if isinstance(limits, Limits) else Limits.resolve(limits)
    max_bytes = limits.record_bytes
    path = Path(split.path)
    if split.kind == "whole":
        yield from enumerate(read_path(path, limits=limits))
        return
    if split.kind == "warc":
        from .web import read_warc

        items = read_warc(
            path, split.path, limits, start=split.start, first=split.first, stop=split.stop
        )
        yield from _numbered(items, split.first)
        return
    if split.kind == "jsonl":
        yield from _positions(_jsonl_block(split, max_bytes))
    else:
        yield from _positions(_csv_block(split, max_bytes))


def _numbered(items: Iterator[Result], first: int) -> Iterator[tuple[int, Result]]:
    # a WARC's results carry their record number in ``where#n``; order is what matters
    for index, item in enumerate(items):
        yield (first << 4) + index, item


def _positions(items: Iterator[tuple[int, Result]]) -> Iterator[tuple[int, Result]]:
    last_line, k = -1, 0
    for line, item in items:
        k = k + 1 if line == last_line else 0
        last_line = line
        yield (line << 4) + min(k, 15), item


def _raw_lines(split: Split, max_bytes: int) -> Iterator[tuple[int, int, bytes | int]]:
    """``(line number, byte offset, bytes)`` of the lines starting in the block.

    A line too long to be a document under ``max_bytes`` is not held in memory: it is
    drained and reported by its size (an int in place of the bytes).
    """
    limit = 4 * max_bytes + 2  # no line under max_bytes characters is longer in UTF-8
    stop = split.stop
    with open(split.path, "rb") as fh:
        fh.seek(split.start)
        number, offset = split.first, split.start
        while stop is None or offset < stop:
            raw = fh.readline(limit)
            if not raw:
                return
            size = len(raw)
            if not raw.endswith(b"\n") and size == limit:
                while (more := fh.readline(1 << 20)) and not more.endswith(b"\n"):
                    size += len(more)
                size += len(more)
                yield number, offset, size
            else:
                yield number, offset, raw
            number += 1
            offset += size


def _decoded(split: Split, max_bytes: int) -> Iterator[tuple[int, str | InputError]]:
    for number, offset, raw in _raw_lines(split, max_bytes):
        if isinstance(raw, int):
            yield number, over_limit(f"{split.path}:{number}", raw, max_bytes)
            continue
        base = 0
        if offset == 0 and raw.startswith(codecs.BOM_UTF8):
            raw, base = raw[3:], 3
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as err:
            yield number, encoding_error(f"{split.path}:{number}", raw, err, offset + base)


def _jsonl_block(split: Split, max_bytes: int) -> Iterator[tuple[int, Result]]:
    """JSONL lines as :func:`tidings.ingest.records.read_jsonl` reads them."""
    where, name = split.path, Path(split.path).name
    for number, line in _decoded(split, max_bytes):
        got = (
            line
            if isinstance(line, InputError)
            else jsonl_line(line, where, name, number, max_bytes)
        )
        if got is not None:
            yield number, got


#: fed to the CSV parser after a block's last line: a row of its own when the block
#: ended on a record boundary, swallowed into a field when a quote is still open
_PROBE = "\x00tidings-split-probe\x00"


def _csv_header(path: Path, delimiter: str) -> list[str] | None:
    """The header row as the CSV reader takes it: the first row with a non-blank cell."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        for row in csv.reader(fh, delimiter=delimiter, strict=False):
            if row and any(cell.strip() for cell in row):
                return [cell.strip().lower() for cell in row]
    return None


def _csv_header_ok(path: Path, delimiter: str) -> bool:
    header = _csv_header(path, delimiter)
    return header is not None and any(name in FIELDS["text"] for name in header)


def _csv_block(split: Split, max_bytes: int) -> Iterator[tuple[int, Result]]:
    """CSV records starting in the block, as :func:`~tidings.ingest.records.read_csv`."""
    where, name = split.path, Path(split.path).name
    header = None if split.start == 0 else _csv_header(Path(where), split.delimiter)
    starts: list[int] = []

    def text_lines() -> Iterator[str]:
        for number, line in _decoded(split, max_bytes):
            if isinstance(line, InputError):
                raise CsvStop(line, number)
            starts.append(number)
            yield line
        if split.stop is not None:
            yield _PROBE

    reader = csv.reader(text_lines(), delimiter=split.delimiter, strict=False)
    try:
        for line, row in csv_rows(reader, starts, where, split.first):
            if isinstance(row, InputError):
                yield line, row
                continue
            if row == [_PROBE]:
                break
            if row and row[-1].endswith(_PROBE):
                # an unpaired quote moved the record boundaries: this block cannot tell
                # where its last record ends, so it says so rather than guess
                yield (
                    line,
                    MalformedRecord(
                        f"{where}:{line}",
                        "a quoted field runs past a split point (an unpaired quote?); "
                        "read this file unsplit (--split-mb 0) or fix its quoting",
                    ),
                )
                break
            if not row or not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                continue
            rec = {k: v for k, v in zip(header, row, strict=False) if v != ""}
            yield line, record_article(rec, f"{where}:{line}", f"{name}:{line}", max_bytes)
    except CsvStop as stop:
        if stop.error is not None:
            yield stop.number, stop.error
