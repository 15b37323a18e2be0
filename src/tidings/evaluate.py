"""Scoring coded events against hand-made gold files (``tidings evaluate``).

A gold file (``../shared/gold/seeds.json`` and ``dev.json`` are the reference) lists,
per article, ``required`` and ``optional`` items ``(date, source country, target
country, CAMEO root)``. The rules are those of the gold README, applied literally:

* Predictions are reduced to the same tuples ``(event_date, source_country,
  target_country, root)``, international only (both countries known and different),
  and de-duplicated first (root 04 is undirected, so both orders are one tuple).
* A prediction is *compatible* with a gold item when the root is the same, the
  countries are the same (either order for 04; ``*`` matches any country) and the
  dates are at most one day apart (``*`` matches any date).
* Matching: each required item matches at most one prediction and vice versa. We
  first pair greedily, preferring exact dates (then wildcard dates, then one day
  off), in a stable order; then augmenting paths (Kuhn's algorithm) add pairs the
  greedy pass missed, so the number of true positives is always the maximum
  possible. Augmenting only re-assigns pairs, it never un-matches a gold item.
* A matched prediction is a true positive. An unmatched prediction compatible with
  a required item (that is then necessarily matched already: a duplicate of it) or
  with an optional item is ignored: neither earns nor costs. Any other prediction is
  a false positive. An unmatched required item is a false negative.
* Precision, recall and F1 are micro-averaged over articles. The exact-date share is
  taken over matched required items whose ``date_exact`` is true (and whose date is
  not ``*``): the share whose predicted date equals the gold date.

:func:`score` is pure (gold dict and prediction tuples in, :class:`Report` out) so it
can be tested without the coder; :func:`evaluate` reads the texts, runs the coder and
attaches evidence (and, with ``explain``, the coder's reasoning) to the errors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tidings import coder
from tidings.coder import CoderOptions
from tidings.errors import GoldFileError, InputError, TidingsError
from tidings.model import Article, Mention

__all__ = [
    "ArticleResult",
    "Figures",
    "GoldItem",
    "Match",
    "Report",
    "evaluate",
    "load_gold",
    "mention_tuple",
    "read_articles",
    "score",
]

Pred = tuple[str, str, str, str]
"""A normalised prediction: (ISO date, source country, target country, 2-digit root)."""

WILDCARD = "*"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
_UNDIRECTED = "04"


# ----------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold tuple; ``index`` is its position in the article's list (for reports)."""

    date: str
    source: str
    target: str
    root: str
    required: bool
    date_exact: bool
    why: str = ""
    index: int = 0

    def label(self) -> str:
        arrow = "<->" if self.root == _UNDIRECTED else "->"
        return f"{self.date} {self.source}{arrow}{self.target} {self.root}"

    def key(self) -> str:
        return f"{self.date} {self.source} {self.target} {self.root}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "source": self.source,
            "target": self.target,
            "root": self.root,
            "date_exact": self.date_exact,
            "why": self.why,
        }


@dataclass(slots=True)
class _GoldArticle:
    file: str
    group: str | None
    published: str | None
    required: list[GoldItem]
    optional: list[GoldItem]


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and validate a gold file; errors name the file and the bad item."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read gold file ({exc.strerror or exc})") from None
    try:
        gold = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldFileError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    _parse_gold(gold, str(path))
    return gold


def _norm_root(value: Any) -> str:
    text = str(value).strip()
    if text == WILDCARD:
        return text
    if text.isdigit() and 1 <= int(text) <= 20:
        return f"{int(text):02d}"
    # a full CAMEO code ("042", "0431", "1721") reduces to its root
    if text.isdigit() and len(text) >= 3:
        return _norm_root(text[:2])
    raise ValueError(f"bad root {value!r} (want 01..20)")


def _parse_item(raw: Any, required: bool, index: int) -> GoldItem:
    if not isinstance(raw, Mapping):
        raise ValueError("item is not an object")
    missing = [k for k in ("date", "source", "target", "root") if k not in raw]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    date = str(raw["date"]).strip()
    if date != WILDCARD:
        if not _DATE_RE.match(date):
            raise ValueError(f"bad date {raw['date']!r} (want YYYY-MM-DD or *)")
        dt.date.fromisoformat(date)
    countries = []
    for key in ("source", "target"):
        value = str(raw[key]).strip().upper()
        if value != WILDCARD and not _COUNTRY_RE.match(value):
            raise ValueError(f"bad {key} {raw[key]!r} (want ISO alpha-3 or *)")
        countries.append(value)
    exact = raw.get("date_exact", True)
    if not isinstance(exact, bool):
        raise ValueError(f"date_exact must be true or false, not {exact!r}")
    return GoldItem(
        date=date,
        source=countries[0],
        target=countries[1],
        root=_norm_root(raw["root"]),
        required=required,
        date_exact=exact and date != WILDCARD,
        why=str(raw.get("why", "")),
        index=index,
    )


def _parse_gold(gold: Any, where: str) -> list[_GoldArticle]:
    if not isinstance(gold, Mapping) or not isinstance(gold.get("articles"), list):
        raise GoldFileError(f"{where}: a gold file is an object with an 'articles' list")
    out: list[_GoldArticle] = []
    seen: set[str] = set()
    for i, art in enumerate(gold["articles"]):
        if not isinstance(art, Mapping) or not isinstance(art.get("file"), str):
            raise GoldFileError(f"{where}: articles[{i}] has no 'file' name")
        name = art["file"]
        if name in seen:
            raise GoldFileError(f"{where}: article {name!r} is listed twice")
        seen.add(name)
        lists: dict[str, list[GoldItem]] = {}
        for kind in ("required", "optional"):
            items = art.get(kind, [])
            if not isinstance(items, list):
                raise GoldFileError(f"{where}: article {name!r}: {kind!r} is not a list")
            parsed = []
            for j, raw in enumerate(items):
                try:
                    parsed.append(_parse_item(raw, kind == "required", j))
                except ValueError as exc:
                    raise GoldFileError(f"{where}: article {name!r}: {kind}[{j}]: {exc}") from None
            lists[kind] = parsed
        group = art.get("group")
        out.append(
            _GoldArticle(
                file=name,
                group=str(group) if group is not None else None,
                published=art.get("published"),
                required=lists["required"],
                optional=lists["optional"],
            )
        )
    return out


# ------------------------------------------------------------------------ predictions


def _norm_pred(raw: Sequence[Any]) -> Pred | None:
    """Normalise one prediction; None when it is not an international event."""
    if len(raw) < 4:
        raise ValueError(f"a prediction is (event_date, source, target, root), got {raw!r}")
    date, source, target, root = raw[0], raw[1], raw[2], raw[3]
    if not source or not target:
        return None
    source, target = str(source).upper(), str(target).upper()
    if source == target:
        return None
    if isinstance(date, dt.datetime):
        date = date.date()
    date_text = date.isoformat() if isinstance(date, dt.date) else str(date or "")
    root_text = _norm_root(root)
    if root_text == _UNDIRECTED and target < source:
        source, target = target, source
    return (date_text, source, target, root_text)


def mention_tuple(mention: Mention) -> Pred | None:
    """The scoring tuple of a mention, or None when it is domestic / has no countries."""
    if mention.domestic:
        return None
    return _norm_pred(
        (mention.event_date, mention.source_country, mention.target_country, mention.root)
    )


def _day_gap(a: str, b: str) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return None


def _cost(pred: Pred, item: GoldItem) -> int | None:
    """None when incompatible; else a preference: 0 exact date, 1 wildcard, 2 one day off."""
    date, source, target, root = pred
    if item.root != WILDCARD and item.root != root:
        return None

    def same(a: str, g: str) -> bool:
        return g == WILDCARD or a == g

    countries_ok = same(source, item.source) and same(target, item.target)
    if not countries_ok and root == _UNDIRECTED:
        countries_ok = same(target, item.source) and same(source, item.target)
    if not countries_ok:
        return None
    if item.date == WILDCARD:
        return 1
    gap = _day_gap(date, item.date)
    if gap is None or gap > 1:
        return None
    return 0 if gap == 0 else 2


def _near(pred: Pred, item: GoldItem) -> bool:
    """Same countries (either order if one side is 04) and date ok, but another root."""
    date, source, target, root = pred
    if root == item.root:
        return False

    def same(a: str, g: str) -> bool:
        return g == WILDCARD or a == g

    ok = same(source, item.source) and same(target, item.target)
    if not ok and _UNDIRECTED in (root, item.root):
        ok = same(target, item.source) and same(source, item.target)
    if not ok:
        return False
    if item.date == WILDCARD:
        return True
    gap = _day_gap(date, item.date)
    return gap is not None and gap <= 1


def _match(preds: list[Pred], items: list[GoldItem]) -> dict[int, int]:
    """Maximum matching prediction index -> item index, greedy by preference first."""
    edges: dict[int, list[tuple[int, int]]] = {}
    for p, pred in enumerate(preds):
        for g, item in enumerate(items):
            cost = _cost(pred, item)
            if cost is not None:
                edges.setdefault(p, []).append((cost, g))
    for lst in edges.values():
        lst.sort()
    pred_to_item: dict[int, int] = {}
    item_to_pred: dict[int, int] = {}
    for _c, p, g in sorted((c, p, g) for p, lst in edges.items() for c, g in lst):
        if p not in pred_to_item and g not in item_to_pred:
            pred_to_item[p] = g
            item_to_pred[g] = p

    def augment(p: int, seen: set[int]) -> bool:
        for _c, g in edges.get(p, []):
            if g in seen:
                continue
            seen.add(g)
            if g not in item_to_pred or augment(item_to_pred[g], seen):
                pred_to_item[p] = g
                item_to_pred[g] = p
                return True
        return False

    for p in edges:
        if p not in pred_to_item:
            augment(p, set())
    return pred_to_item


# ---------------------------------------------------------------------------- report


@dataclass(slots=True)
class Match:
    pred: Pred
    gold: GoldItem

    @property
    def exact(self) -> bool:
        return self.pred[0] == self.gold.date


@dataclass(slots=True)
class ArticleResult:
    """What happened to one article's gold items and predictions."""

    file: str
    group: str | None
    matches: list[Match] = field(default_factory=list)
    false_positives: list[Pred] = field(default_factory=list)
    false_negatives: list[GoldItem] = field(default_factory=list)
    #: predictions that were neither TP nor FP, with why ("duplicate", "optional")
    ignored: list[tuple[Pred, str]] = field(default_factory=list)
    #: near-misses: (gold item, prediction) with same countries and date but other root
    near_misses: list[tuple[GoldItem, Pred]] = field(default_factory=list)
    #: filled by :func:`evaluate`: prediction -> evidence dicts of the mentions behind it
    evidence: dict[Pred, list[dict[str, Any]]] = field(default_factory=dict)
    #: filled by :func:`evaluate` with ``explain``: FN key -> nearest candidate sentences
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: set by :func:`evaluate` when the article could not be read
    error: str | None = None

    def error_keys(self) -> list[str]:
        """Stable keys of this article's errors (the gate's per-article baseline)."""
        keys = [f"FP {' '.join((p[0] or '?', *p[1:]))}" for p in self.false_positives]
        keys += [f"FN {g.key()}" for g in self.false_negatives]
        if self.error:
            keys.append("ERROR")
        return sorted(keys)


@dataclass(slots=True)
class Figures:
    """Counts and micro-averaged figures over some articles."""

    articles: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ignored: int = 0
    exact: int = 0
    exact_eligible: int = 0

    def add(self, result: ArticleResult) -> None:
        self.articles += 1
        self.tp += len(result.matches)
        self.fp += len(result.false_positives)
        self.fn += len(result.false_negatives)
        self.ignored += len(result.ignored)
        for m in result.matches:
            if m.gold.date_exact:
                self.exact_eligible += 1
                self.exact += m.exact

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted (undefined, not zero)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None

    @property
    def exact_date_share(self) -> float | None:
        return self.exact / self.exact_eligible if self.exact_eligible else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "ignored": self.ignored,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "exact_date_share": self.exact_date_share,
            "exact_dates": self.exact,
            "exact_date_eligible": self.exact_eligible,
        }


def _pred_dict(pred: Pred) -> dict[str, str]:
    return {"date": pred[0], "source": pred[1], "target": pred[2], "root": pred[3]}


def pred_label(pred: Pred) -> str:
    arrow = "<->" if pred[3] == _UNDIRECTED else "->"
    return f"{pred[0] or 'undated'} {pred[1]}{arrow}{pred[2]} {pred[3]}"


@dataclass(slots=True)
class Report:
    """The outcome of scoring: overall and per-group figures, per-article details."""

    articles: list[ArticleResult]
    overall: Figures
    groups: dict[str, Figures]
    #: (gold root, predicted root) -> count; "" stands for "none" (a plain FN or FP)
    confusion: dict[tuple[str, str], int]
    gold_path: str | None = None
    docs_dir: str | None = None

    def error_keys(self) -> dict[str, list[str]]:
        return {a.file: a.error_keys() for a in self.articles}

    def to_dict(self) -> dict[str, Any]:
        arts = []
        for a in self.articles:
            arts.append(
                {
                    "file": a.file,
                    "group": a.group,
                    "error": a.error,
                    "true_positives": [
                        {**_pred_dict(m.pred), "gold": m.gold.to_dict(), "exact_date": m.exact}
                        for m in a.matches
                    ],
                    "false_positives": [
                        {**_pred_dict(p), "evidence": a.evidence.get(p, [])}
                        for p in a.false_positives
                    ],
                    "false_negatives": [
                        {**g.to_dict(), "candidates": a.candidates.get(g.key(), [])}
                        for g in a.false_negatives
                    ],
                    "ignored": [{**_pred_dict(p), "reason": r} for p, r in a.ignored],
                    "near_misses": [
                        {"gold": g.to_dict(), "predicted": _pred_dict(p)} for g, p in a.near_misses
                    ],
                }
            )
        return {
            "gold": self.gold_path,
            "docs": self.docs_dir,
            "overall": self.overall.to_dict(),
            "groups": {k: v.to_dict() for k, v in self.groups.items()},
            "confusion": [
                {"gold_root": g or None, "predicted_root": p or None, "count": n}
                for (g, p), n in sorted(self.confusion.items())
            ],
            "articles": arts,
        }


def _score_article(art: _GoldArticle, raw_preds: Iterable[Sequence[Any]]) -> ArticleResult:
    preds: list[Pred] = []
    seen: set[Pred] = set()
    for raw in raw_preds:
        try:
            pred = _norm_pred(raw)
        except ValueError as exc:
            raise TidingsError(f"prediction for {art.file}: {exc}") from None
        if pred is not None and pred not in seen:
            seen.add(pred)
            preds.append(pred)
    preds.sort()
    result = ArticleResult(file=art.file, group=art.group)
    pairs = _match(preds, art.required)
    matched_items = set(pairs.values())
    for p, pred in enumerate(preds):
        if p in pairs:
            result.matches.append(Match(pred, art.required[pairs[p]]))
        elif any(_cost(pred, g) is not None for g in art.required):
            result.ignored.append((pred, "duplicate"))
        elif any(_cost(pred, g) is not None for g in art.optional):
            result.ignored.append((pred, "optional"))
        else:
            result.false_positives.append(pred)
    result.false_negatives = [g for i, g in enumerate(art.required) if i not in matched_items]
    # near-misses: an FN and an FP with the same countries and a date within a day
    free_fps = list(result.false_positives)
    for g in result.false_negatives:
        for pred in free_fps:
            if _near(pred, g):
                result.near_misses.append((g, pred))
                free_fps.remove(pred)
                break
    return result


def score(gold: Mapping[str, Any], predictions: Mapping[str, Iterable[Sequence[Any]]]) -> Report:
    """Score predictions against a gold dict by the gold README's rules (pure).

    ``predictions`` maps an article's ``file`` name to its predicted tuples
    ``(event_date, source_country, target_country, root)``; extra tuple elements are
    ignored, dates may be ``datetime.date`` or ISO strings, roots may be full CAMEO
    codes. Articles of the gold file missing from ``predictions`` predicted nothing;
    predictions for articles not in the gold file are ignored.
    """
    arts = _parse_gold(gold, "gold")
    results = [_score_article(a, predictions.get(a.file, ())) for a in arts]
    return _assemble(results)


def _assemble(results: list[ArticleResult]) -> Report:
    overall = Figures()
    groups: dict[str, Figures] = {}
    confusion: dict[tuple[str, str], int] = {}
    for r in results:
        overall.add(r)
        if r.group is not None:
            groups.setdefault(r.group, Figures()).add(r)
        for m in r.matches:
            key = (m.gold.root, m.pred[3])
            confusion[key] = confusion.get(key, 0) + 1
        near_g = {id(g) for g, _ in r.near_misses}
        near_p = {p for _, p in r.near_misses}
        for g, p in r.near_misses:
            confusion[(g.root, p[3])] = confusion.get((g.root, p[3]), 0) + 1
        for g in r.false_negatives:
            if id(g) not in near_g:
                confusion[(g.root, "")] = confusion.get((g.root, ""), 0) + 1
        for p in r.false_positives:
            if p not in near_p:
                confusion[("", p[3])] = confusion.get(("", p[3]), 0) + 1
    return Report(articles=results, overall=overall, groups=groups, confusion=confusion)


# ------------------------------------------------------------------------ evaluation


def read_articles(paths: Sequence[str | Path]) -> Iterator[Article | InputError]:
    """Articles (or per-input errors) from files, read exactly as ``tidings ingest`` does."""
    from tidings.ingest import iter_articles

    return iter_articles([Path(p) for p in paths])


def mention_evidence(m: Mention) -> dict[str, Any]:
    """The evidence of a mention, as printed by ``extract`` and ``evaluate``."""
    return {
        "doc_id": m.doc_id,
        "sentence_index": m.sentence_index,
        "sentence": m.sentence,
        "start": m.sentence_start,
        "end": m.sentence_end,
        "trigger": m.trigger,
        "trigger_start": m.trigger_start,
        "trigger_end": m.trigger_end,
    }


def _explain_mention(m: Mention) -> dict[str, Any]:
    return {
        **mention_evidence(m),
        "source": m.source_name,
        "source_code": m.source_code,
        "target": m.target_name,
        "target_code": m.target_code,
        "cameo": m.cameo,
        "rule": m.rule,
        "event_date": m.event_date.isoformat() if m.event_date else None,
        "date_exact": m.date_exact,
        "date_reason": m.date_reason,
    }


def _candidates(trace: list[dict[str, Any]], item: GoldItem) -> list[dict[str, Any]]:
    """The (at most three) sentences nearest to producing a missed gold item.

    A candidate names actors of both gold countries; candidates where a trigger or a
    dropped match of the gold root was found come first, then those with any trigger.
    """

    def root_of(match: dict[str, Any]) -> str:
        return str(match.get("cameo") or "")[:2]

    ranked = []
    for pos, sent in enumerate(trace):
        countries = {a.get("country") for a in sent.get("actors", []) if a.get("country")}

        def has(c: str, countries: set = countries) -> bool:
            return bool(countries) if c == WILDCARD else c in countries

        if not (has(item.source) and has(item.target) and len(countries) >= 2):
            continue
        matches = [*sent.get("triggers", []), *sent.get("dropped", [])]
        same_root = any(root_of(m) == item.root for m in matches)
        ranked.append((-2 * same_root - bool(matches), pos, sent))
    ranked.sort(key=lambda r: r[:2])
    return [sent for *_, sent in ranked[:3]]


def evaluate(
    gold_path: str | Path,
    docs_dir: str | Path,
    options: CoderOptions | None = None,
    *,
    explain: bool = False,
) -> Report:
    """Code every article of a gold file and score it (see the module docstring).

    ``coder.code_article`` is looked up at call time, so a patched coder (tests, the
    gate's broken-coder check) is the one evaluated. An unreadable article is scored
    as predicting nothing and reported in :attr:`ArticleResult.error`.
    """
    gold_path, docs_dir = Path(gold_path), Path(docs_dir)
    gold = load_gold(gold_path)
    arts = _parse_gold(gold, str(gold_path))
    if not docs_dir.is_dir():
        raise GoldFileError(f"{docs_dir}: texts directory not found")
    results: list[ArticleResult] = []
    containers: dict[str, list[Article | InputError]] = {}
    for art in arts:
        # "feed.jsonl#record-id" / "crawl.warc.gz#url": one record of a container file
        file_name, _, record = art.file.partition("#")
        path = docs_dir / file_name
        if not path.is_file():
            raise GoldFileError(f"{gold_path}: article {art.file!r} not found in {docs_dir}")
        mentions: list[Mention] = []
        error = None
        article = None
        if record:
            if file_name not in containers:
                containers[file_name] = list(read_articles([path]))
            items = [
                a
                for a in containers[file_name]
                if isinstance(a, Article) and record in (a.name, a.url, a.doc_id)
            ]
            if not items:
                error = f"{art.file}: no such record in {file_name}"
        else:
            items = list(read_articles([path]))
        for item in items:
            if isinstance(item, InputError):
                error = str(item)
                continue
            article = item
            mentions.extend(coder.code_article(item, options))
        by_pred: dict[Pred, list[Mention]] = {}
        for m in mentions:
            pred = mention_tuple(m)
            if pred is not None:
                by_pred.setdefault(pred, []).append(m)
        result = _score_article(art, list(by_pred))
        result.error = error
        for pred in result.false_positives:
            render = _explain_mention if explain else mention_evidence
            result.evidence[pred] = [render(m) for m in by_pred.get(pred, [])]
        if explain and article is not None and result.false_negatives:
            trace = coder.trace_article(article, options)
            for g in result.false_negatives:
                result.candidates[g.key()] = _candidates(trace, g)
        results.append(result)
    report = _assemble(results)
    report.gold_path, report.docs_dir = str(gold_path), str(docs_dir)
    return report
