"""Checks on the packaged people table (src/tidings/data/people.yaml).

The coder resolves "the Russian President" on a given day to whoever's tenure covers
that day, so the table must parse, use the agreed vocabulary and keep tenures of one
office from overlapping; a few facts are pinned so they cannot silently regress.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

PEOPLE = Path(__file__).resolve().parents[1] / "src" / "tidings" / "data" / "people.yaml"

ROLES = {
    "head_of_state",
    "head_of_government",
    "vice_head_of_state",
    "deputy_head_of_government",
    "foreign_minister",
    "defence_minister",
    "party_leader",
    "legislature_speaker",
    "crown_prince",
    "military_chief",
    "security_chief",
    "spokesperson",
    "org_head",
    "opposition_leader",
    "other",
}
ORGS = {
    "UN",
    "EU",
    "NATO",
    "WHO",
    "IAEA",
    "ASEAN",
    "AU",
    "IMF",
    "WB",
    "WTO",
    "OPEC",
    "ICC",
    "OSCE",
    "LAS",
    "GCC",
    "OIC",
    "SCO",
    "BRICS",
    "CIS",
    "OAS",
    "ECOWAS",
    "UNHCR",
    "UNICEF",
    "WFP",
    "UNESCO",
    "FAO",
    "ILO",
    "OPCW",
    "ICJ",
    "UNRWA",
    "UNDP",
    "CSTO",
    "APEC",
    "COE",
}
#: codes that are not ISO 3166-1 alpha-3 but are allowed as `country`
EXTRA_COUNTRIES = {"XKX"}
PERSON_KEYS = {"id", "name", "aliases", "short", "country", "died", "roles", "org"}
ROLE_KEYS = {"role", "title", "org", "from", "to"}
TODAY = dt.date(2026, 11, 23)

#: (country, role) pairs allowed to overlap by more than the slack below, with the ids
#: involved: co-holders, acting holders alongside suspended ones, disputed offices.
OVERLAP_SLACK_DAYS = 3
OVERLAP_EXCEPTIONS: set[frozenset[str]] = {
    # Putin stayed Prime Minister while acting President (Dec 1999 - May 2000)
    frozenset({"vladimir-putin", "boris-yeltsin"}),
    # South Korean presidents suspended by impeachment while acting presidents served
    frozenset({"park-geun-hye", "hwang-kyo-ahn"}),
    frozenset({"yoon-suk-yeol", "han-duck-soo"}),
    frozenset({"yoon-suk-yeol", "choi-sang-mok"}),
}


def _load() -> list[dict]:
    data = yaml.safe_load(PEOPLE.read_text(encoding="utf-8"))
    assert isinstance(data, list), "people.yaml must be a YAML list"
    return data


@pytest.fixture(scope="module")
def people() -> list[dict]:
    return _load()


def _as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _tenures(people: list[dict]):
    for person in people:
        for role in person["roles"]:
            yield person, role, _as_date(role["from"]), _as_date(role["to"])


def holders(people: list[dict], country: str, role: str, day: dt.date) -> set[str]:
    """Ids of the people holding `role` for `country` (or org) on `day`."""
    found = set()
    for person, r, start, end in _tenures(people):
        where = r.get("org") or person.get("country")
        if r["role"] != role or where != country:
            continue
        if start <= day and (end is None or day < end or (end == day == start)):
            found.add(person["id"])
    return found


def test_people_file_parses_and_has_the_agreed_shape(people: list[dict]) -> None:
    assert len(people) > 100
    for person in people:
        assert set(person) <= PERSON_KEYS, person.get("id")
        assert {"id", "name", "aliases", "country", "roles"} <= set(person), person.get("id")
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", person["id"]), person["id"]
        assert person["name"].isascii(), person["id"]
        for key in ("aliases", "short"):
            values = person.get(key) or []
            assert isinstance(values, list), (person["id"], key)
            for value in values:
                # YAML turns bare yes/no/on/off/null into non-strings: catch them here
                assert isinstance(value, str) and value.strip() == value and value, (
                    person["id"],
                    key,
                    value,
                )
        for value in person.get("short") or []:
            assert " " not in value, (person["id"], "short forms are single words", value)
        assert person["roles"], person["id"]
        for role in person["roles"]:
            assert set(role) <= ROLE_KEYS, (person["id"], role)
            assert role["role"] in ROLES, (person["id"], role["role"])
            assert isinstance(role.get("title"), str) and role["title"], (person["id"], role)
            if role["role"] == "org_head":
                assert role.get("org") in ORGS, (person["id"], role)
            if "org" in role:
                assert role["org"] in ORGS, (person["id"], role)


def test_ids_are_unique(people: list[dict]) -> None:
    seen: set[str] = set()
    for person in people:
        assert person["id"] not in seen, f"duplicate id {person['id']}"
        seen.add(person["id"])


def test_countries_are_alpha3_or_allowed_codes(people: list[dict]) -> None:
    valid = {c.alpha_3 for c in pycountry.countries} | EXTRA_COUNTRIES
    for person in people:
        country = person["country"]
        assert country is None or country in valid, (person["id"], country)
        if country is None:
            assert any("org" in r for r in person["roles"]), person["id"]


def test_dates_are_ordered_and_not_in_the_future(people: list[dict]) -> None:
    for person, role, start, end in _tenures(people):
        assert start is not None, (person["id"], role)
        assert start <= TODAY, (person["id"], role)
        if end is not None:
            assert start <= end, (person["id"], role)
            assert end <= TODAY, (person["id"], role)
        died = _as_date(person.get("died"))
        if died is not None:
            assert start <= died, (person["id"], role)
            assert end is not None and end <= died + dt.timedelta(days=1), (person["id"], role)


def test_top_offices_do_not_overlap(people: list[dict]) -> None:
    spans: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for person, role, start, end in _tenures(people):
        if role["role"] not in ("head_of_state", "head_of_government", "org_head"):
            continue
        where = role.get("org") or person["country"]
        # the EU has three heads at once (Commission, Council, High Representative)
        office = role["title"] if role["role"] == "org_head" else role["role"]
        spans[where, office].append((start, end or TODAY, person["id"]))
    problems = []
    for key, items in spans.items():
        items.sort()
        for i, (start_a, end_a, id_a) in enumerate(items):
            for start_b, end_b, id_b in items[i + 1 :]:
                if id_a == id_b or frozenset({id_a, id_b}) in OVERLAP_EXCEPTIONS:
                    continue
                overlap = (min(end_a, end_b) - max(start_a, start_b)).days
                if overlap > OVERLAP_SLACK_DAYS:
                    problems.append((key, id_a, id_b, overlap))
    assert not problems, problems


def test_short_forms_are_not_also_used_as_aliases(people: list[dict]) -> None:
    for person in people:
        aliases = set(person.get("aliases") or [])
        for value in person.get("short") or []:
            assert value not in aliases, (person["id"], value)


def test_vietnamese_leaders_have_diacritics_and_given_name_short_forms(
    people: list[dict],
) -> None:
    by_id = {p["id"]: p for p in people}
    assert "Tô Lâm" in by_id["to-lam"]["aliases"]
    assert "To Lam" in by_id["to-lam"]["aliases"]
    assert "Lam" in by_id["to-lam"]["short"]
    assert "Trong" in by_id["nguyen-phu-trong"]["short"]
    assert "Chinh" in by_id["pham-minh-chinh"]["short"]
    assert "Phuc" in by_id["nguyen-xuan-phuc"]["short"]


PINNED = [
    ("VNM", "party_leader", "2021-04-05", "nguyen-phu-trong"),
    ("VNM", "party_leader", "2025-05-09", "to-lam"),
    ("VNM", "head_of_state", "2024-06-20", "to-lam"),
    ("VNM", "head_of_state", "2025-01-01", "luong-cuong"),
    ("VNM", "head_of_state", "2021-08-09", "nguyen-xuan-phuc"),
    ("VNM", "head_of_state", "2023-06-23", "vo-van-thuong"),
    ("VNM", "head_of_government", "2023-12-11", "pham-minh-chinh"),
    ("VNM", "legislature_speaker", "2024-06-01", "tran-thanh-man"),
    ("VNM", "foreign_minister", "2022-01-01", "bui-thanh-son"),
    ("RUS", "head_of_state", "2021-04-05", "vladimir-putin"),
    ("RUS", "head_of_state", "2010-01-01", "dmitry-medvedev"),
    ("RUS", "head_of_government", "2010-01-01", "vladimir-putin"),
    ("RUS", "foreign_minister", "2023-01-01", "sergey-lavrov"),
    ("USA", "head_of_state", "2025-07-02", "donald-trump"),
    ("USA", "head_of_state", "2023-09-10", "joe-biden"),
    ("USA", "head_of_state", "2019-11-13", "donald-trump"),
    ("USA", "foreign_minister", "2025-07-02", "marco-rubio"),
    ("CHN", "head_of_state", "2024-08-19", "xi-jinping"),
    ("CHN", "head_of_government", "2020-01-01", "li-keqiang"),
    ("JPN", "head_of_government", "2025-04-27", "shigeru-ishiba"),
    ("JPN", "head_of_government", "2025-11-13", "sanae-takaichi"),
    ("KOR", "head_of_state", "2023-06-22", "yoon-suk-yeol"),
    ("KOR", "head_of_state", "2025-07-01", "lee-jae-myung"),
    ("KHM", "head_of_government", "2023-12-11", "hun-manet"),
    ("THA", "head_of_government", "2025-07-24", "phumtham-wechayachai"),
    ("IRN", "head_of_government", "2023-03-10", "ebrahim-raisi"),
    ("IRN", "head_of_state", "2025-01-01", "ali-khamenei"),
    ("SAU", "crown_prince", "2022-03-08", "mohammed-bin-salman"),
    ("EGY", "head_of_state", "2022-03-08", "abdel-fattah-el-sisi"),
    ("IND", "head_of_government", "2022-09-06", "narendra-modi"),
    ("BGD", "head_of_government", "2022-09-06", "sheikh-hasina"),
    ("LAO", "head_of_government", "2021-08-09", "phankham-viphavanh"),
    ("UN", "org_head", "2015-06-01", "ban-ki-moon"),
    ("NATO", "org_head", "2025-06-01", "mark-rutte"),
    ("GHA", "head_of_state", "2025-03-27", "john-mahama"),
    ("NGA", "head_of_state", "2025-03-27", "bola-tinubu"),
    ("KEN", "head_of_state", "2020-09-30", "uhuru-kenyatta"),
    ("FRA", "head_of_state", "2020-09-30", "emmanuel-macron"),
    ("ESP", "head_of_government", "2023-02-01", "pedro-sanchez"),
    ("MAR", "head_of_government", "2023-02-01", "aziz-akhannouch"),
    ("BRA", "head_of_state", "2025-07-23", "luiz-inacio-lula-da-silva"),
    ("MEX", "head_of_state", "2025-07-23", "claudia-sheinbaum"),
    ("CAN", "head_of_government", "2024-10-14", "justin-trudeau"),
    ("UKR", "head_of_state", "2024-10-14", "volodymyr-zelensky"),
    ("GBR", "head_of_government", "2023-10-09", "rishi-sunak"),
    ("ITA", "head_of_government", "2023-10-09", "giorgia-meloni"),
    ("ARG", "head_of_state", "2024-03-01", "javier-milei"),
    ("POL", "head_of_state", "2025-09-01", "karol-nawrocki"),
    ("CUB", "party_leader", "2022-01-01", "miguel-diaz-canel"),
    ("LBN", "head_of_state", "2025-06-01", "joseph-aoun"),
    ("NLD", "head_of_government", "2026-03-01", "rob-jetten"),
    ("CHL", "head_of_state", "2026-04-01", "jose-antonio-kast"),
    ("PRT", "head_of_state", "2026-04-01", "antonio-jose-seguro"),
    ("PER", "head_of_state", "2026-03-01", "jose-maria-balcazar"),
    ("NPL", "head_of_government", "2025-10-01", "sushila-karki"),
    ("LKA", "head_of_state", "2025-01-01", "anura-kumara-dissanayake"),
    ("QAT", "head_of_government", "2024-01-01", "mohammed-bin-abdulrahman-al-thani"),
    ("AFG", "head_of_state", "2022-01-01", "hibatullah-akhundzada"),
    ("ZAF", "head_of_state", "2020-01-01", "cyril-ramaphosa"),
    ("CZE", "head_of_government", "2026-01-01", "andrej-babis"),
    # 2024-2026 foreign and defence ministers (issue 11)
    ("IDN", "foreign_minister", "2025-03-01", "sugiono"),
    ("IDN", "foreign_minister", "2024-10-01", "retno-marsudi"),
    ("IDN", "defence_minister", "2025-03-01", "sjafrie-sjamsoeddin"),
    ("FRA", "defence_minister", "2025-12-01", "catherine-vautrin"),
    ("PAK", "foreign_minister", "2025-05-10", "ishaq-dar"),
    ("PAK", "defence_minister", "2025-05-10", "khawaja-asif"),
    ("PHL", "foreign_minister", "2024-06-17", "enrique-manalo"),
    ("PHL", "foreign_minister", "2025-09-01", "theresa-lazaro"),
    ("PHL", "defence_minister", "2024-06-17", "gilberto-teodoro"),
    ("MYS", "foreign_minister", "2025-01-01", "mohamad-hasan"),
    ("MYS", "defence_minister", "2025-01-01", "mohamed-khaled-nordin"),
    ("SGP", "defence_minister", "2025-06-01", "chan-chun-sing"),
    ("THA", "defence_minister", "2025-12-01", "natthaphon-narkphanit"),
    ("NGA", "defence_minister", "2026-01-01", "christopher-musa"),
    ("VEN", "foreign_minister", "2022-08-07", "carlos-faria"),
    ("VEN", "foreign_minister", "2024-01-01", "yvan-gil"),
    ("COL", "foreign_minister", "2023-01-01", "alvaro-leyva"),
    ("COL", "foreign_minister", "2025-03-01", "laura-sarabia"),
    ("TWN", "head_of_state", "2025-01-01", "lai-ching-te"),
    ("TWN", "head_of_state", "2023-01-01", "tsai-ing-wen"),
    ("TWN", "foreign_minister", "2025-01-01", "lin-chia-lung"),
    ("TWN", "defence_minister", "2025-01-01", "wellington-koo"),
    ("BRA", "defence_minister", "2025-01-01", "jose-mucio-monteiro"),
    ("UGA", "head_of_state", "2024-01-01", "yoweri-museveni"),
    ("RWA", "head_of_state", "2022-10-30", "paul-kagame"),
    ("COD", "head_of_state", "2022-10-30", "felix-tshisekedi"),
    ("ERI", "head_of_state", "2018-07-08", "isaias-afwerki"),
    ("MLI", "head_of_state", "2025-04-07", "assimi-goita"),
    ("BFA", "head_of_state", "2025-04-07", "ibrahim-traore"),
    ("NER", "head_of_state", "2025-04-07", "abdourahamane-tiani"),
    ("ECU", "head_of_state", "2023-01-02", "guillermo-lasso"),
    ("BOL", "head_of_state", "2026-01-01", "rodrigo-paz"),
    ("MWI", "head_of_state", "2026-01-01", "peter-mutharika"),
]


@pytest.mark.parametrize(("country", "role", "day", "expected"), PINNED)
def test_pinned_facts(people: list[dict], country: str, role: str, day: str, expected: str) -> None:
    assert holders(people, country, role, dt.date.fromisoformat(day)) == {expected}


def test_holders_helper_can_fail(people: list[dict]) -> None:
    """The pinned checks are only useful if a wrong expectation is caught."""
    day = dt.date(2023, 9, 10)
    assert holders(people, "USA", "head_of_state", day) != {"donald-trump"}
    assert holders(people, "VNM", "party_leader", dt.date(2001, 1, 1)) == {"le-kha-phieu"}
