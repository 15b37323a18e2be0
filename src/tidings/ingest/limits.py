"""How much tidings reads from one input, and the streams that enforce it.

Every bound is checked *before* the bytes are held: a reader asks for at most the limit
plus one byte, so a 4 GiB line in a 10 MB ``.jsonl.gz`` costs time to skip, never 4 GiB
of memory. The limits:

* ``record_bytes``: one document (a .txt/.html/.json file, one JSONL line, one CSV row,
  one WARC record's payload). CLI ``--max-bytes``, environment ``TIDINGS_MAX_BYTES``.
* ``total_bytes``: everything decompressed from one input file (or standard input).
  Past it the input is abandoned with one error; what was read before is kept. CLI
  ``--max-total-bytes``, environment ``TIDINGS_MAX_TOTAL_BYTES``.
* ``header_bytes``: one WARC or HTTP header line; a whole header block may hold
  ``HEADER_BLOCK_LINES`` such lines.
* ``TITLE_CHARS``, ``URL_CHARS``, ``OUTLET_CHARS``: metadata fields, cut (title,
  outlet) or dropped (URL, which a cut would break) with a logged note, in
  :func:`~tidings.ingest.normalize.make_article`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import InputError, TidingsError, TotalTooLarge

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TOTAL_BYTES",
    "BoundedStream",
    "Limits",
    "TotalTooLarge",
    "as_limits",
    "bounded_lines",
    "over_limit",
    "parse_size",
]

#: The largest single document read by default (20 MiB); the CLI's --max-bytes.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: The most read (after decompression) from one input file by default (8 GiB): a whole
#: Common Crawl news WARC fits, a gzip bomb stops there.
DEFAULT_MAX_TOTAL_BYTES = 8 * 1024**3
#: One WARC/HTTP header line; real ones are well under 8 KiB (cookies, long URLs).
DEFAULT_HEADER_BYTES = 64 * 1024
#: Header lines in one WARC or HTTP header block.
HEADER_BLOCK_LINES = 1000
#: Metadata field lengths, in characters: a longer "title" is not a title.
TITLE_CHARS = 1000
URL_CHARS = 4096
OUTLET_CHARS = 200

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2}
_UNITS |= {"mib": 1024**2, "g": 1024**3, "gb": 1024**3, "gib": 1024**3, "t": 1024**4}
_UNITS |= {"tb": 1024**4, "tib": 1024**4}


def parse_size(value: str | int) -> int:
    """``"20MiB"``, ``"8G"``, ``"1_000_000"`` or an int as a byte count (binary units)."""
    if isinstance(value, int):
        size = value
    else:
        text = value.strip().lower().replace("_", "").replace(",", "")
        number = text.rstrip("abcdefghijklmnopqrstuvwxyz").strip()
        unit = text[len(number) :].strip()
        if unit not in _UNITS:
            raise ValueError(f"{value!r}: unknown size unit (use B, KiB, MiB, GiB or TiB)")
        try:
            size = int(float(number) * _UNITS[unit])
        except ValueError:
            raise ValueError(f"{value!r}: expected a size such as 20MiB or 8GiB") from None
    if size < 1:
        raise ValueError(f"{value!r}: a size limit must be at least one byte")
    return size


def _env_size(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return parse_size(raw)
    except ValueError as err:
        raise TidingsError(f"${name}: {err}") from None


@dataclass(frozen=True)
class Limits:
    """The bounds one ingest run reads under (see the module docstring)."""

    record_bytes: int = DEFAULT_MAX_BYTES
    total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    header_bytes: int = DEFAULT_HEADER_BYTES

    @classmethod
    def resolve(cls, record_bytes: int | None = None, total_bytes: int | None = None) -> Limits:
        """Explicit values first, then ``TIDINGS_MAX_BYTES`` / ``TIDINGS_MAX_TOTAL_BYTES``,
        then the defaults."""
        return cls(
            record_bytes=record_bytes or _env_size("TIDINGS_MAX_BYTES", DEFAULT_MAX_BYTES),
            total_bytes=total_bytes
            or _env_size("TIDINGS_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES),
        )


def as_limits(value: Limits | int) -> Limits:
    """Readers accept a bare ``max_bytes`` int too (the older signature)."""
    return value if isinstance(value, Limits) else Limits(record_bytes=value)


class BoundedStream:
    """A binary stream that refuses to hand out more than ``total`` bytes in all.

    Wraps a plain, gzip or standard-input stream; ``readline`` always passes a size,
    so no caller can make it hold an unbounded line.
    """

    def __init__(self, raw: BinaryIO, where: str, total: int) -> None:
        self.raw = raw
        self.where = where
        self.total = total
        self.count = 0

    def _take(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.total:
            raise TotalTooLarge(self.where, self.total)
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.total + 1 - self.count  # "all" is never more than the cap
        return self._take(self.raw.read(size))

    def readline(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.total + 1 - self.count
        return self._take(self.raw.readline(size))

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset == 0 and whence == 0:
            self.count = 0
        return self.raw.seek(offset, whence)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> BoundedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bounded_lines(stream: BoundedStream | BinaryIO, max_bytes: int) -> Iterator[bytes | int]:
    """The lines of a byte stream; a line over ``max_bytes`` comes as its size instead.

    An oversized line is skipped a mebibyte at a time, so it costs time but never its
    size in memory, and the lines after it are still read.
    """
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes:
            yield line
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield size


def over_limit(where: str, size: int, max_bytes: int) -> InputError:
    """The error for a document bigger than ``max_bytes`` (the CLI's --max-bytes)."""
    return InputError(
        where, f"{size:,} bytes is over the {max_bytes:,}-byte limit (use --max-bytes)"
    )
