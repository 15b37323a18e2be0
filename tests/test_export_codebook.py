"""Every export column checked against its codebook's type, and the fields filled.

The store is built for this test: a UN statement reported by an article without a URL
and by one with a URL, a meeting at a landmark stated in an article's lead sentence, a
country-level place, humanitarian aid (a code with a PLOVER context) and an article
with no URL at all. Each GDELT 2.0, ICEWS and PLOVER field is then validated by the
type and range its codebook gives, and the fields this data supports are checked for
the values they must carry.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from conftest import actor_fields, make_article, make_mention
from tidings import dedup, export
from tidings.model import Article, Mention
from tidings.store import open_store

#: (name, id, code, country, role)
UNO = ("United Nations", "UN", "IGOUNO", None, None)
RUS = ("Russia", "RUS", "RUS", "RUS", None)
VNM = ("Vietnam", "VNM", "VNMGOV", "VNM", None)
KEN = ("Kenya", "KEN", "KENGOV", "KEN", None)
SOM = ("Somalia", "SOM", "SOM", "SOM", None)

# doc, url, published, sentences before, actor, actor, cameo, root, quad, goldstein,
# plover type, place (name, ISO3, lat, lon), confidence
REPORTS = [
    ("un1", None, "2024-03-04", 2, UNO, RUS, "111", "11", 3, -2.0, "ACCUSE", None, 0.9),
    ("un2", "https://second.example/un", "2024-03-05", 3, UNO, RUS, "111", "11", 3, -2.0,
     "ACCUSE", None, 0.5),
    ("kr1", "https://third.example/kremlin", "2024-03-06", 0, VNM, RUS, "042", "04", 1, 1.9,
     "CONSULT", ("Kremlin", "RUS", 55.75204, 37.61781), 0.8),
    ("vn1", "https://fourth.example/vn", "2024-03-07", 2, RUS, VNM, "057", "05", 2, 8.0,
     "AGREE", ("Vietnam", "VNM", 21.0245, 105.84117), 0.8),
    ("aid", None, "2024-03-08", 1, KEN, SOM, "073", "07", 2, 7.4, "AID", None, 0.8),
]  # fmt: skip


def _mention(r: tuple, article: Article, sentences: list[str]) -> Mention:
    doc, _url, pub, index, src, tgt, cameo, root, quad, gold, ptype, place, conf = r
    start = sum(len(s) + 1 for s in sentences[:index])
    sentence = sentences[index]
    return make_mention(
        article,
        index,
        place=place,
        mention_id=f"{doc}-m",
        sentence_start=start,
        sentence_end=start + len(sentence),
        sentence=sentence,
        trigger=sentence.split()[1],
        trigger_start=start,
        trigger_end=start + 4,
        **actor_fields("source", src, start, start + 1),
        **actor_fields("target", tgt, start, start + 1),
        cameo=cameo,
        root=root,
        cameo_name=cameo,
        goldstein=gold,
        quad_class=quad,
        plover_type=ptype,
        symmetric=False,
        event_date=dt.date.fromisoformat(pub) - dt.timedelta(days=1),
        date_reason="test",
        confidence=conf,
        outlet=None,  # the sources are then told apart by the URL's host
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("codebook") / "events.duckdb")
    articles, by_doc = [], {}
    for r in REPORTS:
        doc, url, pub, index = r[:4]
        # filler sentences of our own, then the event's sentence at ``index``
        sentences = [f"Filler sentence number {i} of the {doc} report." for i in range(4)]
        sentences[index] = f"{r[4][0]} acted toward {r[5][0]} on Monday, officials said."
        text = " ".join(sentences)
        article = make_article(
            text,
            doc_id=doc,
            url=url,
            published=dt.date.fromisoformat(pub),
            outlet="Test Wire",
            name=doc,
        )
        articles.append(article)
        by_doc[doc] = [_mention(r, article, sentences)]
    counts = s.write_batch(articles, by_doc, coder_version="test")
    dedup.update_events(s, counts.changed)
    yield s
    s.close()


INT, FLOAT = r"-?\d+", r"-?\d+(\.\d+)?"
CODE3 = r"([A-Z]{3})?"
GEO = {
    "Type": r"[0-5]",
    "FullName": r"[^\t]*",
    "CountryCode": r"([A-Z]{2})?",
    "ADM1Code": r"([A-Z]{2}[A-Z0-9]*)?",
    "ADM2Code": r"[^\t]*",
    "Lat": f"({FLOAT})?",
    "Long": f"({FLOAT})?",
    "FeatureID": r"(-?\d+|[A-Z0-9]+)?",
}
ACTOR = {
    "Code": r"[A-Z0-9]*",
    "Name": r"[^\t]*",
    "CountryCode": CODE3,
    "KnownGroupCode": CODE3,
    "EthnicCode": r"[a-z]*",
    "Religion1Code": r"[A-Z]*",
    "Religion2Code": r"[A-Z]*",
    "Type1Code": CODE3,
    "Type2Code": CODE3,
    "Type3Code": CODE3,
}
#: the GDELT 2.0 event codebook's types, as patterns of the written cells
GDELT_TYPES = {
    "GlobalEventID": r"\d+",
    "Day": r"\d{8}",
    "MonthYear": r"\d{6}",
    "Year": r"\d{4}",
    "FractionDate": r"\d{4}\.\d+",
    **{f"Actor{i}{k}": v for i in (1, 2) for k, v in ACTOR.items()},
    "IsRootEvent": r"[01]",
    "EventCode": r"\d{3,4}",
    "EventBaseCode": r"\d{3}",
    "EventRootCode": r"\d{2}",
    "QuadClass": r"[1-4]",
    "GoldsteinScale": FLOAT,
    "NumMentions": INT,
    "NumSources": INT,
    "NumArticles": INT,
    "AvgTone": FLOAT,
    **{f"{side}Geo_{k}": v for side in ("Actor1", "Actor2", "Action") for k, v in GEO.items()},
    "DATEADDED": r"\d{14}",
    "SOURCEURL": r"\S+",
}
ICEWS_TYPES = {
    "Event ID": r"\S+",
    "Event Date": r"\d{4}-\d{2}-\d{2}",
    "Source Name": r".+",
    "Source Sectors": r".*",
    "Source Country": r".*",
    "Event Text": r".+",
    "CAMEO Code": r"\d{3,4}",
    "Intensity": FLOAT,
    "Target Name": r".+",
    "Target Sectors": r".*",
    "Target Country": r".*",
    "Story ID": r"\S+",
    "Sentence Number": r"\d*",
    "Publisher": r".*",
    "City": r".*",
    "District": r".*",
    "Province": r".*",
    "Country": r".*",
    "Latitude": f"({FLOAT})?",
    "Longitude": f"({FLOAT})?",
}


def _check_types(rows: list[dict[str, str]], types: dict[str, str]) -> None:
    assert set(types) == set(rows[0])
    for row in rows:
        for column, pattern in types.items():
            assert re.fullmatch(pattern, row[column]), (column, row[column])


def _read_tsv(path: Path, columns: tuple[str, ...] | None) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        lines = list(reader)
    header = list(columns) if columns else lines.pop(0)
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_gdelt_fields_by_codebook_type(store, tmp_path: Path) -> None:
    out = tmp_path / "gdelt.tsv"
    export.export(store, "gdelt", out)
    rows = _read_tsv(out, export.GDELT_COLUMNS)
    assert len(rows) == 4  # the two UN reports are one event
    _check_types(rows, GDELT_TYPES)
    for row in rows:
        assert -10 <= float(row["GoldsteinScale"]) <= 10
        for side in ("Actor1", "Actor2", "Action"):
            if row[f"{side}Geo_Lat"]:
                assert -90 <= float(row[f"{side}Geo_Lat"]) <= 90
    by_code = {r["EventCode"]: r for r in rows}

    un = by_code["111"]
    assert un["Actor1Code"] == "IGOUNO" and un["Actor1KnownGroupCode"] == "UNO"
    assert un["Actor1Type1Code"] == "IGO" and un["Actor1Type2Code"] == ""
    assert un["Actor1Geo_Type"] == "0"  # an IGO has no country
    assert un["Actor2Geo_Type"] == "1" and un["Actor2Geo_CountryCode"] == "RS"  # FIPS
    assert un["Actor2Geo_FullName"] == "Russia" and un["Actor2Geo_FeatureID"] == "RS"
    assert un["NumArticles"] == "2" and un["IsRootEvent"] == "0"
    # the best report has no URL: the other report's URL, not a document id
    best = store.connection.execute("SELECT doc_id FROM events WHERE cameo = '111'").fetchall()
    assert best == [("un1",)]
    assert un["SOURCEURL"] == "https://second.example/un"

    meeting = by_code["042"]
    assert meeting["IsRootEvent"] == "1"  # stated in the lead sentence
    assert meeting["ActionGeo_Type"] == "4" and meeting["ActionGeo_FullName"] == "Moscow, Russia"
    assert meeting["ActionGeo_FeatureID"] == "524901"  # GeoNames: Moscow
    assert meeting["ActionGeo_ADM1Code"] == "RS48"
    assert meeting["Actor1Geo_CountryCode"] == "VM" and meeting["Actor2Geo_CountryCode"] == "RS"

    agreement = by_code["057"]
    assert agreement["ActionGeo_Type"] == "1" and agreement["ActionGeo_FeatureID"] == "VM"
    assert agreement["ActionGeo_Lat"] == ""  # a country has no point; never its capital's

    aid = by_code["073"]
    assert aid["SOURCEURL"] == "aid"  # no URL anywhere: the document id
    today = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    added = dt.datetime.strptime(aid["DATEADDED"], "%Y%m%d%H%M%S")
    assert abs((today - added).total_seconds()) < 3600


def test_icews_fields_by_codebook_type(store, tmp_path: Path) -> None:
    out = tmp_path / "icews.tab"
    export.export(store, "icews", out)
    rows = _read_tsv(out, None)
    assert list(rows[0]) == list(export.ICEWS_COLUMNS)
    _check_types(rows, ICEWS_TYPES)
    by_code = {r["CAMEO Code"]: r for r in rows}
    assert by_code["042"]["City"] == "Moscow"  # the Kremlin's city
    assert by_code["057"]["City"] == ""  # a country is not a city
    assert by_code["057"]["Country"] == "Vietnam"
    assert all(r["City"] in ("", "Moscow") for r in rows)


def test_plover_fields_by_codebook_type(store, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    export.export(store, "plover", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    types = {
        "id": str,
        "date": str,
        "date_resolution": str,
        "event_type": str,
        "mode": str,
        "context": list,
        "intensity": float,
        "quad_code": int,
        "actor": str,
        "recipient": str,
        "source": str,
        "source_text": str,
        "trigger_text": str,
        "cameo": str,
        "num_sources": int,
        "num_articles": int,
        "confidence": float,
    }
    for row in rows:
        for key, kind in types.items():
            assert isinstance(row[key], kind), (key, row[key])
        dt.date.fromisoformat(row["date"])
        assert all(isinstance(c, str) and re.fullmatch(r"[a-z_]+", c) for c in row["context"])
        assert row["location"] is None or isinstance(row["location"]["lat"], float)
    by_code = {r["cameo"]: r for r in rows}
    assert by_code["073"]["context"] == ["humanitarian"]
    assert by_code["042"]["context"] == [] and by_code["111"]["context"] == []
    assert by_code["042"]["trigger_text"] == "acted"


def test_plover_context_table() -> None:
    assert export.plover_context("163") == ["economic"]  # embargo, boycott, sanctions
    assert export.plover_context("1831") == ["terrorism"]
    assert export.plover_context("190") == ["military"]
    assert export.plover_context("151") == []  # police alert: the longer prefix wins
    assert export.plover_context("040") == [] and export.plover_context(None) == []
