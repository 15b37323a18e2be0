"""Paths in, articles (or input errors) out: expansion, dispatch and plain text.

Readers never raise for bad input: they yield :class:`~tidings.errors.InputError`
values in the stream, so one broken file cannot stop a batch of a million good ones;
``strict=True`` turns the first one into an exception for callers that prefer that.
"""

from __future__ import annotations

import glob
import gzip
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path

from ..errors import (
    EmptyInput,
    InputError,
    MalformedRecord,
    NoArticleText,
    UnknownFormat,
)
from ..model import Article
from .dates import split_date_header
from .decode import is_gzipped
from .limits import DEFAULT_MAX_BYTES, Limits
from .normalize import make_article
from .records import (
    _describe,
    read_csv,
    read_document_text,
    read_json,
    read_jsonl,
    read_jsonl_stream,
)
from .web import read_html, read_warc

__all__ = ["DEFAULT_MAX_BYTES", "SUFFIXES", "iter_articles", "iter_paths", "read_path"]

Result = Article | InputError
log = logging.getLogger("tidings.ingest")

#: Longest first line that can still be a title.
TITLE_MAX = 200
_SENTENCE_END = tuple(".!?…;:")
_CLOSERS = "\"'”’»)]"


def read_text(path: Path, where: str, limits: Limits | int) -> Iterator[Result]:
    """A plain-text article: optional `` date YYYY-MM-DD`` first line, then the body.

    The first body line doubles as the title when it is short and does not end like a
    sentence; it stays in the text either way, so the coder sees the whole body (a
    headline often states the event most plainly).
    """
    raw = read_document_text(path, where, limits, blank_is_empty=False)
    if isinstance(raw, InputError):
        yield raw
        return
    if raw.isspace():
        yield EmptyInput(where, "only whitespace, no text")
        return
    published, body, had_header = split_date_header(raw)
    article = make_article(body, published=published, title=None, origin=where, name=path.name)
    if not article.text:
        what = "nothing after the date line" if had_header else "no text after normalisation"
        yield NoArticleText(where, what)
        return
    article.title = guess_title(article.text)
    yield article


def guess_title(text: str) -> str | None:
    """The first line, when it reads like a headline rather than a sentence."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if not first or len(first) >= TITLE_MAX or end < 0:
        return None
    if first.rstrip(_CLOSERS).endswith(_SENTENCE_END):
        return None
    return first


Reader = Callable[[Path, str, Limits], Iterator[Result]]

#: suffix -> reader; the longest matching suffix wins (".warc.gz" before ".gz").
SUFFIXES: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": lambda p, w, limits: read_csv(p, w, limits, ","),
    ".tsv": lambda p, w, limits: read_csv(p, w, limits, "\t"),
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}
_KNOWN = ", ".join(sorted(SUFFIXES)) + "; any of them gzip-compressed too"


def _format_of(path: Path) -> str:
    """The suffix that decides the reader: ".warc.gz", ".jsonl" for "x.jsonl.gz", ...."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    if is_gzipped(path):
        return Path(name[:-3]).suffix
    return path.suffix.lower()


def _reader_for(path: Path) -> Reader | None:
    suffix = _format_of(path)
    if not suffix:
        return read_text  # crawlers often write bare names; binary content is caught
    return SUFFIXES.get(suffix)


def read_path(
    path: str | Path,
    *,
    max_bytes: int | None = None,
    max_total_bytes: int | None = None,
    limits: Limits | None = None,
) -> Iterator[Result]:
    """Everything in one file: articles and input errors, lazily; never raises.

    Any format but WARC may also be gzip-compressed (``feed.jsonl.gz``); ``max_bytes``
    (one record) and ``max_total_bytes`` (the whole file) then apply to the
    decompressed size. Defaults: :meth:`Limits.resolve`.
    """
    limits = limits or Limits.resolve(max_bytes, max_total_bytes)
    path = Path(path)
    where = str(path)
    reader = _reader_for(path)
    if reader is None:
        gz = ".gz" if is_gzipped(path) else ""
        yield UnknownFormat(
            where, f"unknown format {_format_of(path) + gz!r} (tidings reads {_KNOWN})"
        )
        return
    try:
        yield from reader(path, where, limits)
    except InputError as err:  # the total limit, raised from deep inside a stream
        yield err
    except IsADirectoryError:
        yield InputError(where, "is a directory")
    except PermissionError:
        yield InputError(where, "permission denied")
    except FileNotFoundError:
        yield InputError(where, "no such file or directory")
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        yield MalformedRecord(where, f"truncated or corrupt gzip data ({err})")
    except OSError as err:
        yield InputError(where, f"cannot read: {err.strerror or err}")
    except Exception as err:  # a reader bug must cost one file, not the run
        yield MalformedRecord(where, f"reading stopped: {_describe(err)}")


def _read_stdin(limits: Limits) -> Iterator[Result]:
    """JSONL on standard input, with the same never-raise promise as :func:`read_path`."""
    try:
        yield from read_jsonl_stream(sys.stdin.buffer, "<stdin>", limits)
    except InputError as err:
        yield err
    except Exception as err:
        yield MalformedRecord("<stdin>", f"reading stopped: {_describe(err)}")


def _walk(root: Path, never: AbstractSet[Path] = frozenset()) -> Iterator[Path]:
    """Files under ``root`` in sorted path order, without hidden files or directories.

    The whole tree is listed before the first file is read (names are cheap; contents
    are not), so the order is the same on every file system.
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and not _is_store_file(Path(dirpath, d), never)
        ]
        rel = Path(dirpath).relative_to(root).parts
        for name in filenames:
            if not name.startswith("."):
                found.append(((*rel, name), Path(dirpath, name)))
    found.sort(key=lambda item: item[0])
    for _key, path in found:
        yield path


def iter_paths(
    paths: Iterable[str | Path],
    *,
    skipped: list[Path] | None = None,
    exclude: Iterable[str | Path] = (),
) -> Iterator[Path | str | InputError]:
    """Expand the user's paths: files as given, directories recursively, globs.

    Yields a :class:`Path` per file, the string ``"-"`` for standard input, and an
    :class:`InputError` for a path that names nothing. Inside a folder (or a glob's
    matches), files of a kind tidings does not read are left out and added to
    ``skipped``: a README next to the articles is not a failed input. Named on the
    command line, such a file is still an error (see :func:`read_path`). Files in
    ``exclude`` (a store and its companions) are never listed from a folder or glob.
    """
    never = _store_files(exclude)
    for item in paths:
        if str(item) == "-":
            yield "-"
            continue
        path = Path(item)
        if path.is_dir():
            yield from _readable(_walk(path, never), skipped, never)
        elif path.exists():
            yield path
        elif glob.has_magic(str(item)):
            matches = sorted(glob.glob(str(item), recursive=True))
            if not matches:
                yield InputError(str(item), "no files match this pattern")
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    yield from _readable(_walk(found, never), skipped, never)
                elif not found.name.startswith("."):
                    yield from _readable((found,), skipped, never)
        else:
            yield InputError(str(item), "no such file or directory")


def _readable(
    found: Iterable[Path], skipped: list[Path] | None, never: set[Path]
) -> Iterator[Path]:
    for path in found:
        if _is_store_file(path, never):
            continue
        if _reader_for(path) is None:
            if skipped is not None:
                skipped.append(path)
            continue
        yield path


def _store_files(exclude: Iterable[str | Path]) -> set[Path]:
    """A store and the files DuckDB keeps next to it (write-ahead log, temp folder)."""
    out: set[Path] = set()
    for item in exclude:
        base = Path(item).resolve()
        out |= {base, base.with_name(base.name + ".wal"), base.with_name(base.name + ".tmp")}
    return out


def _is_store_file(path: Path, never: AbstractSet[Path]) -> bool:
    """Whether ``path`` is one of ``never``: names first, so most files cost no syscall."""
    return bool(never) and path.name in {p.name for p in never} and path.resolve() in never


def _note_skipped(skipped: list[Path]) -> None:
    """One note for the whole run, not one line per README."""
    if not skipped:
        return
    names = ", ".join(p.name for p in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
    kinds = "file" if len(skipped) == 1 else "files"
    log.warning(
        "note: skipped %d %s of a kind tidings does not read (%s)", len(skipped), kinds, names
    )
    skipped.clear()


def iter_articles(
    paths: Iterable[str | Path],
    *,
    strict: bool = False,
    max_bytes: int | None = None,
    max_total_bytes: int | None = None,
    exclude: Iterable[str | Path] = (),
) -> Iterator[Article | InputError]:
    """Articles from files, directories, globs and ``-`` (JSONL on standard input).

    Lazy: a file is opened only when the consumer gets to it, so memory stays flat on
    any corpus size. Bad input is yielded as an :class:`InputError` and the batch goes
    on; with ``strict=True`` the first one is raised instead. ``max_bytes`` bounds one
    document (a whole .txt/.html/.json file, one JSONL line or CSV row, one WARC
    record), ``max_total_bytes`` what one input may decompress to (see
    :mod:`tidings.ingest.limits`). ``exclude``: store files that are never read, even
    when they sit inside a folder being ingested.
    """
    limits = Limits.resolve(max_bytes, max_total_bytes)
    exclude = list(exclude)
    never = _store_files(exclude)
    skipped: list[Path] = []
    for path in iter_paths(paths, skipped=skipped, exclude=exclude):
        if isinstance(path, InputError):
            items: Iterable[Result] = (path,)
        elif path == "-":
            items = _read_stdin(limits)
        elif _is_store_file(path, never):  # named on the command line
            items = (InputError(str(path), "this is the store being written, not an input"),)
        else:
            items = read_path(path, limits=limits)
        for item in items:
            if strict and isinstance(item, InputError):
                raise item
            yield item
    _note_skipped(skipped)
