"""Event patterns: loading ``data/patterns.yaml`` and finding triggers in a sentence.

A pattern's verb phrases match every inflection of their first word, so the table lists
"meet with" once and the coder finds "met with", "meets with" and "meeting with". The
matcher reports whether the verb was a past participle after a form of "be" (passive
voice), which reverses who acts on whom.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings.errors import TidingsError

__all__ = [
    "Frame",
    "Pattern",
    "Trigger",
    "find_triggers",
    "frame_holds",
    "inflections",
    "load_patterns",
]

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
    "catch": ("caught", "caught"),
    "sell": ("sold", "sold"),
    "buy": ("bought", "bought"),
    "shut": ("shut", "shut"),
    "forbid": ("forbade", "forbidden"),
    "overthrow": ("overthrew", "overthrown"),
    "throw": ("threw", "thrown"),
    "blow": ("blew", "blown"),
    "steal": ("stole", "stolen"),
    "flee": ("fled", "fled"),
    "beat": ("beat", "beaten"),
    "hang": ("hanged", "hanged"),
    "lose": ("lost", "lost"),
    "drive": ("drove", "driven"),
    "rise": ("rose", "risen"),
    "tear": ("tore", "torn"),
    "build": ("built", "built"),
    "hurt": ("hurt", "hurt"),
    "quit": ("quit", "quit"),
    "spread": ("spread", "spread"),
    "bear": ("bore", "borne"),
    "swear": ("swore", "sworn"),
    "sink": ("sank", "sunk"),
    "shed": ("shed", "shed"),
    "hide": ("hid", "hidden"),
    "feed": ("fed", "fed"),
    "fall": ("fell", "fallen"),
    "uphold": ("upheld", "upheld"),
    "withhold": ("withheld", "withheld"),
    "write": ("wrote", "written"),
    "hear": ("heard", "heard"),
    "leave": ("left", "left"),
    "let": ("let", "let"),
    "lend": ("lent", "lent"),
    "read": ("read", "read"),
    "think": ("thought", "thought"),
    "stick": ("stuck", "stuck"),
    "strive": ("strove", "striven"),
    "overrun": ("overran", "overrun"),
    "run": ("ran", "run"),
    "outlaw": ("outlawed", "outlawed"),
    "forgo": ("forwent", "forgone"),
    "upset": ("upset", "upset"),
    "bind": ("bound", "bound"),
    "deal": ("dealt", "dealt"),
    "find": ("found", "found"),
    "get": ("got", "got"),
    "grow": ("grew", "grown"),
    "know": ("knew", "known"),
    "lie": ("lay", "lain"),
    "mean": ("meant", "meant"),
    "ride": ("rode", "ridden"),
    "show": ("showed", "shown"),
    "sting": ("stung", "stung"),
    "teach": ("taught", "taught"),
    "understand": ("understood", "understood"),
    "wage": ("waged", "waged"),
    "wear": ("wore", "worn"),
    "weep": ("wept", "wept"),
    "dig": ("dug", "dug"),
    "slay": ("slew", "slain"),
    "override": ("overrode", "overridden"),
    "undergo": ("underwent", "undergone"),
    "oversee": ("oversaw", "overseen"),
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
    "pin",
    "trap",
    "strip",
    "chop",
    "scrap",
    "rip",
    "nab",
    "snub",
    "prod",
    "spur",
    "stir",
    "refer",
    "defer",
    "confer",
    "prefer",
    "transfer",
    "deter",
    "control",
    "patrol",
    "compel",
    "repel",
    "dispel",
    "propel",
    "annul",
    "outstrip",
    "airdrop",
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
    #: (regex group name, phrase as written in the yaml): which phrase a trigger matched
    phrases: tuple[tuple[str, str], ...] = ()

    def phrase(self, group: str) -> str:
        """The phrase, as written in ``patterns.yaml``, behind a trigger's regex group."""
        return next((ph for g, ph in self.phrases if g == group), "")


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
    #: start of the trigger's head word (the verb, or the event noun's first word)
    head_start: int = -1

    @property
    def reading(self) -> str:
        """``"verb"`` or ``"noun"``: which reading of the head word the pattern matched."""
        return "noun" if self.nominal else "verb"

    @property
    def written(self) -> str:
        """The phrase as written in ``patterns.yaml`` ("launch * strikes on")."""
        return self.pattern.phrase(self.phrase)

    @property
    def frame(self) -> Frame:
        """What the parse-based role finder needs to know about this trigger's frame."""
        words = self.written.split()[1:]
        literal = tuple(
            w.lstrip("~").rstrip("?") for w in words if w not in ("*", "**") and w[0] != "!"
        )
        last = literal[-1].split("|") if literal else []
        particle = tuple(a for a in last if a.lower() in _PARTICLES)
        return Frame(
            head=(self.head_start, self.head_end),
            reading=self.reading,
            object=self.pattern.object,
            preps=self.pattern.preps,
            particle=particle,
            words=literal,
            clause=self.pattern.clause,
            passive=self.passive or self.pattern.passive,
        )


@dataclass(slots=True, frozen=True)
class Frame:
    """A trigger's frame, for confirming it on a dependency parse.

    ``head`` is the character span of the head word in the sentence; ``reading`` is
    ``"verb"`` or ``"noun"``; ``object`` says whether the target may be the direct object;
    ``preps`` are the prepositions that may introduce the target; ``particle`` holds the
    preposition or particle the phrase ends in ("call on", "air strikes against"), as
    alternatives; ``words`` are the phrase's literal words after the head (each maybe
    "a|b" alternatives) that must belong to the head's phrase.
    """

    head: tuple[int, int]
    reading: str
    object: bool
    preps: frozenset[str]
    particle: tuple[str, ...]
    words: tuple[str, ...]
    clause: bool
    passive: bool


_PARTICLES = frozenset(
    "about across against along among around as at between by for from in inside into near "
    "of off on onto out outside over through to toward towards under upon with within".split()
)


_NOUN_CONTEXT = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|any|no|every|each|"
    r"another|such|[\w-]+['’]s|in|after|before|during|following|amid|of|for|by)\s+(?:(?!(?:to|will|would|shall|must|should|can|could|may|might|did|does|do|and|or|that|not|also|who|which)\b)"
    r"[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|this|that|its|their|his|her)\s+$", re.I)
#: words a gap never crosses: a gap stays inside one clause ("had agreed to resume talks")
_GAP_STOP = r"(?!(?:to|that|which|who|and|but|or|not|if|when)\b)"
#: "*" in a phrase: up to three words
#: an opening quotation mark a word may carry: "called it a 'provocation'", "described
#: Obama as a \"son of a whore\"", "reserved “the right to respond”"
_QUOTE = r"[\"“‘']?"
_GAP = r"(?:\s+" + _QUOTE + _GAP_STOP + r"[\w'’.,-]+){0,3}?"
#: "**" in a phrase: up to six words, for a verb and its object noun ("sent several
#: batteries of air-defence missiles to"); never across a clause or a sentence's end
_WIDE_GAP = (
    r"(?:\s+(?!(?:to|that|which|who|and|but|or|not|if|when|while|because|after|before|"
    r"since|as|until|unless|said|says)\b)[\w'’-]+,?){0,6}?"
)


def _verb_forms(alts: list[str]) -> str:
    """A regex alternation of every inflection of the verb lemmas ``alts``.

    An alternative may carry its particle after "_" ("go_on|stage"): the verb inflects,
    the particle follows as written ("went on", "staged").
    """
    forms: set[str] = set()
    for a in alts:
        verb, _, rest = a.partition("_")
        tail = (" " + rest.replace("_", " ")) if rest else ""
        own = set(inflections(verb.lower()))
        if re.search(r"[aeiou]l$", verb) and not re.search(r"[aeiou]{2}l$", verb):
            own.update({verb + "led", verb + "ling"})  # expelled, travelling
        forms.update(f + tail for f in own)
    escaped = (re.escape(f).replace(r"\ ", r"\s+") for f in forms)
    return "|".join(sorted(escaped, key=len, reverse=True))


def _phrase_regex(phrase: str, verb: bool) -> str:
    """The regex of one phrase of ``patterns.yaml`` (syntax in the file's header)."""
    words = phrase.split()
    parts = []
    for i, w in enumerate(words):
        if w in ("*", "**"):
            parts.append(_GAP if w == "*" else _WIDE_GAP)
            continue
        if w.startswith("!"):
            # one word that is none of these: "say !we|both * must" skips "we must"
            banned = "|".join(re.escape(a) for a in w[1:].split("|"))
            parts.append(r"\s+(?!(?:" + banned + r")\b)[\w'’.-]+")
            continue
        opt = w.endswith("?")
        alts = [a.rstrip("?").lstrip("~") for a in w.split("|")]
        if i == 0 and verb:
            parts.append(f"(?P<head>{_verb_forms(alts)})")
            continue
        if w.startswith("~"):
            alt = _verb_forms(alts)
        elif i == len(words) - 1 and (i > 0 or not verb):
            alt = "|".join(
                re.escape(a) + ("s?" if a[-1].isalpha() and not a.endswith("s") else "")
                for a in alts
            )
        else:
            alt = "|".join(re.escape(a) for a in alts)
        alt = alt.replace("_", r"\s+")  # "air_defence": one alternative of two words
        word = "\\s+" + _QUOTE + "(?:" + alt + ")"
        parts.append(f"(?:{word})?" if opt else word)
    regex = "".join(parts)
    if verb:
        return regex
    # nouns: the first word carries no leading space
    return regex[3:] if regex.startswith("\\s+") else regex


def _phrase_words(phrase: str) -> int:
    """How many words a phrase surely names, gaps excluded ("carry_out * air_strikes on": 5)."""
    return sum(
        min(len(a.split("_")) for a in w.split("|"))
        for w in phrase.split()
        if w not in ("*", "**") and w[0] != "!"
    )


def _first_words(phrase: str, verb: bool) -> set[str]:
    """Every form the first word of a phrase can take (the index that picks patterns)."""
    first = phrase.split()[0].rstrip("?")
    alts = [a.lstrip("~").partition("_")[0] for a in first.split("|")]
    if verb or first.startswith("~"):
        forms: set[str] = set()
        for a in alts:
            forms.update(inflections(a.lower()))
            if re.search(r"[aeiou]l$", a) and not re.search(r"[aeiou]{2}l$", a):
                forms.update({a + "led", a + "ling"})
        return forms
    if len(phrase.split()) == 1:
        # a one-word noun may be plural ("meetings"): index that form too
        return {a.lower() for a in alts} | {a.lower() + "s" for a in alts if a[-1:].isalpha()}
    return {a.lower() for a in alts}


def _compile(entry: dict[str, Any], where: str) -> Pattern:
    try:
        # a regex alternation takes the first phrase that matches, not the longest: the
        # phrases naming more words go first ("detonate * car_bomb in" before "... car_bomb")
        verbs = sorted((str(v) for v in entry.get("verbs") or []), key=lambda p: -_phrase_words(p))
        nouns = sorted((str(n) for n in entry.get("nouns") or []), key=lambda p: -_phrase_words(p))
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
        for phrase in verbs + nouns:
            first = phrase.split()[0] if phrase.split() else "*"
            if first in ("*", "**") or first.startswith("!") or first.endswith("?"):
                # matches are anchored at a phrase's first word (see _matches)
                raise TypeError(f"phrase {phrase!r} must start with a word")
        lemmas: set[str] = set()
        noun_like: set[str] = set()
        pp_forms: set[str] = set()
        for v in verbs:
            lemmas.update(_first_words(v, True))
            for a in v.split()[0].split("|"):
                forms = inflections(a.lower().lstrip("~").partition("_")[0])
                noun_like.update(forms[:2])
                pp_forms.add(forms[3])
        for n in nouns:
            lemmas.update(_first_words(n, False))
        # group name -> the phrase it was written as, so a parse can check the frame
        phrases = tuple(
            (f"{'n' if i < len(nouns) else 'v'}{i}", ph) for i, ph in enumerate(nouns + verbs)
        )
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
            phrases=phrases,
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


#: id of a pattern table -> (the table, its index); keyed by identity because hashing a
#: table hashes every pattern in it, which cost more than matching the sentence
#: what is derived from each pattern table, built once per table: id(table) -> (the
#: table, {what: value}); a table is built once per process, so this holds one or two
_DERIVED: dict[int, tuple[tuple[Pattern, ...], dict[str, Any]]] = {}


def _derived(patterns: tuple[Pattern, ...], what: str, build: Callable[[], Any]) -> Any:
    """``build()`` for this table, computed on first use and kept with the table."""
    entry = _DERIVED.get(id(patterns))
    if entry is None or entry[0] is not patterns:
        if len(_DERIVED) >= 8:
            _DERIVED.clear()
        entry = _DERIVED[id(patterns)] = (patterns, {})
    if what not in entry[1]:
        entry[1][what] = build()
    return entry[1][what]


def _lemma_index(patterns: tuple[Pattern, ...]) -> dict[str, tuple[int, ...]]:
    """word -> the patterns that word can start (so a sentence visits only those)."""

    def build() -> dict[str, tuple[int, ...]]:
        index: dict[str, list[int]] = {}
        for i, p in enumerate(patterns):
            for lemma in p.lemmas:
                index.setdefault(lemma, []).append(i)
        return {w: tuple(ids) for w, ids in index.items()}

    return _derived(patterns, "lemmas", build)


def patterns_by_id(patterns: tuple[Pattern, ...]) -> dict[str, Pattern]:
    """The table's patterns by id (built once per table, not once per sentence)."""
    return _derived(patterns, "by_id", lambda: {p.id: p for p in patterns})


_TO_BEFORE = re.compile(r"\bto\s+$")


def _literal_words(trigger: Trigger) -> int:
    """How many of the trigger's words its phrase names (gaps excluded)."""
    return _phrase_words(trigger.written)


def _matches(
    sentence: str, patterns: tuple[Pattern, ...]
) -> Iterator[tuple[Pattern, re.Match[str]]]:
    """Each pattern's matches, tried only where one of its first words stands.

    Every phrase starts with its first word, so a pattern is anchored at the words of
    the sentence that can begin it instead of being searched for along the sentence:
    the cost grows with the words that start a phrase, not with the size of the table.
    """
    index = _lemma_index(patterns)
    seen: set[tuple[int, int]] = set()
    for word in _WORD.finditer(sentence):
        for i in index.get(word.group(0).lower(), ()):
            m = patterns[i].regex.match(sentence, word.start())
            if m is not None and (i, m.start()) not in seen:
                seen.add((i, m.start()))
                yield patterns[i], m


#: "The United States", "The Kremlin", "The European Union": a capitalised name after a
#: sentence-opening "The" (or after a dateline dash or colon)
_NAMED_SUBJECT = re.compile(
    r"(?:^|[:\u2013\u2014-]\s*|[.;]\s+)[\"“]?The(?:\s+[A-Z][\w-]*){1,2}\s+$"
)
#: what follows a finite verb rather than a plural noun: "commits to", "warns Poland",
#: "urges the", "says that"
_VERB_NEXT = re.compile(r"\s+(?:(?:to|that|the|a|an|its|his|her|their)\b|[A-Z])")


def _named_subject(before: str, head: str, after: str) -> bool:
    """Whether a 3rd-person verb form after "The <Name>" is the name's verb, not a noun.

    "The United States commits to", "The Kremlin warns Poland": a sentence that opens
    with a capitalised name and a verb form in -s followed by what follows a verb. A
    plural noun after the name ("The Israeli attacks on Gaza") is followed by a
    preposition, so it stays a noun.
    """
    return (
        head.endswith("s")
        and _NAMED_SUBJECT.search(before) is not None
        and _VERB_NEXT.match(after) is not None
    )


def find_triggers(sentence: str, patterns: tuple[Pattern, ...]) -> list[Trigger]:
    """Every pattern match in the sentence; where matches overlap, the longest wins."""
    found: list[Trigger] = []
    for p, m in _matches(sentence, patterns):
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
        head_start = m.start("h" + name[1:]) if head is not None else m.start()
        head_end = m.start() + len(m.group(0).split()[0])
        before = sentence[: m.start()]
        passive = False
        gerund = head_text.endswith("ing")
        if head is not None and (
            (
                head_text in p.noun_like
                and _NOUN_CONTEXT.search(before)
                and not _named_subject(before, head_text, sentence[head_end:])
            )
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
            Trigger(
                p,
                m.start(),
                m.end(),
                m.group(0),
                head_end,
                passive,
                gerund,
                nominal,
                name,
                head_start,
            )
        )
    # the longest match wins; on the same words, the phrase with more written words
    # ("launch * corruption probe into" over "launch * probe into"), then the more
    # specific code ("0233" over "023")
    found.sort(
        key=lambda t: (-(t.end - t.start), t.start, -_literal_words(t), -len(t.pattern.code))
    )
    # "threatened to expel X", "refused to release X": the verb after "to" is the
    # complement of the frame that governs it, not an act of its own
    found = [
        t
        for t in found
        if not any(
            a.start < t.start < a.end and _TO_BEFORE.search(sentence, a.start, t.start)
            for a in found
            if a is not t
        )
    ]
    kept: list[Trigger] = []
    for t in found:
        if any(t.start < k.end and k.start < t.end for k in kept):
            continue
        kept.append(t)
    kept.sort(key=lambda t: t.start)
    return kept


_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN", "NUM", "X"})


def frame_holds(trigger: Trigger, tokens: Sequence[Any], offset: int = 0) -> bool | None:
    """Whether a dependency parse confirms the trigger's frame (pure; spaCy not imported).

    ``tokens`` are the spaCy ``Token`` objects of the sentence (a ``Doc`` or ``Span``),
    and ``token.idx - offset`` must be a character position in the sentence text that
    :func:`find_triggers` saw. Returns ``None`` when no token starts at the trigger's
    head (the caller keeps its lexical decision), ``False`` when the parse contradicts
    the frame, ``True`` otherwise. Contradictions:

    - a verb reading whose head the parser tags as a noun after a determiner, or a
      noun reading whose first word is a finite verb ("the two groups *reject* ...");
    - a literal word of the phrase after the head ("launch * strikes *on*", "call *on*")
      that the parse attaches outside the head's subtree: it belongs to another phrase.
    """
    fr = trigger.frame
    start = fr.head[0] if fr.head[0] >= 0 else trigger.start
    head = next((t for t in tokens if t.idx - offset == start), None)
    if head is None:
        return None
    pos, tag = head.pos_, head.tag_
    if fr.reading == "verb":
        if (
            pos in _NOUN_POS
            and tag not in ("VBG", "VBN")
            and any(c.dep_ == "det" for c in head.children)
        ):
            return False
    elif tag in ("VBP", "VBZ", "VB") and pos in _VERB_POS and head.dep_ != "amod":
        first = trigger.text.split()[0].lower()
        if not first.endswith(("ed", "ing")):
            return False
    inside = {t.i for t in head.subtree}
    end = trigger.end
    for word in fr.words:
        alts = {a.lower() for a in word.split("|")}
        cands = [
            t
            for t in tokens
            if start < t.idx - offset < end and (t.lower_ in alts or t.lemma_.lower() in alts)
        ]
        if cands and not any(t.i in inside for t in cands):
            return False
    return True
