"""``tidings extract`` and ``tidings evaluate`` through the CLI.

Output shape and error handling are tested with a stand-in coder (so they do not depend
on what the real coder finds today); the real coder runs in the last tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tidings.coder
from conftest import SHARED, make_mention
from tidings.cli import app
from tidings.coder import CoderOptions

runner = CliRunner()

REQUIRED_KEYS = {
    "doc",
    "event_date",
    "date_exact",
    "source",
    "source_country",
    "target",
    "target_country",
    "cameo",
    "root",
    "goldstein",
    "quad_class",
    "plover_type",
    "evidence",
}
EVIDENCE_KEYS = {
    "doc_id",
    "sentence_index",
    "sentence",
    "start",
    "end",
    "trigger",
    "trigger_start",
    "trigger_end",
}

TEXT = (
    " date 2024-05-14\n"
    "The Laotian prime minister telephoned his Thai counterpart on Monday. "
    "Separately, the Lao parliament passed a budget."
)


@pytest.fixture
def seen_options() -> list[CoderOptions | None]:
    return []


@pytest.fixture
def fake_coder(monkeypatch, seen_options):
    """One international event (LAO->THA 04) and one domestic one per article."""

    def code_article(article, options=None):
        seen_options.append(options)
        first = article.text.find(".") + 1 or len(article.text)
        at = max(article.text.find("telephoned"), 0)
        return [
            make_mention(
                article,
                0,
                sentence=article.text[:first],
                sentence_end=first,
                trigger="telephoned",
                trigger_start=at,
                trigger_end=at + 10,
                source_name="the Laotian prime minister",
                source_code="LAOGOV",
                source_country="LAO",
                target_name="his Thai counterpart",
                target_code="THAGOV",
                target_country="THA",
                cameo="040",
                root="04",
                event_date=dt.date(2024, 5, 13),
                date_reason="weekday 'on Monday' before publication",
            ),
            make_mention(
                article,
                1,
                source_country="LAO",
                target_country="LAO",
                domestic=True,
                cameo="057",
                root="05",
            ),
        ]

    monkeypatch.setattr(tidings.coder, "code_article", code_article)


def test_extract_jsonl_has_every_field(tmp_path: Path, fake_coder):
    f = tmp_path / "laos.txt"
    f.write_text(TEXT)
    res = runner.invoke(app, ["extract", str(f), "--format", "jsonl"])
    assert res.exit_code == 0, res.stderr
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    assert len(lines) == 1  # the domestic event is left out by default
    rec = lines[0]
    assert REQUIRED_KEYS <= set(rec) and EVIDENCE_KEYS <= set(rec["evidence"])
    assert rec["doc"] == "laos.txt"
    assert rec["event_date"] == "2024-05-13" and rec["date_exact"] is True
    assert (rec["source_country"], rec["target_country"], rec["root"]) == ("LAO", "THA", "04")
    ev = rec["evidence"]
    assert ev["sentence"].startswith("The Laotian prime minister")
    # offsets point into the stored (normalised) text: the trigger is where it says
    assert ev["trigger"] == "telephoned"
    assert ev["sentence"][ev["trigger_start"] - ev["start"] :].startswith("telephoned")


def test_extract_all_includes_domestic_and_json_is_one_array(tmp_path: Path, fake_coder):
    f = tmp_path / "laos.txt"
    f.write_text(TEXT)
    res = runner.invoke(app, ["extract", str(f), "--all", "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [r["domestic"] for r in data] == [False, True]


def test_extract_table_and_actor_files(tmp_path: Path, fake_coder, seen_options):
    f = tmp_path / "laos.txt"
    f.write_text(TEXT)
    a1, a2 = tmp_path / "a1.yaml", tmp_path / "a2.yaml"
    a1.write_text("{}\n")
    a2.write_text("{}\n")
    res = runner.invoke(app, ["extract", str(f), "--actors", str(a1), "--actors", str(a2)])
    assert res.exit_code == 0
    assert "laos.txt" in res.stdout and "040" in res.stdout
    assert seen_options[-1] == CoderOptions(actors_files=(a1, a2))
    res = runner.invoke(app, ["extract", str(f), "--actors", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 2 and "nope.yaml" in res.output


def test_extract_records_inside_a_container_are_named_file_hash_id(tmp_path: Path, fake_coder):
    f = tmp_path / "batch.jsonl"
    rows = [{"id": "lao-1", "text": TEXT[17:], "published": "2024-05-14"}]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = runner.invoke(app, ["extract", str(f), "-f", "jsonl"])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout.splitlines()[0])["doc"] == "batch.jsonl#lao-1"


def test_extract_reports_bad_files_one_line_each_and_goes_on(tmp_path: Path, fake_coder):
    good = tmp_path / "good.txt"
    good.write_text(TEXT)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    missing = tmp_path / "missing.txt"
    res = runner.invoke(app, ["extract", str(empty), str(missing), str(good), "-f", "jsonl"])
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(errors) == 2
    assert any("empty.txt" in e for e in errors) and any("missing.txt" in e for e in errors)
    assert "Traceback" not in res.output
    assert len(res.stdout.splitlines()) == 1  # the good file was still coded


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is missing")
def test_evaluate_cli_json_and_text(fake_coder):
    gold = str(SHARED / "gold" / "seeds.json")
    res = runner.invoke(app, ["evaluate", gold, "--docs", str(SHARED / "seeds"), "--json"])
    assert res.exit_code == 0, res.stderr
    report = json.loads(res.stdout)
    # the stand-in states one LAO-THA consultation per article: all false positives
    assert report["overall"]["tp"] == 0 and report["overall"]["fp"] == 5
    fp = report["articles"][0]["false_positives"][0]
    assert fp["evidence"][0]["sentence"] and fp["root"] == "04"
    res = runner.invoke(
        app, ["evaluate", gold, "--docs", str(SHARED / "seeds"), "--explain"], env={}
    )
    assert res.exit_code == 0
    assert "FP" in res.stdout and "FN" in res.stdout and "Confusion by root" in res.stdout
    assert "weekday" in res.stdout  # the date reasoning of the false positive


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is missing")
def test_evaluate_explain_shows_nearest_sentences_for_false_negatives(monkeypatch):
    monkeypatch.setattr(tidings.coder, "code_article", lambda article, options=None: [])

    def trace(article, options=None):
        actors = [
            {"text": "the Hanoi leader", "country": "VNM", "code": "VNMGOV"},
            {"text": "the Kremlin", "country": "RUS", "code": "RUSGOV"},
        ]
        return [
            {"index": 0, "text": "Nothing about either side.", "actors": [actors[0]]},
            {
                "index": 1,
                "text": "The Hanoi leader did not ring the Kremlin.",
                "date": "2021-02-09",
                "date_reason": "publication day",
                "actors": actors,
                "triggers": [{"text": "ring", "rule": "phone-call", "cameo": "040"}],
                "dropped": [{"rule": "phone-call", "cameo": "040", "reason": "negated"}],
            },
        ]

    monkeypatch.setattr(tidings.coder, "trace_article", trace)
    gold = str(SHARED / "gold" / "seeds.json")
    res = runner.invoke(app, ["evaluate", gold, "--docs", str(SHARED / "seeds"), "--explain"])
    assert res.exit_code == 0, res.stderr
    out = " ".join(res.stdout.split())  # undo Rich's line wrapping
    assert "did not ring the Kremlin" in out and "Nothing about either side" not in out
    assert "040 [phone-call]: negated" in out and "publication day" in out
    data = json.loads(
        runner.invoke(
            app, ["evaluate", gold, "--docs", str(SHARED / "seeds"), "--explain", "--json"]
        ).stdout
    )
    fn = data["articles"][0]["false_negatives"][0]
    assert [c["index"] for c in fn["candidates"]] == [1]


def test_evaluate_cli_bad_gold_is_one_line(tmp_path: Path):
    bad = tmp_path / "gold.json"
    bad.write_text('{"articles": [{"file": "a.txt", "required": [{"date": "May"}]}]}')
    res = runner.invoke(app, ["evaluate", str(bad), "--docs", str(tmp_path)])
    assert res.exit_code == 1
    assert "gold.json" in res.stderr and "missing" in res.stderr
    assert "Traceback" not in res.output


def test_extract_with_the_real_coder_prints_well_formed_events(tmp_path: Path):
    f = tmp_path / "talks.txt"
    f.write_text(
        " date 2023-03-08\n"
        "Indonesian President Joko Widodo held talks with Japanese Prime Minister "
        "Fumio Kishida in Jakarta on Tuesday. Japan condemned North Korea's missile test."
    )
    res = runner.invoke(app, ["extract", str(f), "-f", "jsonl"])
    assert res.exit_code == 0, res.stderr
    for line in res.stdout.splitlines():
        rec = json.loads(line)
        assert REQUIRED_KEYS <= set(rec)
        assert rec["source_country"] != rec["target_country"]


def test_extract_with_the_real_coder_finds_the_talks(tmp_path: Path):
    f = tmp_path / "talks.txt"
    f.write_text(
        " date 2023-03-08\n"
        "Indonesian President Joko Widodo held talks with Japanese Prime Minister "
        "Fumio Kishida in Jakarta on Tuesday."
    )
    res = runner.invoke(app, ["extract", str(f), "-f", "jsonl"])
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert any(
        r["root"] == "04"
        and {r["source_country"], r["target_country"]} == {"IDN", "JPN"}
        and r["event_date"] == "2023-03-07"
        for r in recs
    )
