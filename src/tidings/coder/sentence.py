"""One sentence through the stages: candidates, scope, roles, date, assembly."""

from __future__ import annotations

from typing import Any

from tidings.actors import ActorRef
from tidings.coder.assemble import after_sentence, make_events
from tidings.coder.candidates import sentence_refs
from tidings.coder.common import Event, State, clause_left
from tidings.coder.dates import event_day
from tidings.coder.discourse import (
    continued_day,
    gathering_pairs,
    joined_by,
    note_act_pair,
    note_day,
    note_sources,
)
from tidings.coder.roles import pair_up, parties
from tidings.coder.scope import SentenceScope, judge, parsed_scope
from tidings.patterns import Pattern, Trigger, find_triggers
from tidings.text import Sentence


def code_sentence(
    sent: Sentence,
    state: State,
    patterns: tuple[Pattern, ...],
    triggers: list[Trigger] | None = None,
    doc: Any = None,
) -> list[Event]:
    """The events of one sentence (``doc``: its parse, when it is a candidate); also
    records its trace when the state asks for one."""
    text = sent.text
    state.sentence_index = sent.index
    refs = sentence_refs(text, state)
    if triggers is None:
        triggers = find_triggers(text, patterns)
    trace: dict[str, Any] = {
        "index": sent.index,
        "start": sent.start,
        "end": sent.end,
        "text": text,
        "actors": [
            {
                "text": r.text,
                "start": r.start,
                "end": r.end,
                "id": r.id,
                "code": r.code,
                "country": r.country,
            }
            for r in refs
        ],
        "triggers": [],
        "dropped": [],
        "mentions": [],
    }
    events: list[Event] = []
    prev: Event | None = None
    scope = SentenceScope(text)
    for trig in triggers:
        trace["triggers"].append(
            {
                "text": trig.text,
                "start": trig.start,
                "end": trig.end,
                "rule": trig.pattern.id,
                "cameo": trig.pattern.code,
            }
        )
        made = _code_trigger(text, refs, trig, triggers, prev, scope, state, doc)
        if isinstance(made, str):
            trace["dropped"].append(
                {
                    "rule": trig.pattern.id,
                    "cameo": trig.pattern.code,
                    "reason": made,
                    "trigger": trig.text,
                }
            )
            continue
        events.extend(made)
        prev = made[0]
        scope.after_event(trig, prev.code)
    events.extend(_gatherings(text, refs, state, patterns, events, scope, trace))
    after_sentence(state, text, refs, events)
    note_sources(state, events)
    note_act_pair(state, events)
    note_day(text, state, events)
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


def _code_trigger(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    triggers: list[Trigger],
    prev: Event | None,
    scope: SentenceScope,
    state: State,
    doc: Any,
) -> list[Event] | str:
    """The events of one trigger, or the reason it yields none."""
    if doc is not None:
        trig, reason = parsed_scope(doc, trig)
        if reason:
            if reason.startswith("negated"):
                # "did not meet ... during the summit": the meeting named is negated too
                scope.negated_clause = clause_left(text, trig.start)
            return reason
    verdict = judge(trig, state, scope)
    if isinstance(verdict, str):
        return verdict
    found = parties(text, refs, trig, triggers, prev, verdict, state, doc)
    if isinstance(found, str):
        return found
    found.sources += joined_by(text, refs, trig, found.sources)
    paired = pair_up(text, refs, trig, found, verdict, state)
    if isinstance(paired, str):
        return paired
    pairs, why_t = paired
    dated = event_day(text, trig, state, verdict.code, verdict.intent)
    if isinstance(dated, str):
        return dated
    same = continued_day(text, state) if not verdict.intent else None
    if same is not None:
        dated = (*same, dated[3], dated[4])
    made = make_events(trig, pairs, dated, found.why_s, why_t)
    if not made:
        return "source and target are the same actor or have no country"
    return made


def _gatherings(
    text: str,
    refs: list[ActorRef],
    state: State,
    patterns: tuple[Pattern, ...],
    events: list[Event],
    scope: SentenceScope,
    trace: dict[str, Any],
) -> list[Event]:
    """The consultations of a gathering: a host and its guests, facilitators and the
    parties (see :func:`~tidings.coder.discourse.gathering_pairs`), through the same scope
    (negation, plans, history) and dating as any trigger."""
    made: list[Event] = []
    for trig, pairs, why_s, why_t in gathering_pairs(text, refs, state, patterns, events):
        verdict = judge(trig, state, scope)
        dated = (
            verdict
            if isinstance(verdict, str)
            else event_day(text, trig, state, verdict.code, verdict.intent)
        )
        if isinstance(dated, str):
            trace["dropped"].append(
                {
                    "rule": trig.pattern.id,
                    "cameo": trig.pattern.code,
                    "reason": dated,
                    "trigger": trig.text,
                }
            )
            continue
        made.extend(make_events(trig, pairs, dated, why_s, why_t))
    return made
