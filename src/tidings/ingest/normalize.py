"""Text normalisation and stable document ids.

Every offset the coder reports points into the normalised ``Article.text``, so the
normalisation must be deterministic and idempotent: normalising normalised text changes
nothing (a hypothesis test holds us to that). Ids are derived from content, never from
where a file happens to live, so re-ingesting a corpus from another folder is a no-op.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import logging
import re
import unicodedata
from importlib import resources
from urllib.parse import urlsplit

from ..model import Article
from . import limits as _limits

__all__ = [
    "clean_line",
    "doc_id_for",
    "make_article",
    "normalise_text",
    "normalise_url",
    "strip_related",
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
# Invisible characters that reorder or hide text: bidi embeddings, overrides and
# isolates, zero-width spaces and joiners, word joiners, the BOM. In a title or an
# outlet they only serve to spoof ("moc.elgoog" shown as "google.com"); the article
# text keeps them, since offsets point into it.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
log = logging.getLogger("tidings.ingest")
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


@functools.cache
def _related_line() -> re.Pattern[str]:
    """One line that links to another story ("ALSO READ | ..."), from the data file."""
    data = json.loads(
        resources.files("tidings").joinpath("data/related_lines.json").read_text("utf-8")
    )
    phrases = sorted((re.escape(p.strip()) for p in data["phrases"] if p.strip()), key=len)
    either = "|".join(reversed(phrases))  # the longest phrase first
    # the phrase, then a separator and the linked headline, or nothing at all
    return re.compile(
        rf"^[^\w\n]{{0,3}}(?:{either})[ \t]*(?:[:|>»•–—-].*|[^\w\n]{{0,3}})$\n?", re.I | re.M
    )


def strip_related(text: str) -> str:
    """Drop the lines that only link to other articles ("Also read: ...", "Related: ...").

    The headline after such a phrase belongs to another story; coded, it becomes an
    event this article never reported. ``text`` is normalised text; the result is too.
    """
    if not text:
        return text
    out = _related_line().sub("", text)
    if out == text:
        return text
    return _MANY_NL.sub("\n\n", out).strip()


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
    out = _ANY_SPACE.sub(" ", normalise_text(_INVISIBLE.sub("", value))).strip()
    return out or None


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def normalise_url(url: str) -> str:
    """The identity of a URL: what must match for two fetches to be "the same page".

    courlan (which comes with trafilatura) does the canonical part: lower-cased host,
    default ports, percent-encoding, tracking parameters dropped and the rest sorted.
    Then scheme, user info, "www.", fragment and trailing slash go too, since they do
    not change which article a URL names.
    """
    from courlan import normalize_url as canonical

    url = url.strip()
    try:
        canon = canonical(url if _SCHEME.match(url) else "http://" + url.lstrip("/"))
    except Exception:  # a broken port or bracket: the text itself is the identity
        return url
    # courlan's result is well-formed: plain string work is enough (and half the cost)
    rest, _, query = _SCHEME.sub("", canon, count=1).partition("#")[0].partition("?")
    netloc, slash, path = rest.partition("/")
    host = netloc.rpartition("@")[2].lower()
    if host.endswith((":80", ":443")):
        host = host.rpartition(":")[0]
    if host.startswith("www."):
        host = host[4:]
    path = (slash + path).rstrip("/")
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
    value = _INVISIBLE.sub("", _CONTROL.sub("", value)).strip()
    return value or None


def _capped(value: str | None, cap: int, field: str, origin: str | None) -> str | None:
    """A metadata field cut to ``cap`` characters (ending in "…"), with a logged note.

    Titles and outlets are shown on one line everywhere; a 5 MB "title" is an attack
    or a broken export, not something to display.
    """
    if value is None or len(value) <= cap:
        return value
    log.warning("note: %s: %s cut to %s characters", origin, field, cap)
    return value[: cap - 1].rstrip() + "…"


def _field(value: object, cap: int, field: str, origin: str | None) -> str | None:
    """A one-line metadata field: cleaned (with bounded work) and capped."""
    return _capped(clean_line(_head(value, cap)), cap, field, origin)


def _head(value: object, cap: int) -> object:
    """Bound the work of cleaning a field: more than a few times its cap is cut first."""
    if isinstance(value, str) and len(value) > cap * 4:
        return value[: cap * 4]
    return value


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
    norm = strip_related(normalise_text(text))
    url = _safe(url[: _limits.URL_CHARS * 4]) if isinstance(url, str) else None
    if url is not None and len(url) > _limits.URL_CHARS:
        log.warning("note: %s: a URL over %s characters dropped", origin, _limits.URL_CHARS)
        url = None  # a cut URL would point somewhere else
    if isinstance(published, dt.datetime):
        published = published.date()
    text_hash = _sha1(norm)
    return Article(
        doc_id=doc_id_for(norm, url, text_hash=text_hash),
        text=norm,
        title=_field(title, _limits.TITLE_CHARS, "title", origin),
        url=url,
        published=published,
        outlet=_field(outlet, _limits.OUTLET_CHARS, "outlet", origin),
        origin=_safe(origin),
        name=_safe(name),
        text_hash=text_hash,
    )
