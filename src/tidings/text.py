"""Sentences and tokens with character offsets into the stored text.

tidings does not run a statistical parser: sentence splitting and tokenising are
rule-based so that coding stays fast and needs no model download. Offsets always point
into the article's stored (normalised) text, so evidence can be highlighted exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "Token", "split_sentences", "tokenize"]


@dataclass(slots=True, frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True, frozen=True)
class Token:
    text: str
    start: int  # offset in the sentence
    end: int
    lower: str


# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "adm",
    "sen",
    "rep",
    "gov",
    "pres",
    "st",
    "jr",
    "sr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "approx",
    "dept",
    "est",
    "fig",
    "mt",
    "ft",
    "rev",
    "hon",
    "amb",
    "min",
    "dpm",
    "pm",
}

# A candidate boundary: sentence punctuation, optional closing quotes/brackets, then
# whitespace or (as crawlers often glue paragraphs) directly an uppercase letter.
_BOUNDARY = re.compile(r"([.!?]+)([\"'”’)\]]*)(\s+|(?=[A-Z\"“]))")
_LINE_BREAK = re.compile(r"\n+")


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # single initials ("Joe R. Biden") and dotted acronyms ("U.S.")
    return len(word) == 1 and word.isalpha() or ("." in word and len(word) <= 6)


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; line breaks always end a sentence (titles, captions)."""
    sentences: list[Sentence] = []
    pos = 0
    for line in _LINE_BREAK.split(text):
        line_start = text.find(line, pos) if line else pos
        pos = line_start + len(line)
        if not line.strip():
            continue
        seg_start = 0
        for m in _BOUNDARY.finditer(line):
            punct_end = m.end(2)
            dot = m.start(1)
            if m.group(1) == "." and _is_abbreviation(line, dot):
                # "U.S. President" continues; "the U.S. The next" ends: decide by case
                nxt = line[m.end() : m.end() + 1]
                word_before = line[max(0, dot - 4) : dot].lower()
                if not (
                    nxt.isupper()
                    and "." in word_before
                    and m.group(3).strip() == ""
                    and _looks_like_sentence_start(line, m.end())
                ):
                    continue
            if m.group(3) == "" and not line[m.end() : m.end() + 1].isupper():
                continue
            if m.group(3) == "" and m.group(1) == "." and dot > 0 and line[dot - 1].isdigit():
                continue
            _add(sentences, text, line_start + seg_start, line_start + punct_end)
            seg_start = m.end()
        _add(sentences, text, line_start + seg_start, line_start + len(line))
    return sentences


_COMMON_STARTS = {"the", "he", "she", "it", "they", "this", "that", "in", "a", "an", "but", "we"}


def _looks_like_sentence_start(line: str, at: int) -> bool:
    word = re.match(r"\w+", line[at:])
    return bool(word) and word.group(0).lower() in _COMMON_STARTS


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?|[^\w\s]")


def tokenize(sentence: str) -> list[Token]:
    """Word and punctuation tokens with offsets; keeps "U.S." and "re-election" whole."""
    tokens = []
    for m in _TOKEN.finditer(sentence):
        tok = m.group(0)
        end = m.end()
        if tok.endswith(".") and len(tok) > 1 and not _keeps_dot(tok):
            tok = tok[:-1]
            end -= 1
            tokens.append(Token(tok, m.start(), end, tok.lower()))
            tokens.append(Token(".", end, end + 1, "."))
            continue
        tokens.append(Token(tok, m.start(), end, tok.lower()))
    return tokens


def _keeps_dot(tok: str) -> bool:
    core = tok[:-1].lower()
    return "." in core or core in _ABBREVIATIONS
