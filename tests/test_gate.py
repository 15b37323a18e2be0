"""The quality gate, end to end through ``tidings gate`` on the real shared gold sets.

Floors are computed in each test from the coder under test (``--update`` into a tmp
floors file), so these tests check the gate's logic, not today's coder quality: an
"oracle" coder that states the gold's required items makes every failure path run
whatever the real coder finds; the real coder is then broken by dropping one root.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import tidings.coder
import tidings.gate as gate_mod
from conftest import SHARED, make_mention
from tidings.cli import app
from tidings.evaluate import evaluate
from tidings.gate import default_floors_path

pytestmark = pytest.mark.skipif(
    not (SHARED / "gold" / "dev.json").is_file() or not (SHARED / "seeds").is_dir(),
    reason="../shared (gold sets and seed texts) is not beside the repository",
)

runner = CliRunner()
REAL_CODE_ARTICLE = tidings.coder.code_article


def gate(*args: str) -> tuple[int, dict, str]:
    """Run ``tidings gate --json ...``; return exit code, parsed JSON and stderr."""
    res = runner.invoke(app, ["gate", "--json", *args])
    try:
        out = json.loads(res.stdout)
    except json.JSONDecodeError:
        out = {}
    return res.exit_code, out, res.stderr


def gold_items() -> dict[str, list[dict]]:
    items: dict[str, list[dict]] = {}
    for name in ("seeds.json", "dev.json", "dev2.json"):
        for art in json.loads((SHARED / "gold" / name).read_text())["articles"]:
            items[art["file"]] = art["required"]
    return items


def oracle(extra: dict[str, list[tuple]] | None = None, drop_root: str | None = None):
    """A coder that states exactly the gold's required items (plus ``extra``)."""
    gold = gold_items()

    def code_article(article, options=None):
        out = []
        tuples = [(g["date"], g["source"], g["target"], g["root"]) for g in gold[article.name]]
        for n, (date, src, tgt, root) in enumerate(tuples + (extra or {}).get(article.name, [])):
            if root == drop_root:
                continue
            src = "ZZZ" if src == "*" else src
            tgt = "ZZY" if tgt == "*" else tgt
            day = article.published or dt.date(2020, 1, 1) if date == "*" else date
            out.append(
                make_mention(
                    article,
                    n,
                    source_country=src,
                    target_country=tgt,
                    root=root,
                    cameo=root + "0",
                    event_date=dt.date.fromisoformat(str(day)),
                )
            )
        return out

    return code_article


@pytest.fixture
def paths(tmp_path: Path) -> dict[str, Path]:
    readme = tmp_path / "README.md"
    readme.write_text("# tidings\n\n## Accuracy\n\nFigures below.\n\n## Next\n")
    return {"floors": tmp_path / "floors.json", "readme": readme}


def args(paths: dict[str, Path], *more: str) -> list[str]:
    return ["--floors", str(paths["floors"]), "--readme", str(paths["readme"]), *more]


def failing_figures(out: dict) -> set[tuple[str, str, str]]:
    return {(r["set"], r["scope"], r["figure"]) for r in out["rows"] if r["status"] == "DROPPED"}


def test_gate_without_floors_file_says_how_to_create_it(paths):
    code, _, err = gate(*args(paths))
    assert code == 2
    assert "tidings gate --update" in err


def test_gate_passes_on_its_own_floors_and_fails_on_a_broken_coder(paths, monkeypatch):
    monkeypatch.setattr(tidings.coder, "code_article", oracle())
    code, out, _ = gate(*args(paths, "--update"))
    assert code == 0 and out["written"]
    floors = json.loads(paths["floors"].read_text())
    assert floors["sets"]["dev"]["floors"]["overall"]["f1"] == 1.0
    assert floors["sets"]["dev"]["floors"]["negative"] == {"max_false_positives": 0}
    assert floors["history"][0]["change"] == "initial floors"
    readme = paths["readme"].read_text()
    assert "<!-- accuracy:begin -->" in readme and "| dev | coop | 12 |" in readme
    assert readme.index("## Accuracy") < readme.index("accuracy:begin") < readme.index("## Next")

    code, out, _ = gate(*args(paths))
    assert code == 0 and out["passed"] and not out["written"]

    # break the coder: it loses every consultation (root 04)
    monkeypatch.setattr(tidings.coder, "code_article", oracle(drop_root="04"))
    code, out, err = gate(*args(paths))
    assert code == 1 and not out["passed"]
    dropped = failing_figures(out)
    assert ("seeds", "overall", "recall") in dropped
    assert ("dev", "overall", "f1") in dropped
    assert ("dev", "coop", "recall") in dropped
    assert ("seeds", "overall", "precision") not in dropped  # nothing false was added
    assert any("seeds/overall recall" in f for f in out["failures"])
    changed = out["changed_articles"]
    assert changed["seeds"]["001_9ea85121afcd3242.txt"]["new"] == ["FN 2021-04-05 VNM RUS 04"]
    assert "d13.txt" in changed["dev"] and "d35.txt" not in changed["dev"]

    # the human view names what dropped and the articles
    res = runner.invoke(app, ["gate", *args(paths)])
    assert res.exit_code == 1
    assert "gate FAILED" in res.stderr and "seeds/overall recall" in res.stderr
    assert "+ FN 2021-04-05 VNM RUS 04" in res.stdout

    # --update never lowers: it refuses to write while something dropped
    before = paths["floors"].read_text()
    code, out, _ = gate(*args(paths, "--update"))
    assert code == 1 and not out["written"]
    assert paths["floors"].read_text() == before

    # lowering needs a reason ...
    code, _, err = gate(*args(paths, "--allow-regression"))
    assert code == 2 and "--reason" in err
    # ... and writes it into the history
    code, out, _ = gate(*args(paths, "--allow-regression", "--reason", "testing a regression"))
    assert code == 0 and out["written"]
    floors = json.loads(paths["floors"].read_text())
    last = floors["history"][-1]
    assert last["reason"] == "testing a regression" and "LOWERED" in last["change"]
    assert floors["sets"]["dev"]["floors"]["overall"]["recall"] < 1.0
    code, out, _ = gate(*args(paths))
    assert code == 0

    # the fixed coder raises the floors again with a plain --update
    monkeypatch.setattr(tidings.coder, "code_article", oracle())
    code, out, _ = gate(*args(paths, "--update"))
    assert code == 0
    assert {r["status"] for r in out["rows"]} >= {"raised", "ok"}
    floors = json.loads(paths["floors"].read_text())
    assert floors["sets"]["dev"]["floors"]["overall"]["recall"] == 1.0
    assert "raised" in floors["history"][-1]["change"]


def test_false_positive_on_the_negative_group_fails(paths, monkeypatch):
    monkeypatch.setattr(tidings.coder, "code_article", oracle())
    assert gate(*args(paths, "--update"))[0] == 0
    sport = {"d35.txt": [("2023-01-08", "FRA", "ARG", "05")]}
    monkeypatch.setattr(tidings.coder, "code_article", oracle(extra=sport))
    code, out, _ = gate(*args(paths))
    assert code == 1
    assert ("dev", "negative", "max_false_positives") in failing_figures(out)
    assert any("false positives: 1 > max 0" in f for f in out["failures"])
    assert out["changed_articles"]["dev"] == {
        "d35.txt": {"new": ["FP 2023-01-08 FRA ARG 05"], "fixed": []}
    }


def test_floors_tolerance_is_1e_9_only(paths, monkeypatch):
    monkeypatch.setattr(tidings.coder, "code_article", oracle(drop_root="05"))
    assert gate(*args(paths, "--update"))[0] == 0
    floors = json.loads(paths["floors"].read_text())
    recall = evaluate(SHARED / "gold/dev.json", SHARED / "gold/dev").overall.recall
    floors["sets"]["dev"]["floors"]["overall"]["recall"] = recall + 1e-10
    paths["floors"].write_text(json.dumps(floors))
    assert gate(*args(paths))[0] == 0
    floors["sets"]["dev"]["floors"]["overall"]["recall"] = recall + 1e-7
    paths["floors"].write_text(json.dumps(floors))
    code, out, _ = gate(*args(paths))
    assert code == 1 and failing_figures(out) == {("dev", "overall", "recall")}


def test_a_changed_gold_set_fails_until_accepted(paths, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shutil.copytree(SHARED / "gold", shared / "gold")
    shutil.copytree(SHARED / "seeds", shared / "seeds")
    monkeypatch.setattr(tidings.coder, "code_article", oracle())
    assert gate(*args(paths, "--shared", str(shared), "--update"))[0] == 0

    gold = json.loads((shared / "gold" / "seeds.json").read_text())
    gold["articles"][0]["required"].pop()
    (shared / "gold" / "seeds.json").write_text(json.dumps(gold))
    code, out, err = gate(*args(paths, "--shared", str(shared)))
    assert code == 1
    msg = " ".join(out["failures"])
    assert "seeds: the gold file changed" in msg and "--accept-gold-change" in msg
    assert not any("dev" in f for f in out["failures"])
    # an edited text is noticed too
    (shared / "gold" / "dev" / "d40.txt").write_text("edited\n")
    code, out, _ = gate(*args(paths, "--shared", str(shared)))
    assert any("dev: the texts directory changed" in f for f in out["failures"])

    code, _, err = gate(*args(paths, "--shared", str(shared), "--accept-gold-change"))
    assert code == 2 and "--reason" in err
    code, out, _ = gate(
        *args(paths, "--shared", str(shared), "--accept-gold-change", "--reason", "fixed gold")
    )
    assert code == 0 and out["written"]
    history = json.loads(paths["floors"].read_text())["history"]
    assert history[-1]["reason"] == "fixed gold" and "seeds" in history[-1]["change"]
    assert gate(*args(paths, "--shared", str(shared)))[0] == 0


def test_gate_on_the_real_coder_and_the_real_coder_broken(paths, monkeypatch):
    # the real coder, memoised per text so the four runs below code each article once
    cache: dict[str, list] = {}

    def real(article, options=None):
        if article.text_hash not in cache:
            cache[article.text_hash] = REAL_CODE_ARTICLE(article, options)
        return list(cache[article.text_hash])

    monkeypatch.setattr(tidings.coder, "code_article", real)
    code, out, _ = gate(*args(paths, "--update"))
    assert code == 0 and out["written"]
    assert gate(*args(paths))[0] == 0

    # break the real coder where it is strongest: drop the root it gets right most often
    report = evaluate(SHARED / "gold/dev.json", SHARED / "gold/dev")
    hits: dict[str, int] = {}
    for art in report.articles:
        for m in art.matches:
            hits[m.gold.root] = hits.get(m.gold.root, 0) + 1
    if not hits:
        pytest.skip("the real coder matches no dev gold item yet: nothing to break")
    root = max(hits, key=hits.__getitem__)

    def broken(article, options=None):
        return [m for m in real(article, options) if m.root != root]

    monkeypatch.setattr(tidings.coder, "code_article", broken)
    code, out, _ = gate(*args(paths))
    assert code == 1
    assert ("dev", "overall", "recall") in failing_figures(out)
    new = [k for f in out["changed_articles"]["dev"].values() for k in f["new"]]
    assert new and all(k.startswith("FN ") and k.endswith(f" {root}") for k in new)


def test_gate_against_committed_floors():
    floors = default_floors_path()
    if not floors.is_file():
        pytest.skip(f"{floors} is not in this checkout")
    res = runner.invoke(app, ["gate", "--floors", str(floors)])
    assert res.exit_code == 0, res.stderr + res.stdout


def test_issue_4_acceptance_on_seeds():
    report = evaluate(SHARED / "gold/seeds.json", SHARED / "seeds")
    o = report.overall
    assert o.f1 is not None and o.f1 >= 0.90
    assert o.precision is not None and o.precision >= 0.90
    assert o.exact_date_share == 1.0


@given(st.floats(0, 1) | st.fractions(0, 1, max_denominator=200).map(float))
def test_pinned_floors_always_pass_the_figures_that_set_them(value):
    floor = gate_mod._pin_down("f1", value)
    assert not gate_mod._below("f1", value, floor)
    assert value - floor < 1.01e-6
