"""Web pages: single HTML files and the HTML responses inside WARC archives.

Main text, title and publication date come from trafilatura, which is the slow part of
ingest (milliseconds per page), so it runs only for HTML. Nothing is ever fetched: the
page is parsed from the bytes we were given.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import EmptyInput, EncodingError, InputError, MalformedRecord, NoArticleText
from ..model import Article
from . import limits as _limits
from .dates import parse_date
from .decode import decode_bytes
from .limits import Limits, as_limits, over_limit
from .normalize import make_article, url_host
from .records import read_document

__all__ = ["html_article", "read_html", "read_warc"]

Result = Article | InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_LINE = re.compile(r"\n+")
#: A page is an article only if some paragraph reads like a sentence: at least this
#: many words. Menus, link lists and footers that trafilatura keeps from index pages
#: never have one.
MIN_SENTENCE_WORDS = 8

#: Compressed bytes a WARC reader inflates at a time: gzip inflates up to ~1,000-fold,
#: so this bounds one step's output to a few MiB (warcio's default, 16 KiB, to 16 MiB).
WARC_BLOCK = 4096

# trafilatura logs every discarded page at WARNING; tidings reports those itself.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def _declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset the page declares (HTTP header first, then <meta>), if any."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            return m[1]
    m = _META_CHARSET.search(data[:4096])
    return m[1].decode("ascii") if m else None


def _extract(page: str, url: str | None) -> Any:
    import trafilatura  # imported here: costs ~0.3 s and only HTML needs it

    opts: dict[str, Any] = {
        "url": url,
        "with_metadata": True,
        "include_comments": False,
        "include_tables": False,
        "output_format": "python",
    }
    doc = trafilatura.bare_extraction(page, **opts)
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        # short pages fall under the precision threshold; one more, lenient try
        doc = trafilatura.bare_extraction(page, favor_recall=True, **opts)
    return doc


def html_article(
    data: bytes,
    where: str,
    *,
    url: str | None = None,
    fallback_date: object = None,
    content_type: str | None = None,
    name: str | None = None,
) -> Result:
    """One HTML page as an article: main text, title, date, outlet.

    ``fallback_date`` (a WARC crawl date) is used only when the page states no date of
    its own: the crawl date is an upper bound, not the publication day.
    """
    try:
        page = decode_bytes(data, where, fallback=_declared_charset(data, content_type))
    except EncodingError as err:
        return err
    try:
        doc = _extract(page, url)
    except Exception as err:  # lxml/trafilatura failures on hostile markup
        return MalformedRecord(where, f"could not parse the HTML: {err}")
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not any(len(line.split()) >= MIN_SENTENCE_WORDS for line in text.splitlines()):
        return NoArticleText(where, "no article text found in the HTML page")
    published = parse_date(getattr(doc, "date", None)) or parse_date(fallback_date)
    outlet = getattr(doc, "sitename", None) or url_host(url) or getattr(doc, "hostname", None)
    article = make_article(
        _LINE.sub("\n\n", text),  # trafilatura puts one paragraph on each line
        published=published,
        title=getattr(doc, "title", None),
        url=url or getattr(doc, "url", None),
        outlet=outlet,
        origin=where,
        name=name,
    )
    if not article.text:
        return NoArticleText(where, "no article text found in the HTML page")
    return article


def read_html(path: Path, where: str, limits: Limits | int) -> Iterator[Result]:
    """An .html/.htm file, one page."""
    data = read_document(path, where, limits)
    if isinstance(data, InputError):
        yield data
        return
    yield html_article(data, where, name=path.name)


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and ("html" in content_type.lower())


def _damage(record: Any) -> str | None:
    """Why a record cannot be trusted (cut short, nonsense header), or None.

    warcio stops quietly at the end of a truncated gzip stream; the record's length
    reader still expecting bytes after being drained is the only sign of the damage.
    """
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        # also what warcio makes of a text file it reads as an old ARC header line
        return "has a malformed header"
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return "is cut short" if getattr(raw, "limit", 0) > 0 else None


class _HeaderTooLong(Exception):
    """A WARC or HTTP header line (or block) over the bound: the archive stops there."""


def _bounded_reader(fh: Any, limits: Limits) -> Any:
    """warcio's reader, with every header line and the decompressed total bounded.

    warcio reads header lines with an unbounded ``readline()`` (and joins the pieces of
    a long line quadratically), so an 8 GiB header line would be held whole. Header
    parsing is the only caller of ``readline`` on this reader (payloads are read with
    ``read``), so bounding it here bounds every WARC and HTTP header line.
    """
    from warcio.bufferedreaders import DecompressingBufferedReader

    from .limits import TotalTooLarge

    class Bounded(DecompressingBufferedReader):  # type: ignore[misc]
        decompressed = 0
        lines_in_a_row = 0

        def _process_read(self, data: bytes) -> None:
            super()._process_read(data)
            self.decompressed += self.buff_size if data else 0
            if self.decompressed > limits.total_bytes:
                raise TotalTooLarge(str(getattr(fh, "name", "WARC")), limits.total_bytes)

        def read(self, length: int | None = None) -> bytes:
            self.lines_in_a_row = 0
            return super().read(length)

        def readline(self, length: int | None = None) -> bytes:
            cap = limits.header_bytes + 1
            want = cap if length is None else min(length, cap)
            # warcio's readline may stop short of both the size and a newline at a
            # buffer edge; ask again until one of them is reached
            parts: list[bytes] = []
            got = 0
            while got < want:
                piece = super().readline(want - got)
                if not piece:
                    break
                parts.append(piece)
                got += len(piece)
                if piece.endswith(b"\n"):
                    break
            line = b"".join(parts)
            if len(line) >= cap and not line.endswith(b"\n"):
                raise _HeaderTooLong(f"a header line over {limits.header_bytes:,} bytes")
            self.lines_in_a_row += 1
            if self.lines_in_a_row > _limits.HEADER_BLOCK_LINES:
                raise _HeaderTooLong(f"a header of more than {_limits.HEADER_BLOCK_LINES:,} lines")
            return line

    return Bounded(fh, block_size=WARC_BLOCK)


def _payload(record: Any, max_bytes: int) -> bytes:
    """A response's page, at most ``max_bytes + 1`` bytes of it, however it was sent.

    warcio's own content stream reads a whole HTTP chunk at once (up to 2 GiB) and
    inflates a compressed body without a bound, so both are done here: chunks are read
    in bounded pieces, and ``Content-Encoding: gzip/deflate`` is inflated with a cap.
    """
    headers = record.http_headers
    raw = record.raw_stream
    if (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
        body = _dechunk(raw, max_bytes + 1)
    else:
        body = raw.read(max_bytes + 1)
    encoding = (headers.get_header("Content-Encoding") or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate") or len(body) > max_bytes:
        return body
    for wbits in (47, -zlib.MAX_WBITS) if encoding == "deflate" else (31,):
        try:
            return zlib.decompressobj(wbits).decompress(body, max_bytes + 1)
        except zlib.error:
            continue
    return body  # a body labelled compressed that is not: warcio reads it as it is too


def _dechunk(raw: Any, limit: int) -> bytes:
    """HTTP chunked transfer encoding undone, reading at most ``limit`` bytes of data.

    A body that does not parse as chunks is read as it is (servers mislabel them).
    """
    parts: list[bytes] = []
    got = 0
    while got < limit:
        head = raw.readline(64)
        try:
            size = int(head.split(b";")[0].strip(), 16)
        except ValueError:
            return b"".join(parts) + head + raw.read(limit - got)
        if size == 0:
            break
        piece = raw.read(min(size, limit - got))
        parts.append(piece)
        got += len(piece)
        if len(piece) < size:  # over the limit (or cut short): enough either way
            break
        raw.read(2)  # the CRLF after the chunk
    return b"".join(parts)


def read_warc(
    path: Path,
    where: str,
    limits: Limits | int,
    *,
    start: int = 0,
    first: int = 1,
    stop: int | None = None,
) -> Iterator[Result]:
    """Each HTML ``response`` record of a .warc / .warc.gz is one article.

    URL and crawl date come from the WARC headers. Other records (requests, metadata,
    images, scripts) are not articles and are skipped without a message. A truncated or
    corrupt archive yields what was read before the damage, then one error naming the
    record where reading stopped; so does a header line over ``limits.header_bytes``.

    ``start``/``first``/``stop`` read one block of a big archive (:mod:`.split`): from the
    record at byte ``start``, numbered ``first``, up to the first record at ``stop``. The
    block is read under the same ``limits`` as a whole archive.
    """
    from warcio.archiveiterator import ArchiveIterator

    limits = as_limits(limits)
    max_bytes = limits.record_bytes
    if path.stat().st_size == 0:
        yield EmptyInput(where, "empty file")
        return
    number = first - 1
    with path.open("rb") as fh:
        fh.seek(start)
        try:
            archive = ArchiveIterator(fh, arc2warc=True, block_size=WARC_BLOCK)
            archive.reader = _bounded_reader(fh, limits)
            records = iter(archive)
            end = start
            while True:
                if stop is not None and archive.offset >= stop:
                    return  # the next block's first record
                try:
                    record = next(records)
                except StopIteration:
                    break
                number += 1
                here = f"{where}#{number}"
                wanted = (
                    record.rec_type == "response"
                    and record.http_headers is not None
                    and _is_html(record.http_headers.get_header("Content-Type"))
                )
                data = _payload(record, max_bytes) if wanted else b""
                damage = _damage(record)
                if damage is not None:
                    what = "truncated" if damage == "is cut short" else "corrupt"
                    yield MalformedRecord(where, f"{what} WARC: record {number} {damage}")
                    return
                archive.read_to_end()
                end = archive.offset  # where the last complete record ends
                if not wanted:
                    continue  # requests, metadata, images, scripts: not articles
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if len(data) > max_bytes:
                    size = record.rec_headers.get_header("Content-Length") or ""
                    if size.isdigit() and int(size) > max_bytes:
                        yield over_limit(here, int(size), max_bytes)
                    else:  # a small compressed body that inflates past the limit
                        yield InputError(
                            here,
                            f"more than {max_bytes:,} bytes once decompressed: over the limit "
                            "(use --max-bytes)",
                        )
                    continue
                if not data.strip():
                    yield NoArticleText(here, f"empty HTML response for {uri}")
                    continue
                yield html_article(
                    data,
                    here,
                    url=uri,
                    fallback_date=record.rec_headers.get_header("WARC-Date"),
                    content_type=record.http_headers.get_header("Content-Type"),
                    name=uri or path.name,
                )
            # warcio also stops quietly when a record's header was cut off: bytes left
            # after the last complete record mean the archive is truncated there
            fh.seek(end)
            if fh.read(4096).strip(b"\r\n\t \x00"):
                yield MalformedRecord(where, f"truncated WARC: record {number + 1} is cut short")
                return
        except _HeaderTooLong as err:
            yield MalformedRecord(
                f"{where}#{number + 1}", f"{err} (a bomb or a corrupt archive); reading stopped"
            )
            return
        except InputError as err:  # the total limit
            yield InputError(where, err.reason)
            return
        except Exception as err:  # warcio, gzip and zlib raise a zoo of errors here
            if isinstance(err, AttributeError | TypeError | IndexError | KeyError):
                reason = "unreadable record header"  # warcio's internals tripped
            else:
                reason = str(err)[:200] or type(err).__name__
            yield MalformedRecord(
                where, f"corrupt WARC: reading stopped at record {number + 1} ({reason})"
            )
            return
    if number == 0:
        yield MalformedRecord(where, "no WARC records found")
