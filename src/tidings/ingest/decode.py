"""From bytes to text, refusing what is not text instead of guessing.

A wrong guess (reading UTF-8 as Latin-1, say) produces mojibake that the coder then
turns into wrong actors without anyone noticing, so tidings only decodes what it can
decode for sure: UTF-8, UTF-8/16/32 with a byte-order mark, or an HTML page's declared
charset. Anything else is an error that names the byte offset, so the user can look.
"""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import BinaryInput, EncodingError, InputError
from .limits import DEFAULT_MAX_TOTAL_BYTES, BoundedStream, over_limit

__all__ = [
    "check_binary",
    "decode_bytes",
    "decode_lines",
    "is_gzipped",
    "open_binary",
    "read_limited",
    "sniff_bom",
]

#: How much of a file the binary check looks at.
SNIFF_BYTES = 8192

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"SQLite format 3", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)
# bytes that do not occur in text: C0 controls other than \t \n \f \r, and DEL
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
#: More than this share of control bytes and a file is not text.
CONTROL_SHARE = 0.10


def sniff_bom(head: bytes) -> str | None:
    """The codec a byte-order mark announces, or None."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return None


def check_binary(head: bytes, where: str) -> BinaryInput | None:
    """A :class:`BinaryInput` when the first bytes of a file are not text.

    Looks for known file signatures, NUL bytes and a high share of control bytes; a
    UTF-16/32 file (with its BOM) is text despite its NULs.
    """
    if sniff_bom(head) in ("utf-16", "utf-32"):
        return None
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return BinaryInput(where, f"binary file ({what}), not text")
    head = head[:SNIFF_BYTES]
    if b"\x00" in head:
        return BinaryInput(where, "binary file (NUL bytes in the first 8 KB), not text")
    if head:
        share = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if share / len(head) > CONTROL_SHARE:
            return BinaryInput(
                where,
                f"binary file ({share / len(head):.0%} control bytes in the first 8 KB), not text",
            )
    return None


def encoding_error(
    where: str, data: bytes, err: UnicodeDecodeError, base: int = 0
) -> EncodingError:
    """The error for invalid bytes: their offset in the file and the bytes themselves."""
    return EncodingError(
        where,
        f"not valid {err.encoding.upper().replace('-SIG', '')}: byte 0x{data[err.start]:02x} "
        f"at offset {base + err.start:,}; save the file as UTF-8",
    )


def decode_bytes(data: bytes, where: str, fallback: str | None = None) -> str:
    """Decode a whole document; raise :class:`EncodingError` naming the bad byte.

    ``fallback`` is an encoding the document itself declares (an HTML meta charset or
    an HTTP header): used only when the bytes are not UTF-8, never guessed.
    """
    codec = sniff_bom(data[:4]) or "utf-8"
    base = 0
    if codec == "utf-8-sig":  # decode past the BOM ourselves: offsets stay file offsets
        codec, base = "utf-8", len(codecs.BOM_UTF8)
    try:
        return data[base:].decode(codec) if base else data.decode(codec)
    except UnicodeDecodeError as err:
        if codec == "utf-8" and not base and fallback and _usable(fallback):
            try:
                return data.decode(fallback)
            except (UnicodeDecodeError, LookupError):
                pass
        raise encoding_error(where, data[base:], err, base) from None


def _usable(name: str) -> bool:
    try:
        return codecs.lookup(name).name not in ("utf-8",)
    except LookupError:
        return False


def decode_lines(
    lines: Iterable[bytes | int], where: str, max_bytes: int | None = None
) -> Iterator[tuple[int, int, str | InputError]]:
    """Decode a byte stream line by line, for streaming JSONL and CSV readers.

    Yields ``(line_number, byte_offset, text)``; a line that is not UTF-8 yields an
    :class:`EncodingError` naming the line and the file offset instead, and the stream
    continues with the next line (UTF-8 never puts a newline byte inside a character).
    A UTF-8 BOM on the first line is dropped. An int in ``lines`` is the size of a
    line :func:`~tidings.ingest.limits.bounded_lines` skipped as over ``max_bytes``.
    """
    offset = 0
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, int):
            yield number, offset, over_limit(f"{where}:{number}", raw, max_bytes or 0)
            offset += raw
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw_text = raw[3:]
            base = 3
        else:
            raw_text = raw
            base = 0
        try:
            yield number, offset, raw_text.decode("utf-8")
        except UnicodeDecodeError as err:
            yield number, offset, encoding_error(f"{where}:{number}", raw_text, err, offset + base)
        offset += len(raw)


def is_gzipped(path: Path) -> bool:
    """A gzip-compressed export such as ``feed.jsonl.gz`` (WARCs handle gzip themselves)."""
    name = path.name.lower()
    return name.endswith(".gz") and not name.endswith(".warc.gz")


def open_binary(path: Path, total: int | None = None) -> BoundedStream:
    """Open a file for reading bytes, decompressing ``.gz`` transparently.

    The stream raises :class:`~tidings.ingest.limits.TotalTooLarge` past ``total``
    bytes (decompressed), so a bomb stops there.
    """
    raw: BinaryIO = gzip.open(path, "rb") if is_gzipped(path) else path.open("rb")  # type: ignore[assignment]
    return BoundedStream(raw, str(path), total if total is not None else DEFAULT_MAX_TOTAL_BYTES)


def read_limited(path: Path, max_bytes: int, total: int | None = None) -> bytes | int:
    """The whole (decompressed) file, or its size when that is over ``max_bytes``.

    A plain file's size is known without reading it; a compressed one is counted
    chunk by chunk (up to ``total``), so a 50 GB bomb costs time but no memory.
    """
    if not is_gzipped(path):
        size = path.stat().st_size
        if size > max_bytes:
            return size
        with path.open("rb") as fh:  # read no more than the limit, even if it grew
            data = fh.read(max_bytes + 1)
        return len(data) if len(data) > max_bytes else data
    with open_binary(path, total) as fh:
        data = fh.read(max_bytes + 1)
        if len(data) <= max_bytes:
            return data
        size = len(data)
        while chunk := fh.read(1 << 20):
            size += len(chunk)
        return size
