"""One CSV style for every CSV the project writes, through the one writer (tidings.csvout).

Invariants, for ``events --format csv``, ``extract --format csv``, ``export --format csv``
and the API's ``/export?format=csv``: the same events give the same bytes; the header
and text cells are quoted, so CAMEO codes stay strings (``"030"``); booleans are bare
``true``/``false``; numbers are bare, and a negative one (Goldstein -2) is not defused
as if it were a formula; dates are bare ISO days.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from typer.testing import CliRunner

from api_helpers import serve
from tidings.api import create_app
from tidings.cli import app

runner = CliRunner()

#: one CSV cell as written, quotes kept: quoted (with "" inside) or bare
_CELL = re.compile(r'("(?:[^"]|"")*"|[^,\r\n"]*)(,|\r?\n|$)')


def raw_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV as header -> cell exactly as written (quotes kept)."""
    rows: list[list[str]] = [[]]
    pos = 0
    while pos < len(text):
        m = _CELL.match(text, pos)
        assert m and m.end() > pos, f"not CSV at {pos}: {text[pos : pos + 40]!r}"
        rows[-1].append(m.group(1))
        if m.group(2) != ",":
            rows.append([])
        pos = m.end()
    rows = [r for r in rows if r]
    header = [h.strip('"') for h in rows[0]]
    assert all(h.startswith('"') for h in rows[0]), rows[0]
    assert all(len(r) == len(header) for r in rows), "ragged rows"
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def check_style(text: str) -> list[dict[str, str]]:
    rows = raw_rows(text)
    assert rows
    for row in rows:
        for column in ("date_exact", "symmetric", "domestic"):
            assert row[column] in ("true", "false"), (column, row[column])
        for column in ("cameo", "root"):
            assert re.fullmatch(r'"[0-9]{2,4}"', row[column]), (column, row[column])
        assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", row["goldstein"]), row["goldstein"]
        assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", row["event_date"]), row["event_date"]
    assert any(row["goldstein"].startswith("-") for row in rows)
    assert not re.search(r"'-?[0-9]", text)  # no number defused as a formula
    return rows


def cli(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def test_every_csv_path_writes_one_style(event_store_path: Path, tmp_path: Path) -> None:
    db = str(event_store_path)
    shown = cli("events", "--format", "csv", "--all", "--limit", "1000", "--db", db)
    out = tmp_path / "events.csv"
    cli("export", "--format", "csv", "--all", "--output", str(out), "--db", db)
    exported = out.read_text(encoding="utf-8")
    with serve(create_app(event_store_path)) as url:
        answer = httpx.get(f"{url}/export", params={"format": "csv", "all": "true"}, timeout=30)
    assert answer.status_code == 200, answer.text
    served = answer.text
    # the same events, the same bytes (row order aside: each path sorts its own way)
    first, *rest = shown.splitlines(keepends=True)
    for text in (exported, served):
        lines = text.splitlines(keepends=True)
        assert lines[0] == first and sorted(lines[1:]) == sorted(rest)
    check_style(shown)

    article = tmp_path / "a.txt"
    article.write_text(" date 2024-03-01\nFrance condemned Germany on Friday.\n", encoding="utf-8")
    extracted = check_style(cli("extract", str(article), "--format", "csv", "--all"))
    assert [r["cameo"] for r in extracted] == ['"111"']
