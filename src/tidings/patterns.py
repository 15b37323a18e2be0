"""Event patterns: loading ``data/patterns.yaml`` and finding triggers in a sentence.

A pattern's verb phrases match every inflection of their first word, so the table lists
"meet with" once and the coder finds "met with", "meets with" and "meeting with". The
matcher reports whether the verb was a past participle after a form of "be" (passive
voice), which reverses who acts on whom.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import TidingsError

__all__ = ["Pattern", "Trigger", "find_triggers", "inflections", "load_patterns"]

_IRREGULAR = {
    "hold": ("held", "held"),
    "meet": ("met", "met"),
    "speak": ("spoke", "spoken"),
    "send": ("sent", "sent"),
    "make": ("made", "made"),
    "pay": ("paid", "paid"),
    "give": ("gave", "given"),
    "take": ("took", "taken"),
    "lead": ("led", "led"),
    "seek": ("sought", "sought"),
    "fight": ("fought", "fought"),
    "strike": ("struck", "struck"),
    "shoot": ("shot", "shot"),
    "begin": ("began", "begun"),
    "fly": ("flew", "flown"),
    "have": ("had", "had"),
    "tell": ("told", "told"),
    "say": ("said", "said"),
    "break": ("broke", "broken"),
    "put": ("put", "put"),
    "set": ("set", "set"),
    "cut": ("cut", "cut"),
    "bring": ("brought", "brought"),
    "stand": ("stood", "stood"),
    "sit": ("sat", "sat"),
    "withdraw": ("withdrew", "withdrawn"),
    "undertake": ("undertook", "undertaken"),
    "hit": ("hit", "hit"),
    "be": ("was", "been"),
    "seize": ("seized", "seized"),
    "freeze": ("froze", "frozen"),
    "lay": ("laid", "laid"),
    "spend": ("spent", "spent"),
    "win": ("won", "won"),
    "come": ("came", "come"),
    "go": ("went", "gone"),
    "see": ("saw", "seen"),
    "keep": ("kept", "kept"),
    "pull": ("pulled", "pulled"),
    "shake": ("shook", "shaken"),
    "draw": ("drew", "drawn"),
    "forgive": ("forgave", "forgiven"),
    "bid": ("bid", "bid"),
    "wrap": ("wrapped", "wrapped"),
    "stage": ("staged", "staged"),
    "swap": ("swapped", "swapped"),
}
_DOUBLE = {
    "ban",
    "plan",
    "stop",
    "ship",
    "drop",
    "rob",
    "kidnap",
    "commit",
    "admit",
    "submit",
    "slap",
    "step",
    "wrap",
    "swap",
    "grab",
    "shun",
    "jail",
    "map",
    "bar",
    "tap",
    "stab",
    "rebut",
    "veto",
    "regret",
}
_BE = r"\b(?:is|are|was|were|been|being|be|get|got|gets)"


@functools.lru_cache(maxsize=2048)
def inflections(lemma: str) -> tuple[str, str, str, str, str]:
    """(base, 3rd person, past, past participle, gerund) of an English verb."""
    if lemma in _IRREGULAR:
        past, pp = _IRREGULAR[lemma]
    elif lemma.endswith("e"):
        past = pp = lemma + "d"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        past = pp = lemma[:-1] + "ied"
    elif lemma in _DOUBLE and lemma not in ("jail", "veto"):
        past = pp = lemma + lemma[-1] + "ed"
    else:
        past = pp = lemma + "ed"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma == "be":
        third, ger = "is", "being"
    elif lemma.endswith("ie"):
        ger = lemma[:-2] + "ying"
    elif lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        ger = lemma[:-1] + "ing"
    elif lemma in _DOUBLE and lemma not in ("jail", "veto"):
        ger = lemma + lemma[-1] + "ing"
    else:
        ger = lemma + "ing"
    return lemma, third, past, pp, ger


@dataclass(slots=True, frozen=True)
class Pattern:
    id: str
    code: str
    regex: re.Pattern[str]
    lemmas: frozenset[str]
    #: base and 3rd-person forms of the verbs: after "the"/"a" these are nouns
    noun_like: frozenset[str] = frozenset()
    pp_forms: frozenset[str] = frozenset()
    object: bool = True
    preps: frozenset[str] = frozenset()
    locative: bool = False
    clause: bool = False
    symmetric: bool = False
    joint: bool = False
    mutual: bool = False
    reciprocal: bool = False
    passive: bool = False
    only_intent: bool = False
    needs_object_noun: bool = False
    #: the target must follow the verb directly ("called Erdogan", not "called for")
    adjacent: bool = False
    #: with no target named, the event is with both sides of the article's dyad (mediation)
    targets_dyad: bool = False
    future: str = "drop"
    intent_code: str | None = None


@dataclass(slots=True, frozen=True)
class Trigger:
    pattern: Pattern
    start: int
    end: int
    text: str
    head_end: int  # end of the first word (targets may sit inside "welcomed X's visit")
    passive: bool
    gerund: bool
    nominal: bool
    phrase: str


_NOUN_CONTEXT = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|any|no|every|each|"
    r"another|such|[\w-]+['’]s|in|after|before|during|following|amid|of|for|by)\s+(?:(?!(?:to|will|would|shall|must|should|can|could|may|might|did|does|do|and|or|that|not|also|who|which)\b)"
    r"[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|their|his|her)\s+$", re.I)
#: "*" in a phrase: up to three words, never across a clause ("had agreed to resume talks")
_GAP = r"(?:\s+(?!(?:to|that|which|who|and|but|or|not|if|when)\b)[\w'’.,-]+){0,3}?"


def _phrase_regex(phrase: str, verb: bool) -> str:
    words = phrase.split()
    parts = []
    for i, w in enumerate(words):
        if w == "*":
            parts.append(_GAP)
            continue
        alts = w.split("|")
        if i == 0 and verb:
            forms = set()
            for a in alts:
                forms.update(inflections(a.lower()))
                if re.search(r"[aeiou]l$", a) and not re.search(r"[aeiou]{2}l$", a):
                    forms.update({a + "led", a + "ling"})  # expelled, travelling
            alt = "|".join(sorted((re.escape(f) for f in forms), key=len, reverse=True))
            parts.append(rf"(?P<head>{alt})")
        else:
            opt = w.endswith("?")
            alts = [a.rstrip("?") for a in alts]
            if i == len(words) - 1 and i > 0:
                alt = "|".join(
                    re.escape(a) + ("s?" if a[-1].isalpha() and not a.endswith("s") else "")
                    for a in alts
                )
            else:
                alt = "|".join(re.escape(a) for a in alts)
            parts.append(("(?:\\s+(?:" + alt + "))?") if opt else ("\\s+(?:" + alt + ")"))
    regex = "".join(parts)
    if verb:
        return regex
    # nouns: the first word carries no leading space
    return regex[3:] if regex.startswith("\\s+") else regex


def _compile(entry: dict[str, Any], where: str) -> Pattern:
    try:
        verbs = [str(v) for v in entry.get("verbs") or []]
        nouns = [str(n) for n in entry.get("nouns") or []]
        pieces = []
        # nouns first: "a brief exchange of gunfire" is the noun, not the verb "exchange"
        for n in nouns:
            pieces.append(f"(?P<n{len(pieces)}>" + _phrase_regex(n, False) + ")")
        for v in verbs:
            pieces.append(
                f"(?P<v{len(pieces)}>"
                + _phrase_regex(v, True).replace("(?P<head>", f"(?P<h{len(pieces)}>")
                + ")"
            )
        regex = re.compile(r"(?<![\w-])(?:" + "|".join(pieces) + r")(?![\w-])", re.IGNORECASE)
        lemmas = set()
        noun_like = set()
        pp_forms = set()
        for v in verbs:
            for a in v.split()[0].split("|"):
                forms = inflections(a.lower())
                lemmas.update(forms)
                if re.search(r"[aeiou]l$", a) and not re.search(r"[aeiou]{2}l$", a):
                    lemmas.update({a + "led", a + "ling"})
                noun_like.update(forms[:2])
                pp_forms.add(forms[3])
        for n in nouns:
            lemmas.add(n.split()[0].lower().rstrip("?"))
        return Pattern(
            id=str(entry.get("id") or entry["code"]),
            code=str(entry["code"]),
            regex=regex,
            lemmas=frozenset(lemmas),
            noun_like=frozenset(noun_like),
            pp_forms=frozenset(pp_forms),
            object=bool(entry.get("object", True)),
            preps=frozenset(entry.get("preps") or []),
            locative=bool(entry.get("locative")),
            clause=bool(entry.get("clause")),
            symmetric=bool(entry.get("symmetric")),
            joint=bool(entry.get("joint")),
            mutual=bool(entry.get("mutual")),
            reciprocal=bool(entry.get("reciprocal")),
            passive=bool(entry.get("passive")),
            only_intent=bool(entry.get("only_intent")),
            needs_object_noun=bool(entry.get("needs_object_noun")),
            adjacent=bool(entry.get("adjacent")),
            targets_dyad=bool(entry.get("targets_dyad")),
            future=str(entry.get("future") or "drop"),
            intent_code=entry.get("intent_code"),
        )
    except (KeyError, re.error, TypeError, AttributeError) as exc:
        raise TidingsError(f"{where}: bad pattern {entry!r}: {exc}") from exc


@functools.lru_cache(maxsize=8)
def load_patterns(
    extra_files: tuple[Path, ...] = (), exclude: tuple[str, ...] = ()
) -> tuple[Pattern, ...]:
    """The packaged patterns plus the user's (``exclude`` drops ids, for experiments)."""
    res = resources.files("tidings") / "data" / "patterns.yaml"
    entries = [(e, "patterns.yaml") for e in yaml.safe_load(res.read_text(encoding="utf-8"))]
    for path in extra_files:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as exc:
            raise TidingsError(f"{path}: cannot read patterns: {exc}") from exc
        entries.extend((e, str(path)) for e in data)
    return tuple(_compile(e, w) for e, w in entries if str(e.get("id")) not in exclude)


_WORD = re.compile(r"[\w'’-]+")


@functools.lru_cache(maxsize=8)
def _lemma_index(patterns: tuple[Pattern, ...]) -> dict[str, tuple[int, ...]]:
    """word -> the patterns that word can start (so a sentence visits only those)."""
    index: dict[str, list[int]] = {}
    for i, p in enumerate(patterns):
        for lemma in p.lemmas:
            index.setdefault(lemma, []).append(i)
    return {w: tuple(ids) for w, ids in index.items()}


def find_triggers(sentence: str, patterns: tuple[Pattern, ...]) -> list[Trigger]:
    """Every pattern match in the sentence; where matches overlap, the longest wins."""
    words = {w.lower() for w in _WORD.findall(sentence)}
    index = _lemma_index(patterns)
    wanted = sorted({i for w in words for i in index.get(w, ())})
    found: list[Trigger] = []
    for p in (patterns[i] for i in wanted):
        for m in p.regex.finditer(sentence):
            name = m.lastgroup or ""
            nominal = name.startswith("n")
            head = None
            if not nominal:
                idx = name[1:]
                head = m.group("h" + idx) if ("h" + idx) in m.re.groupindex else None
            if (
                nominal
                and m.group(0)[0].isupper()
                and re.search(r"[A-Z][\w-]*\s+$", before := sentence[: m.start()])
            ):
                continue  # "the Mau Summit highway": part of a name
            head_text = (head or m.group(0).split()[0]).lower()
            head_end = m.start() + len(m.group(0).split()[0])
            before = sentence[: m.start()]
            passive = False
            gerund = head_text.endswith("ing")
            if head is not None and (
                (head_text in p.noun_like and _NOUN_CONTEXT.search(before))
                or (gerund and _DETERMINER_BEFORE.search(before))
            ):
                continue  # "the terrorist attack", "a visit": a noun, not the verb
            if head is not None:
                if head_text in p.pp_forms and re.match(r"\s+by\b", sentence[head_end:]):
                    passive = True  # "missiles fired by warplanes at ...": a reduced passive
                elif head_text in p.pp_forms and re.search(
                    _BE + r"(?:\s+\w+ly)?\s+$", before, re.IGNORECASE
                ):
                    passive = True
            found.append(
                Trigger(p, m.start(), m.end(), m.group(0), head_end, passive, gerund, nominal, name)
            )
    found.sort(key=lambda t: (-(t.end - t.start), t.start))
    kept: list[Trigger] = []
    for t in found:
        if any(t.start < k.end and k.start < t.end for k in kept):
            continue
        kept.append(t)
    kept.sort(key=lambda t: t.start)
    return kept
