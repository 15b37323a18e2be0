"""The lexical pass: the actors of a sentence, resolved against the article's context,
and the article-level facts (dateline country, sports report, the dyad) that the later
stages read. Cheap and run on every sentence; only sentences with a trigger and an actor
go on to the parse."""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from importlib import resources

import yaml

from tidings.actors import ActorRef, ActorTables, fold, load_tables
from tidings.coder.common import CoderOptions, State
from tidings.coder.discourse import note_groups, numbered_groups, two_named
from tidings.model import Article
from tidings.ner import find_actors, preposition_before
from tidings.patterns import Pattern, load_patterns
from tidings.text import Sentence, split_sentences

_COMMEMORATION = re.compile(r"\b(?:anniversary|commemorat\w*)\b", re.IGNORECASE)
#: what opens another clause between a subject and a pronoun ("Putin said Xi told him")
_CLAUSE_BREAK = re.compile(
    r"\b(?:said|says|that|who|whom|which|when|after|before|while|as|because|if)\b|[,;:]",
    re.IGNORECASE,
)
_SPEECH_VERB = re.compile(r"\s*,?\s*(?:said|says|added|told|stated|wrote|posted)\b", re.I)


def remember(state: State, ref: ActorRef) -> None:
    if ref.kind == "person" and ref.country:
        state.ctx.last_person_by_country[ref.country] = ref
        person = state.tables.people.get(ref.id)
        tenures = person.roles_on(state.ctx.day) if person else []
        roles = {t.role for t in tenures}
        # a president who also heads the government is never "the PM" / "the premier"
        titled = {
            t.role
            for t in tenures
            if not (t.role == "head_of_government" and (t.title or "").lower() == "president")
        }
        for role in titled | ({ref.role} if ref.role else set()):
            state.ctx.last_person_by_role[role] = ref
            counts = state.ctx.role_mentions.setdefault(role, {})
            counts[ref.id] = counts.get(ref.id, 0) + 1
        if roles & {"party_leader", "head_of_state", "head_of_government"}:
            state.ctx.last_person_by_role["leader"] = ref
        state.last_person = ref


def resolve(
    ref: ActorRef, state: State, subject: ActorRef | None, text: str = ""
) -> list[ActorRef]:
    """Concrete actors a reference stands for (empty when unknown; ``text``: the sentence,
    to tell whether a pronoun shares its clause with the subject)."""
    if ref.kind == "pronoun":
        word = ref.id
        if word in ("they", "their", "them"):
            pair = state.meeting_pair or state.dyad
            return list(pair) if len(pair) >= 2 else []
        if word in ("we", "our", "us", "i", "my", "me"):
            # "we" in a quotation is the speaker's side ("we will ...," Modi said)
            return [state.speaker] if state.speaker is not None else []
        if word in ("he", "she") and subject is not None and subject.kind == "person":
            return [subject]
        if word == "its":
            return [subject] if subject is not None and subject.kind != "person" else []
        if word == "him" and subject is not None and subject.kind == "person" and text:
            if not _CLAUSE_BREAK.search(text[subject.end : ref.start]):
                # an object pronoun is not its own clause's subject ("Mori congratulated
                # him"; that would be "himself"): the other side of the article's pair
                other = partner(state, subject.country)
                return [other] if other is not None else []
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
        if ref.members:
            return list(ref.members)
        pair = two_named(ref, state) or state.meeting_pair or state.dyad
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
        counts = state.ctx.role_mentions.get(ref.role or "", {})
        if last is not None and counts and counts.get(last.id, 0) < max(counts.values()):
            # "the PM" in a tour report after a list of his hosts: the holder the article
            # is about (named most often), not the last one named
            main = max(counts, key=lambda k: counts[k])
            last = next(
                (
                    r
                    for r in [state.last_subject, state.last_person]
                    + list(state.ctx.last_person_by_country.values())
                    if r is not None and r.id == main
                ),
                last,
            )
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


def sentence_refs(text: str, state: State) -> list[ActorRef]:
    """The concrete actors a sentence's actor mentions stand for, resolved left to right
    so "his" can see the subject of its sentence."""
    raw_refs = find_actors(text, state.tables, state.ctx)
    note_groups(text, raw_refs, state)
    groups = numbered_groups(text, state)
    if groups:
        # "the three governments" stands for the countries named together before it
        raw_refs = [
            r for r in raw_refs if not any(g.start <= r.start < g.end for g in groups)
        ] + groups
        raw_refs.sort(key=lambda r: r.start)
    if len(state.dyad) < 2:
        set_dyad_from(
            state, [r for r in raw_refs if r.kind in ("person", "country", "org", "role")]
        )
    speaker = quote_speaker(text, raw_refs)
    if speaker is not None and speaker.kind == "pronoun":
        # '"...," he added': the speaker is whom "he" refers to
        found = resolve(speaker, state, None)
        speaker = found[0] if found else None
    state.speaker = speaker
    refs: list[ActorRef] = []
    subject: ActorRef | None = None
    for ref in raw_refs:
        for r in resolve(ref, state, subject, text):
            if ref.kind in ("pronoun", "group", "counterpart", "role", "agent") and r is not ref:
                # the actor it stands for, with the words that referred to it
                r = replace(
                    r,
                    start=ref.start,
                    end=ref.end,
                    text=ref.text,
                    possessive=ref.possessive,
                    plural=False,
                    members=[],
                )
            refs.append(r)
            if subject is None and not preposition_before(text, ref):
                subject = r
    refs.sort(key=lambda r: r.start)
    if len(state.dyad) < 2:
        set_dyad_from(state, refs)
    return refs


def dateline_country(tables: ActorTables, first_lines: list[str]) -> str | None:
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


def prepare(
    article: Article, options: CoderOptions | None
) -> tuple[ActorTables, tuple[Pattern, ...], list[Sentence]]:
    options = options or CoderOptions()
    tables = load_tables(tuple(options.actors_files))
    patterns = load_patterns(tuple(options.patterns_files), tuple(options.exclude_patterns))
    return tables, patterns, split_sentences(article.text)


@functools.lru_cache(maxsize=1)
def _sports_terms() -> tuple[re.Pattern[str], int]:
    res = resources.files("tidings") / "data" / "contexts.yaml"
    spec = yaml.safe_load(res.read_text(encoding="utf-8"))["sports"]
    terms = sorted((str(t) for t in spec["terms"]), key=len, reverse=True)
    regex = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b", re.IGNORECASE)
    return regex, int(spec.get("min_terms", 3))


def is_sports(text: str) -> bool:
    """Whether an article reads as a sports report (distinct sports words it uses)."""
    regex, needed = _sports_terms()
    return len({m.group(1).lower() for m in regex.finditer(text)}) >= needed


def quote_speaker(text: str, refs: list[ActorRef]) -> ActorRef | None:
    """The speaker of a quotation in this sentence: '"...," PM Modi said', '"...," said
    Modi', 'Tinubu ..., saying, "..."'. None when the sentence quotes nobody."""
    if not any(q in text for q in ('"', "“", "”")):
        return None
    concrete = [
        r
        for r in refs
        if (r.kind in ("person", "country", "org", "role") and r.country)
        or (r.kind == "pronoun" and r.id in ("he", "she"))
    ]
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


def partner(state: State, iso: str | None) -> ActorRef | None:
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


def set_dyad_from(state: State, refs: list[ActorRef]) -> None:
    """The first two countries a sentence names: the article's dyad until events say more."""
    countries: list[ActorRef] = []
    for r in refs:
        if r.country and r.country not in [c.country for c in countries]:
            countries.append(r)
    if len(countries) >= 2:
        state.dyad = countries[:2]


#: words that stand for actors without a table entry (resolved from the context)
_REFERRING = re.compile(
    r"\b(?:he|she|they|we|his|her|their|our|its|both|two|counterparts?|sides|leaders|"
    r"ministry|government|officials|spokes(?:man|woman|person)|three|four|five|six|seven|"
    r"eight|nine|ten)\b",
    re.IGNORECASE,
)


def has_parties(text: str, tables: ActorTables) -> bool:
    """Whether a sentence names two parties, or one and a word that refers to another: a
    sentence with a live trigger then needs a parse (one actor alone has no partner to act
    on: the lexical rules, which may pair it with the article's dyad, decide it unparsed)."""
    names = len(tables.raw_matches(fold(text)))
    return names >= 2 or (names >= 1 and bool(_REFERRING.search(text)))
