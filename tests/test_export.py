"""Exports read back with pyarrow/pandas: right columns, right types, safe cells."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from _eventdata import build_store
from tidings import export
from tidings.errors import TidingsError
from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA
from tidings.store import EventFilter


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("exp") / "events.duckdb")


def test_gdelt_column_list_is_the_published_one() -> None:
    cols = export.GDELT_COLUMNS
    assert len(cols) == 61 and len(set(cols)) == 61
    assert cols[:5] == ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    assert cols[5] == "Actor1Code" and cols[15] == "Actor2Code" and cols[25] == "IsRootEvent"
    assert cols[26:35] == (
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
    )
    assert cols[35] == "Actor1Geo_Type" and cols[43] == "Actor2Geo_Type"
    assert cols[51] == "ActionGeo_Type" and cols[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(export.ICEWS_COLUMNS) == 20


def test_gdelt_export_reads_back(store, tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    res = export.export(store, "gdelt", out)
    assert res.rows == 6
    raw = out.read_text()
    assert not raw.startswith("GlobalEventID")
    assert all(line.count("\t") == 60 for line in raw.splitlines())
    df = pd.read_csv(out, sep="\t", header=None, names=list(export.GDELT_COLUMNS), quoting=3)
    assert df.shape == (6, 61)
    assert df["GlobalEventID"].dtype.kind == "i" and df["GlobalEventID"].is_unique
    assert df["Day"].dtype.kind == "i" and df["GoldsteinScale"].dtype.kind == "f"
    visit = df[df["EventCode"] == 42].iloc[0]
    assert visit["Day"] == 20240619 and visit["MonthYear"] == 202406 and visit["Year"] == 2024
    assert visit["NumSources"] == 3 and visit["NumArticles"] == 3
    assert visit["Actor1CountryCode"] == "RUS" and visit["Actor1Type1Code"] == "GOV"
    assert visit["Actor1Name"] == "VLADIMIR PUTIN"
    assert visit["ActionGeo_Type"] == 4 and visit["ActionGeo_CountryCode"] == "VM"  # FIPS
    assert abs(visit["ActionGeo_Lat"] - 21.02) < 0.01
    assert visit["EventRootCode"] == 4 and visit["IsRootEvent"] == 1
    # DATEADDED: when the event's first document was stored (today), to the second
    assert len(str(visit["DATEADDED"])) == 14 and visit["DATEADDED"] > 20240620000000
    # formulas defused, tabs never inside a cell
    assert "'=United States".upper() in raw or "'=UNITED STATES" in raw

    with_header = tmp_path / "h.tsv"
    export.export(store, "gdelt", with_header, header=True)
    df = pd.read_csv(with_header, sep="\t", quoting=3)
    assert list(df.columns) == list(export.GDELT_COLUMNS)


def test_icews_export_reads_back(store, tmp_path: Path) -> None:
    out = tmp_path / "icews.tab"
    export.export(store, "icews", out)
    df = pd.read_csv(out, sep="\t", quoting=3, dtype={"CAMEO Code": str})
    assert list(df.columns) == list(export.ICEWS_COLUMNS)
    assert len(df) == 6
    assert df["Intensity"].dtype.kind == "f"
    row = df[df["CAMEO Code"] == "042"].iloc[0]
    assert row["Source Country"] == "Russia" and row["Target Country"] == "Vietnam"
    assert row["Event Text"] == "Make a visit" and row["Event Date"] == "2024-06-19"
    assert "Executive" in row["Source Sectors"] and "Government" in row["Source Sectors"]
    assert row["City"] == "Hanoi" and row["Country"] == "Vietnam"
    assert row["Sentence Number"] == 1
    assert df["Publisher"].str.startswith("'=").any()  # a hostile outlet name, defused


def test_plover_export(store, tmp_path: Path) -> None:
    out = tmp_path / "plover.jsonl"
    export.export(store, "plover", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6
    visit = next(r for r in rows if r["cameo"] == "042")
    assert visit["event_type"] == "CONSULT" and visit["mode"] == "visit"
    assert visit["actor"] == "Vladimir Putin" and visit["actor_country"] == "RUS"
    assert visit["recipient_country"] == "VNM" and visit["context"] == []
    assert visit["location"]["placename"] == "Hanoi" and visit["date"] == "2024-06-19"
    assert visit["num_sources"] == 3


def test_tkg_export_and_ids(store, tmp_path: Path) -> None:
    out = tmp_path / "train.txt"
    res = export.export(store, "tkg", out, tkg_ids=True)
    df = pd.read_csv(out, sep="\t", header=None, names=["s", "r", "o", "t"], quoting=3)
    assert df.shape == (6, 4)
    assert ("Vladimir Putin", "Make a visit", "Nguyen Phu Trong", "2024-06-19") in set(
        df.itertuples(index=False, name=None)
    )
    ents = pd.read_csv(res.extra[0], sep="\t", header=None, quoting=3)
    rels = pd.read_csv(res.extra[1], sep="\t", header=None, quoting=3)
    assert set(df["s"]) | set(df["o"]) <= set(ents[0]) | {"=United States"}
    assert ents[1].is_unique and set(df["r"]) == set(rels[0])


def test_parquet_csv_jsonl_own_schema(store, tmp_path: Path) -> None:
    pq_path = tmp_path / "e.parquet"
    export.export(store, "parquet", pq_path, batch_size=2)  # several batches
    table = pq.read_table(pq_path)
    assert table.schema.equals(EVENT_SCHEMA) and table.num_rows == 6

    csv_path = tmp_path / "e.csv"
    export.export(store, "csv", csv_path)
    df = pd.read_csv(csv_path)
    assert list(df.columns) == EVENT_SCHEMA.names and len(df) == 6
    assert df["num_sources"].dtype.kind == "i" and df["goldstein"].dtype.kind == "f"
    assert (df["source_name"] == "'=United States").any()
    assert not df["evidence"].str.startswith("-").any()
    assert df["evidence"].str.contains("<script>", regex=False).any()

    jl = tmp_path / "e.jsonl"
    export.export(store, "jsonl", jl)
    rows = [json.loads(x) for x in jl.read_text().splitlines()]
    assert len(rows) == 6 and set(rows[0]) == set(EVENT_SCHEMA.names)


def test_mentions_and_filters(store, tmp_path: Path) -> None:
    out = tmp_path / "m.parquet"
    res = export.export(store, "parquet", out, mentions=True)
    table = pq.read_table(out)
    assert table.schema.equals(MENTION_SCHEMA) and res.rows == 8
    assert table["event_id"].null_count == 0

    flt = EventFilter(dyad=("RUS", "VNM"))
    res = export.export(store, "csv", tmp_path / "d.csv", flt)
    assert res.rows == 4  # visit, treaty, threat, Lavrov-Son call
    import datetime as dt

    flt = EventFilter(since=dt.date(2024, 8, 1))
    assert export.export(store, "gdelt", tmp_path / "s.tsv", flt).rows == 2


def test_empty_exports_still_have_columns(tmp_path: Path) -> None:
    from tidings.store import open_store

    empty = open_store(tmp_path / "empty.duckdb")
    export.export(empty, "csv", tmp_path / "e.csv")
    assert pd.read_csv(tmp_path / "e.csv").shape == (0, len(EVENT_SCHEMA))
    export.export(empty, "icews", tmp_path / "i.tab")
    assert pd.read_csv(tmp_path / "i.tab", sep="\t").shape == (0, 20)
    export.export(empty, "parquet", tmp_path / "e.parquet")
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_bad_requests_are_clear_errors(store, tmp_path: Path) -> None:
    with pytest.raises(TidingsError, match="unknown export format"):
        export.export(store, "xml", tmp_path / "x")
    with pytest.raises(TidingsError, match="does not exist"):
        export.export(store, "csv", tmp_path / "nope" / "x.csv")
    with pytest.raises(TidingsError, match="mentions"):
        export.export(store, "gdelt", tmp_path / "x", mentions=True)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+x", "'+x"),
        ("-2", "'-2"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("ok", "ok"),
        ("", ""),
        (None, None),
        (3, 3),
    ],
)
def test_defuse(value, safe) -> None:
    assert export.defuse(value) == safe
