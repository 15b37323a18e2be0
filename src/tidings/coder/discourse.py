"""Events that span sentences: the report's protagonist, who keeps acting in sentences
that drop the subject ("Bilateral meetings with X and Y took place as well").

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
from tidings.coder.common import Event, State, implied
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
