"""Scope: whether a trigger reports an act of the article's news at all.

Negated acts ("did not meet"), conditions ("if X attacks"), acts inside an appeal, demand,
threat or accusation, background over a period or after an anniversary, past perfect,
infinitives of purpose, speculation, and plans (which become CAMEO intents, 03x, when the
pattern defines one). :func:`judge` returns the reason to drop a trigger, or what the
trigger is (its code, whether it is an intent, whether a meeting is only named as a topic).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from types import SimpleNamespace
from typing import Any

import yaml

from tidings.coder.common import State, clause_left, dates_in
from tidings.dates import is_future
from tidings.patterns import Trigger, inflections


def _load_cues() -> SimpleNamespace:
    """The scope cues of data/contexts.yaml (``scope``), compiled: the words live in the
    data file, where users read and extend them; this module says where each is sought."""
    res = resources.files("tidings") / "data" / "contexts.yaml"
    cues = {}
    for key, cue in yaml.safe_load(res.read_text(encoding="utf-8"))["scope"].items():
        parts = cue["regex"]
        text = "".join(parts) if isinstance(parts, list) else str(parts)
        cues[key] = re.compile(text, 0 if cue.get("case") else re.IGNORECASE)
    return SimpleNamespace(**cues)


#: the cues by name: ``_CUE.negation``, ``_CUE.period`` (see data/contexts.yaml)
_CUE = _load_cues()
_QUOTE_SPANS = re.compile(r"[\"“][^\"“”]{3,}?[\"”]")
#: a comma that opens a clause of its own (not ", as they do elsewhere", a comparison
#: that shares the first clause's habit)
_COMMA = re.compile(r"[,;](?!\s*(?:just\s+)?(?:as|like)\b)")
_DAY_KINDS = ("weekday", "today", "mdy", "dmy")
_APPEAL_CODES = ("02", "10", "13", "036", "112")


@dataclass(slots=True)
class SentenceScope:
    """What earlier triggers of the sentence leave for later ones: the span an appeal,
    demand or accusation governs, and the clause of a negated act."""

    text: str
    appeal_end: int = -1
    appeal_stop: int = 0
    negated_clause: int = -1
    quotes: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.appeal_stop = len(self.text)
        self.quotes = [(m.start(), m.end()) for m in _QUOTE_SPANS.finditer(self.text)]

    def after_event(self, trig: Trigger, code: str) -> None:
        """An appeal, demand, threat or accusation governs what follows it in its clause."""
        if code.startswith(_APPEAL_CODES):
            self.appeal_end = trig.end
            # an accusation's complement ends at "and": "accused X of Y and demanded Z"
            scope = r"[,;]|\band\b" if code.startswith("112") else r"[,;]"
            stop = re.search(scope, self.text[trig.end :])
            self.appeal_stop = trig.end + stop.start() if stop else len(self.text)


@dataclass(slots=True)
class Verdict:
    """A trigger that reports an act: its code (an intent code for plans) and flags."""

    code: str
    intent: bool
    topic: bool
    in_quote: bool


def judge(trig: Trigger, state: State, scope: SentenceScope) -> Verdict | str:
    """The trigger's verdict, or the reason it is not an act of the article's news."""
    text = scope.text
    pattern = trig.pattern
    before = text[max(0, trig.start - 60) : trig.start]
    clause_start = clause_left(text, trig.start)
    clause_before = text[clause_start : trig.start]
    if (
        _CUE.negation.search(clause_before[-40:])
        and not re.search(r"\bnot\s+only\b", clause_before[-40:], re.I)
        and not _participle_after_negated_clause(trig, clause_before)
    ):
        scope.negated_clause = clause_start
        return "negated"
    if trig.nominal and scope.negated_clause == clause_start:
        return "negated: named in the clause of a negated act ('did not meet ... during')"
    if (
        _CUE.conditional.search(clause_before)
        or _CUE.conditional.search(text[: trig.start])
        or _CUE.inverted_condition.search(text[: trig.start])
    ):
        return "conditional"
    if any(m.start() <= trig.start < m.end() for m in _CUE.yes_no_question.finditer(text)):
        return "a yes-no question: whether the act happened is asked, not told"
    if (
        scope.appeal_end >= 0
        and scope.appeal_end <= trig.start < scope.appeal_stop
        and not pattern.code.startswith("03")
    ):
        return "inside an appeal, demand, threat or accusation: not an act of its own"
    in_quote = any(a < trig.start < b for a, b in scope.quotes)
    background = _background(trig, state, text, before, clause_before)
    if background:
        return background
    topic = bool(
        trig.nominal
        and pattern.code[:3] in ("040", "041", "046")
        and not pattern.passive
        and re.search(
            r"\b(?:of|over|about|on|for|to|into|toward|towards)\s+"
            r"(?:(?!(?:after|before|following|during|while|when)\b)[\w-]+\s+){0,4}$",
            before,
        )
        and not _CUE.spell_of.search(before)
        and not re.search(r"\b(?:visit|trip)\b", trig.text, re.I)
    )
    mood = _mood(trig, text, before, clause_before)
    if isinstance(mood, str):
        return mood
    code, intent = mood
    if pattern.needs_object_noun and not _CUE.object_noun.search(text[trig.start : trig.end + 60]):
        return "signing of no agreement"
    return Verdict(code, intent, topic, in_quote)


def _participle_after_negated_clause(trig: Trigger, clause_before: str) -> bool:
    """A participle after a comma opens a clause of its own: in "did not back down,
    announcing tariffs" only backing down is negated; the announcement happened. The
    negation reaches it only when it stands right before the comma ("did not, ...")."""
    return bool(
        trig.gerund
        and re.search(r",\s*$", clause_before)
        and not re.search(r"\b(?:not|never|n't|no)\s*,\s*$", clause_before, re.I)
    )


def _background(
    trig: Trigger, state: State, text: str, before: str, clause_before: str
) -> str | None:
    """Why the trigger tells background or another world (sports, history), if it does."""
    pattern = trig.pattern
    if state.sports and pattern.code[:2] >= "10":
        return "a sports report: the words describe a match"
    if (
        state.commemorative
        and pattern.code[:2] in ("18", "19", "20")
        and not any(e.kind in ("mdy", "dmy", "iso", "weekday", "today") for e in dates_in(text))
    ):
        return "history: an undated battle in an article about a commemoration"
    # the anniversary must be in the trigger's own clause: "As the two nations celebrate
    # the 45th anniversary of ties, both sides agreed ..." reports a current agreement
    own_clause = clause_before[clause_before.rfind(",") + 1 :]
    if _CUE.history.search(own_clause) and not pattern.code.startswith(("01", "05")):
        return "history: after an anniversary or commemoration"
    if trig.nominal and re.search(
        r"\battend(?:s|ed|ing)?\s+(?:the|a|an)\s+(?:\w+\s+)?$", before, re.I
    ):
        return "attending a meeting is not meeting a counterpart"
    periods = list(_CUE.period.finditer(text, 0, trig.start))
    period = periods[-1] if periods else None
    if (
        period is not None
        and not _day_between(text, period.end(), trig.end + 40)
        and not _CUE.report_between.search(text, period.end(), trig.start)
    ):
        return "background: what happened over a period, not on a day"
    if _CUE.habitual.search(_clause_at(text, trig)):
        return "a habit ('from time to time', 'regularly'), not an act on a day"
    if (
        _CUE.past_perfect.search(before)
        and not _CUE.reported.search(text[: trig.start])
        and not _CUE.recent.search(text)
    ):
        return "past perfect: background"
    return None


def _clause_at(text: str, trig: Trigger) -> str:
    """The trigger's clause: from its left boundary to the next comma, semicolon or
    full stop after the trigger."""
    end = re.search(r"[,;.]", text[trig.end :])
    commas = [m.end() for m in _COMMA.finditer(text, 0, trig.start)]
    start = max([clause_left(text, trig.start), *commas])
    return text[start : trig.end + end.start() if end else len(text)]


def _day_between(text: str, start: int, end: int) -> bool:
    """Whether a day ("on Wednesday", "today", "March 3") stands between a period phrase
    and (just past) the trigger: "after years of tension, X on Wednesday accused Y" tells
    a new act; the period belongs to the tension, not to the accusation."""
    return any(
        e.kind in _DAY_KINDS and start <= e.start < end and not e.year for e in dates_in(text)
    )


def _mood(trig: Trigger, text: str, before: str, clause_before: str) -> tuple[str, bool] | str:
    """The code and intent flag of a trigger in its mood (plan, wish, speculation)."""
    pattern = trig.pattern
    future = bool(
        _CUE.future_before.search(clause_before)
        or (trig.nominal and is_future(clause_before))
        or (trig.nominal and _CUE.pledge_before.search(before))
    )
    if trig.nominal and _CUE.blocked_before.search(before):
        return "a named act that was blocked, halted or withheld"
    infinitive = (
        (trig.gerund and re.search(r"\bto\s+$", before))
        or (not trig.nominal and re.search(r"\bto\s+(?:\w+ly\s+)?$", before))
    ) and not (
        _CUE.realis_to.search(before)
        or _CUE.ordered_own.search(before)
        or (pattern.code.startswith("04") and _CUE.trip_to_consult.search(clause_before))
    )
    if infinitive and not future and not pattern.code.startswith("03"):
        return "an infinitive (purpose or wish), not an act"
    code = pattern.code
    intent = False
    if pattern.only_intent and not (future or _CUE.intent_cue.search(clause_before)):
        return "cooperation verb outside an intent"
    if (
        future
        and _CUE.speculation.search(clause_before[-60:])
        and not _CUE.announced.search(clause_before)
    ):
        return "speculation (may, might, could, expected to), not an expressed intent"
    if future and not pattern.code.startswith("03"):
        if pattern.code.startswith(("040", "041", "046")) and _CUE.scheduled.search(before):
            return "a meeting on the schedule, not held yet and not a commitment"
        if pattern.future == "intent" and pattern.intent_code:
            code = pattern.intent_code
            intent = True
        else:
            return "future or planned act"
    elif pattern.code.startswith("03"):
        intent = True
    return code, intent


def future_before(text: str) -> bool:
    """Whether the words before a point (its clause) mark a plan or a wish."""
    return bool(_CUE.future_before.search(text))


# ------------------------------------------------------------------------ scope from the parse

#: verbs under which the act they govern did not happen ("refused to meet", "cancelled
#: the visit", "the summit was called off")
_NEGATIVE_GOVERNORS = frozenset(
    "refuse decline reject deny cancel postpone scrap call rule fail avoid snub "
    "boycott shelve abandon suspend halt block veto stop".split()
)
#: particles that make the governor negative only in phrase ("called off", "ruled out")
_GOVERNOR_PARTICLES = {"call": "off", "rule": "out"}


def _forms_of(lemmas: Iterable[str]) -> dict[str, str]:
    """Every inflected form of the lemmas (irregular ones included) -> its lemma."""
    return {form: lemma for lemma in lemmas for form in inflections(lemma)}


#: every form of the governors ("cancelled", "cancels", "canceled") -> the lemma
_GOVERNOR_FORMS = _forms_of(_NEGATIVE_GOVERNORS)
_GOVERNOR_FORMS.update(
    {"canceled": "cancel", "cancelled": "cancel", "canceling": "cancel", "cancelling": "cancel"}
)


def parsed_scope(doc: Any, trig: Trigger) -> tuple[Trigger, str | None]:
    """The trigger with its verb-or-noun reading taken from the parse's tags, and the
    reason it is no act when the parse shows one: negated (a ``neg`` dependent, or a
    negative governor), an adjective ("the occupied West Bank"), a perfect participle
    ("having rejected": background) or a manner adjunct ("in protest against")."""
    span = doc.char_span(trig.start, trig.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return trig, None
    head = span.root
    if head.dep_ in ("aux", "auxpass") and head.head is not head:
        head = head.head
    tag = head.tag_
    if not trig.nominal and tag in ("JJ", "VBN") and head.dep_ == "amod" and len(span) == 1:
        return trig, "a participle used as an adjective, not an act"
    if (
        trig.nominal
        and tag in ("VBD", "VBZ", "VBP")
        and any(c.dep_ == "nsubj" for c in head.children)
    ):
        trig = replace(trig, nominal=False)  # "the two groups reject the plan"
    elif not trig.nominal and tag in ("NN", "NNS") and head.dep_ in ("dobj", "pobj", "nsubj"):
        trig = replace(trig, nominal=True)
    if _negated(head):
        return trig, "negated (parse)"
    if trig.pattern.code.startswith("041") and _names_as(head):
        return trig, "calling someone something ('called Denmark ungrateful'), not a phone call"
    if trig.nominal and _did_not_happen(head):
        return trig, "negated: the event named did not take place ('the talks did not happen')"
    if _in_condition(head):
        return trig, "conditional (parse)"
    if any(c.dep_ == "aux" and c.lower_ == "having" for c in head.children):
        return trig, "a perfect participle ('having ...'): background"
    if (
        trig.nominal
        and trig.pattern.code[:2] == "14"
        and head.dep_ == "pobj"
        and head.head.lower_ == "in"
        and not any(c.dep_ in ("det", "poss") for c in head.children)
    ):
        return trig, "a manner adjunct ('in protest against'), not an act of its own"
    if trig.nominal and not trig.pattern.code.startswith("03"):
        appealed = _appealed(head)
        if appealed:
            return trig, appealed
    return trig, _negative_governor(head)


#: verbs (with the preposition they take) under which a named act is only asked for
_APPEAL_GOVERNORS = {
    "call": "for",
    "press": "for",
    "push": "for",
    "appeal": "for",
    "urge": "",
    "demand": "",
    "propose": "",
    "suggest": "",
    "seek": "",
    "request": "",
}
_APPEAL_FORMS = _forms_of(_APPEAL_GOVERNORS)


def _appealed(head: Any) -> str | None:
    """An act named as what someone asks for ("called for talks with", "proposed a
    summit"): not an act of its own."""
    gov, prep = None, ""
    if head.dep_ == "dobj":
        gov = head.head
    elif head.dep_ == "pobj" and head.head.dep_ == "prep":
        gov, prep = head.head.head, head.head.lower_
    if gov is None or gov.lower_ not in _APPEAL_FORMS:
        return None
    if _APPEAL_GOVERNORS[_APPEAL_FORMS[gov.lower_]] != prep:
        return None
    return f"asked for, not done: the object of '{gov.text}'"


#: verbs that say an event took place, with the word they need ("take place", "go
#: ahead"): "the talks did not happen", "the summit that never took place"
_OCCURRENCE = {
    "happen": "",
    "occur": "",
    "materialize": "",
    "materialise": "",
    "proceed": "",
    "take": "place",
    "go": "ahead",
}
_OCCURRENCE_FORMS = _forms_of(_OCCURRENCE)


def _names_as(verb: Any) -> bool:
    """A "call" with an object and what it is called ("called Denmark ungrateful",
    "calling the envoy a liar"): two objects, or an adjective as the object's predicate."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "acomp")]
    return len(objects) >= 2 or any(c.tag_ == "JJ" and c.dep_ != "amod" for c in objects)


def _did_not_happen(noun: Any) -> bool:
    """A named event whose verb of occurrence is negated, as subject ("the meeting did
    not take place") or in a relative clause ("the summit that never happened")."""
    verbs = [noun.head] if noun.dep_ in ("nsubj", "nsubjpass") else []
    verbs += [c for c in noun.children if c.dep_ == "relcl"]
    for verb in verbs:
        lemma = _OCCURRENCE_FORMS.get(verb.lower_)
        if lemma is None or not _negated(verb):
            continue
        need = _OCCURRENCE[lemma]
        if not need or any(c.lower_ == need for c in verb.children):
            return True
    return False


def _in_condition(tok: Any) -> bool:
    """Whether the trigger sits in a clause opened by "if" or "unless" (at any depth:
    "if Iran, after the talks, attacks ...")."""
    seen = 0
    while tok.head is not tok and seen < 12:
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            return True
        if tok.tag_ == "VBG" and tok.i > 0 and tok.nbor(-1).text == ",":
            return False  # ", criticizing the drills": a closing participle of the main clause
        if tok.dep_ in ("ccomp", "ROOT") and tok.tag_.startswith("VB"):
            return False  # a reported clause is asserted, whatever conditions it holds
        tok, seen = tok.head, seen + 1
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children)


def _negated(verb: Any) -> bool:
    """A ``neg`` dependent on the verb, or on the "did" it was split from ("did not,
    after weeks of pressure, hold talks")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    aux = verb.head
    return (
        verb.dep_ == "conj"
        and aux.lower_ in ("do", "does", "did")
        and any(c.dep_ == "neg" for c in aux.children)
    )


def _negative_governor(head: Any) -> str | None:
    """A verb above the trigger under which its act did not happen."""
    gov = None
    if head.dep_ in ("dobj", "xcomp", "nsubjpass") and head.head is not head:
        gov = head.head
    elif head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ in ("of", "to"):
        gov = head.head.head  # "the cancellation of the visit"
    if gov is None:
        return None
    if head.dep_ in ("dobj", "xcomp") and _negated(gov):
        return f"negated: '{gov.text}' is negated"  # "did not hold talks", "never agreed to"
    lemma = _GOVERNOR_FORMS.get(gov.lower_)
    if lemma is None:
        return None
    particle = _GOVERNOR_PARTICLES.get(lemma)
    if particle and not any(c.lower_ == particle for c in gov.children):
        return None
    return f"negated: governed by '{gov.text}'"
