"""Roles: who acts (the source) and on whom (the target) for one trigger.

The lexical structure rules: the source is the subject, the nearest actor before the
trigger that is not inside a prepositional phrase, within the same clause; a trigger that
continues a verb phrase keeps its subject; an opening participle takes the main subject;
passive voice turns the agent after "by" into the source; the target is the object, or an
actor after the prepositions the pattern allows; coordination and group words give both
actors; symmetric consultations (CAMEO 04) are one undirected event, other joint acts are
coded in both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tidings.actors import ActorRef
from tidings.coder.candidates import partner
from tidings.coder.common import _WORDS, Event, State, clause_left, implied
from tidings.coder.scope import Verdict
from tidings.ner import preposition_before
from tidings.patterns import Pattern, Trigger

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


@dataclass(slots=True)
class Parties:
    """The actors found for a trigger and why (the reasons go into the mention's rule)."""

    sources: list[ActorRef]
    targets: list[ActorRef]
    why_s: str
    why_t: str
    #: "at each other", "one another": the act goes both ways
    reciprocal: bool


def parties(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    triggers: list[Trigger],
    prev: Event | None,
    verdict: Verdict,
    state: State,
) -> Parties | str:
    """The trigger's sources and targets, or the reason none can be read."""
    pattern = trig.pattern
    code, topic, in_quote = verdict.code, verdict.topic, verdict.in_quote
    before = text[max(0, trig.start - 60) : trig.start]
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
        return "a meeting named as a topic, not held"
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
        return f"no source ({why_s})"
    if in_quote and any(
        (x.text.lower() in _SPEAKER_WORDS and x.text.lower() not in ("we", "our", "us"))
        or (x.kind == "group" and not x.text.lower().startswith("our"))
        for x in sources
    ):
        return "inside a quotation, with the speaker's own 'we'/'they'"
    return Parties(sources, targets, why_s, why_t, reciprocal)


def pair_up(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    found: Parties,
    verdict: Verdict,
    state: State,
) -> tuple[list[tuple[ActorRef, ActorRef]], str] | str:
    """(source, target) pairs for the trigger and why the targets, or why there are none:
    groups act among themselves, a missing target may be the other side of the dyad."""
    pattern = trig.pattern
    code, intent = verdict.code, verdict.intent
    sources, targets = found.sources, found.targets
    why_t, reciprocal = found.why_t, found.reciprocal
    pairs: list[tuple[ActorRef, ActorRef]] = []
    group_source = len({(x.country, x.id) for x in sources}) >= 2
    explicit = bool(targets)
    if group_source and (pattern.symmetric or pattern.joint or pattern.reciprocal or reciprocal):
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
        pairs = [(src, implied(m, trig)) for src in sources for m in state.dyad]
        why_t = "both sides of the article's dyad (mediation)"
    elif (
        (
            code[:2] in ("18", "19", "20", "03", "04", "07")
            or (
                code[:2] in ("10", "11", "12", "13", "16") and _EVENT_OBJECT.match(text[trig.end :])
            )
        )
        and (not trig.nominal or intent)
        and not pattern.adjacent
        and not (pattern.locative and code[:2] == "04")
        and not re.search(r"\b(?:into|at|on|against|toward|towards|near)$", trig.text, re.I)
        and any(partner(state, x.country) is not None for x in sources)
    ):
        for src in sources:
            other = partner(state, src.country)
            if other is not None:
                pairs.append((src, implied(other, trig)))
        why_t = "the other side of the article's dyad"
    if (
        pairs
        and all(a.country == b.country for a, b in pairs)
        and code[:2] in ("10", "11", "12", "13", "16")
        and _EVENT_OBJECT.match(text[trig.end :])
        and partner(state, sources[0].country) is not None
    ):
        # "condemned the attack as a violation of Iraqi sovereignty": the attacker
        other = partner(state, sources[0].country)
        pairs = [(sources[0], implied(other, trig))]
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
        return f"no target ({why_t})"
    if (
        explicit
        and (
            pattern.mutual
            or reciprocal
            or (pattern.reciprocal and re.search(r"\bbetween\b", text[trig.start : trig.end + 10]))
        )
        and not pattern.symmetric
    ):
        pairs += [(t, s) for s, t in pairs]
    return pairs, why_t


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
    text: str, refs: list[ActorRef], trig: Trigger, prev: Event | None
) -> tuple[list[ActorRef], str]:
    before = text[: trig.start]
    left = clause_left(text, trig.start)
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
