"""Events that span sentences: the report's protagonist, who keeps acting in sentences
that drop the subject ("Bilateral meetings with X and Y took place as well"), and the
numbered groups ("the three governments") that stand for countries named together before.

A tour or summit report is told from one person's side: after "Lula met Boric", the
sentence "A bilateral meeting with the King of Spain was also held" names only the
partner; the other party is the person the paragraph is about. The protagonist is the
person who acted as a source in most sentences so far (the latest on ties), and only a
protagonist who acted in the last few sentences stands in for a missing subject, so a
random earlier actor never does.
"""

from __future__ import annotations

import re

from tidings.actors import ActorRef
from tidings.coder.common import Event, State, clause_left, implied
from tidings.ner import preposition_before
from tidings.patterns import Trigger

#: how many sentences back the protagonist may last have acted and still be "the" actor
PROTAGONIST_REACH = 3

#: a meeting noun whose partner is named after it ("meetings with X", "talks with X")
_PARTNER_AFTER = re.compile(r"'(?:with|between)'")


def note_sources(state: State, events: list[Event]) -> None:
    """Count the people who acted in this sentence (once each), and update the protagonist."""
    acted: dict[str, ActorRef] = {}
    for ev in events:
        if ev.source.kind == "person" and ev.source.id and ev.source.country:
            acted.setdefault(ev.source.id, ev.source)
    for key, ref in acted.items():
        state.source_counts[key] = state.source_counts.get(key, 0) + 1
        best = state.protagonist
        if best is None or state.source_counts[key] >= state.source_counts.get(best.id, 0):
            state.protagonist = ref
    if state.protagonist is not None and state.protagonist.id in acted:
        state.protagonist_seen = state.sentence_index


def continuation_source(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    targets: list[ActorRef],
    why_t: str,
    state: State,
) -> list[ActorRef]:
    """The protagonist, as the missing party of a subjectless meeting ("Bilateral meetings
    with X and Y took place", "On the sidelines, a meeting with X was held"); empty when
    the sentence has a subject of its own, the partner is not named after "with", or the
    report has no protagonist who acted within the last few sentences."""
    hero = state.protagonist
    if (
        hero is None
        or trig.pattern.code[:2] != "04"
        or not trig.nominal
        or not targets
        or not _PARTNER_AFTER.search(why_t)
        or state.sentence_index - state.protagonist_seen > PROTAGONIST_REACH
    ):
        return []
    if any(t.country == hero.country for t in targets):
        return []
    # someone named before the meeting outside a phrase ("X's talks with", "X held") is
    # the subject the parse missed, not room for the protagonist
    if any(r.end <= trig.start and not preposition_before(text, r) for r in refs):
        return []
    return [implied(hero, trig)]


_NUMBERS = {
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
#: "the three governments", "the four Nordic countries", "all three leaders"
_NUMBERED_GROUP = re.compile(
    r"\b(?:the|all|these|those)\s+(" + "|".join(_NUMBERS) + r"|[3-9]|10)\s+"
    r"(?:[A-Z][\w-]+\s+)?"
    r"(countries|states|nations|governments|leaders|heads\s+of\s+(?:state|government)|"
    r"presidents|prime\s+ministers|PMs|premiers|(?:foreign\s+)?ministers|sides|parties|"
    r"neighbou?rs|delegations|capitals|allies|signatories)\b",
    re.IGNORECASE,
)
#: what may stand between two members of a list ("A, B and C", "A, B, and C")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)(?:the\s+)?")
_NAMED_KINDS = ("person", "country", "org", "role", "agent")
_AT = ("in", "at", "from", "near")
#: what may open a clause before its subject ("But the three leaders ...")
_CLAUSE_OPENING = re.compile(
    r"\s*(?:(?:and|but|yet|so|meanwhile|also|later|then|now|together|earlier)\s+)*", re.I
)


def _one_per_country(refs: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    for r in refs:
        if r.country and all(o.country != r.country for o in out):
            out.append(r)
    return out


def note_groups(text: str, refs: list[ActorRef], state: State) -> None:
    """Remember the groups of countries this sentence names: each list of three or more
    ("Mali, Burkina Faso and Niger"), else all the countries of the sentence when it names
    three or more (a host and the two guests it names), places it happens in left out."""
    named = sorted(
        (r for r in refs if r.kind in _NAMED_KINDS and r.country and r.text),
        key=lambda r: (r.start, -r.end),
    )
    runs: list[list[ActorRef]] = []
    for r in named:
        last = runs[-1][-1] if runs else None
        if last is not None and r.start < last.end:
            continue  # a name inside the one before ("Mali's Ministry of ...")
        if last is not None and _LIST_GAP.fullmatch(text[last.end : r.start]):
            runs[-1].append(r)
        else:
            runs.append([r])
    lists = [m for m in (_one_per_country(run) for run in runs) if len(m) >= 3]
    for members in lists:
        state.groups[len(members)] = members
    # a place the sentence happens in ("in Bangkok") is no member
    everyone = _one_per_country([r for r in named if preposition_before(text, r) not in _AT])
    if len(everyone) >= 3 and len(everyone) not in {len(m) for m in lists}:
        state.groups[len(everyone)] = everyone


def numbered_groups(text: str, state: State) -> list[ActorRef]:
    """ "The three governments" as a group whose members are the latest three countries
        named together, when it is a clause's subject or the partners of a meeting ("talks
    between the three parties"); none when no such group was named.
        As an object it is left alone: "follow the three nations" sits in a complement whose
        roles the lexical rules read too loosely."""
    out = []
    for m in _NUMBERED_GROUP.finditer(text):
        lead = text[clause_left(text, m.start()) : m.start()]
        partners = re.search(r"\b(?:between|among|with)\s+$", lead, re.I)
        if not partners and not _CLAUSE_OPENING.fullmatch(lead[lead.rfind(",") + 1 :]):
            continue  # an object ("urged others to follow the three nations"): too loose
        word = m.group(1).lower()
        size = _NUMBERS.get(word) or int(word)
        members = state.groups.get(size)
        if members:
            out.append(
                ActorRef(
                    m.start(), m.end(), m.group(0), "group", plural=True, members=list(members)
                )
            )
    return out
