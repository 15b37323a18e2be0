"""Actors: countries, organisations, people with tenures, and generic roles.

The knowledge is in data files (``data/countries.yaml``, ``organisations.yaml``,
``people.yaml``, ``agents.yaml``); this module loads them, builds one Aho-Corasick
automaton over every name, and finds actor mentions in a sentence. Names are matched
case-sensitively on diacritic-folded text ("Tô Lâm" and "To Lam" are one form), with
offsets that still point into the original text.

People are resolved *as of a date*: "the Russian President" on 2021-04-05 is the person
whose head-of-state tenure covers that day, so a table that knows tenures never goes
stale the way a flat dictionary does.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick_rs
import yaml

from tidings.errors import ActorTableError

__all__ = [
    "ActorRef",
    "ActorTables",
    "Country",
    "Organisation",
    "Person",
    "Tenure",
    "fold",
    "load_tables",
    "search_actors",
]

#: agent codes for people's roles, used in CAMEO actor codes (RUSGOV, VNMPTY, ...)
ROLE_AGENT = {
    "head_of_state": "GOV",
    "head_of_government": "GOV",
    "vice_head_of_state": "GOV",
    "deputy_head_of_government": "GOV",
    "foreign_minister": "GOV",
    "defence_minister": "MIL",
    "party_leader": "PTY",
    "legislature_speaker": "LEG",
    "crown_prince": "GOV",
    "military_chief": "MIL",
    "security_chief": "COP",
    "spokesperson": "GOV",
    "ambassador": "DIP",
    "opposition_leader": "OPP",
    "leader": "GOV",
}

# the order in which a country's "leader" is looked for
_LEADER_ROLES = ("party_leader", "head_of_state", "head_of_government")


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ch in "’‘":
        return "'"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if len(base) == 1 else ch


class _FoldTable(dict[int, str]):
    """Code point -> folded character, filled on first sight: `str.translate` then
    folds a whole text in C instead of one Python call per character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Strip diacritics one character for one character (offsets are preserved)."""
    if text.isascii():
        return text
    return text.translate(_FOLD_TABLE)


@dataclass(slots=True)
class Country:
    iso3: str
    name: str
    names: list[str]
    adjectives: list[str]
    demonyms: list[str]
    capital: str | None
    metonyms: dict[str, str]
    ambiguous: bool = False
    ambiguous_names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Organisation:
    id: str
    name: str
    aliases: list[str]
    cameo: str
    country: str | None
    agent: str | None
    kind: str
    #: aliases too ambiguous to use before the full name appeared ("PPP", "ICC")
    ambiguous_aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Tenure:
    role: str
    start: dt.date
    end: dt.date | None
    title: str | None = None
    org: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(slots=True)
class Person:
    id: str
    name: str
    aliases: list[str]
    short: list[str]
    country: str | None
    tenures: list[Tenure]
    died: dt.date | None = None

    def roles_on(self, day: dt.date | None) -> list[Tenure]:
        if day is None:
            return []
        return [t for t in self.tenures if t.covers(day)]

    def active_span(self) -> tuple[dt.date, dt.date] | None:
        if not self.tenures:
            return None
        end = max((t.end or dt.date.max) for t in self.tenures)
        return min(t.start for t in self.tenures), end


@dataclass(slots=True)
class ActorRef:
    """One actor mention in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str
    kind: str  # person | country | org | role | agent | group | pronoun | counterpart
    id: str = ""
    name: str = ""
    country: str | None = None
    agent: str | None = None
    role: str | None = None
    org: str | None = None
    plural: bool = False
    possessive: bool = False
    members: list[ActorRef] = field(default_factory=list)

    @property
    def code(self) -> str:
        """The CAMEO actor code: country (or IGO code) plus agent."""
        if self.kind in ("org", "person") and self.org and not self.country:
            return self.org
        if self.kind == "org" and self.id and not self.country:
            return self.id
        base = self.country or ""
        return base + (self.agent or "") if base else (self.agent or "")


# ---------------------------------------------------------------------------- loading


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ActorTableError(f"{where}: bad date {value!r}") from exc


def _read_yaml(source: Any, name: str) -> Any:
    try:
        text = source.read_text(encoding="utf-8")
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ActorTableError(f"{name}: cannot read actor table: {exc}") from exc


def _each_row(rows: list[dict[str, Any]], where: str, label: str, add: Any) -> None:
    """Call ``add(row)`` for each row; a malformed row is one clear error naming it."""
    for i, row in enumerate(rows or []):
        try:
            add(row)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ActorTableError(f"{where}: {label} #{i + 1}: {exc!r}") from exc


class ActorTables:
    """Everything the coder knows about actors, with one matcher over every name."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.orgs: dict[str, Organisation] = {}
        self.people: dict[str, Person] = {}
        self.titles: dict[str, dict[str, Any]] = {}
        self.agents: dict[str, str] = {}
        self.group_phrases: list[str] = []
        #: which office "the X leader" means, per country (default: head of state)
        self.leader_role: dict[str, str] = {}
        #: region adjective ("West African" -> "african") -> continent codes, for "the
        #: West African country"
        self.region_words: dict[str, set[str]] = {}
        self.group_re: re.Pattern[str] | None = None
        self._built = False

    # -- filling --------------------------------------------------------------------
    def add_countries(self, rows: list[dict[str, Any]], where: str) -> None:
        def add(row: dict[str, Any]) -> None:
            iso = str(row["iso3"]).upper()
            self.countries[iso] = Country(
                iso3=iso,
                name=row.get("name") or iso,
                names=list(row.get("names") or []),
                adjectives=list(row.get("adjectives") or []),
                demonyms=list(row.get("demonyms") or []),
                capital=row.get("capital"),
                metonyms=dict(row.get("metonyms") or {}),
                ambiguous=bool(row.get("ambiguous")),
                ambiguous_names=list(row.get("ambiguous_names") or []),
            )

        _each_row(rows, where, "country", add)
        self._built = False

    def add_orgs(self, rows: list[dict[str, Any]], where: str) -> None:
        def add(row: dict[str, Any]) -> None:
            oid = str(row["id"])
            self.orgs[oid] = Organisation(
                id=oid,
                name=row.get("name") or oid,
                aliases=list(row.get("aliases") or []),
                cameo=row.get("cameo") or oid,
                country=row.get("country"),
                agent=row.get("agent"),
                kind=row.get("kind") or "igo",
                ambiguous_aliases=list(row.get("ambiguous_aliases") or []),
            )

        _each_row(rows, where, "organisation", add)
        self._built = False

    def add_people(self, rows: list[dict[str, Any]], where: str) -> None:
        def add(row: dict[str, Any]) -> None:
            pid = str(row["id"])
            tenures = [
                Tenure(
                    role=r["role"],
                    start=_date(r.get("from"), f"{where}: {pid}") or dt.date.min,
                    end=_date(r.get("to"), f"{where}: {pid}"),
                    title=r.get("title"),
                    org=r.get("org"),
                )
                for r in row.get("roles") or []
            ]
            self.people[pid] = Person(
                id=pid,
                name=row.get("name") or pid,
                aliases=list(row.get("aliases") or []),
                short=list(row.get("short") or []),
                country=row.get("country"),
                tenures=tenures,
                died=_date(row.get("died"), f"{where}: {pid}"),
            )

        _each_row(rows, where, "person", add)
        self._built = False

    def add_agents(self, data: dict[str, Any], where: str) -> None:
        for title, spec in (data.get("titles") or {}).items():
            self.titles[title.lower()] = dict(spec)
        for noun, agent in (data.get("agents") or {}).items():
            self.agents[noun.lower()] = str(agent)
        self.group_phrases.extend(p.lower() for p in data.get("group_phrases") or [])
        for role, countries in (data.get("leader_roles") or {}).items():
            for iso in countries or []:
                self.leader_role[str(iso)] = str(role)
        for word, continents in (data.get("region_words") or {}).items():
            self.region_words[str(word).lower()] = {str(c) for c in continents or []}
        self._built = False

    def add_file(self, path: Path) -> None:
        """Add a user's actor file: a YAML mapping with any of ``countries``,
        ``organisations``, ``people``, ``titles``, ``agents`` (same formats as the
        packaged files). Entries with an existing id replace the packaged ones."""
        data = _read_yaml(Path(path), str(path))
        if not isinstance(data, dict):
            raise ActorTableError(
                f"{path}: expected a mapping with keys countries/organisations/people/titles/agents"
            )
        self.add_countries(data.get("countries") or [], str(path))
        self.add_orgs(data.get("organisations") or data.get("organizations") or [], str(path))
        self.add_people(data.get("people") or [], str(path))
        self.add_agents(data, str(path))

    # -- indexes --------------------------------------------------------------------
    def build(self) -> None:
        """Build the name automaton and the role index (once, after loading)."""
        surface: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)

        def add(form: str, kind: str, key: str, extra: str | None = None) -> None:
            form = form.strip()
            if len(form) < 2:
                return
            folded = fold(form)
            entry = (kind, key, extra)
            if entry not in surface[folded]:
                surface[folded].append(entry)

        for c in self.countries.values():
            risky = set(c.ambiguous_names) | ({c.name} if c.ambiguous else set())
            for n in [c.name, *c.names]:
                add(n, "country_risky" if n in risky else "country", c.iso3)
            for a in c.adjectives:
                add(a, "adjective", c.iso3)
            for d in c.demonyms:
                if d not in c.adjectives:
                    add(d, "demonym", c.iso3)
            for place, agent in c.metonyms.items():
                add(place, "metonym", c.iso3, str(agent))
                if place[0].isupper() and not place.startswith("the "):
                    add("the " + place, "metonym", c.iso3, str(agent))
        for o in self.orgs.values():
            risky_aliases = set(o.ambiguous_aliases)
            for n in [o.name, *o.aliases]:
                if n in risky_aliases:
                    add(n, "org_short", o.id)
                    continue
                add(n, "org", o.id)
                if not n.lower().startswith("the "):
                    add("the " + n, "org", o.id)
        for p in self.people.values():
            for n in [p.name, *p.aliases]:
                add(n, "person", p.id)
            for s in p.short:
                add(s, "short", p.id)
            # the last word of the usual name is how news refer back to most people;
            # like every short form it counts only after the full name appeared
            last = p.name.split()[-1] if p.name.split() else ""
            if len(last) >= 3 and last[0].isupper() and last not in p.short:
                add(last, "short", p.id)
        self._surface = dict(surface)
        owners: dict[str, set[str]] = defaultdict(set)
        for form, entries in surface.items():
            for kind, key, _ in entries:
                if kind in ("short", "person"):
                    owners[form].add(key)
        self._short_owners = dict(owners)
        self._forms = list(self._surface)
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        roles: dict[tuple[str, str], list[tuple[Tenure, Person]]] = defaultdict(list)
        for p in self.people.values():
            for t in p.tenures:
                owner = t.org or p.country or ""
                roles[(owner, t.role)].append((t, p))
        self._roles = dict(roles)
        titles = sorted(self.titles, key=len, reverse=True)
        self._title_re = re.compile(
            r"\b(" + "|".join(re.escape(t) for t in titles) + r")\b", re.IGNORECASE
        )
        agents = sorted(self.agents, key=len, reverse=True)
        self._agent_re = re.compile(
            r"(?:[A-Za-z-]+\s+){0,2}?(" + "|".join(re.escape(a) for a in agents) + r")\b",
            re.IGNORECASE,
        )
        phrases = sorted(set(self.group_phrases), key=len, reverse=True)
        self.group_re = (
            re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")
            if phrases
            else None
        )
        self._built = True

    def ensure_built(self) -> None:
        if not self._built:
            self.build()

    # -- lookups --------------------------------------------------------------------
    def holder(self, owner: str, role: str, day: dt.date | None) -> Person | None:
        """The person in ``role`` for ``owner`` (ISO3 or organisation id) on ``day``."""
        self.ensure_built()
        if day is None:
            return None
        if role == "leader":
            first = self.leader_role.get(owner, "head_of_state")
            for r in (first, *_LEADER_ROLES):
                found = self.holder(owner, r, day)
                if found:
                    return found
            return None
        best = None
        for tenure, person in self._roles.get((owner, role), ()):
            if tenure.covers(day) and "acting" not in (tenure.title or "").lower():
                return person
            if tenure.covers(day):
                best = person
        return best

    def raw_matches(self, folded: str) -> list[tuple[int, int, str]]:
        """(start, end, folded form) of every name in ``folded`` text, word-bounded."""
        self.ensure_built()
        out = []
        for idx, start, end in self._automaton.find_matches_as_indexes(folded):
            if start > 0 and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
                continue
            if (
                start > 1
                and folded[start - 1] == "-"
                and not (folded[start - 2].isupper() or folded[start - 2] in ". \t\n")
            ):
                # "pro-Palestinian" is not Palestine; "U.S.-South Korean" is Korea; after a
                # space the hyphen is a dash ("(Reuters) -Pakistan recalled")
                continue
            if end < len(folded) and (folded[end].isalnum() or folded[end] == "_"):
                continue
            out.append((start, end, self._forms[idx]))
        return out

    def entries(self, form: str) -> list[tuple[str, str, str | None]]:
        return self._surface.get(form, [])

    def person_ref(
        self, p: Person, start: int, end: int, text: str, day: dt.date | None
    ) -> ActorRef:
        roles = p.roles_on(day)
        role = roles[0].role if roles else None
        org = roles[0].org if roles else None
        if roles and any(r.role in ("head_of_state", "head_of_government") for r in roles):
            role = next(r.role for r in roles if r.role in ("head_of_state", "head_of_government"))
        agent = ROLE_AGENT.get(role or "", "GOV" if roles else None)
        if role == "org_head" and org:
            # "NATO Secretary General Stoltenberg" speaks for NATO, not for Norway
            o = self.orgs.get(org)
            return ActorRef(
                start,
                end,
                text,
                "person",
                id=p.id,
                name=p.name,
                country=o.country if o else None,
                agent=o.agent if o else None,
                role=role,
                org=o.cameo if o else org,
            )
        return ActorRef(
            start,
            end,
            text,
            "person",
            id=p.id,
            name=p.name,
            country=p.country,
            agent=agent,
            role=role,
            org=org,
        )

    def country_ref(
        self, iso: str, start: int, end: int, text: str, agent: str | None = None
    ) -> ActorRef:
        c = self.countries.get(iso)
        return ActorRef(
            start,
            end,
            text,
            "country",
            id=iso,
            name=c.name if c else iso,
            country=iso,
            agent=agent,
        )

    def org_ref(self, oid: str, start: int, end: int, text: str) -> ActorRef:
        o = self.orgs[oid]
        return ActorRef(
            start,
            end,
            text,
            "org",
            id=o.id,
            name=o.name,
            country=o.country,
            agent=o.agent,
            org=None if o.country else o.cameo,
        )

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Actors whose names contain ``query`` (case- and accent-insensitive)."""
        self.ensure_built()
        q = fold(query).lower().strip()
        if not q:
            return []
        out: list[dict[str, Any]] = []
        for p in self.people.values():
            if any(q in fold(n).lower() for n in [p.name, *p.aliases]):
                out.append(
                    {
                        "id": p.id,
                        "name": p.name,
                        "kind": "person",
                        "country": p.country,
                        "roles": [
                            {
                                "role": t.role,
                                "title": t.title,
                                "org": t.org,
                                "from": t.start.isoformat(),
                                "to": t.end.isoformat() if t.end else None,
                            }
                            for t in p.tenures
                        ],
                    }
                )
        for c in self.countries.values():
            if any(q in fold(n).lower() for n in [c.name, *c.names, *c.adjectives]):
                out.append(
                    {
                        "id": c.iso3,
                        "name": c.name,
                        "kind": "country",
                        "country": c.iso3,
                        "roles": [],
                    }
                )
        for o in self.orgs.values():
            if any(q in fold(n).lower() for n in [o.name, *o.aliases]):
                out.append(
                    {
                        "id": o.id,
                        "name": o.name,
                        "kind": "organisation",
                        "country": o.country,
                        "code": o.cameo,
                        "roles": [],
                    }
                )
        out.sort(key=lambda d: (not fold(d["name"]).lower().startswith(q), d["name"]))
        return out[:limit]


_PACKAGED = ("countries.yaml", "organisations.yaml", "people.yaml", "agents.yaml")


def load_tables(extra_files: tuple[Path, ...] = ()) -> ActorTables:
    """The packaged tables plus the user's files (cached: load once per process)."""
    return _load_tables(tuple(Path(p) for p in extra_files))


@functools.lru_cache(maxsize=8)
def _load_tables(extra_files: tuple[Path, ...]) -> ActorTables:
    tables = ActorTables()
    base = resources.files("tidings") / "data"
    for name in _PACKAGED:
        res = base / name
        if not res.is_file():
            continue
        data = _read_yaml(res, name)
        if name == "countries.yaml":
            tables.add_countries(data, name)
        elif name == "organisations.yaml":
            tables.add_orgs(data, name)
        elif name == "people.yaml":
            tables.add_people(data, name)
        else:
            tables.add_agents(data, name)
    for path in extra_files:
        tables.add_file(Path(path))
    tables.build()
    return tables


def search_actors(query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Search the packaged actor tables by name (for the API's ``/actors``)."""
    return load_tables().search(query, limit)
