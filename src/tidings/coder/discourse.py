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

import datetime as dt
import functools
import re
from importlib import resources
from typing import Any

import yaml

from tidings.actors import ActorRef
from tidings.coder.common import Event, State, clause_left, dates_in, implied
from tidings.dates import resolve_expr
from tidings.ner import find_actors, preposition_before
from tidings.patterns import Pattern, Trigger, patterns_by_id


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    """The word lists of ``data/discourse.yaml``."""
    res = resources.files("tidings") / "data" / "discourse.yaml"
    return yaml.safe_load(res.read_text(encoding="utf-8"))


def _any(key: str) -> str:
    """A regex alternation of one word list, longest first, spaces matching any spacing."""
    words = sorted((str(w) for w in _words()[key]), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


@functools.lru_cache(maxsize=1)
def _numbered_group() -> re.Pattern[str]:
    """ "the three governments", "the four Nordic countries", "all three leaders" """
    return re.compile(
        r"\b(?:(the|all|these|those)\s+)?(" + "|".join(_words()["numbers"]) + r"|[3-9]|10)\s+"
        r"(?:[A-Z][\w-]+\s+)?(" + _any("group_nouns") + r")\b",
        re.IGNORECASE,
    )


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


def _lists(text: str, refs: list[ActorRef]) -> list[list[ActorRef]]:
    """The lists of three or more countries a sentence names ("Mali, Burkina Faso and
    Niger"), one actor per country."""
    named = sorted(
        (r for r in refs if r.kind in _NAMED_KINDS and r.country and r.text),
        key=lambda r: (r.start, -r.end),
    )
    runs: list[list[ActorRef]] = []
    closed = True  # a list ends at its "and": "A, B and C, the ministry said"
    for r in named:
        last = runs[-1][-1] if runs else None
        if last is not None and r.start < last.end:
            continue  # a name inside the one before ("Mali's Ministry of ...")
        gap = text[last.end : r.start] if last is not None else ""
        if last is not None and not closed and _LIST_GAP.fullmatch(gap):
            runs[-1].append(r)
            closed = bool(re.search(r"\band\b|&", gap))
        else:
            runs.append([r])
            closed = False
    return [m for m in (_one_per_country(run) for run in runs) if len(m) >= 3]


def note_groups(text: str, refs: list[ActorRef], state: State) -> None:
    """Remember the groups of countries this sentence names: each list of three or more,
    else all the countries of the sentence when it names three or more (a host and the
    two guests it names), places it happens in left out."""
    if len({r.country for r in refs if r.country}) < 3:
        return  # no group of three or more countries can come from fewer
    lists = _lists(text, refs)
    for members in lists:
        state.groups[len(members)] = members
    named = [r for r in refs if r.kind in _NAMED_KINDS and r.country and r.text]
    # a place the sentence happens in ("in Bangkok") is no member
    everyone = _one_per_country([r for r in named if preposition_before(text, r) not in _AT])
    if len(everyone) >= 3 and len(everyone) not in {len(m) for m in lists}:
        state.groups[len(everyone)] = everyone


def _listed_next(size: int, state: State) -> list[ActorRef]:
    """The list of ``size`` countries the next sentence names, for a group announced
    before its members ("donated masks to 5 European countries. They were handed to the
    ambassadors of A, B, C, D and E")."""
    index = state.sentence_index + 1
    if index >= len(state.sentences):
        return []
    text = state.sentences[index]
    lists = _lists(text, find_actors(text, state.tables, state.ctx))
    return next((m for m in lists if len(m) == size), [])


def numbered_groups(text: str, state: State) -> list[ActorRef]:
    """Groups named by their number, as refs whose members are countries named together:

    * "the three governments" as a clause's subject or a meeting's partners ("talks
      between the three parties"): the latest three countries named together before. As
      an object it is left alone ("follow the three nations" sits in a complement whose
      roles the lexical rules read too loosely);
    * "5 European countries" with no article, in any position: the list of five the next
      sentence names, if it names one."""
    out = []
    for m in _numbered_group().finditer(text):
        word = m.group(2).lower()
        size = int(_words()["numbers"].get(word) or word)
        if m.group(1):
            lead = text[clause_left(text, m.start()) : m.start()]
            partners = re.search(r"\b(?:between|among|with)\s+$", lead, re.I)
            if not partners and not _CLAUSE_OPENING.fullmatch(lead[lead.rfind(",") + 1 :]):
                continue
            members = state.groups.get(size)
        else:
            members = _listed_next(size, state)
        if members:
            out.append(
                ActorRef(
                    m.start(), m.end(), m.group(0), "group", plural=True, members=list(members)
                )
            )
    return out


# ---------------------------------------------------------------- hosts, guests, facilitators

_PRONOUNS = frozenset("he she him his her they them their we our us it its i".split())
#: a sentence that says someone stayed away is no gathering of them
_ABSENCE = re.compile(
    r"\b(?:not|n't|never|no|declined|refused|absent|skipped|boycott\w*|stayed\s+away)\b", re.I
)
#: what may stand between the names of a list of people ("President A of X and President B")
_NAME_GAP = re.compile(
    r"(?:\s|,|\([^()]{1,40}\)|\band\b|\bof\b|\bthe\b|\bas\s+well\s+as\b|\btogether\s+with\b|"
    r"\b[A-Z][\w.'’-]*)*",
)


@functools.lru_cache(maxsize=1)
def _gathering_res() -> tuple[re.Pattern[str], ...]:
    flags = re.IGNORECASE
    return (
        re.compile(r"\b(?:" + _any("host_verbs") + r")\b", flags),
        re.compile(
            r"\b(?:(" + _any("guest_words") + r")|" + _any("attendance_words") + r")\b", flags
        ),
        re.compile(
            r"\b(?:" + _any("meeting_nouns") + r")\b(?:[\s,]+\w+){0,3}?[\s,]+(?:(?:was|were)\s+)?"
            r"(?:" + _any("facilitated_by") + r")\b",
            flags,
        ),
        re.compile(
            r"\b(?:acted|acts|act|acting|served|serves|serving)\s+as\s+(?:the\s+|their\s+)?"
            r"(?:\w+\s+)?(?:" + _any("mediator_roles") + r")\b",
            flags,
        ),
    )


def _party(ref: ActorRef) -> bool:
    """An actor that can take part in a gathering (not a pronoun's stand-in, not nameless)."""
    return bool(ref.country) and ref.text.lower() not in _PRONOUNS


def _subject_before(text: str, refs: list[ActorRef], at: int) -> ActorRef | None:
    """The actor that opens the clause before position ``at`` (no preposition governs it)."""
    left = clause_left(text, at)
    for r in refs:
        if left <= r.start and r.end <= at and _party(r) and not preposition_before(text, r):
            lead = text[left : r.start]
            if not re.search(r"\b(?:with|to|by|for|from|of|between|among)\b", lead, re.I):
                return r
    return None


def note_host(text: str, refs: list[ActorRef], state: State) -> ActorRef | None:
    """The host this sentence names ("Merkel hosted leaders of 11 countries"), remembered
    for the sentences that list the guests."""
    host_re = _gathering_res()[0]
    for m in host_re.finditer(text):
        host = _subject_before(text, refs, m.start())
        if host is not None:
            state.host, state.host_seen = host, state.sentence_index
            return host
    return None


def _list_after(text: str, refs: list[ActorRef], at: int) -> list[ActorRef]:
    """The actors of the list of names that starts at ``at`` ("by President A of X and
    President B of Y"), up to the first word that is not part of a name or the list."""
    out: list[ActorRef] = []
    pos = at
    for r in sorted(refs, key=lambda r: r.start):
        if r.start < at:
            continue
        if r.start < pos:  # a name inside the one before, or the same span resolved twice
            if out and r.start == out[-1].start and _party(r):
                out.append(r)
            continue
        if not _NAME_GAP.fullmatch(text[pos : r.start]):
            break
        if _party(r):
            out.append(r)
        pos = r.end
    return out


def _others(state: State, exclude: set[str | None]) -> list[ActorRef]:
    """The two sides of the talks the article is about: the pair that just met or the
    article's dyad, whichever keeps more once the mediators' countries are left out."""
    out: list[ActorRef] = []
    for pair in (state.meeting_pair, state.dyad):
        kept = [m for m in pair if m.country not in exclude | state.mediators]
        if len(kept) > len(out):
            out = kept
    return out


def _trigger(pattern: Pattern | None, text: str, start: int, end: int) -> Trigger | None:
    if pattern is None:
        return None
    return Trigger(
        pattern, start, end, text[start:end], end, False, False, True, "", head_start=start
    )


def _met(events: list[Event]) -> set[frozenset[str | None]]:
    return {
        frozenset((ev.source.country, ev.target.country)) for ev in events if ev.code[:2] == "04"
    }


def gathering_pairs(
    text: str,
    refs: list[ActorRef],
    state: State,
    patterns: tuple[Pattern, ...],
    events: list[Event],
) -> list[tuple[Trigger, list[tuple[ActorRef, ActorRef]], str, str]]:
    """Consultations a gathering implies, as (trigger, pairs, why source, why target):

    * a host and each guest ("Among those who attended were A, B", "watched the parade
      with foreign guests, including A and B");
    * each facilitator and each party ("the meeting facilitated by A of X and B of Y");
    * each mediator and each party ("A and B acted as principal interlocutors").

    Pairs already coded as a consultation in this sentence are left out."""
    _host_re, guest_re, facilitated_re, mediator_re = _gathering_res()
    host_here = note_host(text, refs, state)
    if not any(_party(r) for r in refs):
        return []  # every pair below has a guest, a helper or a party named here
    by_id = patterns_by_id(patterns)
    met = _met(events)
    out = []
    absent = _ABSENCE.search(text)
    guest = guest_re.search(text)
    if guest and not absent:
        host = host_here
        if host is None and guest.group(1):
            # "watched the parade with foreign guests": the subject received them
            host = _subject_before(text, refs, guest.start())
        implied_host = False
        if (
            host is None
            and state.host
            and state.sentence_index - state.host_seen <= int(_words()["host_reach"])
        ):
            host, implied_host = state.host, True
        trig = _trigger(by_id.get("host"), text, guest.start(), guest.end())
        if host is not None and trig is not None:
            src = implied(host, trig) if implied_host else host
            guests = [
                r
                for r in refs
                if r.start >= guest.end()
                and _party(r)
                and r.country != host.country
                and preposition_before(text, r) not in _AT
            ]
            pairs = [(src, g) for g in guests if frozenset((host.country, g.country)) not in met]
            if pairs:
                out.append((trig, pairs, "the host of the gathering", "a guest named after it"))
    for m in (facilitated_re.search(text), mediator_re.search(text)):
        if m is None or absent:
            continue
        trig = _trigger(by_id.get("mediate"), text, m.start(), m.end())
        if trig is None:
            continue
        if m.re is facilitated_re:
            helpers = _list_after(text, refs, m.end())
        else:
            helpers = [r for r in refs if r.end <= m.start() and _party(r)]
        mine = {h.country for h in helpers}
        sides = [
            r
            for r in refs
            if _party(r) and r not in helpers and r.country not in mine | state.mediators
        ]
        if len({r.country for r in sides}) < 2:
            sides = [implied(r, trig) for r in _others(state, mine)]
        pairs = [
            (h, s)
            for h in _one_per_country(helpers)
            for s in _one_per_country(sides)
            if frozenset((h.country, s.country)) not in met
        ]
        if pairs:
            out.append((trig, pairs, "a facilitator or mediator", "each party of the talks"))
        state.mediators |= {c for c in mine if c}
    return out


#: "A and B were joined by C in announcing ...": C does the act too
_JOINED_BY = re.compile(r"\bjoined\s+by\b", re.IGNORECASE)


def joined_by(
    text: str, refs: list[ActorRef], trig: Trigger, sources: list[ActorRef]
) -> list[ActorRef]:
    """The actors who joined the sources in the act ("were joined by Spain in announcing",
    "joined by France and Italy, the two countries condemned ..."), when the act follows
    the list; none of the sources' own countries."""
    m = _JOINED_BY.search(text, 0, trig.start)
    if m is None or not sources:
        return []
    joined = _list_after(text, refs, m.end())
    if not joined or not re.fullmatch(
        r"[\s,]*(?:(?:today|on\s+\w+day|this\s+week)[\s,]*)?(?:in|for|on|to|,)?\s*(?:\w+\s+)?",
        text[max(r.end for r in joined) : trig.start],
        re.IGNORECASE,
    ):
        return []
    own = {s.country for s in sources}
    return [r for r in _one_per_country(joined) if r.country not in own]


#: group words that name countries (not "the two leaders", "the two sides")
_COUNTRY_GROUP = re.compile(r"\b(?:countries|nations|states|governments)\b", re.IGNORECASE)


def note_act_pair(state: State, events: list[Event]) -> None:
    """Remember the two countries one act of this sentence was done to (or by): the pair
    a "the two countries" in the next sentence most likely means."""
    by_trigger: dict[int, list[Event]] = {}
    for ev in events:
        by_trigger.setdefault(ev.trigger.start, []).append(ev)
    for evs in by_trigger.values():
        sources = _one_per_country([e.source for e in evs])
        targets = _one_per_country([e.target for e in evs])
        for one, two in ((sources, targets), (targets, sources)):
            if len(one) == 1 and len(two) == 2 and one[0].country not in {t.country for t in two}:
                state.act_pair, state.act_pair_at = two, state.sentence_index
                return


def two_named(ref: ActorRef, state: State) -> list[ActorRef]:
    """The pair "the two countries" means when the sentence before did one act to two
    countries ("Israel recalled its ambassadors from Ireland and Norway"); empty
    otherwise (the pair that met, or the article's dyad, then stands)."""
    if state.act_pair_at == state.sentence_index - 1 and _COUNTRY_GROUP.search(ref.text):
        return list(state.act_pair)
    return []


#: date expressions that name one day (not a year, a month or "recently")
_DAY_KINDS = ("iso", "mdy", "dmy", "weekday", "today")


@functools.lru_cache(maxsize=1)
def _same_day() -> re.Pattern[str]:
    return re.compile(
        r"^\W*(?:" + "|".join(str(w) for w in _words()["same_day_openers"]) + r")\b",
        re.IGNORECASE,
    )


def note_day(text: str, state: State, events: list[Event]) -> None:
    """Remember the day of this sentence's acts when the sentence states it itself; for a
    sentence with no coded act ("The prime minister reached Nigeria on Sunday"), the day
    it names, when it names one day."""
    found = dates_in(text)
    if not found:
        return
    dated = next((ev for ev in events if ev.day is not None), None)
    if dated is not None and dated.day is not None:
        state.last_day = (dated.day, dated.exact, dated.date_reason, state.sentence_index)
    elif not events and len(found) == 1 and found[0].kind in _DAY_KINDS:
        day, exact, why = resolve_expr(
            found[0], state.dates.published, state.dates.year_hint, anchor=state.dates.main
        )
        if day is not None:
            state.last_day = (day, exact, why, state.sentence_index)


def continued_day(text: str, state: State) -> tuple[dt.date, bool, str] | None:
    """The day of the sentence before when this one continues its act without a date of
    its own ("Modi arrived in Abuja on Sunday. During the visit, he met Tinubu")."""
    last = state.last_day
    if last is None or last[3] != state.sentence_index - 1 or dates_in(text):
        return None
    if not _same_day().search(text):
        return None
    return last[0], last[1], f"the day of the act the sentence continues ({last[2]})"
