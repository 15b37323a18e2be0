"""The event coder: who did what to whom, and on which day.

For each sentence the coder finds actors (:mod:`tidings.ner`) and event triggers
(:mod:`tidings.patterns`), then reads the roles from the sentence's structure rather
than from word order alone:

* the source is the subject: the nearest actor before the trigger that is not inside a
  prepositional phrase ("the visit of", "in Hanoi"), within the same clause; a trigger
  that continues a verb phrase ("accused X and demanded ...") keeps its subject; a
  sentence-initial participle ("Thanking Putin, Lam affirmed") takes the main subject;
* passive voice ("was welcomed by X") turns the agent after "by" into the source;
* the target is the object, or an actor after the prepositions the pattern allows;
* coordination ("Trong and Medvedev discussed") and group words ("the two leaders",
  "both sides", "they") give both actors; symmetric consultations (CAMEO 04) are one
  undirected event, other joint acts are coded in both directions;
* pronouns and "his Russian counterpart" are resolved against the article's context.

What is not an event of the article is left out: negated acts ("did not meet"),
background dated long before the article's news, acts inside an appeal or a condition
("proposed that the US recognise"), and plans, which become CAMEO intents (03x) when the
pattern defines one and are dropped otherwise.

The coder is a package of stages, one concern each:

* :mod:`~tidings.coder.candidates`: the lexical pass (actors and their resolution);
* :mod:`~tidings.coder.scope`: negation, conditions, appeals, background, plans;
* :mod:`~tidings.coder.roles`: sources and targets;
* :mod:`~tidings.coder.dates`: the day of each event and of the article;
* :mod:`~tidings.coder.assemble`: events, mentions and their evidence;
* :mod:`~tidings.coder.sentence`: one sentence through the stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tidings.coder.assemble import CODER_VERSION, to_mention
from tidings.coder.candidates import (
    _COMMEMORATION,
    dateline_country,
    has_parties,
    is_sports,
    prepare,
)
from tidings.coder.common import CoderOptions, State
from tidings.coder.dates import doc_dates
from tidings.coder.parse import parse as _parse
from tidings.coder.scope import SentenceScope, judge
from tidings.coder.sentence import code_sentence
from tidings.model import Article, Mention
from tidings.ner import DocContext
from tidings.patterns import Pattern, Trigger, find_triggers
from tidings.text import Sentence

__all__ = [
    "CODER_VERSION",
    "CoderOptions",
    "code_article",
    "code_articles",
    "code_many",
    "trace_article",
]


@dataclass(slots=True)
class _Job:
    """One article between the lexical pass and the parse: what the parse is asked for
    and what the sentence pass needs afterwards."""

    article: Article
    sentences: list[Sentence]
    state: State
    patterns: tuple[Pattern, ...]
    triggers: list[list[Trigger]]
    wanted: list[int]


def _start(article: Article, options: CoderOptions | None, trace: list[dict] | None) -> _Job | None:
    """The lexical pass of one article, up to the sentences its coding needs parsed."""
    options = options or CoderOptions()
    if article.published is None and options.published is not None:
        article = replace(article, published=options.published)
    tables, patterns, sentences = prepare(article, options)
    if not sentences:
        return None
    dates = doc_dates(article, sentences, tables, options)
    state = State(
        tables=tables,
        ctx=DocContext(day=dates.main or article.published),
        dates=dates,
        dateline_country=dateline_country(tables, [s.text for s in sentences[:4]]),
        trace=trace,
        commemorative=any(_COMMEMORATION.search(s.text) for s in sentences[:3]),
        sports=is_sports(article.text),
        sentences=[s.text for s in sentences],
    )
    triggers = [find_triggers(s.text, patterns) for s in sentences]
    # parse only what needs it: a sentence with an actor and a trigger the lexical scope
    # keeps (an act already negated, conditional or background needs no roles)
    live = [
        [t for t in trigs if not isinstance(judge(t, state, SentenceScope(s.text)), str)]
        if trigs and has_parties(s.text, tables)
        else []
        for s, trigs in zip(sentences, triggers, strict=True)
    ]
    wanted = [i for i, trigs in enumerate(live) if trigs]
    return _Job(article, sentences, state, patterns, triggers, wanted)


def _finish(job: _Job, parsed: list[Any]) -> list[Mention]:
    """The sentence pass of one article, given the parses of its wanted sentences."""
    docs: list[Any] = [None] * len(job.sentences)
    for i, doc in zip(job.wanted, parsed, strict=True):
        docs[i] = doc
    mentions: list[Mention] = []
    seen: set[str] = set()
    for sent, trigs, doc in zip(job.sentences, job.triggers, docs, strict=True):
        for ev in code_sentence(sent, job.state, job.patterns, trigs, doc):
            m = to_mention(job.article, sent, ev)
            if m.mention_id in seen:
                continue
            seen.add(m.mention_id)
            mentions.append(m)
    return mentions


def _run(article: Article, options: CoderOptions | None, trace: list[dict] | None) -> list[Mention]:
    job = _start(article, options, trace)
    if job is None:
        return []
    return _finish(job, _parse([job.sentences[i].text for i in job.wanted]))


def code_many(
    articles: Sequence[Article], options: CoderOptions | None = None
) -> list[list[Mention] | Exception]:
    """Code a batch of articles with one parse for all their candidate sentences.

    The parser's cost per sentence falls by about a fifth when it reads the sentences of
    many articles in one batch instead of a few at a time, which is why ingest codes
    through this. Each article gets its mentions, or the exception its coding raised
    (one bad article must not lose the others); the mentions are the ones
    :func:`code_article` gives."""
    results: list[list[Mention] | Exception] = [[] for _ in articles]
    jobs: list[tuple[int, _Job]] = []
    for k, article in enumerate(articles):
        try:
            job = _start(article, options, None)
        except Exception as exc:  # noqa: BLE001 - reported for this article only
            results[k] = exc
            continue
        if job is not None:
            jobs.append((k, job))
    texts = [job.sentences[i].text for _, job in jobs for i in job.wanted]
    try:
        parsed = _parse(texts)
    except Exception:  # noqa: BLE001 - find the article whose sentence broke the parser
        parsed = None
    at = 0
    for k, job in jobs:
        try:
            if parsed is None:
                mine = _parse([job.sentences[i].text for i in job.wanted])
            else:
                mine = parsed[at : at + len(job.wanted)]
            results[k] = _finish(job, mine)
        except Exception as exc:  # noqa: BLE001 - reported for this article only
            results[k] = exc
        at += len(job.wanted)
    return results


def code_article(article: Article, options: CoderOptions | None = None) -> list[Mention]:
    """Code one article into event mentions (evidence offsets point into ``article.text``)."""
    return _run(article, options, None)


def code_articles(
    articles: Iterable[Article], options: CoderOptions | None = None
) -> Iterator[tuple[Article, list[Mention]]]:
    """Code many articles lazily, yielding each with its mentions."""
    for article in articles:
        yield article, code_article(article, options)


def trace_article(article: Article, options: CoderOptions | None = None) -> list[dict]:
    """Explain the coding of an article sentence by sentence (for ``evaluate --explain``).

    One dict per sentence: ``index``, ``start``, ``end``, ``text``, ``date``,
    ``date_reason``, ``actors`` (list of dicts: ``text``, ``start``, ``end``, ``id``,
    ``code``, ``country``), ``triggers`` (list of dicts: ``text``, ``start``, ``end``,
    ``rule``, ``cameo``), ``mentions`` (the coded events of this sentence, as dicts) and
    ``dropped`` (list of dicts: ``rule``, ``cameo``, ``reason``: pattern matches that did
    not become events, e.g. negated, future, history, no target).
    """
    trace: list[dict] = []
    _run(article, options, trace)
    return trace
