"""The quality gate: accuracy on the shared gold sets may not drop unnoticed.

``quality/floors.json`` pins, for each gold set (``seeds``, ``dev`` and the held-out
``dev2``), the lowest acceptable precision, recall, F1 and exact-date share, overall
and per group, plus the largest acceptable number of false positives for groups with
no required item (the ``negative`` group). It also pins the sha256 of each gold file
and of its texts, so an edited gold set cannot silently move the goalposts, and keeps
each article's error keys (its false-positive and false-negative tuples) as a
baseline, so a failing gate can say which articles changed.

* ``tidings gate`` evaluates every set and fails when a figure is below its floor
  (or a false-positive count above its ceiling), with a tolerance of 1e-9 only.
* ``tidings gate --update`` raises floors to the current figures, never lowers them;
  it refuses to write while anything regressed.
* ``--allow-regression --reason "..."`` lowers floors to the current figures and
  writes the reason into the file's ``history``.
* ``--accept-gold-change --reason "..."`` accepts a changed gold set: its hashes are
  re-pinned and its floors reset to the current figures (the old ones measured
  something else).

Updating also rewrites the accuracy table between ``<!-- accuracy:begin -->`` and
``<!-- accuracy:end -->`` in the README.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings.coder import CoderOptions
from tidings.errors import TidingsError
from tidings.evaluate import Figures, Report, evaluate

__all__ = [
    "FIGURES",
    "GateError",
    "GateResult",
    "GoldSet",
    "SETS",
    "default_floors_path",
    "default_readme_path",
    "default_shared_dir",
    "readme_block",
    "run_gate",
]

#: figures with a floor (higher is better)
FIGURES = ("precision", "recall", "f1", "exact_date_share")
#: figure with a ceiling (lower is better), for groups without required items
MAX_FP = "max_false_positives"
TOLERANCE = 1e-9
ABOUT = (
    "Accuracy floors checked by `tidings gate` (see src/tidings/gate.py). Raise with "
    "`tidings gate --update`; lowering needs `--allow-regression --reason ...`; a changed "
    "gold set needs `--accept-gold-change --reason ...`. Paths are relative to ../shared."
)
BEGIN, END = "<!-- accuracy:begin -->", "<!-- accuracy:end -->"


class GateError(TidingsError):
    """The gate cannot run: no floors file, a malformed one, a missing gold set."""


@dataclass(frozen=True, slots=True)
class GoldSet:
    """A gold set, as paths relative to the shared directory."""

    name: str
    gold: str
    docs: str


SETS = (
    GoldSet("seeds", "gold/seeds.json", "seeds"),
    GoldSet("dev", "gold/dev.json", "gold/dev"),
    GoldSet("dev2", "gold/dev2.json", "gold/dev2"),
)


def _repo_root() -> Path:
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def default_floors_path() -> Path:
    return _repo_root() / "quality" / "floors.json"


def default_readme_path() -> Path:
    return _repo_root() / "README.md"


def default_shared_dir() -> Path:
    """``../shared`` next to the repository (where the gold sets live)."""
    return _repo_root().parent / "shared"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sha256_dir(path: Path) -> str:
    """One hash over every file's relative name and content, in sorted order."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        h.update(f.relative_to(path).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def figures_of(report: Report) -> dict[str, dict[str, float | int | None]]:
    """Scope ("overall" or a group) -> figure -> value, as the floors file pins them."""

    def one(f: Figures) -> dict[str, float | int | None]:
        if f.tp + f.fn == 0:  # nothing required: only false positives can be judged
            return {MAX_FP: f.fp}
        return {name: getattr(f, name) for name in FIGURES}

    out = {"overall": one(report.overall)}
    for group in sorted(report.groups):
        out[group] = one(report.groups[group])
    return out


# --------------------------------------------------------------------------- result


@dataclass(slots=True)
class Row:
    set: str
    scope: str
    figure: str
    value: float | int | None
    floor: float | int | None
    status: str  # "ok", "DROPPED", "new", "raised", "lowered", "gold changed"


@dataclass(slots=True)
class GateResult:
    rows: list[Row] = field(default_factory=list)
    #: human-readable reasons the gate failed
    failures: list[str] = field(default_factory=list)
    #: set -> file -> (new error keys, fixed error keys) against the stored baseline
    changed: dict[str, dict[str, tuple[list[str], list[str]]]] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    written: bool = False
    readme_updated: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


# ---------------------------------------------------------------------------- floors


def load_floors(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(f"{path}: no floors file; create it with `tidings gate --update`") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise GateError(f"{path}: cannot read floors file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sets"), dict):
        raise GateError(f"{path}: a floors file is an object with a 'sets' object")
    data.setdefault("history", [])
    return data


def _zero(value: float | int | None) -> float | int:
    return 0 if value is None else value


def _below(figure: str, value: float | int | None, floor: float | int | None) -> bool:
    if floor is None:
        return False
    if figure == MAX_FP:
        return _zero(value) > floor + TOLERANCE
    return _zero(value) < floor - TOLERANCE


def _better(figure: str, value: float | int | None, floor: float | int | None) -> bool:
    if value is None:
        return False
    if floor is None:
        return True
    return value < floor - TOLERANCE if figure == MAX_FP else value > floor + TOLERANCE


def _diff(baseline: dict[str, list[str]], current: dict[str, list[str]]) -> dict:
    out = {}
    for file in sorted(set(baseline) | set(current)):
        old, new = set(baseline.get(file, [])), set(current.get(file, []))
        if old != new:
            out[file] = (sorted(new - old), sorted(old - new))
    return out


def run_gate(
    shared: Path | None = None,
    floors_path: Path | None = None,
    *,
    update: bool = False,
    allow_regression: bool = False,
    accept_gold_change: bool = False,
    reason: str | None = None,
    readme: Path | None = None,
    options: CoderOptions | None = None,
    today: dt.date | None = None,
) -> GateResult:
    """Evaluate every gold set, compare with the floors and, if asked, update them.

    Nothing is written unless every figure is at or above its floor, a lowered floor
    comes with ``allow_regression`` and a reason, and a changed gold set with
    ``accept_gold_change`` and a reason. Floors are written rounded to six decimals
    towards the safe side, so the figures that set them always pass.
    """
    shared = shared or default_shared_dir()
    floors_path = floors_path or default_floors_path()
    readme = readme or default_readme_path()
    if (allow_regression or accept_gold_change) and not (reason and reason.strip()):
        flag = "--allow-regression" if allow_regression else "--accept-gold-change"
        raise GateError(f'{flag} needs --reason "why this is acceptable"')
    writing = update = update or allow_regression or accept_gold_change
    if floors_path.exists() or not writing:
        data = load_floors(floors_path)
    else:
        data = {"about": ABOUT, "tolerance": TOLERANCE, "sets": {}, "history": []}
    result = GateResult()
    today = today or dt.date.today()
    lowered: list[str] = []
    raised: list[str] = []
    accepted: list[str] = []

    for gs in SETS:
        gold_path, docs_dir = shared / gs.gold, shared / gs.docs
        if not gold_path.is_file() or not docs_dir.is_dir():
            raise GateError(
                f"gold set {gs.name!r} not found ({gold_path}, {docs_dir}); "
                "pass the shared directory with --shared"
            )
        hashes = {"gold_sha256": sha256_file(gold_path), "docs_sha256": sha256_dir(docs_dir)}
        report = evaluate(gold_path, docs_dir, options)
        result.reports[gs.name] = report
        current = figures_of(report)
        keys = report.error_keys()
        stored = data["sets"].get(gs.name)
        if stored is None and not writing:
            result.failures.append(
                f"{gs.name}: no floors for this set; run `tidings gate --update`"
            )
            continue
        stored = stored or {}
        changed_hash = [
            k for k, v in hashes.items() if stored.get(k) is not None and stored[k] != v
        ]
        if "baseline" in stored:
            result.changed[gs.name] = _diff(stored["baseline"], keys)
        floors = stored.get("floors", {})

        if changed_hash and not accept_gold_change:
            what = " and ".join(
                "gold file" if k == "gold_sha256" else "texts directory" for k in changed_hash
            )
            result.failures.append(
                f"{gs.name}: the {what} changed since the floors were pinned "
                f"({gold_path if 'gold_sha256' in changed_hash else docs_dir}); if the "
                'change is intended, run `tidings gate --accept-gold-change --reason "..."`'
            )
            for scope, figs in current.items():
                for fig, value in figs.items():
                    floor = floors.get(scope, {}).get(fig)
                    result.rows.append(Row(gs.name, scope, fig, value, floor, "gold changed"))
            continue

        new_floors: dict[str, dict[str, float | int]] = {}
        reset = bool(changed_hash) or not stored
        if changed_hash:
            accepted.append(gs.name)
        for scope, figs in current.items():
            new_floors[scope] = {}
            for fig, value in figs.items():
                floor = floors.get(scope, {}).get(fig)
                if reset:
                    status = "new" if floor is None else "reset"
                    new_floors[scope][fig] = _pin_down(fig, value)
                elif floor is None:
                    status = "new"
                    new_floors[scope][fig] = _pin_down(fig, value)
                elif _below(fig, value, floor):
                    status = "DROPPED"
                    label = f"{gs.name}/{scope} {fig}: {_fmt(value)} < floor {_fmt(floor)}"
                    if fig == MAX_FP:
                        label = f"{gs.name}/{scope} false positives: {value} > max {floor}"
                    if allow_regression:
                        status = "lowered"
                        lowered.append(label)
                        new_floors[scope][fig] = _pin_down(fig, value)
                    else:
                        result.failures.append(label)
                        new_floors[scope][fig] = floor
                elif _better(fig, value, floor) and update:
                    status = "raised"
                    raised.append(f"{gs.name}/{scope} {fig} {_fmt(floor)} -> {_fmt(value)}")
                    pinned = _pin_down(fig, value)
                    keep = min if fig == MAX_FP else max
                    new_floors[scope][fig] = keep(pinned, floor)
                else:
                    status = "ok"
                    new_floors[scope][fig] = floor
                result.rows.append(Row(gs.name, scope, fig, value, floor, status))
        # floors for scopes that disappeared (a group removed) are dropped only on reset
        if not reset:
            for scope, figs in floors.items():
                for fig, floor in figs.items():
                    if scope not in current or fig not in current[scope]:
                        result.failures.append(
                            f"{gs.name}/{scope} {fig}: pinned but no longer measured"
                        )
                        result.rows.append(Row(gs.name, scope, fig, None, floor, "DROPPED"))
        data["sets"][gs.name] = {
            "gold": gs.gold,
            "docs": gs.docs,
            **hashes,
            "floors": new_floors,
            "baseline": keys,
        }

    if writing and result.failures:
        result.notes.append(
            "floors not written: fix what failed, or accept it explicitly "
            '(`--allow-regression` / `--accept-gold-change` with `--reason "..."`)'
        )
        return result
    if writing:
        entry: dict[str, Any] = {"date": today.isoformat()}
        if not floors_path.exists():
            entry["change"] = "initial floors"
        parts = []
        if accepted:
            parts.append("accepted gold change of " + ", ".join(accepted))
        if lowered:
            parts.append("LOWERED " + "; ".join(lowered))
        if raised:
            parts.append("raised " + "; ".join(raised))
        if parts:
            entry["change"] = " | ".join(parts)
        if reason:
            entry["reason"] = reason
        if "change" in entry:
            data["history"].append(entry)
        data["tolerance"] = TOLERANCE
        floors_path.parent.mkdir(parents=True, exist_ok=True)
        floors_path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        result.written = True
        result.readme_updated = write_readme(readme, readme_block(result.reports))
        if not result.readme_updated:
            result.notes.append(f"{readme}: no accuracy block to update")
    return result


def _pin_down(figure: str, value: float | int | None) -> float | int:
    """A floor for ``value``: rounded to 6 decimals towards the safe side.

    The 1e-4 nudge before flooring undoes binary noise (0.29 * 1e6 is 289999.99...);
    it can put the floor at most 1e-10 above the value, inside the 1e-9 tolerance.
    """
    if value is None:
        return 0.0
    if figure == MAX_FP:
        return int(value)
    return math.floor(value * 1_000_000 + 1e-4) / 1_000_000


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}"


# ---------------------------------------------------------------------------- README


def readme_block(reports: dict[str, Report]) -> str:
    """The Markdown accuracy table: one row per set and group."""
    lines = [
        BEGIN,
        "| set | scope | articles | TP | FP | FN | precision | recall | F1 | exact date |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, report in reports.items():
        scopes = [("overall", report.overall), *sorted(report.groups.items())]
        for scope, f in scopes:
            lines.append(
                f"| {name} | {scope} | {f.articles} | {f.tp} | {f.fp} | {f.fn} | "
                f"{_fmt(f.precision)} | {_fmt(f.recall)} | {_fmt(f.f1)} | "
                f"{_fmt(f.exact_date_share)} |"
            )
    lines.append("")
    lines.append(
        "Scored by `tidings evaluate` on `../shared/gold` (rules in its README); "
        "pinned as floors in `quality/floors.json` and checked by `tidings gate`."
    )
    lines.append(END)
    return "\n".join(lines)


def write_readme(path: Path, block: str) -> bool:
    """Replace the marked block, or add it under ``## Accuracy``; False if neither."""
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if pattern.search(text):
        new = pattern.sub(lambda _m: block, text, count=1)
    else:
        heading = re.search(r"^## Accuracy[^\n]*\n", text, re.M)
        if not heading:
            return False
        new = text[: heading.end()] + "\n" + block + "\n" + text[heading.end() :]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return True
