"""Text normalisation and stable document ids.

Every offset the coder reports points into the normalised ``Article.text``, so the
normalisation must be deterministic and idempotent: normalising normalised text changes
nothing (a hypothesis test holds us to that). Ids are derived from content, never from
where a file happens to live, so re-ingesting a corpus from another folder is a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..model import Article

__all__ = [
    "clean_line",
    "doc_id_for",
    "make_article",
    "normalise_text",
    "normalise_url",
    "url_host",
]

# Lone surrogates (JSON allows "\ud800") cannot be encoded as UTF-8 and would break the
# store; they become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Line breaks of every flavour become "\n"; \x0b/\x0c/\x85 are what str.splitlines
# treats as breaks, so a page break still separates paragraphs.
_CRLF = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# Remaining C0/C1 controls and the byte-order mark carry no text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff]")
# Anything the three patterns above would touch: one scan decides whether to run them.
_RARE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff]")
_ASCII_RARE = bytes([*range(0, 9), *range(11, 32), 127])
# Horizontal whitespace, including no-break and typographic spaces, which would otherwise
# defeat the coder's patterns ("Prime\xa0Minister"). Only runs that change match: a lone
# " " between words (the common case) is left alone, which keeps the scan cheap.
_HS = " \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_HSPACE = re.compile(f"[{_HS[1:]}][{_HS}]*| [{_HS}]+")
# For non-ASCII text: one scan finds both rare characters and unusual spaces.
_DIRTY = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029\ud800-\udfff"
    "\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
_SPACE_AROUND_NL = re.compile(" ?\n ?")
_MANY_NL = re.compile("\n{3,}")
_ANY_SPACE = re.compile(r"\s+")


def _unescape(text: str) -> str:
    """Unescape HTML entities until none are left ("&amp;quot;" is common in crawls)."""
    for _ in range(4):
        if "&" not in text:
            break
        new = html.unescape(text)
        if new == text:
            break
        text = new
    return text


def _has_rare(text: str) -> bool:
    if text.isascii():  # the common case: a C-speed byte scan instead of a regex
        raw = text.encode("ascii")
        return len(raw.translate(None, _ASCII_RARE)) != len(raw)
    return _RARE.search(text) is not None


def _needs(text: str) -> tuple[bool, bool]:
    """Whether the text holds rare characters, and whether its spacing needs work."""
    if text.isascii():
        return _has_rare(text), "  " in text or "\t" in text
    if _DIRTY.search(text) is None:
        return False, "  " in text or "\t" in text
    return _RARE.search(text) is not None, True


def _normalise_once(text: str) -> str:
    # Each step first checks cheaply whether it has anything to do: normalisation runs
    # once per article and must stay a small part of the 2,000 documents/s budget.
    rare, spacing = _needs(text)
    if rare:
        text = _SURROGATE.sub("\ufffd", text)
        text = _CRLF.sub("\n", text)
        text = _CONTROL.sub("", text)
    if "&" in text:
        text = _unescape(text)
        rare, spacing = _needs(text)
        if rare:  # entities can encode controls and line breaks
            text = _CRLF.sub("\n", _SURROGATE.sub("\ufffd", text))
            text = _CONTROL.sub("", text)
    # NFC after every deletion: removing a control between a letter and a combining mark
    # would otherwise leave a composable pair behind.
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
        spacing = True
    if spacing or rare:
        text = _HSPACE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _SPACE_AROUND_NL.sub("\n", text)
    if "\n\n\n" in text:
        text = _MANY_NL.sub("\n\n", text)
    return text.strip()


def normalise_text(text: str) -> str:
    """Normalise article text: NFC, entities, controls, whitespace, paragraph breaks.

    Paragraphs end up separated by exactly one blank line, lines carry no edge spaces
    and the result is stripped. One pass is a fixed point except where an unescaped or
    deleted character completes a new entity; only then (text still contains "&") is
    the pass repeated, so clean text pays for one pass.
    """
    out = _normalise_once(text)
    for _ in range(4):
        if "&" not in out:
            break
        again = _normalise_once(out)
        if again == out:
            break
        out = again
    return out


def clean_line(value: object) -> str | None:
    """Normalise a one-line field (title, outlet): all whitespace to single spaces.

    Returns None for missing, non-string or empty values so callers need no checks.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            return None
    if (
        value.isprintable()  # no controls, line breaks, odd spaces, surrogates
        and "  " not in value
        and "&" not in value
        and unicodedata.is_normalized("NFC", value)
    ):
        return value.strip() or None  # already clean: the usual title or outlet
    out = _ANY_SPACE.sub(" ", normalise_text(value)).strip()
    return out or None


_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


def normalise_url(url: str) -> str:
    """The identity of a URL: what must match for two fetches to be "the same page".

    Scheme, "www.", default ports, fragments, trailing slashes and tracking parameters
    do not change which article a URL names, so they are dropped; the host is
    lower-cased; the path and remaining query are kept as they are.
    """
    url = url.strip()
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or ""
    query = ""
    if parts.query:
        pairs = [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING)
        ]
        query = urlencode(pairs)
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def url_host(url: str | None) -> str | None:
    """The outlet a URL belongs to: its host without "www." (None when there is none)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip() if "//" in url else "//" + url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _safe(value: str | None) -> str | None:
    """Make an identifier-like string (URL, path) storable: no surrogates or controls.

    File names that are not valid UTF-8 arrive with surrogate escapes; Arrow and DuckDB
    would reject them.
    """
    if value is None:
        return None
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("\ufffd", value)
    value = _CONTROL.sub("", value).strip()
    return value or None


def _sha1(text: str) -> str:
    # surrogatepass: ids must never fail, even for strings that escaped normalisation
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def doc_id_for(text: str, url: str | None = None, *, text_hash: str | None = None) -> str:
    """16 hex chars: from the normalised URL when there is one, else from the text.

    A URL-based id lets an updated page replace its old version; a text-based id makes
    re-ingesting the same text a no-op. ``text`` must already be normalised.
    """
    if url:
        key = normalise_url(url)
        if key:
            return _sha1(key)[:16]
    return (text_hash or _sha1(text))[:16]


def make_article(
    text: str,
    *,
    published: dt.date | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    origin: str | None = None,
    name: str | None = None,
) -> Article:
    """Build an :class:`Article` from raw text: normalised text, hash and stable id.

    This is the one place articles are made, so every reader (and any caller with text
    from elsewhere) gets the same normalisation and the same ids. ``published`` may be a
    datetime; only its date is kept.
    """
    norm = normalise_text(text)
    url = _safe(url) if isinstance(url, str) else None
    if isinstance(published, dt.datetime):
        published = published.date()
    text_hash = _sha1(norm)
    return Article(
        doc_id=doc_id_for(norm, url, text_hash=text_hash),
        text=norm,
        title=clean_line(title),
        url=url,
        published=published,
        outlet=clean_line(outlet),
        origin=_safe(origin),
        name=_safe(name),
        text_hash=text_hash,
    )
