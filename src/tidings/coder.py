"""The event coder: who did what to whom, and on which day.

For each sentence the coder finds actors (:mod:`tidings.ner`) and event triggers
(:mod:`tidings.patterns`), then reads the roles from the sentence's structure rather
than from word order alone:

* the source is the subject: the nearest actor before the trigger that is not inside a
  prepositional phrase ("the visit of", "in Hanoi"), within the same clause; a trigger
  that continues a verb phrase ("accused X and demanded ...") keeps its subject; a
  sentence-initial participle ("Thanking Putin, Lam affirmed") takes the main subject;
* passive voice ("was welcomed by X") turns the agent after "by" into the source;
* the target is the object, or an actor after the prepositions the pattern allows;
* coordination ("Trong and Medvedev discussed") and group words ("the two leaders",
  "both sides", "they") give both actors; symmetric consultations (CAMEO 04) are one
  undirected event, other joint acts are coded in both directions;
* pronouns and "his Russian counterpart" are resolved against the article's context.

What is not an event of the article is left out: negated acts ("did not meet"),
background dated long before the article's news, acts inside an appeal or a condition
("proposed that the US recognise"), and plans, which become CAMEO intents (03x) when the
pattern defines one and are dropped otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tidings import cameo as cameo_table
from tidings.actors import ActorRef, ActorTables, fold, load_tables
from tidings.dates import (
    DocDates,
    find_dates,
    infer_year,
    is_future,
    resolve_doc_dates,
    resolve_expr,
)
from tidings.model import Article, Mention
from tidings.ner import DocContext, find_actors, preposition_before
from tidings.patterns import Pattern, Trigger, find_triggers, load_patterns
from tidings.text import Sentence, split_sentences

__all__ = ["CODER_VERSION", "CoderOptions", "code_article", "code_articles", "trace_article"]

#: stored with every mention; bump when coding changes so ``tidings recode`` knows
CODER_VERSION = "0.2.0"

#: background older than this (days before the article's news) is history, not an event
HISTORY_DAYS = 30


@dataclass(frozen=True, slots=True)
class CoderOptions:
    """Options for coding, built once and passed down (picklable for worker processes)."""

    #: extra actor file(s) that add to or override the packaged tables (``--actors``)
    actors_files: tuple[Path, ...] = ()
    #: extra pattern file(s) (``--patterns``)
    patterns_files: tuple[Path, ...] = ()
    #: pattern ids to leave out (for experiments and the quality gate's tests)
    exclude_patterns: tuple[str, ...] = ()
    #: the day "today" is, for year inference (None: the real today)
    today: dt.date | None = None


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
    r"vowed|committed|determined|prepared|forward|seek|seeks|aim|aims|want|wants|wish|"
    r"hope|hopes|hoped|strive|priority|priorities|prioritize|prioritise|stands|plan|plans|"
    r"intend|intends|expected|consensus|directions|orientations|measures|ways)\b",
    re.IGNORECASE,
)
#: infinitives that report a real act: "went on to praise", "decided to extend aid"
_SPECULATION = re.compile(
    r"\b(?:may|might|could|(?:is|are|was|were)\s+(?:widely\s+)?expected\s+to|likely\s+to|"
    r"possibly|perhaps)\b",
    re.IGNORECASE,
)
_ANNOUNCED = re.compile(r"\b(?:said|says|announced|confirmed|told|stated)\b", re.IGNORECASE)
_REALIS_TO = re.compile(
    r"\b(?:went\s+on|proceeded|took\s+(?:the|this|that)\s+(?:occasion|opportunity)|"
    r"used\s+(?:the|this)\s+(?:occasion|opportunity)|decided|moved|was\s+present|"
    r"were\s+present|came|arrived|travelled|traveled|flew|"
    r"(?:announcement|decision|move|order)(?:\s+by\s+[\w\s.'’-]{2,40}?)?)\s+to\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
#: "an announcement by India to expel": the agent after "by" acts
_BY_AGENT_TO = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
#: "condemned the strikes": the act condemned points at the other side of the dyad
_EVENT_OBJECT = re.compile(
    r"\s+(?:the|these|this|its|their|such|recent|latest)\s+(?:\w+\s+){0,2}?(?:strikes?|attacks?|"
    r"shelling|killings?|invasion|incursion|drills|exercises|tests?|launch(?:es)?|sanctions|"
    r"tariffs|provocations?|violations?|aggression|operation|raid|bombing|arrests?|"
    r"expulsions?|accusations?|allegations?)\b",
    re.IGNORECASE,
)
_SPEAKER_WORDS = {"they", "their", "them", "we", "our", "us", "i", "he", "she"} | {
    "the two sides",
    "both sides",
    "the two countries",
    "both countries",
    "the two",
}
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
_COMMEMORATION = re.compile(r"\b(?:anniversary|commemorat\w*)\b", re.IGNORECASE)
_QUOTE_SPANS = re.compile(r"[\"“][^\"“”]{3,}?[\"”]")
_IN_PP_COORDINATION = re.compile(
    r"\b(?:in|of|at|near|on|into|from|with|outside|around)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:and|or)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_FROM_AGENT = re.compile(
    r"\b(?:officials|delegations?|leaders|diplomats|ministers|representatives|envoys|"
    r"negotiators|troops|forces|soldiers|lawmakers|leaders)\s+from\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_DAYS_AFTER = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+"
    r"(days?|weeks?|months?|years?|decades?)\s+after\b",
    re.IGNORECASE,
)
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "decade": 3650}
#: background spans: what the sentence tells happened over a period, not on a day
_PERIOD = re.compile(
    r"\b(?:over|in|during|for)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?(?:years|decades|"
    r"months)\b|\bover\s+the\s+years\b|\bfor\s+(?:years|decades)\b|\bin\s+recent\s+years\b|"
    r"\bsince\s+(?:(?:19|20)\d\d|the\s+\w+)|\b(?:has|have|had)\s+long\b|\bthen-[A-Z]|"
    r"\bhistorically\b|\btraditionally\b",
    re.IGNORECASE,
)
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b[^,;]{0,80}$", re.IGNORECASE)
_HISTORY = re.compile(
    r"\b(?:anniversary|commemorat\w*|memorial|in\s+memory|since\s+(?:taking|the)|history|"
    r"historic\s+victory|was\s+founded|founding)\b",
    re.IGNORECASE,
)
_PAST_PERFECT = re.compile(
    r"\bhad\s+(?:\w+ly\s+|earlier\s+|previously\s+|already\s+)?(?:been\s+)?$", re.I
)
_BOUNDARY_LEFT = re.compile(
    r"[;:\"“”]|\b(?:that|which|whom|whose|while|whereas|because|although|though|if|unless|"
    r"when|where|said|says|told|added|stated|affirmed|stressed|noted|saying|adding)\b",
    re.IGNORECASE,
)
_BOUNDARY_RIGHT = re.compile(
    r"[;\"“”]|\b(?:while|whereas|but|which|who|because|although|though|after|before|when|"
    r"said|says|including)\b|,\s+(?:and\s+)?(?:he|she|they|it|the\s+\w+\s+(?:said|added))\b",
    re.IGNORECASE,
)
_VP_CONTINUATION = re.compile(
    r"(?:(?:,\s*|\s+)(?:and|but|then|before|after|also|as\s+well\s+as)\s+|,\s*)"
    r"(?:\w+ly\s+|also\s+|then\s+)*$",
    re.IGNORECASE,
)
_OBJECT_NOUN = re.compile(
    r"\b(?:agreement|agreements|accord|accords|deal|deals|memorandum|memorandums|memoranda|"
    r"mous?|treaty|treaties|pact|pacts|contract|contracts|protocol|document|documents|"
    r"statement|declaration|communique|charter|framework|instruments?|letter\s+of\s+intent)\b",
    re.IGNORECASE,
)
_SPAN_EDGES = ("from", "since", "until", "till", "through", "throughout")
_APPEAL_CODES = ("02", "10", "13", "036", "112")
_WORDS = re.compile(r"[\w'’-]+")


@dataclass(slots=True)
class _Event:
    trigger: Trigger
    code: str
    source: ActorRef
    target: ActorRef
    day: dt.date | None
    exact: bool
    date_reason: str
    rule: str
    confidence: float
    symmetric: bool


@dataclass(slots=True)
class _State:
    tables: ActorTables
    ctx: DocContext
    dates: DocDates
    dateline_country: str | None = None
    last_subject: ActorRef | None = None
    last_person: ActorRef | None = None
    dyad: list[ActorRef] = field(default_factory=list)
    trace: list[dict[str, Any]] | None = None
    #: the article marks an anniversary: undated fighting in it is history
    commemorative: bool = False
    meeting_pair: list[ActorRef] = field(default_factory=list)
    #: a sports report: "attack", "clash" and "fired a shot" are about a match
    sports: bool = False
    #: who speaks in the current sentence's quotation (for "we" and "our")
    speaker: ActorRef | None = None
    pair_counts: dict[frozenset[str], int] = field(default_factory=dict)
    pair_refs: dict[frozenset[str], list[ActorRef]] = field(default_factory=dict)


# ------------------------------------------------------------------------ resolution


def _country_of(ref: ActorRef) -> str | None:
    return ref.country


def _same(a: ActorRef, b: ActorRef) -> bool:
    if a.kind == "person" and b.kind == "person":
        return a.id == b.id
    return a.country is not None and a.country == b.country and a.kind == b.kind and a.id == b.id


def _remember(state: _State, ref: ActorRef) -> None:
    if ref.kind == "person" and ref.country:
        state.ctx.last_person_by_country[ref.country] = ref
        person = state.tables.people.get(ref.id)
        roles = {t.role for t in person.roles_on(state.ctx.day)} if person else set()
        for role in roles | ({ref.role} if ref.role else set()):
            state.ctx.last_person_by_role[role] = ref
        if roles & {"party_leader", "head_of_state", "head_of_government"}:
            state.ctx.last_person_by_role["leader"] = ref
        state.last_person = ref


def _resolve(ref: ActorRef, state: _State, subject: ActorRef | None) -> list[ActorRef]:
    """Concrete actors a reference stands for (empty when unknown)."""
    if ref.kind == "pronoun":
        word = ref.id
        if word in ("they", "their", "them"):
            pair = state.meeting_pair or state.dyad
            return list(pair) if len(pair) >= 2 else []
        if word in ("we", "our", "us"):
            # "we" in a quotation is the speaker's side ("we will ...," Modi said)
            return [state.speaker] if state.speaker is not None else []
        if word in ("he", "she") and subject is not None and subject.kind == "person":
            return [subject]
        if word == "its":
            return [subject] if subject is not None and subject.kind != "person" else []
        if word in ("he", "she", "his", "her", "him"):
            cand = (
                state.last_subject
                if (state.last_subject is not None and state.last_subject.kind == "person")
                else state.last_person
            )
            if word in ("his", "her", "him") and subject is not None and subject.kind == "person":
                cand = subject
            return [cand] if cand is not None else []
        return []
    if ref.kind == "group":
        pair = state.meeting_pair or state.dyad
        return list(pair) if len(pair) >= 2 else []
    if ref.kind == "counterpart":
        owner = subject or state.last_subject
        iso = ref.country
        if iso is None and owner is not None and len(state.dyad) >= 2:
            other = [m for m in state.dyad if m.country != owner.country]
            iso = other[0].country if other else None
        if iso is None:
            return []
        if owner is not None and owner.role:
            person = state.tables.holder(iso, owner.role, state.ctx.day)
            if person is not None:
                return [
                    state.tables.person_ref(person, ref.start, ref.end, ref.text, state.ctx.day)
                ]
        return [state.tables.country_ref(iso, ref.start, ref.end, ref.text, "GOV")]
    if ref.kind == "role" and ref.country is None:
        last = state.ctx.last_person_by_role.get(ref.role or "")
        return [last] if last is not None else []
    if ref.kind == "agent" and ref.country is None:
        if state.dateline_country:
            return [
                state.tables.country_ref(
                    state.dateline_country, ref.start, ref.end, ref.text, ref.agent
                )
            ]
        return []
    if ref.country is None and ref.kind != "org":
        return []
    return [ref]


# ------------------------------------------------------------------------ arguments


def _clause_left(text: str, start: int) -> int:
    """Where the clause holding position ``start`` begins (scanning left)."""
    last = 0
    for m in _BOUNDARY_LEFT.finditer(text, 0, start):
        last = m.end()
    return last


def _coordinated(refs: list[ActorRef], i: int, text: str, leftward: bool) -> list[ActorRef]:
    """The actor at ``i`` plus those joined to it by "and" / commas."""
    group = [r for r in refs if r.start == refs[i].start and r.end == refs[i].end]
    step = -1 if leftward else 1
    j = i
    while 0 <= j + step < len(refs) and refs[j + step].start == refs[i].start:
        j += step
    while 0 <= j + step < len(refs):
        a, b = (refs[j + step], refs[j]) if leftward else (refs[j], refs[j + step])
        gap = text[a.end : b.start]
        if re.fullmatch(
            r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|as\s+well\s+as\s+)(?:the\s+|his\s+|her\s+)?", gap
        ) or (re.fullmatch(r"\s*,\s*", gap) and not leftward):
            group.append(refs[j + step])
            j += step
        else:
            break
    return group if not leftward else list(reversed(group))


def _source(
    text: str, refs: list[ActorRef], trig: Trigger, prev: _Event | None
) -> tuple[list[ActorRef], str]:
    before = text[: trig.start]
    left = _clause_left(text, trig.start)
    if trig.nominal and re.search(r"\b(?:for|during|in|at)\s+(?:\w+\s+)?$", before):
        # "then flew to Cairo for talks with Sisi": the talks are the clause subject's
        if prev is not None:
            return [prev.source], "subject of the clause the named meeting belongs to"
        for r in refs:
            if left <= r.start and r.end <= trig.start and not preposition_before(text, r):
                return [r], "subject of the clause the named meeting belongs to"
    if trig.gerund and re.search(r",\s*$", before):
        # ", killing dozens": a participle that adds to the main clause, whose subject acts
        if prev is not None:
            return [prev.source], "subject of the clause the participle adds to"
        for r in refs:
            if left <= r.start and r.end <= trig.start and not preposition_before(text, r):
                return [r], "subject of the clause the participle adds to"
    for i in range(len(refs) - 1, -1, -1):
        r = refs[i]
        if r.end > trig.start or r.start < left:
            continue
        if r.kind == "pronoun" and r.possessive and not trig.nominal:
            continue
        prep = preposition_before(text, r)
        by_agent = prep == "by" and re.fullmatch(r"\s+to\s+(?:\w+ly\s+)?", text[r.end : trig.start])
        if prep and not (prep == "from" and _FROM_AGENT.search(text[: r.start])) and not by_agent:
            continue
        if _IN_PP_COORDINATION.search(text[: r.start]) and not any(
            re.fullmatch(r"\s*(?:,\s*)?(?:and|or)\s+(?:the\s+)?", text[o.end : r.start])
            and not preposition_before(text, o)
            for o in refs
            if o.end <= r.start
        ):
            continue  # "in the vicinity of Aleppo and Damascus": still inside the phrase
        if (
            prev is not None
            and r.start >= prev.trigger.end
            and _VP_CONTINUATION.search(text[r.end : trig.start])
            and not _is_subject_like(text, r, trig)
        ):
            # "accused X and demanded ...": X is the object of the first verb
            return [prev.source], "continues the verb phrase of the previous event"
        if (
            prev is None
            and _VP_CONTINUATION.search(text[r.end : trig.start])
            and re.search(r"\band\s+(?:\w+ly\s+)?$", text[r.end : trig.start])
            and not _is_subject_like(text, r, trig)
        ):
            # "X lashed out at Y-Z drills and warned": the clause's first actor acts
            for j in range(i):
                if refs[j].start >= left and not preposition_before(text, refs[j]):
                    return _coordinated(refs, j, text, leftward=False)[
                        :1
                    ], "subject of the coordinated verbs"
        return _coordinated(refs, i, text, leftward=True), "subject before the trigger"
    if prev is not None and _VP_CONTINUATION.search(text[prev.trigger.end : trig.start][-40:]):
        return [prev.source], "continues the verb phrase of the previous event"
    rel = re.search(r",\s*(?:which|who)\s+(?:\w+ly\s+|also\s+|has\s+|have\s+|had\s+)*$", before)
    if rel:
        for i in range(len(refs) - 1, -1, -1):
            if refs[i].end <= rel.start() and re.fullmatch(r"\s*", text[refs[i].end : rel.start()]):
                return [refs[i]], "antecedent of a relative clause"
    if trig.nominal:
        # "the talks he held with Phumtham": the subject sits inside the noun phrase
        inside = [
            r
            for r in refs
            if trig.start < r.start < trig.end
            and r.kind != "pronoun"
            or (trig.start < r.start < trig.end and r.id in ("he", "she", "they"))
        ]
        if inside:
            return [inside[0]], "subject inside the named meeting"
    if trig.gerund and not before.strip(" ,"):
        comma = text.find(",", trig.end)
        if comma > 0:
            for r in refs:
                if r.start > comma and not preposition_before(text, r):
                    return [r], "main subject after an opening participle"
    return [], "no subject found"


def _is_subject_like(text: str, ref: ActorRef, trig: Trigger) -> bool:
    """An actor between two verbs that starts a new clause (", and Z thanked")."""
    gap_before = text[max(0, ref.start - 8) : ref.start].lower()
    return bool(re.search(r"(?:,|;|\band)\s*(?:the\s+)?$", gap_before)) and not re.search(
        r"\band\s*$", text[ref.end : trig.start]
    )


def _targets(
    text: str, refs: list[ActorRef], trig: Trigger, pattern: Pattern, next_start: int | None = None
) -> tuple[list[ActorRef], str]:
    start = trig.head_end if (not trig.nominal and " " in trig.text) else trig.end
    limit = len(text) if next_start is None else next_start
    stop = _BOUNDARY_RIGHT.search(text, trig.end)
    if stop:
        limit = min(limit, stop.start())
    for i, r in enumerate(refs):
        if r.start < start or r.start >= limit:
            continue
        if r.kind == "pronoun" and not r.possessive and r.id in ("he", "she", "they"):
            break
        if r.possessive and r.text.lower() in ("his", "her", "their", "its"):
            continue
        gap = text[trig.end : r.start] if r.start >= trig.end else ""
        if len(_WORDS.findall(gap)) > (1 if pattern.adjacent else 12):
            break
        prep = preposition_before(text, r)
        if prep == "between":
            return _coordinated(refs, i, text, leftward=False), "after 'between'"
        if prep is None:
            clause_ok = pattern.clause and re.search(r"\bthat\b", gap)
            if pattern.object or clause_ok or trig.start <= r.start < trig.end:
                return _coordinated(refs, i, text, leftward=False), "object of the trigger"
            continue
        if prep in pattern.preps:
            return _coordinated(refs, i, text, leftward=False), f"after '{prep}'"
        if pattern.locative and prep in ("in", "at", "near", "on", "into", "outside", "inside"):
            return [r], f"place after '{prep}'"
    return [], "no target found"


def _passive_agent(text: str, refs: list[ActorRef], trig: Trigger) -> list[ActorRef]:
    stop = _BOUNDARY_RIGHT.search(text, trig.end)
    limit = stop.start() if stop else len(text)
    for i, r in enumerate(refs):
        if trig.head_end <= r.start < limit and preposition_before(text, r) == "by":
            return _coordinated(refs, i, text, leftward=False)
    return []


# ------------------------------------------------------------------------ dates


def _date_for(
    text: str, trig: Trigger, state: _State, intent: bool
) -> tuple[dt.date | None, bool, str]:
    dates = state.dates
    if intent:
        old = [e for e in _dates_in(text) if e.kind in ("year", "my", "mdy", "dmy", "iso")]
        for e in old:
            day, _, why = resolve_expr(e, dates.published, dates.year_hint, anchor=dates.main)
            ref = dates.main or dates.published
            if day is not None and ref is not None and day < ref - dt.timedelta(days=HISTORY_DAYS):
                return day, False, f"intent in a sentence about the past: {why}"
        return dates.main, dates.main_exact, "intent: dated by the main event"
    offset = None
    for m in _DAYS_AFTER.finditer(text, 0, trig.start):
        offset = m
    if offset is not None and dates.main is not None:
        n = _NUMBERS.get(offset.group(1).lower()) or int(offset.group(1))
        n *= _UNIT_DAYS[offset.group(2).lower().rstrip("s")]
        return (
            dates.main - dt.timedelta(days=n),
            dates.main_exact,
            f"'{offset.group(0)}' the main event day {dates.main}",
        )
    exprs = [e for e in _dates_in(text) if e.prep not in _SPAN_EDGES]
    if not exprs:
        return dates.main, dates.main_exact, dates.reason

    # the expression closest to the trigger, preferring one after it in the same clause
    def distance(e: Any) -> int:
        if e.start >= trig.end:
            same_clause = not re.search(r"[,;]", text[trig.end : e.start])
            return (e.start - trig.end) // (3 if same_clause else 1)
        return (trig.start - e.end) * 2

    def near(e: Any) -> bool:
        gap = text[trig.end : e.start] if e.start >= trig.end else text[e.end : trig.start]
        return len(_WORDS.findall(gap)) <= 12 or e.kind in ("year", "my", "vague")

    exprs = [e for e in exprs if near(e)]
    if not exprs:
        # a date far from the verb belongs to something else ("the attack on March 22")
        return dates.main, dates.main_exact, dates.reason
    best = min(exprs, key=distance)
    future = bool(_FUTURE_BEFORE.search(text[_clause_left(text, trig.start) : trig.start]))
    day, exact, why = resolve_expr(
        best, dates.published, dates.year_hint, future=future, anchor=dates.main
    )
    if best.kind == "today" and day is None:
        return dates.main, dates.main_exact, why
    if day is None:
        return dates.main, dates.main_exact, f"{why}; main event day used"
    return day, exact, why


# ------------------------------------------------------------------------ coding


def _dateline_country(tables: ActorTables, first_lines: list[str]) -> str | None:
    for line in first_lines:
        m = re.match(
            r"^\s*([A-Z][A-Za-z .'’-]{1,30}?)(?:,\s*([A-Z][A-Za-z .'’-]{1,30}?))?"
            r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*(?:—|–|--|:)",
            fold(line),
        )
        if not m:
            continue
        for part in (m.group(2), m.group(1)):
            if not part:
                continue
            name = part.strip()
            for cand in (name, name.title()):
                for kind, key, _ in tables.entries(cand):
                    if kind in ("country", "metonym"):
                        return key
    return None


def _prepare(
    article: Article, options: CoderOptions | None
) -> tuple[ActorTables, tuple[Pattern, ...], list[Sentence]]:
    options = options or CoderOptions()
    tables = load_tables(tuple(options.actors_files))
    patterns = load_patterns(tuple(options.patterns_files), tuple(options.exclude_patterns))
    return tables, patterns, split_sentences(article.text)


def _doc_dates(
    article: Article, sentences: list[Sentence], tables: ActorTables, options: CoderOptions
) -> DocDates:
    texts = [s.text for s in sentences]
    dates = resolve_doc_dates(texts, article.published)
    if dates.main is not None or article.published is not None:
        return dates
    # no publication date and no full date: infer the year of the first month-day
    month_day = None
    for t in texts[:6]:
        for e in find_dates(t):
            if e.kind in ("mdy", "dmy") and e.month and e.day:
                month_day = (e.month, e.day)
                break
        if month_day:
            break
    if month_day is None:
        return dates
    ctx = DocContext(day=None)
    spans = []
    seen: set[str] = set()
    for t in texts:
        for ref in find_actors(t, tables, ctx):
            if ref.kind == "person" and ref.id and ref.id not in seen:
                seen.add(ref.id)
                person = tables.people.get(ref.id)
                span = _stated_span(person, t, ref) if person else None
                if span:
                    spans.append(span)
    year, why = infer_year(texts, spans, month_day, options.today)
    if year is None:
        return dates
    dates = resolve_doc_dates(texts, None, year_hint=year)
    dates.reason += f" ({why})"
    return dates


def _stated_span(person: Any, text: str, ref: ActorRef) -> tuple[dt.date, dt.date] | None:
    """The period in which the person held the office the text gives them, if it says."""
    window = fold(text[max(0, ref.start - 80) : ref.end + 80]).lower()
    wanted = None
    for role, words in (
        ("party_leader", ("general secretary", "party chief", "party leader")),
        ("head_of_government", ("prime minister", "premier", " pm ")),
        ("head_of_state", ("president",)),
    ):
        if any(w in window for w in words):
            wanted = role
            break
    tenures = [t for t in person.tenures if wanted is None or t.role == wanted]
    if not tenures:
        tenures = person.tenures
    if not tenures:
        return None
    return min(t.start for t in tenures), max(t.end or dt.date.max for t in tenures)


@functools.lru_cache(maxsize=1)
def _sports_terms() -> tuple[re.Pattern[str], int]:
    res = resources.files("tidings") / "data" / "contexts.yaml"
    spec = yaml.safe_load(res.read_text(encoding="utf-8"))["sports"]
    terms = sorted((str(t) for t in spec["terms"]), key=len, reverse=True)
    regex = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)
    return regex, int(spec.get("min_terms", 3))


def _is_sports(text: str) -> bool:
    """Whether an article reads as a sports report (distinct sports words it uses)."""
    regex, needed = _sports_terms()
    return len({m.group(1).lower() for m in regex.finditer(text)}) >= needed


_SPEECH_VERB = re.compile(r"\s*,?\s*(?:said|says|added|told|stated|wrote|posted)\b", re.I)


def _quote_speaker(text: str, refs: list[ActorRef]) -> ActorRef | None:
    """The speaker of a quotation in this sentence: '"...," PM Modi said', '"...," said
    Modi', 'Tinubu ..., saying, "..."'. None when the sentence quotes nobody."""
    if not any(q in text for q in ('"', "“", "”")):
        return None
    concrete = [r for r in refs if r.kind in ("person", "country", "org", "role") and r.country]
    for m in re.finditer(r"[\"”]", text):
        for r in concrete:
            if r.start < m.end():
                continue
            gap = text[m.end() : r.start]
            said_before = re.fullmatch(r"\s*,?\s*(?:said|says|added|told|stated)\s*", gap, re.I)
            said_after = re.fullmatch(
                r"\s*,?\s*(?:[A-Z][\w.]*\s+){0,3}", gap
            ) and _SPEECH_VERB.match(text[r.end :])
            if said_before or said_after:
                return r
    opening = re.search(r"[\"“]", text)
    if opening and re.search(
        r"\b(?:said|says|saying|added|told|stated|declared)\b[^\"“]{0,20}$",
        text[: opening.start()],
    ):
        before = [r for r in concrete if r.end <= opening.start()]
        if before:
            return before[0]
    return None


@functools.lru_cache(maxsize=256)
def _dates_in(text: str) -> tuple[Any, ...]:
    """The date expressions of a sentence, found once however many triggers it has."""
    return tuple(find_dates(text))


def _partner(state: _State, iso: str | None) -> ActorRef | None:
    """The actor an article most often pairs with country ``iso`` (latest on ties); the
    other side of the article's dyad when ``iso`` is in it."""
    if iso is None:
        return None
    best: tuple[int, int] | None = None
    found = None
    for order, (key, refs) in enumerate(state.pair_refs.items()):
        if iso in key:
            score = (state.pair_counts.get(key, 0), order)
            if best is None or score > best:
                best, found = score, next((r for r in refs if r.country != iso), None)
    if found is not None:
        return found
    if len(state.dyad) >= 2 and iso in {m.country for m in state.dyad}:
        return next((m for m in state.dyad if m.country != iso), None)
    return None


def _implied(ref: ActorRef, trig: Trigger) -> ActorRef:
    """An actor from earlier in the article, implied here: its evidence span is empty at
    the trigger, so offsets never point at words of another sentence."""
    return replace(ref, start=trig.end, end=trig.end, text="")


def _set_dyad_from(state: _State, refs: list[ActorRef]) -> None:
    """The first two countries a sentence names: the article's dyad until events say more."""
    countries: list[ActorRef] = []
    for r in refs:
        if r.country and r.country not in [c.country for c in countries]:
            countries.append(r)
    if len(countries) >= 2:
        state.dyad = countries[:2]


def _mention_id(
    doc_id: str, sent_index: int, trig_start: int, src: str, tgt: str, code: str
) -> str:
    raw = f"{doc_id}|{sent_index}|{trig_start}|{src}|{tgt}|{code}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def _code_sentence(sent: Sentence, state: _State, patterns: tuple[Pattern, ...]) -> list[_Event]:
    text = sent.text
    tables = state.tables
    raw_refs = find_actors(text, tables, state.ctx)
    triggers = find_triggers(text, patterns)
    events: list[_Event] = []
    trace = {
        "index": sent.index,
        "start": sent.start,
        "end": sent.end,
        "text": text,
        "actors": [],
        "triggers": [],
        "dropped": [],
        "mentions": [],
    }
    # resolve references left to right so "his" can see the subject of its sentence
    if len(state.dyad) < 2:
        _set_dyad_from(
            state, [r for r in raw_refs if r.kind in ("person", "country", "org", "role")]
        )
    state.speaker = _quote_speaker(text, raw_refs)
    refs: list[ActorRef] = []
    subject: ActorRef | None = None
    for ref in raw_refs:
        for r in _resolve(ref, state, subject):
            if ref.kind in ("pronoun", "group", "counterpart", "role", "agent") and r is not ref:
                r = ActorRef(
                    ref.start,
                    ref.end,
                    ref.text,
                    r.kind,
                    id=r.id,
                    name=r.name,
                    country=r.country,
                    agent=r.agent,
                    role=r.role,
                    org=r.org,
                    possessive=ref.possessive,
                )
            refs.append(r)
            if subject is None and not preposition_before(text, ref):
                subject = r
        if ref.kind == "group" and len(state.dyad) >= 2:
            # "the two leaders": one position in the sentence standing for both
            pass
    refs.sort(key=lambda r: r.start)
    trace["actors"] = [
        {
            "text": r.text,
            "start": r.start,
            "end": r.end,
            "id": r.id,
            "code": r.code,
            "country": r.country,
        }
        for r in refs
    ]
    if len(state.dyad) < 2:
        _set_dyad_from(state, refs)
    prev: _Event | None = None
    appeal_end = -1
    appeal_stop = len(text)
    quotes = [(m.start(), m.end()) for m in _QUOTE_SPANS.finditer(text)]
    negated_clause = -1
    for trig in triggers:
        pattern = trig.pattern
        info = {
            "text": trig.text,
            "start": trig.start,
            "end": trig.end,
            "rule": pattern.id,
            "cameo": pattern.code,
        }
        trace["triggers"].append(info)

        def drop(reason: str, _p: Pattern = pattern, _t: Trigger = trig) -> None:
            trace["dropped"].append(
                {"rule": _p.id, "cameo": _p.code, "reason": reason, "trigger": _t.text}
            )

        before = text[max(0, trig.start - 60) : trig.start]
        clause_start = _clause_left(text, trig.start)
        clause_before = text[clause_start : trig.start]
        if _NEGATION.search(clause_before[-40:]) and not re.search(
            r"\bnot\s+only\b", clause_before[-40:], re.I
        ):
            drop("negated")
            negated_clause = clause_start
            continue
        if trig.nominal and negated_clause == clause_start:
            drop("negated: named in the clause of a negated act ('did not meet ... during')")
            continue
        if _CONDITIONAL.search(clause_before) or _CONDITIONAL.search(text[: trig.start]):
            drop("conditional")
            continue
        if (
            appeal_end >= 0
            and appeal_end <= trig.start < appeal_stop
            and not pattern.code.startswith("03")
        ):
            drop("inside an appeal, demand, threat or accusation: not an act of its own")
            continue
        in_quote = any(a < trig.start < b for a, b in quotes)
        if state.sports and pattern.code[:2] >= "10":
            drop("a sports report: the words describe a match")
            continue
        if (
            state.commemorative
            and pattern.code[:2] in ("18", "19", "20")
            and not any(
                e.kind in ("mdy", "dmy", "iso", "weekday", "today") for e in _dates_in(text)
            )
        ):
            drop("history: an undated battle in an article about a commemoration")
            continue
        if _HISTORY.search(text[: trig.start]) and not pattern.code.startswith(("01", "05")):
            drop("history: after an anniversary or commemoration")
            continue
        if trig.nominal and re.search(
            r"\battend(?:s|ed|ing)?\s+(?:the|a|an)\s+(?:\w+\s+)?$", before, re.I
        ):
            drop("attending a meeting is not meeting a counterpart")
            continue
        topic = (
            trig.nominal
            and pattern.code[:3] in ("040", "041", "046")
            and not pattern.passive
            and re.search(
                r"\b(?:of|over|about|on|for|to|into|toward|towards)\s+"
                r"(?:(?!(?:after|before|following|during|while|when)\b)[\w-]+\s+){0,4}$",
                before,
            )
            and not re.search(r"\b(?:visit|trip)\b", trig.text, re.I)
        )
        if _PERIOD.search(text[: trig.start]) or _PERIOD.search(clause_before):
            drop("background: what happened over a period, not on a day")
            continue
        if _PAST_PERFECT.search(before) and not _REPORTED.search(text[: trig.start]):
            drop("past perfect: background")
            continue
        future = bool(
            _FUTURE_BEFORE.search(clause_before)
            or (trig.nominal and is_future(clause_before))
            or (trig.nominal and _PLEDGE_BEFORE.search(before))
        )
        if trig.nominal and _BLOCKED_BEFORE.search(before):
            drop("a named act that was blocked, halted or withheld")
            continue
        infinitive = (
            (trig.gerund and re.search(r"\bto\s+$", before))
            or (not trig.nominal and re.search(r"\bto\s+(?:\w+ly\s+)?$", before))
        ) and not _REALIS_TO.search(before)
        if infinitive and not future and not pattern.code.startswith("03"):
            drop("an infinitive (purpose or wish), not an act")
            continue
        code = pattern.code
        intent = False
        if pattern.only_intent and not (future or _INTENT_CUE.search(clause_before)):
            drop("cooperation verb outside an intent")
            continue
        if (
            future
            and _SPECULATION.search(clause_before[-60:])
            and not _ANNOUNCED.search(clause_before)
        ):
            drop("speculation (may, might, could, expected to), not an expressed intent")
            continue
        if future and not pattern.code.startswith("03"):
            if pattern.future == "intent" and pattern.intent_code:
                code = pattern.intent_code
                intent = True
            else:
                drop("future or planned act")
                continue
        elif pattern.code.startswith("03"):
            intent = True
        if pattern.needs_object_noun and not _OBJECT_NOUN.search(text[trig.start : trig.end + 60]):
            drop("signing of no agreement")
            continue
        # roles
        if trig.passive or pattern.passive:
            sources = _passive_agent(text, refs, trig)
            targets, why_t = _source(text, refs, trig, prev)
            why_s = "agent after 'by' (passive)"
        else:
            sources, why_s = _source(text, refs, trig, prev)
            nxt = next((t.start for t in triggers if t.start >= trig.end and not t.nominal), None)
            targets, why_t = _targets(text, refs, trig, pattern, nxt)
        if topic and (
            not re.search(r"'(?:with|between)'", why_t)
            or re.search(r"\bof\s+(?:[a-z][\w-]*\s+){0,2}$", before)
        ):
            drop("a meeting named as a topic, not held")
            continue
        reciprocal = bool(
            re.match(r"\s*(?:at\s+|with\s+|on\s+)?(?:each\s+other|one\s+another)", text[trig.end :])
        )
        if (
            trig.nominal
            and len(targets) >= 2
            and "between" in why_t
            and re.match(r"\s+(?:\w+\s+){0,3}?between\b", text[trig.end :])
        ):
            sources = []  # "the phone call between Putin and Trump": they are the parties
        if (
            not sources
            and len(targets) >= 2
            and "between" in why_t
            and (pattern.reciprocal or pattern.symmetric or pattern.joint or pattern.mutual)
        ):
            # "an exchange of gunfire between Cambodian and Thai troops"
            sources, targets = list(targets), []
            why_s = "the parties named after 'between'"
        if code[:2] == "14" and re.search(
            r"\b(?:protesters|protestors|demonstrators|rioters|crowds?|activists|students|"
            r"thousands|hundreds)\s+(?:\w+ly\s+)?$",
            before,
            re.IGNORECASE,
        ):
            sources = []  # "protesters stormed": the crowd, not the actor named before it
        if not sources and code[:2] == "14":
            # protesters are coded with the country they protest in
            place = next(
                (
                    r
                    for r in refs
                    if r.start > trig.start
                    and r.country
                    and preposition_before(text, r) in ("in", "at")
                    and r.kind == "country"
                ),
                None,
            )
            iso = place.country if place is not None else state.dateline_country
            if iso:
                sources = [state.tables.country_ref(iso, trig.start, trig.start, "", "CVL")]
                why_s = "protesters, coded with the country they protest in"
        if not sources:
            drop(f"no source ({why_s})")
            continue
        if in_quote and any(
            (x.text.lower() in _SPEAKER_WORDS and x.text.lower() not in ("we", "our", "us"))
            or (x.kind == "group" and not x.text.lower().startswith("our"))
            for x in sources
        ):
            drop("inside a quotation, with the speaker's own 'we'/'they'")
            continue
        pairs: list[tuple[ActorRef, ActorRef]] = []
        group_source = len({(x.country, x.id) for x in sources}) >= 2
        explicit = bool(targets)
        if group_source and (
            pattern.symmetric or pattern.joint or pattern.reciprocal or reciprocal
        ):
            # "Trong and Medvedev discussed", "the two sides agreed": among themselves
            pairs = [(sources[0], t) for t in sources[1:]]
            if not pattern.symmetric:
                pairs += [(t, sources[0]) for t in sources[1:]]
            why_t = "the other member of the group"
            explicit = False
        elif targets:
            for src in sources:
                for t in targets:
                    pairs.append((src, t))
        elif pattern.targets_dyad and len(state.dyad) >= 2:
            pairs = [(src, _implied(m, trig)) for src in sources for m in state.dyad]
            why_t = "both sides of the article's dyad (mediation)"
        elif (
            (
                code[:2] in ("18", "19", "20", "03", "04", "07")
                or (
                    code[:2] in ("10", "11", "12", "13", "16")
                    and _EVENT_OBJECT.match(text[trig.end :])
                )
            )
            and (not trig.nominal or intent)
            and not pattern.adjacent
            and not (pattern.locative and code[:2] == "04")
            and not re.search(r"\b(?:into|at|on|against|toward|towards|near)$", trig.text, re.I)
            and any(_partner(state, x.country) is not None for x in sources)
        ):
            for src in sources:
                other = _partner(state, src.country)
                if other is not None:
                    pairs.append((src, _implied(other, trig)))
            why_t = "the other side of the article's dyad"
        if (
            pairs
            and all(a.country == b.country for a, b in pairs)
            and code[:2] in ("10", "11", "12", "13", "16")
            and _EVENT_OBJECT.match(text[trig.end :])
            and _partner(state, sources[0].country) is not None
        ):
            # "condemned the attack as a violation of Iraqi sovereignty": the attacker
            other = _partner(state, sources[0].country)
            pairs = [(sources[0], _implied(other, trig))]
            why_t = "the other side of the article's dyad (the act condemned)"
        if not pairs and trig.nominal and code[:2] == "04" and len(sources) == 1:
            # "Putin told Trump in a phone call": the other actor of the clause took part
            other = next(
                (
                    r
                    for r in refs
                    if sources[0].end <= r.start < trig.start
                    and r.country
                    and r.country != sources[0].country
                    and r.kind != "pronoun"
                ),
                None,
            )
            if other is not None:
                pairs = [(sources[0], other)]
                why_t = "the other actor of the clause"
        if not pairs:
            drop(f"no target ({why_t})")
            continue
        if (
            explicit
            and (
                pattern.mutual
                or reciprocal
                or (
                    pattern.reciprocal
                    and re.search(r"\bbetween\b", text[trig.start : trig.end + 10])
                )
            )
            and not pattern.symmetric
        ):
            pairs += [(t, s) for s, t in pairs]
        day, exact, date_reason = _date_for(text, trig, state, intent)
        if day is None:
            drop(f"no date: {date_reason}")
            continue
        if "names only a year" in date_reason:
            drop(f"history: {date_reason}")
            continue
        ref_day = state.dates.main or state.dates.published
        if (
            day is not None
            and ref_day is not None
            and day < ref_day - dt.timedelta(days=HISTORY_DAYS)
        ):
            drop(f"history: dated {day}, long before the article's news ({ref_day})")
            continue
        if (
            day is not None
            and ref_day is not None
            and day > ref_day + dt.timedelta(days=1)
            and not intent
        ):
            if pattern.future == "intent" and pattern.intent_code:
                code, intent = pattern.intent_code, True
                day, exact, date_reason = (
                    ref_day,
                    state.dates.main_exact,
                    "plan: dated by the main event",
                )
            else:
                drop(f"planned for {day}")
                continue
        seen_pairs = set()
        made = []
        for s, t in pairs:
            if s.country is None and s.kind != "org" or t.country is None and t.kind != "org":
                continue
            if _same(s, t) or (s.kind == "person" and t.kind == "person" and s.id == t.id):
                continue
            key = (s.id or s.country, t.id or t.country)
            if pattern.symmetric:
                key = tuple(sorted(key))
            if key in seen_pairs:
                continue
            seen_pairs.add(key)
            distance = abs(trig.start - s.end) + (
                abs(t.start - trig.end) if t.start > trig.end else 0
            )
            confidence = max(0.3, 0.95 - distance / 400 - (0.1 if not exact else 0))
            ev = _Event(
                trig,
                code,
                s,
                t,
                day,
                exact,
                date_reason,
                f"{pattern.id}: {why_s}; target {why_t}",
                round(confidence, 3),
                pattern.symmetric,
            )
            made.append(ev)
        if not made:
            drop("source and target are the same actor or have no country")
            continue
        events.extend(made)
        prev = made[0]
        if code.startswith(_APPEAL_CODES):
            appeal_end = trig.end
            # an accusation's complement ends at "and": "accused X of Y and demanded Z"
            scope = r"[,;]|\band\b" if code.startswith("112") else r"[,;]"
            stop = re.search(scope, text[trig.end :])
            appeal_stop = trig.end + stop.start() if stop else len(text)
    # context for the next sentences
    for r in refs:
        _remember(state, r)
    if events:
        first = events[0]
        if first.source.kind == "person":
            state.last_subject = first.source
        for ev in events:
            if ev.source.country and ev.target.country and ev.source.country != ev.target.country:
                key = frozenset((ev.source.country, ev.target.country))
                state.pair_counts[key] = state.pair_counts.get(key, 0) + 1
                state.pair_refs[key] = [ev.source, ev.target]
        meeting = next(
            (
                ev
                for ev in events
                if ev.code[:2] == "04"
                and ev.source.country
                and ev.target.country
                and ev.source.country != ev.target.country
            ),
            None,
        )
        if meeting is not None:
            # "the two leaders" next refers to the people who just met
            state.meeting_pair = [meeting.source, meeting.target]
        if state.pair_counts:
            # the article's dyad: the pair its events involve most (latest on ties)
            best = max(state.pair_counts.values())
            for key in reversed(list(state.pair_refs)):
                if state.pair_counts[key] == best:
                    state.dyad = state.pair_refs[key]
                    break
    else:
        subj = next((r for r in refs if not preposition_before(text, r)), None)
        if subj is not None and subj.kind == "person":
            state.last_subject = subj
    if len(state.dyad) < 2:
        _set_dyad_from(state, refs)
    if state.trace is not None:
        trace["mentions"] = [
            {
                "source": e.source.name,
                "source_country": e.source.country,
                "target": e.target.name,
                "target_country": e.target.country,
                "cameo": e.code,
                "date": e.day.isoformat() if e.day else None,
                "date_reason": e.date_reason,
                "rule": e.rule,
            }
            for e in events
        ]
        trace["date"] = state.dates.main.isoformat() if state.dates.main else None
        trace["date_reason"] = state.dates.reason
        state.trace.append(trace)
    return events


def _to_mention(article: Article, sent: Sentence, ev: _Event) -> Mention:
    info = cameo_table.lookup(ev.code)
    s, t = ev.source, ev.target
    off = sent.start
    domestic = bool(s.country and t.country and s.country == t.country)
    location = None
    try:
        from tidings import geo  # optional until the gazetteer is installed

        location = geo.locate(sent.text, article.text)
    except Exception:  # noqa: BLE001 - a missing place is never worth losing the event
        location = None
    return Mention(
        mention_id=_mention_id(
            article.doc_id, sent.index, ev.trigger.start, s.code + s.id, t.code + t.id, ev.code
        ),
        doc_id=article.doc_id,
        sentence_index=sent.index,
        sentence_start=sent.start,
        sentence_end=sent.end,
        sentence=sent.text,
        trigger=ev.trigger.text,
        trigger_start=off + ev.trigger.start,
        trigger_end=off + ev.trigger.end,
        source_name=s.name or s.text,
        source_id=s.id or (s.country or ""),
        source_code=s.code,
        source_country=s.country,
        source_role=s.role,
        source_start=off + s.start,
        source_end=off + s.end,
        target_name=t.name or t.text,
        target_id=t.id or (t.country or ""),
        target_code=t.code,
        target_country=t.country,
        target_role=t.role,
        target_start=off + t.start,
        target_end=off + t.end,
        cameo=info.code,
        root=info.root,
        cameo_name=info.name,
        goldstein=info.goldstein,
        quad_class=info.quad_class,
        plover_type=info.plover_type,
        plover_mode=info.plover_mode,
        symmetric=ev.symmetric,
        event_date=ev.day,  # type: ignore[arg-type]
        date_exact=ev.exact,
        date_reason=ev.date_reason,
        published=article.published,
        domestic=domestic,
        rule=ev.rule,
        confidence=ev.confidence,
        coder_version=CODER_VERSION,
        location_name=getattr(location, "name", None),
        location_country=getattr(location, "country", None),
        latitude=getattr(location, "latitude", None),
        longitude=getattr(location, "longitude", None),
        outlet=article.outlet,
    )


def _run(article: Article, options: CoderOptions | None, trace: list[dict] | None) -> list[Mention]:
    options = options or CoderOptions()
    tables, patterns, sentences = _prepare(article, options)
    if not sentences:
        return []
    dates = _doc_dates(article, sentences, tables, options)
    state = _State(
        tables=tables,
        ctx=DocContext(day=dates.main or article.published),
        dates=dates,
        dateline_country=_dateline_country(tables, [s.text for s in sentences[:4]]),
        trace=trace,
        commemorative=any(_COMMEMORATION.search(s.text) for s in sentences[:3]),
        sports=_is_sports(article.text),
    )
    mentions: list[Mention] = []
    seen: set[str] = set()
    for sent in sentences:
        for ev in _code_sentence(sent, state, patterns):
            m = _to_mention(article, sent, ev)
            if m.mention_id in seen:
                continue
            seen.add(m.mention_id)
            mentions.append(m)
    return mentions


def code_article(article: Article, options: CoderOptions | None = None) -> list[Mention]:
    """Code one article into event mentions (evidence offsets point into ``article.text``)."""
    return _run(article, options, None)


def code_articles(
    articles: Iterable[Article], options: CoderOptions | None = None
) -> Iterator[tuple[Article, list[Mention]]]:
    """Code many articles lazily, yielding each with its mentions."""
    for article in articles:
        yield article, code_article(article, options)


def trace_article(article: Article, options: CoderOptions | None = None) -> list[dict]:
    """Explain the coding of an article sentence by sentence (for ``evaluate --explain``).

    One dict per sentence: ``index``, ``start``, ``end``, ``text``, ``date``,
    ``date_reason``, ``actors`` (list of dicts: ``text``, ``start``, ``end``, ``id``,
    ``code``, ``country``), ``triggers`` (list of dicts: ``text``, ``start``, ``end``,
    ``rule``, ``cameo``), ``mentions`` (the coded events of this sentence, as dicts) and
    ``dropped`` (list of dicts: ``rule``, ``cameo``, ``reason``: pattern matches that did
    not become events, e.g. negated, future, history, no target).
    """
    trace: list[dict] = []
    _run(article, options, trace)
    return trace
