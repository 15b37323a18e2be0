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

from collections.abc import Iterable, Iterator
from dataclasses import replace

from tidings.coder.assemble import CODER_VERSION, to_mention
from tidings.coder.candidates import (
    _COMMEMORATION,
    dateline_country,
    is_sports,
    parse_candidates,
    prepare,
)
from tidings.coder.common import CoderOptions, State
from tidings.coder.dates import doc_dates
from tidings.coder.scope import SentenceScope, judge
from tidings.coder.sentence import code_sentence
from tidings.model import Article, Mention
from tidings.ner import DocContext
from tidings.patterns import find_triggers

__all__ = ["CODER_VERSION", "CoderOptions", "code_article", "code_articles", "trace_article"]


def _run(article: Article, options: CoderOptions | None, trace: list[dict] | None) -> list[Mention]:
    options = options or CoderOptions()
    if article.published is None and options.published is not None:
        article = replace(article, published=options.published)
    tables, patterns, sentences = prepare(article, options)
    if not sentences:
        return []
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
    mentions: list[Mention] = []
    seen: set[str] = set()
    triggers = [find_triggers(s.text, patterns) for s in sentences]
    # parse only what needs it: a sentence with an actor and a trigger the lexical scope
    # keeps (an act already negated, conditional or background needs no roles)
    live = [
        [t for t in trigs if not isinstance(judge(t, state, SentenceScope(s.text)), str)]
        for s, trigs in zip(sentences, triggers, strict=True)
    ]
    docs = parse_candidates(sentences, live, tables)
    for sent, trigs, doc in zip(sentences, triggers, docs, strict=True):
        for ev in code_sentence(sent, state, patterns, trigs, doc):
            m = to_mention(article, sent, ev)
            if m.mention_id in seen:
                continue
            seen.add(m.mention_id)
            mentions.append(m)
    return mentions


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
