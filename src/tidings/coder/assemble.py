"""Assembly: events from (source, target) pairs, mentions with their evidence offsets and
place, and what a sentence's events tell the next sentences (the dyad, the last subject,
the pair that just met)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from tidings import cameo as cameo_table
from tidings.actors import ActorRef
from tidings.coder.candidates import remember, set_dyad_from
from tidings.coder.common import Event, State, same_actor
from tidings.model import Article, Mention
from tidings.ner import preposition_before
from tidings.patterns import Trigger
from tidings.text import Sentence

#: stored with every mention; bump when coding changes so ``tidings recode`` knows
CODER_VERSION = "0.4.0"


def make_events(
    trig: Trigger,
    pairs: list[tuple[ActorRef, ActorRef]],
    dated: tuple[dt.date | None, bool, str, str, bool],
    why_s: str,
    why_t: str,
) -> list[Event]:
    """One event per distinct (source, target) pair with countries; none for an actor
    paired with itself. Confidence falls with the distance between trigger and actors."""
    pattern = trig.pattern
    day, exact, date_reason, code, _intent = dated
    seen_pairs = set()
    made = []
    for s, t in pairs:
        if s.country is None and s.kind != "org" or t.country is None and t.kind != "org":
            continue
        if same_actor(s, t) or (s.kind == "person" and t.kind == "person" and s.id == t.id):
            continue
        key = (s.id or s.country, t.id or t.country)
        if pattern.symmetric:
            key = tuple(sorted(key))
        if key in seen_pairs:
            continue
        seen_pairs.add(key)
        distance = abs(trig.start - s.end) + (abs(t.start - trig.end) if t.start > trig.end else 0)
        confidence = max(0.3, 0.95 - distance / 400 - (0.1 if not exact else 0))
        ev = Event(
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
    return made


def after_sentence(state: State, text: str, refs: list[ActorRef], events: list[Event]) -> None:
    """Context for the next sentences: people named, the last subject, the dyad."""
    for r in refs:
        remember(state, r)
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
                # a mediator consults each party: "the two sides" are the parties, not it
                and not ev.code.startswith("045")
                and ev.source.country
                and ev.target.country
                and ev.source.country != ev.target.country
            ),
            None,
        )
        if meeting is not None and _one_partner(meeting, events):
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
        subj = next((r for r in refs if _opening_subject(text, r)), None)
        if subj is not None and subj.kind == "person":
            state.last_subject = subj
    if len(state.dyad) < 2:
        set_dyad_from(state, refs)


def _one_partner(meeting: Event, events: list[Event]) -> bool:
    """Whether the source of a meeting met one country only in this sentence: a host or
    broker meeting several parties ("guided the talks between the three parties") is not
    one of "the two sides" the next sentences speak of."""
    met = {
        ev.target.country
        for ev in events
        if ev.code[:2] == "04" and same_actor(ev.source, meeting.source)
    } - {meeting.source.country}
    return len(met) <= 1


#: a preposition that puts the words after it inside a phrase ("meetings with A and B")
_PHRASE_OPENER = re.compile(r"\b(?:with|to|by|for|from|of|between|among|including)\b", re.I)


def _opening_subject(text: str, ref: ActorRef) -> bool:
    """Whether ``ref`` can be its clause's subject: no preposition governs it, nor a list
    it closes ("meetings with A and B": B is no subject). An opening adjunct set off by a
    comma ("On Monday, Putin said") does not count."""
    if preposition_before(text, ref):
        return False
    lead = text[: ref.start]
    return not _PHRASE_OPENER.search(lead[lead.rfind(",") + 1 :])


def _side(prefix: str, ref: ActorRef, off: int) -> dict[str, Any]:
    """A mention's columns for one of its actors (``source_*`` or ``target_*``); offsets
    are moved from the sentence into the article."""
    return {
        f"{prefix}_name": ref.name or ref.text,
        f"{prefix}_id": ref.id or (ref.country or ""),
        f"{prefix}_code": ref.code,
        f"{prefix}_country": ref.country,
        f"{prefix}_role": ref.role,
        f"{prefix}_start": off + ref.start,
        f"{prefix}_end": off + ref.end,
    }


def to_mention(article: Article, sent: Sentence, ev: Event) -> Mention:
    info = cameo_table.lookup(ev.code)
    s, t = ev.source, ev.target
    off = sent.start
    domestic = bool(s.country and t.country and s.country == t.country)
    location = None
    try:
        from tidings import geo  # optional until the gazetteer is installed

        # only a place tied to the trigger counts: not 'the attack in Moscow' it mentions
        trigger = (ev.trigger.start, ev.trigger.end)
        location = geo.locate(sent.text, article.text, trigger=trigger)
    except Exception:  # noqa: BLE001 - a missing place is never worth losing the event
        location = None
    return Mention(
        mention_id=mention_id(
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
        **_side("source", s, off),
        **_side("target", t, off),
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


def mention_id(doc_id: str, sent_index: int, trig_start: int, src: str, tgt: str, code: str) -> str:
    raw = f"{doc_id}|{sent_index}|{trig_start}|{src}|{tgt}|{code}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]
