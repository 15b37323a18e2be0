"""Web pages: single HTML files and the HTML responses inside WARC archives.

Main text, title and publication date come from trafilatura, which is the slow part of
ingest (milliseconds per page), so it runs only for HTML. Nothing is ever fetched: the
page is parsed from the bytes we were given.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import EmptyInput, EncodingError, InputError, MalformedRecord, NoArticleText
from ..model import Article
from .dates import parse_date
from .decode import decode_bytes
from .normalize import make_article, url_host
from .records import over_limit, read_document

__all__ = ["html_article", "read_html", "read_warc"]

Result = Article | InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_LINE = re.compile(r"\n+")
#: A page is an article only if some paragraph reads like a sentence: at least this
#: many words. Menus, link lists and footers that trafilatura keeps from index pages
#: never have one.
MIN_SENTENCE_WORDS = 8

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


def read_html(path: Path, where: str, max_bytes: int) -> Iterator[Result]:
    """An .html/.htm file, one page."""
    data = read_document(path, where, max_bytes)
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


def read_warc(
    path: Path,
    where: str,
    max_bytes: int,
    *,
    start: int = 0,
    first: int = 1,
    stop: int | None = None,
) -> Iterator[Result]:
    """Each HTML ``response`` record of a .warc / .warc.gz is one article.

    URL and crawl date come from the WARC headers. Other records (requests, metadata,
    images, scripts) are not articles and are skipped without a message. A truncated or
    corrupt archive yields what was read before the damage, then one error naming the
    record where reading stopped.

    ``start``/``first``/``stop`` read one block of a big archive (:mod:`.split`): from the
    record at byte ``start``, numbered ``first``, up to the first record at ``stop``.
    """
    from warcio.archiveiterator import ArchiveIterator

    if path.stat().st_size == 0:
        yield EmptyInput(where, "empty file")
        return
    number = first - 1
    with path.open("rb") as fh:
        fh.seek(start)
        try:
            archive = ArchiveIterator(fh, arc2warc=True)
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
                data = record.content_stream().read(max_bytes + 1) if wanted else b""
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
                    yield over_limit(here, int(size) if size.isdigit() else len(data), max_bytes)
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
