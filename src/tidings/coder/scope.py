"""Scope: whether a trigger reports an act of the article's news at all.

Negated acts ("did not meet"), conditions ("if X attacks"), acts inside an appeal, demand,
threat or accusation, background over a period or after an anniversary, past perfect,
infinitives of purpose, speculation, and plans (which become CAMEO intents, 03x, when the
pattern defines one). :func:`judge` returns the reason to drop a trigger, or what the
trigger is (its code, whether it is an intent, whether a meeting is only named as a topic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from tidings.coder.common import State, clause_left, dates_in
from tidings.dates import is_future
from tidings.patterns import Trigger, inflections

_NEGATION = re.compile(
    r"\b(?:not|n't|never|no|neither|nor|without|refused\s+to|declined\s+to|failed\s+to|"
    r"denied|denies|deny|cannot|rejected\s+calls\s+to|stopped\s+short\s+of|"
    r"cancell?ed|cancels|called\s+off|calls\s+off|postponed|postpones|scrapped|"
    r"ruled\s+out|rules\s+out)\b[\w\s,'’-]{0,25}$",
    re.IGNORECASE,
)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|would|'ll|is\s+to|are\s+to|was\s+to|were\s+to|scheduled\s+to|expected\s+to|"
    r"due\s+to|set\s+to|plans?\s+to|planned\s+to|planning\s+to|intends?\s+to|aims?\s+to|"
    r"hopes?\s+to|hoped\s+to|wants?\s+to|wished?\s+to|seeks?\s+to|going\s+to|about\s+to|"
    r"continue\s+to|continues\s+to|ready\s+to|willing\s+to|agreed\s+to|pledged\s+to|"
    r"vowed\s+to|committed\s+to|determined\s+to|prepared\s+to|looks?\s+forward\s+to|"
    r"looking\s+forward\s+to|to\s+further|in\s+order\s+to|is\s+considered|priority|"
    r"priorities|could|may|might|must|should)\b[\w\s,'’-]{0,40}$",
    re.IGNORECASE,
)
_INTENT_CUE = re.compile(
    r"\b(?:will|would|shall|continue|continues|continued|ready|willing|agreed|agree|pledged|"
    r"vowed|commit|commits|committed|commitment|determined|prepared|forward|seek|seeks|aim|"
    r"aims|want|wants|wish|"
    r"hope|hopes|hoped|strive|priority|priorities|prioritize|prioritise|stands|plan|plans|"
    r"intend|intends|expected|consensus|directions|orientations|measures|ways)\b",
    re.IGNORECASE,
)
#: infinitives that report a real act: "went on to praise", "decided to extend aid"
_SPECULATION = re.compile(
    r"\b(?:may|might|could|(?:is|are|was|were)\s+(?:\w+ly\s+|also\s+|still\s+)?expected\s+to|"
    r"likely\s+to|"
    r"possibly|perhaps)\b",
    re.IGNORECASE,
)
#: a meeting put on the schedule ("will meet", "is set to hold talks with", "is due to
#: visit"): the news tells what is planned, not an intent expressed to the other side
#: (which "agreed to meet", "offered to hold talks" or "is ready to visit" are)
_SCHEDULED = re.compile(
    r"\b(?:will|'ll|(?:is|are|was|were)\s+(?:(?:set|scheduled|due|slated)\s+)?to)\s+"
    r"(?:(?:also|instead|then|later|next|now|first|again|\w+ly)\s+)?$",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(r"\b(?:said|says|announced|confirmed|told|stated)\b", re.IGNORECASE)
_REALIS_TO = re.compile(
    r"\b(?:went\s+on|proceeded|took\s+(?:the|this|that)\s+(?:occasion|opportunity)|"
    r"used\s+(?:the|this)\s+(?:occasion|opportunity)|decided|moved|was\s+present|"
    r"were\s+present|came|arrived|travelled|traveled|flew|"
    r"(?:announcements?|decisions?|moves?|orders?)(?:\s+(?:by|from|of)\s+[\w\s,.'’-]{2,40}?)?)"
    r"\s+to\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
#: a trip made to consult: "flew to Suva to discuss", "after a visit to discuss its
#: needs" (the talks are what the trip was for, and were held on it)
_TRIP_TO_CONSULT = re.compile(
    r"\b(?:visit|visited|visiting|trip|travell?ed|traveled|flew|came|arrived|went)\b"
    r"(?:\s+[\w'’.-]+){0,5}?\s+to\s+$",
    re.IGNORECASE,
)
#: an order to one's own officials or forces is the decision itself: "instructed his
#: trade minister to raise tariffs on X" raises them; "ordered Russia to leave" does not
_ORDERED_OWN = re.compile(
    r"\b(?:ordered|instructed|directed|commanded)\s+(?:his|her|its|their)\s+"
    r"(?:[\w'’-]+\s+){0,5}?[\"“]?to\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
#: past perfect after a reporting verb is the news itself ("said he had spoken with")
_REPORTED = re.compile(
    r"\b(?:said|says|told|announced|confirmed|added|stated|reported)\b", re.IGNORECASE
)
#: "pledged $1 billion in aid to": a named act promised, not done
_PLEDGE_BEFORE = re.compile(
    r"\b(?:pledged|pledges|promised|promises|offered|offers|announced\s+plans\s+for)\b"
    r"[^.;]{0,40}$",
    re.IGNORECASE,
)
#: "blocked EU aid to Ukraine": the named act did not happen
_BLOCKED_BEFORE = re.compile(
    r"\b(?:blocked|blocks|halted|halts|suspended|suspends|froze|freezes|withheld|withholds|"
    r"delayed|delays|vetoed|vetoes|opposed|opposes|cut\s+off|cuts\s+off)\b"
    r"(?:\s+[\w'’$.,-]+){0,4}\s*$",
    re.IGNORECASE,
)
#: "four days of talks", "a second round of negotiations": a spell of meetings held
_SPELL_OF = re.compile(
    r"\b(?:days|weeks|hours|months|rounds?)\s+of\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
_QUOTE_SPANS = re.compile(r"[\"“][^\"“”]{3,}?[\"”]")
#: background spans: what the sentence tells happened over a period, not on a day
_PERIOD = re.compile(
    r"\b(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?(?:years|decades|"
    r"months)\b|\bover\s+the\s+years\b|\bfor\s+(?:years|decades)\b|\bin\s+recent\s+years\b|"
    r"\bsince\s+(?:(?:19|20)\d\d|the\s+\w+)|\b(?:has|have|had)\s+long\b|\bthen-[A-Z]|"
    r"\bhistorically\b|\btraditionally\b",
    re.IGNORECASE,
)
#: a report opening a clause of its own after a period phrase: "praised the ties built
#: over the years, saying Japan commits to ..." (the period is the praise's, not the
#: commitment's)
_REPORT_BETWEEN = re.compile(
    r",\s*(?:saying|adding|stressing|noting|affirming|stating)\b|"
    r"\b(?:said|says|added|stressed|noted|affirmed|stated)\s+(?:that\s+)?",
    re.IGNORECASE,
)
#: what is done again and again is no event of a day: "leaders visit the region from
#: time to time", "the navies routinely hold drills with"
_HABITUAL = re.compile(
    r"\b(?:from\s+time\s+to\s+time|routinely|regularly|habitually|every\s+(?:year|month|"
    r"week|summer|winter|spring|autumn)|each\s+(?:year|month)|annually|usually|"
    r"time\s+and\s+again|time\s+after\s+time)\b",
    re.IGNORECASE,
)
#: a comma that opens a clause of its own (not ", as they do elsewhere", a comparison
#: that shares the first clause's habit)
_COMMA = re.compile(r"[,;](?!\s*(?:just\s+)?(?:as|like)\b)")
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b[^,;]{0,80}$", re.IGNORECASE)
#: a condition told by inversion: "Had Russia invaded, ...", "Should Iran attack, ..."
_INVERTED_CONDITION = re.compile(r"^\W*(?:Had|Should|Were)\s+[^,;?]{0,80}$")
#: a yes-no question (the auxiliary first, a question mark last): "Did Japan condemn
#: China?" asks whether the act happened; a wh-question ("Why did X attack?") does not
_YES_NO_QUESTION = re.compile(
    r"(?:^|[“\"]|[.!?:]\s)\W*(?:Did|Does|Do|Will|Would|Can|Could|Should|Shall|Has|Have|"
    r"Had|Is|Are|Was|Were|May|Might|Must)\b[^?.!“”\"]*\?"
)
_HISTORY = re.compile(
    r"\b(?:anniversary|commemorat\w*|memorial|in\s+memory|since\s+(?:taking|the)|history|"
    r"historic\s+victory|was\s+founded|founding)\b",
    re.IGNORECASE,
)
#: a past perfect told with a day of the same days ("Earlier, X had summoned ...", "had
#: summoned on Tuesday"): recent background of the news, which the annotators require;
#: older history (a year, "in January", "years earlier") stays background
_RECENT = re.compile(
    r"(?:^|[,;(]\s*)(?:Earlier|Hours\s+earlier|A\s+day\s+earlier|The\s+day\s+before)\s*,|"
    r"\b(?:yesterday|earlier\s+(?:today|in\s+the\s+day|on\s+\w+day)|on\s+\w+day)\b",
    re.IGNORECASE,
)
_DAY_KINDS = ("weekday", "today", "mdy", "dmy")
_PAST_PERFECT = re.compile(
    r"\bhad\s+(?:\w+ly\s+|earlier\s+|previously\s+|already\s+)?(?:been\s+)?$", re.I
)
_OBJECT_NOUN = re.compile(
    r"\b(?:agreement|agreements|accord|accords|deal|deals|memorandum|memorandums|memoranda|"
    r"mous?|treaty|treaties|pact|pacts|contract|contracts|protocol|document|documents|"
    r"statement|declaration|communique|charter|framework|instruments?|letter\s+of\s+intent)\b",
    re.IGNORECASE,
)
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
        _NEGATION.search(clause_before[-40:])
        and not re.search(r"\bnot\s+only\b", clause_before[-40:], re.I)
        and not _participle_after_negated_clause(trig, clause_before)
    ):
        scope.negated_clause = clause_start
        return "negated"
    if trig.nominal and scope.negated_clause == clause_start:
        return "negated: named in the clause of a negated act ('did not meet ... during')"
    if (
        _CONDITIONAL.search(clause_before)
        or _CONDITIONAL.search(text[: trig.start])
        or _INVERTED_CONDITION.search(text[: trig.start])
    ):
        return "conditional"
    if any(m.start() <= trig.start < m.end() for m in _YES_NO_QUESTION.finditer(text)):
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
        and not _SPELL_OF.search(before)
        and not re.search(r"\b(?:visit|trip)\b", trig.text, re.I)
    )
    mood = _mood(trig, text, before, clause_before)
    if isinstance(mood, str):
        return mood
    code, intent = mood
    if pattern.needs_object_noun and not _OBJECT_NOUN.search(text[trig.start : trig.end + 60]):
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
    if _HISTORY.search(own_clause) and not pattern.code.startswith(("01", "05")):
        return "history: after an anniversary or commemoration"
    if trig.nominal and re.search(
        r"\battend(?:s|ed|ing)?\s+(?:the|a|an)\s+(?:\w+\s+)?$", before, re.I
    ):
        return "attending a meeting is not meeting a counterpart"
    periods = list(_PERIOD.finditer(text, 0, trig.start))
    period = periods[-1] if periods else None
    if (
        period is not None
        and not _day_between(text, period.end(), trig.end + 40)
        and not _REPORT_BETWEEN.search(text, period.end(), trig.start)
    ):
        return "background: what happened over a period, not on a day"
    if _HABITUAL.search(_clause_at(text, trig)):
        return "a habit ('from time to time', 'regularly'), not an act on a day"
    if (
        _PAST_PERFECT.search(before)
        and not _REPORTED.search(text[: trig.start])
        and not _RECENT.search(text)
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
        _FUTURE_BEFORE.search(clause_before)
        or (trig.nominal and is_future(clause_before))
        or (trig.nominal and _PLEDGE_BEFORE.search(before))
    )
    if trig.nominal and _BLOCKED_BEFORE.search(before):
        return "a named act that was blocked, halted or withheld"
    infinitive = (
        (trig.gerund and re.search(r"\bto\s+$", before))
        or (not trig.nominal and re.search(r"\bto\s+(?:\w+ly\s+)?$", before))
    ) and not (
        _REALIS_TO.search(before)
        or _ORDERED_OWN.search(before)
        or (pattern.code.startswith("04") and _TRIP_TO_CONSULT.search(clause_before))
    )
    if infinitive and not future and not pattern.code.startswith("03"):
        return "an infinitive (purpose or wish), not an act"
    code = pattern.code
    intent = False
    if pattern.only_intent and not (future or _INTENT_CUE.search(clause_before)):
        return "cooperation verb outside an intent"
    if future and _SPECULATION.search(clause_before[-60:]) and not _ANNOUNCED.search(clause_before):
        return "speculation (may, might, could, expected to), not an expressed intent"
    if future and not pattern.code.startswith("03"):
        if pattern.code.startswith(("040", "041", "046")) and _SCHEDULED.search(before):
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
    return bool(_FUTURE_BEFORE.search(text))


# ------------------------------------------------------------------------ scope from the parse

#: verbs under which the act they govern did not happen ("refused to meet", "cancelled
#: the visit", "the summit was called off")
_NEGATIVE_GOVERNORS = frozenset(
    "refuse decline reject deny cancel postpone scrap call rule fail avoid snub "
    "boycott shelve abandon suspend halt block veto stop".split()
)
#: particles that make the governor negative only in phrase ("called off", "ruled out")
_GOVERNOR_PARTICLES = {"call": "off", "rule": "out"}
#: every form of the governors ("cancelled", "cancels", "canceled") -> the lemma
_GOVERNOR_FORMS = {form: lemma for lemma in _NEGATIVE_GOVERNORS for form in inflections(lemma)}
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
_APPEAL_FORMS = {form: lemma for lemma in _APPEAL_GOVERNORS for form in inflections(lemma)}
_APPEAL_FORMS.update({"sought": "seek"})


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
_OCCURRENCE_FORMS = {form: lemma for lemma in _OCCURRENCE for form in inflections(lemma)}
_OCCURRENCE_FORMS.update({"took": "take", "taken": "take", "went": "go", "gone": "go"})


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
