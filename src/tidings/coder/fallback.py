"""The lexical role rules, kept as the fallback where the parse gives nothing (a sentence
too long to parse, an actor the parse attaches nowhere): the source is the nearest actor
before the trigger that is not inside a prepositional phrase, within the same clause; a
trigger that continues a verb phrase keeps its subject; an opening participle takes the
main subject; passive voice turns the agent after "by" into the source; the target is the
object, or an actor after the prepositions the pattern allows."""

from __future__ import annotations

import re

from tidings.actors import ActorRef
from tidings.coder.common import _WORDS, Event, clause_left
from tidings.ner import preposition_before
from tidings.patterns import Pattern, Trigger

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


def coordinated(refs: list[ActorRef], i: int, text: str, leftward: bool) -> list[ActorRef]:
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


def _clause_subject(text: str, refs: list[ActorRef], left: int, trig: Trigger) -> list[ActorRef]:
    """The first actor of the clause before the trigger outside a prepositional phrase."""
    for r in refs:
        if left <= r.start and r.end <= trig.start and not preposition_before(text, r):
            return [r]
    return []


def lexical_source(
    text: str, refs: list[ActorRef], trig: Trigger, prev: Event | None
) -> tuple[list[ActorRef], str]:
    before = text[: trig.start]
    left = clause_left(text, trig.start)
    if trig.nominal and re.search(r"\b(?:for|during|in|at)\s+(?:\w+\s+)?$", before):
        # "then flew to Cairo for talks with Sisi": the talks are the clause subject's
        why = "subject of the clause the named meeting belongs to"
        subject = [prev.source] if prev is not None else _clause_subject(text, refs, left, trig)
        if subject:
            return subject, why
    if trig.gerund and re.search(r",\s*$", before):
        # ", killing dozens": a participle that adds to the main clause, whose subject acts
        why = "subject of the clause the participle adds to"
        subject = [prev.source] if prev is not None else _clause_subject(text, refs, left, trig)
        if subject:
            return subject, why
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
                    return coordinated(refs, j, text, leftward=False)[
                        :1
                    ], "subject of the coordinated verbs"
        return coordinated(refs, i, text, leftward=True), "subject before the trigger"
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


def lexical_targets(
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
            return coordinated(refs, i, text, leftward=False), "after 'between'"
        if prep is None:
            clause_ok = pattern.clause and re.search(r"\bthat\b", gap)
            if pattern.object or clause_ok or trig.start <= r.start < trig.end:
                return coordinated(refs, i, text, leftward=False), "object of the trigger"
            continue
        if prep in pattern.preps:
            return coordinated(refs, i, text, leftward=False), f"after '{prep}'"
        if pattern.locative and prep in ("in", "at", "near", "on", "into", "outside", "inside"):
            return [r], f"place after '{prep}'"
    return [], "no target found"


def lexical_passive_agent(text: str, refs: list[ActorRef], trig: Trigger) -> list[ActorRef]:
    stop = _BOUNDARY_RIGHT.search(text, trig.end)
    limit = stop.start() if stop else len(text)
    for i, r in enumerate(refs):
        if trig.head_end <= r.start < limit and preposition_before(text, r) == "by":
            return coordinated(refs, i, text, leftward=False)
    return []
