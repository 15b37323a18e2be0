"""Every exception tidings raises on purpose, under one base class.

::

    TidingsError
     ├── InputError            a file or record that cannot be read as an article
     │    ├── EmptyInput       nothing in it
     │    ├── BinaryInput      not text
     │    ├── EncodingError    bytes that are not valid in the encoding
     │    ├── MalformedRecord  bad JSON / CSV row / HTML / WARC record
     │    ├── NoArticleText    a page with no main text
     │    ├── TotalTooLarge    an input decompressed past --max-total-bytes
     │    └── UnknownFormat    a file type tidings does not read
     ├── StoreError            the DuckDB store cannot be opened or written
     │    └── StoreLocked      another process holds the write lock
     ├── ActorTableError       a user actor file (--actors) is malformed
     ├── GoldFileError         a gold file for ``tidings evaluate`` is malformed
     └── MissingExtra          an optional dependency (e.g. Ray) is not installed

Every message names what failed (file, line or record) and why, so a user can fix it
without reading a traceback.
"""

from __future__ import annotations

__all__ = [
    "ActorTableError",
    "BinaryInput",
    "EmptyInput",
    "EncodingError",
    "GoldFileError",
    "InputError",
    "MalformedRecord",
    "MissingExtra",
    "NoArticleText",
    "StoreError",
    "StoreLocked",
    "TidingsError",
    "TotalTooLarge",
    "UnknownFormat",
]


class TidingsError(Exception):
    """Base class: anything tidings reports as a user-facing error."""


class InputError(TidingsError):
    """An input file or one record inside it could not become an article.

    ``where`` names the file and, inside containers, the line or record.
    """

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class EncodingError(InputError):
    pass


class MalformedRecord(InputError):
    pass


class NoArticleText(InputError):
    pass


class UnknownFormat(InputError):
    pass


class TotalTooLarge(InputError):
    """An input decompressed to more than its total limit: reading it stops there.

    Raised from deep inside a stream (so a bomb stops at once), caught by the reader
    and reported as the input's last error; what was read before it is kept.
    """

    def __init__(self, where: str, total: int) -> None:
        super().__init__(
            where,
            f"reading stopped: over the {total:,}-byte limit on what one input may "
            "decompress to (use --max-total-bytes)",
        )


class StoreError(TidingsError):
    pass


class StoreLocked(StoreError):
    pass


class ActorTableError(TidingsError):
    pass


class GoldFileError(TidingsError):
    pass


class MissingExtra(TidingsError):
    """An optional dependency is missing; the message says which extra to install."""

    def __init__(self, extra: str, package: str) -> None:
        super().__init__(
            f"this needs the optional dependency {package!r}: pip install 'tidings[{extra}]'"
        )
