"""Checks on the reference data files: countries, organisations and the CAMEO table.

These files are hand-written knowledge that users extend; a typo in them (a wrong ISO
code, a name given to two countries, a CAMEO code in the wrong quad class) silently
corrupts every event coded afterwards, so the tests check the files as data.
"""

from __future__ import annotations

import collections
from importlib.resources import files

import pycountry
import pytest
import yaml

from tidings import cameo
from tidings.errors import TidingsError

DATA = files("tidings").joinpath("data")
NON_ISO_ACTORS = {"XKX"}  # Kosovo: user-assigned code used by the EU, IMF and ICEWS
ISO3 = {c.alpha_3 for c in pycountry.countries}
AGENTS = {"GOV", "MIL", "PTY", "LEG", "JUD", "COP", "SPY", "BUS", "MED", "REB", "DIP", "OPP"}
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


def _yaml(name: str) -> list[dict]:
    return yaml.safe_load(DATA.joinpath(name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return _yaml("countries.yaml")


@pytest.fixture(scope="module")
def by_iso(countries: list[dict]) -> dict[str, dict]:
    return {c["iso3"]: c for c in countries}


@pytest.fixture(scope="module")
def organisations() -> list[dict]:
    return _yaml("organisations.yaml")


def _surface_forms(entry: dict) -> list[str]:
    return [entry["name"], *entry["names"], *entry["adjectives"], *entry["demonyms"]]


def _collisions(entries: list[tuple[str, str, bool]]) -> list[str]:
    """Strings claimed by two owners where at least one owner did not mark them ambiguous."""
    owners: dict[str, set[tuple[str, bool]]] = collections.defaultdict(set)
    for owner, text, ambiguous in entries:
        owners[text].add((owner, ambiguous))
    bad = []
    for text, claims in owners.items():
        if len({o for o, _ in claims}) > 1 and not all(a for _, a in claims):
            bad.append(f"{text!r} -> {sorted(claims)}")
    return bad


# ---------------------------------------------------------------- countries


def test_every_country_code_is_iso_or_allowed(countries):
    codes = [c["iso3"] for c in countries]
    assert len(codes) == len(set(codes)), "duplicate iso3"
    unknown = set(codes) - ISO3 - NON_ISO_ACTORS
    assert not unknown, f"not ISO 3166-1 alpha-3: {sorted(unknown)}"


def test_every_iso_country_is_present(countries):
    missing = ISO3 - {c["iso3"] for c in countries}
    assert not missing, f"ISO countries with no entry: {sorted(missing)}"


def test_country_entries_are_well_formed(countries):
    for c in countries:
        where = c["iso3"]
        assert isinstance(c["name"], str) and c["name"], where
        for key in ("names", "adjectives", "demonyms"):
            assert isinstance(c[key], list), (where, key)
            assert all(isinstance(x, str) and x.strip() == x and x for x in c[key]), (where, key)
        assert isinstance(c["metonyms"], dict), where
        assert set(c["metonyms"].values()) <= AGENTS, where
        assert isinstance(c["ambiguous"], bool), where
        amb = c.get("ambiguous_names", [])
        assert set(amb) <= set(_surface_forms(c)), (where, set(amb) - set(_surface_forms(c)))
        if c["ambiguous"]:
            assert c["name"] in amb, f"{where}: ambiguous but its name is not in ambiguous_names"
        if c.get("territory"):
            assert not c["metonyms"], f"{where}: territories get no metonyms"


def test_no_name_points_to_two_countries_unless_marked(countries):
    claims = []
    for c in countries:
        amb = set(c.get("ambiguous_names", []))
        for text in _surface_forms(c):
            claims.append((c["iso3"], text, text in amb))
        for text in c["metonyms"]:
            claims.append((c["iso3"], text, False))
    assert _collisions(claims) == []


def test_a_metonym_is_never_another_countrys_name(countries):
    names = {t: c["iso3"] for c in countries for t in _surface_forms(c)}
    for c in countries:
        for place in c["metonyms"]:
            assert names.get(place, c["iso3"]) == c["iso3"], (c["iso3"], place)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Burma", "MMR"),
        ("Czech Republic", "CZE"),
        ("DPRK", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("U.S.", "USA"),
        ("Britain", "GBR"),
        ("UAE", "ARE"),
        ("Holland", "NLD"),
        ("Russian Federation", "RUS"),
        ("People's Republic of China", "CHN"),
        ("Lao PDR", "LAO"),
        ("DRC", "COD"),
        ("Congo-Brazzaville", "COG"),
        ("Việt Nam", "VNM"),
        ("Viet Nam", "VNM"),
        ("Kosovo", "XKX"),
        ("Palestine", "PSE"),
        ("Taiwan", "TWN"),
    ],
)
def test_known_names(countries, text, iso3):
    owners = {c["iso3"] for c in countries if text in _surface_forms(c)}
    assert owners == {iso3}


@pytest.mark.parametrize(
    ("iso3", "adjective"),
    [
        ("USA", "American"),
        ("USA", "U.S."),
        ("GBR", "British"),
        ("KOR", "South Korean"),
        ("PRK", "North Korean"),
        ("ARE", "Emirati"),
        ("SAU", "Saudi"),
        ("PHL", "Filipino"),
        ("PHL", "Philippine"),
        ("LAO", "Lao"),
        ("LAO", "Laotian"),
        ("KHM", "Khmer"),
        ("MMR", "Burmese"),
        ("NLD", "Dutch"),
        ("KGZ", "Kyrgyz"),
        ("VNM", "Vietnamese"),
    ],
)
def test_known_adjectives(by_iso, iso3, adjective):
    assert adjective in by_iso[iso3]["adjectives"]


@pytest.mark.parametrize(
    ("iso3", "place", "agent"),
    [
        ("RUS", "Kremlin", "GOV"),
        ("RUS", "Moscow", "GOV"),
        ("USA", "White House", "GOV"),
        ("USA", "Pentagon", "MIL"),
        ("USA", "Capitol Hill", "LEG"),
        ("CHN", "Zhongnanhai", "GOV"),
        ("VNM", "Hà Nội", "GOV"),
        ("VNM", "Hanoi", "GOV"),
        ("UKR", "Kiev", "GOV"),
        ("PAK", "Rawalpindi", "MIL"),
        ("ISR", "Jerusalem", "GOV"),
        ("PHL", "Malacañang", "GOV"),
        ("SGP", "Singapore", "GOV"),
        ("FRA", "Élysée", "GOV"),
        ("BRA", "Brasilia", "GOV"),
    ],
)
def test_known_metonyms(by_iso, iso3, place, agent):
    assert by_iso[iso3]["metonyms"].get(place) == agent


def test_places_that_must_not_be_metonyms(countries):
    all_metonyms = {m for c in countries for m in c["metonyms"]}
    # Brussels stands for the EU/NATO, Tel Aviv is not Israel's seat, the others are
    # common words or names shared with other places.
    for place in ("Brussels", "Tel Aviv", "Victoria", "Kingston", "Georgetown", "Sanaa"):
        assert place not in all_metonyms, place


def test_ambiguous_countries_are_marked(by_iso):
    for iso3 in ("JOR", "TCD", "GEO", "TUR", "GIN", "NER", "TGO", "MLI"):
        assert by_iso[iso3]["ambiguous"] is True, iso3
    assert by_iso["VNM"]["ambiguous"] is False
    assert "Congo" in by_iso["COD"]["ambiguous_names"]
    assert "Congo" in by_iso["COG"]["ambiguous_names"]


# ---------------------------------------------------------------- organisations


def test_organisation_entries_are_well_formed(organisations):
    ids = [o["id"] for o in organisations]
    assert len(ids) == len(set(ids)), "duplicate organisation id"
    kinds = {
        "igo", "ngo", "party", "government", "ministry", "agency", "legislature",
        "military", "media", "armed_group",
    }  # fmt: skip
    for o in organisations:
        where = o["id"]
        assert o["kind"] in kinds, where
        assert isinstance(o["aliases"], list), where
        assert o["cameo"].isupper() and o["cameo"].isalpha(), where
        assert len(o["cameo"]) % 3 == 0, where
        if o["country"] is None:
            assert o["agent"] is None, where
            assert o["cameo"][:3] in {"IGO", "NGO", "IMG"}, where
        else:
            assert o["country"] in ISO3 | NON_ISO_ACTORS, where
            assert o["agent"] in AGENTS, where
            assert o["cameo"] == o["country"] + o["agent"], where
        amb = set(o.get("ambiguous_aliases", []))
        assert amb <= {o["name"], *o["aliases"]}, where


def test_no_alias_points_to_two_organisations_unless_marked(organisations):
    claims = []
    for o in organisations:
        amb = set(o.get("ambiguous_aliases", []))
        for text in (o["name"], *o["aliases"]):
            claims.append((o["id"], text, text in amb))
    assert _collisions(claims) == []


@pytest.mark.parametrize(
    ("alias", "cameo", "country", "agent"),
    [
        ("UN", "IGOUNO", None, None),
        ("ASEAN", "IGOASN", None, None),
        ("NATO", "IGONAT", None, None),
        ("IAEA", "IGOUNOIAE", None, None),
        ("EU", "IGOEEC", None, None),
        ("CPV", "VNMPTY", "VNM", "PTY"),
        ("United Russia", "RUSPTY", "RUS", "PTY"),
        ("KCNA", "PRKMED", "PRK", "MED"),
        ("Xinhua", "CHNMED", "CHN", "MED"),
        ("IRGC", "IRNMIL", "IRN", "MIL"),
        ("Knesset", "ISRLEG", "ISR", "LEG"),
        ("U.S. Congress", "USALEG", "USA", "LEG"),
        ("Hezbollah", "LBNREB", "LBN", "REB"),
    ],
)
def test_known_organisations(organisations, alias, cameo, country, agent):
    found = [o for o in organisations if alias == o["name"] or alias in o["aliases"]]
    assert len(found) == 1, alias
    o = found[0]
    assert (o["cameo"], o["country"], o["agent"]) == (cameo, country, agent)


def test_no_country_is_also_an_organisation(organisations, countries):
    """'the EU' is an organisation, never a country, and the two files must not fight."""
    country_strings = {t for c in countries for t in _surface_forms(c)}
    for o in organisations:
        for text in (o["name"], *o["aliases"]):
            assert text not in country_strings, (o["id"], text)
    assert "EU" not in {c["iso3"] for c in countries}


# ---------------------------------------------------------------- CAMEO table


def test_cameo_table_is_complete_and_consistent():
    codes = cameo.all_codes()
    assert 300 <= len(codes) <= 320
    by_code = {c.code: c for c in codes}
    assert [f"{r:02d}" for r in range(1, 21)] == sorted(c for c in by_code if len(c) == 2)
    quad = {**dict.fromkeys(range(1, 6), 1), **dict.fromkeys(range(6, 9), 2)}
    quad |= {**dict.fromkeys(range(9, 14), 3), **dict.fromkeys(range(14, 21), 4)}
    for c in codes:
        assert c.root == c.code[:2]
        assert 1 <= int(c.root) <= 20
        assert c.quad_class == quad[int(c.root)], c.code
        assert -10.0 <= c.goldstein <= 10.0, c.code
        assert c.name and c.name == c.name.strip(), c.code
        assert c.plover_type is None or c.plover_type in PLOVER_TYPES, c.code
        if len(c.code) == 4:
            assert c.code[:3] in by_code, f"{c.code} has no parent"
        if len(c.code) == 3:
            assert c.code[:2] in by_code


@pytest.mark.parametrize(
    ("code", "name", "goldstein", "quad", "plover"),
    [
        ("042", "Make a visit", 1.9, 1, ("CONSULT", "visit")),
        ("057", "Sign formal agreement", 8.0, 1, ("SUPPORT", None)),
        ("111", "Criticize or denounce", -2.0, 3, ("ACCUSE", "disapprove")),
        ("163", "Impose embargo, boycott, or sanctions", -8.0, 4, ("COERCE", "restrict")),
        ("190", "Use conventional military force", -10.0, 4, ("ASSAULT", None)),
        ("018", "Make empathetic comment", 3.4, 1, (None, None)),
        ("0871", "Declare truce, ceasefire", 9.0, 2, ("RETREAT", "ceasefire")),
    ],
)
def test_lookup_known_codes(code, name, goldstein, quad, plover):
    c = cameo.lookup(code)
    assert (c.code, c.name, c.goldstein, c.quad_class) == (code, name, goldstein, quad)
    assert (c.plover_type, c.plover_mode) == plover


def test_root_names():
    assert cameo.root_name("04") == "Consult"
    assert cameo.root_name("195") == "Fight"
    assert cameo.QUAD_CLASS_NAMES[cameo.lookup("173").quad_class] == "Material conflict"


@pytest.mark.parametrize("bad", ["999", "21", "", "4", "0421x", None])
def test_unknown_codes_raise_a_tidings_error(bad):
    with pytest.raises(cameo.UnknownCameoCode) as info:
        cameo.lookup(bad)
    assert isinstance(info.value, TidingsError)
    assert isinstance(info.value, KeyError)
    assert "unknown CAMEO event code" in str(info.value)


HEADER = "code\tname\tgoldstein\tquad_class\tplover_type\tplover_mode\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("code\tname\n", "header"),
        (HEADER + "042\tMake a visit\t1.9\t1\tCONSULT\n", "columns"),
        (HEADER + "042\tA\t1.9\t1\t\t\n042\tB\t1.9\t1\t\t\n", "duplicate"),
        (HEADER + "042\tMake a visit\t1.9\t3\t\t\n", "quad_class"),
        (HEADER + "2201\tNope\t0\t4\t\t\n", "bad CAMEO code"),
        (HEADER + "042\tMake a visit\thigh\t1\t\t\n", "test.tsv:2"),
    ],
)
def test_malformed_table_is_refused(body, message):
    with pytest.raises(TidingsError, match=message):
        cameo._parse(body, "test.tsv")
