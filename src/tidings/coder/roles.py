"""Roles: who acts (the source) and on whom (the target) for one trigger.

The lexical structure rules: the source is the subject, the nearest actor before the
trigger that is not inside a prepositional phrase, within the same clause; a trigger that
continues a verb phrase keeps its subject; an opening participle takes the main subject;
passive voice turns the agent after "by" into the source; the target is the object, or an
actor after the prepositions the pattern allows; coordination and group words give both
actors; symmetric consultations (CAMEO 04) are one undirected event, other joint acts are
coded in both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tidings.actors import ActorRef
from tidings.coder.candidates import partner
from tidings.coder.common import Event, State, implied
from tidings.coder.discourse import continuation_source
from tidings.coder.fallback import lexical_passive_agent, lexical_source, lexical_targets
from tidings.coder.parse import token_at
from tidings.coder.scope import Verdict
from tidings.dates import MONTH_NAMES, WEEKDAY_NAMES
from tidings.ner import preposition_before
from tidings.patterns import Trigger

#: "condemned the strikes": the act condemned points at the other side of the dyad
_EVENT_OBJECT = re.compile(
    r"\s+(?:the|these|this|its|their|such|recent|latest)\s+(?:\w+\s+){0,2}?(?:strikes?|attacks?|"
    r"shelling|killings?|invasion|incursion|drills|exercises|tests?|launch(?:es)?|sanctions|"
    r"tariffs|provocations?|violations?|aggression|operation|raid|bombing|arrests?|"
    r"expulsions?|accusations?|allegations?)\b",
    re.IGNORECASE,
)
#: a reply to an accusation names it inside its own phrase ("rejected the allegations")
_ACCUSATION_IN_TRIGGER = re.compile(r"\b(?:accusations?|allegations?|charges?|claims?)$", re.I)


def _names_event(text: str, trig: Trigger) -> bool:
    """The trigger's object is an act of the other side: an attack or sanctions after it
    ("condemned the strikes"), or an accusation named in the trigger itself and left
    unqualified ("denied the charges"), so its author, the article's other party, is the
    target."""
    return bool(
        _EVENT_OBJECT.match(text[trig.end :])
        or (
            trig.pattern.code[:2] == "12"
            and _ACCUSATION_IN_TRIGGER.search(trig.text)
            # "the allegations of fraud in its election" are not the other side's
            and not re.match(r"\s+(?:of|about|that|against|in|over)\b", text[trig.end :], re.I)
        )
    )


#: words by which a sentence refers to the article's pair of actors
_PAIR_WORDS = re.compile(
    r"\b(?:the\s+two|both|each\s+other|one\s+another|bilateral(?:ly)?|mutual(?:ly)?|"
    r"(?:their|the)\s+(?:relations|ties|relationship|partnership|cooperation)|"
    r"between\s+(?:the\s+)?(?:two|both)|we|our|us)\b",
    re.IGNORECASE,
)
#: possessors that say when, not who ("today's state visit", "Monday's talks")
_TIME_WORDS = {
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "week",
    "weekend",
    "month",
    "year",
    "day",
    *(name.lower() for name in (*WEEKDAY_NAMES, *MONTH_NAMES)),
}
#: in a quotation these are the speaker, whom the coder knows
_FIRST_PERSON = ("we", "our", "us", "i", "my", "me")
_SPEAKER_WORDS = {"they", "their", "them", "we", "our", "us", "i", "he", "she"} | {
    "the two sides",
    "both sides",
    "the two countries",
    "both countries",
    "the two",
}


@dataclass(slots=True)
class Parties:
    """The actors found for a trigger and why (the reasons go into the mention's rule)."""

    sources: list[ActorRef]
    targets: list[ActorRef]
    why_s: str
    why_t: str
    #: "at each other", "one another": the act goes both ways
    reciprocal: bool


def parties(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    triggers: list[Trigger],
    prev: Event | None,
    verdict: Verdict,
    state: State,
    doc: Any = None,
) -> Parties | str:
    """The trigger's sources and targets, or the reason none can be read."""
    pattern = trig.pattern
    code, topic, in_quote = verdict.code, verdict.topic, verdict.in_quote
    before = text[max(0, trig.start - 60) : trig.start]
    sources, why_s, targets, why_t = (
        parsed_roles(doc, refs, trig) if doc is not None else ([], "", [], "")
    )
    if not sources and not why_s or not targets:
        # the parse has no clause for the trigger, or names no target: the lexical rules
        if trig.passive or pattern.passive:
            lex_s = lexical_passive_agent(text, refs, trig)
            lex_t, lex_why_t = lexical_source(text, refs, trig, prev)
            lex_why_s = "agent after 'by' (passive)"
        else:
            lex_s, lex_why_s = lexical_source(text, refs, trig, prev)
            nxt = next((t.start for t in triggers if t.start >= trig.end and not t.nominal), None)
            lex_t, lex_why_t = lexical_targets(text, refs, trig, pattern, nxt)
        if not sources and not why_s:
            sources, why_s = lex_s, lex_why_s
        if not targets:
            targets, why_t = lex_t, lex_why_t
    if topic and (
        not re.search(r"'(?:with|between)'", why_t)
        or re.search(r"\bof\s+(?:[a-z][\w-]*\s+){0,2}$", before)
    ):
        return "a meeting named as a topic, not held"
    reciprocal = bool(
        re.match(r"\s*(?:at\s+|with\s+|on\s+)?(?:each\s+other|one\s+another)", text[trig.end :])
    )
    if (
        trig.nominal
        and len(targets) >= 2
        and "between" in why_t
        and re.match(r"\s+(?:\w+\s+){0,3}?between\b", text[trig.end :])
    ):
        sources = []  # "the phone call between Putin and Trump": they are the parties
    if (
        not sources
        and len(targets) >= 2
        and "between" in why_t
        and (pattern.reciprocal or pattern.symmetric or pattern.joint or pattern.mutual)
    ):
        # "an exchange of gunfire between Cambodian and Thai troops"
        sources, targets = list(targets), []
        why_s = "the parties named after 'between'"
    if code[:2] == "14" and re.search(
        r"\b(?:protesters|protestors|demonstrators|rioters|crowds?|activists|students|"
        r"thousands|hundreds)\s+(?:\w+ly\s+)?$",
        before,
        re.IGNORECASE,
    ):
        sources = []  # "protesters stormed": the crowd, not the actor named before it
    if not sources and code[:2] == "14":
        # protesters are coded with the country they protest in
        place = next(
            (
                r
                for r in refs
                if r.start > trig.start
                and r.country
                and preposition_before(text, r) in ("in", "at")
                and r.kind == "country"
            ),
            None,
        )
        iso = place.country if place is not None else state.dateline_country
        if iso:
            sources = [state.tables.country_ref(iso, trig.start, trig.start, "", "CVL")]
            why_s = "protesters, coded with the country they protest in"
    if not sources:
        # a subjectless meeting of the report's protagonist ("meetings with X took place")
        sources = continuation_source(text, refs, trig, targets, why_t, state)
        why_s = "the report's protagonist (subjectless meeting)" if sources else why_s
    if not sources:
        return f"no source ({why_s})"
    if in_quote and any(
        (x.text.lower() in _SPEAKER_WORDS and x.text.lower() not in _FIRST_PERSON)
        or (x.kind == "group" and not x.text.lower().startswith("our"))
        for x in sources
    ):
        return "inside a quotation, with the speaker's own 'we'/'they'"
    return Parties(sources, targets, why_s, why_t, reciprocal)


def pair_up(
    text: str,
    refs: list[ActorRef],
    trig: Trigger,
    found: Parties,
    verdict: Verdict,
    state: State,
) -> tuple[list[tuple[ActorRef, ActorRef]], str] | str:
    """(source, target) pairs for the trigger and why the targets, or why there are none:
    groups act among themselves, a missing target may be the other side of the dyad."""
    pattern = trig.pattern
    code, intent = verdict.code, verdict.intent
    sources, targets = found.sources, found.targets
    why_t, reciprocal = found.why_t, found.reciprocal
    pairs: list[tuple[ActorRef, ActorRef]] = []
    group_source = len({(x.country, x.id) for x in sources}) >= 2
    # a partner named inside a complement ("agreed to buy Russian gas") did not agree too
    explicit = bool(targets) and "complement" not in why_t
    outside = [t for t in targets if all(t.country != x.country for x in sources)]
    if group_source and outside and "(parse)" in why_t and not reciprocal:
        # "Buhari and Zuma congratulated Trump": each member acts on the object
        pairs = [(src, t) for src in sources for t in outside]
    elif group_source and (pattern.symmetric or pattern.joint or pattern.reciprocal or reciprocal):
        # "Trong and Medvedev discussed", "the two sides agreed": among themselves
        # every pair of members: "the three prime ministers discussed" is three talks
        pairs = [(a, b) for i, a in enumerate(sources) for b in sources[i + 1 :]]
        if not pattern.symmetric:
            pairs += [(b, a) for a, b in pairs]
        why_t = "the other member of the group"
        explicit = False
    elif targets:
        for src in sources:
            for t in targets:
                pairs.append((src, t))
    elif pattern.targets_dyad and len(state.dyad) >= 2:
        # mediators meet both sides, never themselves
        mediators = {x.country for x in sources}
        pairs = [
            (src, implied(m, trig))
            for src in sources
            for m in state.dyad
            if m.country not in mediators
        ]
        why_t = "both sides of the article's dyad (mediation)"
    elif (
        (
            code[:2] in ("18", "19", "20", "03", "04", "07")
            or (code[:2] in ("10", "11", "12", "13", "16") and _names_event(text, trig))
        )
        and (not trig.nominal or intent)
        and not pattern.adjacent
        and not (pattern.locative and code[:2] == "04")
        and not re.search(r"\b(?:into|at|on|against|toward|towards|near)$", trig.text, re.I)
        and any(partner(state, x.country) is not None for x in sources)
        and (_PAIR_WORDS.search(text) or _names_event(text, trig))
    ):
        # the sentence refers to the article's pair ("the two sides", "bilateral")
        for src in sources:
            other = partner(state, src.country)
            if other is not None:
                pairs.append((src, implied(other, trig)))
        why_t = "the other side of the article's dyad"
    if (
        pairs
        and all(a.country == b.country for a, b in pairs)
        and code[:2] in ("10", "11", "12", "13", "16")
        and _EVENT_OBJECT.match(text[trig.end :])
        and partner(state, sources[0].country) is not None
    ):
        # "condemned the attack as a violation of Iraqi sovereignty": the attacker
        other = partner(state, sources[0].country)
        pairs = [(sources[0], implied(other, trig))]
        why_t = "the other side of the article's dyad (the act condemned)"
    if not pairs and trig.nominal and code[:2] == "04" and len(sources) == 1:
        # "Putin told Trump in a phone call": the other actor of the clause took part
        other = next(
            (
                r
                for r in refs
                if sources[0].end <= r.start < trig.start
                and r.country
                and r.country != sources[0].country
                and r.kind != "pronoun"
            ),
            None,
        )
        if other is not None:
            pairs = [(sources[0], other)]
            why_t = "the other actor of the clause"
    if not pairs:
        return f"no target ({why_t})"
    if (
        explicit
        and (
            pattern.mutual
            or reciprocal
            or (pattern.reciprocal and re.search(r"\bbetween\b", text[trig.start : trig.end + 10]))
        )
        and not pattern.symmetric
    ):
        pairs += [(t, s) for s, t in pairs]
    return pairs, why_t


# ------------------------------------------------------------------------ roles from the parse

#: dependents that belong to a noun phrase's own words (titles, names, possessors, appositions)
_CORE = frozenset({"compound", "amod", "nmod", "poss", "case", "det", "appos", "flat", "nummod"})
#: nouns for people whose nationality names the party an act is done to ("expelled an
#: Estonian diplomat", "detained two Chinese nationals"), before any place after "from"
_PEOPLE_NOUNS = frozenset(
    "diplomat envoy ambassador attache staff official national citizen journalist "
    "fisherman sailor crew soldier".split()
)


def _people_noun(tok: Any) -> bool:
    """Whether a noun names people (no lemmatizer runs: plurals by their endings)."""
    word = tok.lower_
    return any(
        form in _PEOPLE_NOUNS for form in (word, word[:-1], word[:-2], word.replace("men", "man"))
    )


#: nouns that name an activity done with a partner: "cooperation with Y" is with Y
_RELATION_NOUNS = frozenset(
    "cooperation collaboration ties relations relationship partnership friendship support "
    "assistance aid help solidarity dialogue engagement trade talks negotiations "
    "consultations contacts".split()
)
#: prepositions of an adjunct that names the occasion of the main clause's act
_OCCASION_PREPS = frozenset(
    {"during", "at", "in", "for", "after", "following", "on", "throughout", "amid", "upon", "with"}
)
_PLACE_PREPS = frozenset({"in", "near", "inside", "outside", "at"})
#: prepositions that name the partner of an act ("work with", "give to", "act against")
_PARTNER_PREPS = frozenset({"with", "to", "for", "against", "toward", "towards", "on", "at"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
#: verbs (stems: the model has no lemmatiser) whose object is an act judged, not done,
#: by their subject: "praised the aid to X" does not say the praiser gave it (its
#: possessor or "by"-agent still does)
_JUDGING = re.compile(
    r"(?:prais|welcom|thank|hail|applaud|appreciat|commend|valu|condemn|critici[sz]|"
    r"denounc|deplor|question|oppos)\w*$"
)
#: verbs that open the items of a joint declaration with no subject ("Agreed that ...")
_DECLARING = re.compile(r"(?:agreed|decided|resolved|reaffirmed|affirmed|committed)$")
#: meeting nouns keep the subject as a participant ("welcomed the talks with X")
_MEETINGS = frozenset(
    {
        "talks",
        "meeting",
        "meetings",
        "visit",
        "call",
        "summit",
        "dialogue",
        "consultations",
        "negotiations",
        "conversation",
    }
)
#: clauses that take their subject from the clause they hang on
_BORROWING = frozenset({"xcomp", "advcl", "conj", "acl", "pcomp"})
#: verbs whose object noun names the act ("held talks", "paid a visit", "made a call")
_LIGHT_VERBS = frozenset(
    "hold have make pay conduct launch carry begin start open join resume host attend "
    "wrap end complete give deliver issue lodge file send extend express offer".split()
)


@dataclass(slots=True)
class _Tree:
    """A parsed sentence and where each actor sits in it."""

    doc: Any
    #: token index -> the actors whose words include it
    cover: dict[int, list[ActorRef]]


def _tree(doc: Any, refs: list[ActorRef]) -> _Tree:
    cover: dict[int, list[ActorRef]] = {}
    for r in refs:
        if r.end <= r.start:
            continue
        span = doc.char_span(r.start, r.end, alignment_mode="expand")
        for tok in span if span is not None else ():
            cover.setdefault(tok.i, []).append(r)
    return _Tree(doc, cover)


def _actors(tree: _Tree, tok: Any) -> list[ActorRef]:
    """The actors a noun phrase headed by ``tok`` names: the actor whose words include it,
    else the first one among its own words ("India's deputy high commissioner",
    "minister W"), and those of its conjuncts ("A and B", "Premier A and President B")."""
    out: list[ActorRef] = []
    for head in _conjuncts(tok):
        found = tree.cover.get(head.i)
        core = sorted(_core(head, tree), key=lambda t: t.i)
        if found:
            # "Indian and Pakistani forces": modifiers coordinated inside the phrase
            found = list(found) + [
                r
                for t in core
                if t.i != head.i and any(c.dep_ == "conj" for c in t.children)
                for c in _conjuncts(t)
                for r in tree.cover.get(c.i, [])
            ]
        else:
            first = next((t for t in core if t.i in tree.cover), None)
            if first is None:
                first = _name_after(tree, core[-1])
            if first is not None:
                # "Thai and Cambodian troops": the actor words coordinated inside the phrase
                found = [r for c in _conjuncts(first) for r in tree.cover.get(c.i, [])]
        if not found:
            found = _members(tree, head)
        for child in head.children:
            # "officials from Tehran and Riyadh", "leaders of Brazil, Chile and Peru";
            # with no actor of its own, "bases near Tehran"
            if child.dep_ == "prep" and (
                child.lower_ in ("from", "of") or (not found and child.lower_ in _PLACE_PREPS)
            ):
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is None or not (obj.i in tree.cover or found):
                    continue
                more = _conjuncts(obj)[0 if obj.i in tree.cover and not found else 1 :]
                found = list(found or []) + [r for c in more for r in tree.cover.get(c.i, [])]
                break
        out.extend(r for r in found or [] if r not in out)
    return out


def _occasion_partner(tree: _Tree, noun: Any) -> list[ActorRef]:
    """ "Putin told Trump in a phone call": the person told took part in the call."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in _OCCASION_PREPS:
        return []
    verb = prep.head
    if not _is_verb(verb):
        return []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj"):
            found = [r for r in _actors(tree, child) if not _owner_word(r)]
            if found:
                return found
    return []


def _helper_phrase(tree: _Tree, prep: Any, obj: Any) -> bool:
    """ "with China's help": the possessor of the means is a helper, not the partner."""
    return (
        prep.lower_ == "with"
        and obj.i not in tree.cover
        and any(c.dep_ == "poss" for c in obj.children)
    )


def _owner_word(ref: ActorRef) -> bool:
    """A possessive pronoun ("its cooperation"): the owner, never the partner."""
    return ref.possessive and ref.text.lower() in ("his", "her", "its", "their", "our")


def _members(tree: _Tree, head: Any) -> list[ActorRef]:
    """The actors a group noun lists: "leaders, including X and Y", "such as X"."""
    for child in head.children:
        if child.dep_ == "prep" and (
            child.lower_ in ("including", "like")
            or (child.lower_ == "as" and child.i > 0 and child.nbor(-1).lower_ == "such")
        ):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _actors(tree, obj)
    return []


def _listed_members(tree: _Tree, obj: Any, found: list[ActorRef]) -> list[ActorRef]:
    """ "grateful to our partners ..., including Qatar and Oman": a group noun known only
    by its owner ("our") stands for the members the sentence lists after it, wherever
    the parse hangs "including"."""
    if obj.tag_ != "NNS" or not all(_owner_word(r) for r in found):
        return found
    members = _members(tree, obj)
    if members:
        return members
    for tok in obj.doc[obj.i + 1 :]:
        if tok.lower_ == "including" and tok.dep_ == "prep":
            target = next((c for c in tok.children if c.dep_ == "pobj"), None)
            listed = _actors(tree, target) if target is not None else []
            if listed:
                return listed
    return found


def _second_prep(tree: _Tree, prep: Any, found: list[ActorRef]) -> list[ActorRef]:
    """ "grateful to the King of Spain and to the Emir of Kuwait": the repeated preposition
    adds its object to the first one's."""
    more = [
        r
        for conj in prep.children
        if conj.dep_ == "conj" and conj.lower_ == prep.lower_
        for obj in conj.children
        if obj.dep_ == "pobj"
        for r in _actors(tree, obj)
        if r not in found
    ]
    return more


def _name_after(tree: _Tree, tok: Any) -> Any | None:
    """A name the parse split off its title ("PM Modi" read as two phrases)."""
    doc = tree.doc
    i = tok.i + 1
    while i < len(doc) and doc[i].tag_ in ("NNP", "NNPS"):
        if i in tree.cover:
            return doc[i]
        i += 1
    return None


def _conjuncts(tok: Any) -> list[Any]:
    """The token and those coordinated with it, also through an apposition ("his
    counterpart Aliyev, President Xi and ...": the list hangs on the name)."""
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            out.extend(_conjuncts(child))
        elif child.dep_ == "appos":
            out.extend(_conjuncts(child)[1:])
    return out


def _core(tok: Any, tree: _Tree | None = None) -> list[Any]:
    """The words of a noun phrase that are its own: titles, names, possessors,
    appositions; a preposition only when it is part of a name ("To Lam")."""
    out = [tok]
    for child in tok.children:
        if child.dep_ in _CORE or (
            tree is not None and child.dep_ == "prep" and child.i in tree.cover
        ):
            out.extend(_core(child, tree))
    return out


def _is_verb(tok: Any) -> bool:
    return tok.tag_.startswith("VB") or tok.tag_ == "MD"


def _subject_of(tree: _Tree, verb: Any, depth: int = 0) -> tuple[list[ActorRef], str]:
    """The actors acting in ``verb``'s clause: its subject, the antecedent of a relative
    pronoun, the reporting subject for "it"/"they" in a complement, or the subject of the
    clause a participle, infinitive or coordinated verb hangs on."""
    if depth > 6:
        return [], ""
    # the subject nearest the verb first (a dateline may parse as a second subject)
    subjects = sorted(
        (c for c in verb.children if c.dep_ in ("nsubj", "csubj")),
        key=lambda c: abs(c.i - verb.i),
    )
    for subj in subjects:
        if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return _actors(tree, verb.head), "antecedent of the relative clause"
        found = _actors(tree, subj)
        if found:
            return found, "subject (parse)"
    subj = subjects[0] if subjects else None
    if subj is not None:
        if subj.tag_ == "PRP" and verb.dep_ == "ccomp" and _is_verb(verb.head):
            # "X said it valued ...": the complement's pronoun is the speaker
            outer, _ = _subject_of(tree, verb.head, depth + 1)
            if outer:
                return outer, "speaker, subject of the complement (parse)"
        return [], "the subject is no actor"
    if verb.dep_ == "ROOT" and _DECLARING.match(verb.lower_):
        # a declaration's item "Agreed that X and Y will ...": the parties the clause
        # names agreed among themselves (two countries at least, or it is no joint text)
        for comp in verb.children:
            if comp.dep_ != "ccomp":
                continue
            subj = next((c for c in comp.children if c.dep_ == "nsubj"), None)
            found = _actors(tree, subj) if subj is not None else []
            if len({r.country for r in found if r.country}) >= 2:
                return found, "the parties of the declared clause (parse)"
    if verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.head.dep_ == "ROOT":
        # a finite verb read as modifying the sentence's only noun ("the envoy pledged"):
        # the noun is its subject
        found = _actors(tree, verb.head)
        return found, "subject (parse)" if found else "the subject is no actor"
    if verb.dep_ == "relcl" and not _is_verb(verb.head):
        return _actors(tree, verb.head), "antecedent of the relative clause"
    if verb.dep_ in _BORROWING and verb.head is not verb:
        head = verb.head
        closing = (
            verb.tag_ == "VBG"
            and verb.dep_ in ("advcl", "acl")
            and verb.i > 0
            and verb.nbor(-1).text == ","
        )
        if closing:
            # ", killing dozens": a closing participle adds to the main clause, not to a
            # subordinate one ("if it ignores the deadline, criticizing the drills") nor
            # to the noun before the comma ("declared X persona non grata, accusing Y")
            while not _is_verb(head) and head.head is not head:
                head = head.head
            while head.dep_ in ("advcl", "ccomp", "relcl") and any(
                c.dep_ == "mark" or c.lower_ in _RELATIVE for c in head.children
            ):
                head = head.head
        if head.dep_ == "prep" and head.head is not head:
            head = head.head  # "after meeting X, Y said"
        if _is_verb(head):
            found, why = _subject_of(tree, head, depth + 1)
            return found, why and why + " of the governing clause"
        if verb.dep_ == "acl":
            # "an announcement by India to expel": the noun's agent acts; else whoever
            # made the thing ("Trump signed a proclamation recognizing ...")
            found = _noun_agent(tree, head)
            if found:
                return found, "agent of the noun the clause completes"
            if head.dep_ in ("dobj", "attr") and _is_verb(head.head):
                found, why = _subject_of(tree, head.head, depth + 1)
                return found, why and why + " of the noun the clause completes"
            if (
                head.dep_ == "pobj"
                and head.head.dep_ == "prep"
                and head.head.lower_ in _OCCASION_PREPS
                and _is_verb(head.head.head)
            ):
                # "in a statement issued after the meeting, X and Y pledged": the
                # statement is the occasion of the main clause, whose subject acted
                found, why = _subject_of(tree, head.head.head, depth + 1)
                return found, why and why + " of the clause the noun is the occasion of"
    return [], ""


def _noun_agent(tree: _Tree, noun: Any) -> list[ActorRef]:
    """The possessor or the "by"-phrase of an event noun ("India's summons", "calls by X")."""
    for child in noun.children:
        if child.dep_ == "poss":
            found = _actors(tree, child)
            if found:
                return found
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "by":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return _actors(tree, obj)
    for child in noun.children:
        # "Iranian missile strikes", "the Chinese seizure": a nationality adjective on an
        # event noun names who acts; not a noun ("the Vietnam visit" names a place)
        if child.dep_ == "amod" and child.tag_ == "JJ" and child.i < noun.i:
            found = [r for r in tree.cover.get(child.i, []) if r.kind == "country"]
            if found and all(r.end <= noun.idx for r in found):
                return found
    return []


def _noun_source(tree: _Tree, noun: Any) -> tuple[list[ActorRef], str]:
    """Who acts in an event noun: its possessor or "by"-agent, else the subject of the
    verb whose object it is ("held talks") or whose adjunct it is ("during a call with
    W, B stressed"; "flew to Cairo for talks")."""
    found = _noun_agent(tree, noun)
    if found:
        return found, "possessor or 'by'-agent of the event noun (parse)"
    if any(
        c.dep_ == "poss" and c.tag_ != "PRP$" and c.lower_ not in _TIME_WORDS for c in noun.children
    ):
        # "ahead of Lee's summit with X": the possessor acts, whoever else the clause names
        return [], "the possessor is no known actor"
    head = noun.head
    if noun.dep_ == "dobj" and _JUDGING.match(head.lower_) and noun.lower_ not in _MEETINGS:
        return [], "an act the clause judges, not one its subject did"
    if noun.dep_ == "nsubjpass" and _is_verb(head):
        # "a donation was made by Vietnam to Cuba": the passive's agent made it
        agent = next((c for c in head.children if c.dep_ == "agent"), None)
        obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        found = _actors(tree, obj) if obj is not None else []
        if found:
            return found, "agent of the passive the event noun is the subject of (parse)"
    if noun.dep_ in ("dobj", "attr", "nsubjpass") and _is_verb(head):
        return _subject_of(tree, head)
    if (
        noun.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ in _OCCASION_PREPS
        and _is_verb(head.head)
    ):
        # "during talks with W, B stressed": the clause's subject took part; not "excluded
        # Cuba from the summit", "spoke about the talks"
        return _subject_of(tree, head.head)
    if noun.dep_ == "conj":
        return _noun_source(tree, head)
    if (
        noun.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ not in ("between", "of")
        and _is_verb(head.head)
    ):
        # "excluded Cuba from the summit": the clause's actors are not its participants
        return [], "an event noun the clause only refers to"
    return [], ""


def _objects(tree: _Tree, trig: Trigger, head: Any, verb: bool) -> tuple[list[ActorRef], str]:
    """The target: the direct object (or dative) of a verb, or the object of a preposition
    the pattern allows attached to any word of the trigger ("signed a deal with X")."""
    pattern = trig.pattern
    doc = tree.doc
    chars = doc.char_span(trig.start, trig.end, alignment_mode="expand")
    span = list(chars) if chars is not None and len(chars) else [head]
    words = {t.i for t in span}
    for tok in span:
        for child in tok.children:
            if child.dep_ not in ("dobj", "dative", "iobj") or not verb:
                continue
            if not pattern.object:
                # "pledged support for Israel": the object is the thing, its partner the target
                found = [] if child.i in words else _partner_of(tree, child, pattern.preps)
            elif child.i in words:
                # "welcomed Lam's visit": the possessor of the object the trigger names;
                # "expelled an Estonian diplomat": the people it names, by nationality
                found = [
                    r
                    for t in child.children
                    if (t.dep_ == "poss" and t.tag_ != "PRP$")
                    or (t.dep_ in ("amod", "compound") and _people_noun(child))
                    for r in tree.cover.get(t.i, [])
                ] or _partner_of(tree, child, pattern.preps)
            else:
                found = [r for r in _actors(tree, child) if not _owner_word(r)] or _partner_of(
                    tree, child, pattern.preps
                )
            if found:
                return found, "object of the trigger (parse)"
    preps = [c for t in span for c in t.children if c.dep_ in ("prep", "agent", "dative")]
    preps += [t for t in span if t.dep_ in ("prep", "dative") and t.i != head.i]
    for prep in sorted(set(preps), key=lambda t: t.i):
        word = prep.lower_
        allowed = word in pattern.preps or word == "between"
        locative = pattern.locative and word in ("in", "at", "near", "on", "into", "outside")
        if not (allowed or locative):
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None:
            continue
        found = [] if _helper_phrase(tree, prep, obj) else _actors(tree, obj)
        if allowed and found:
            found = _listed_members(tree, obj, found) + _second_prep(tree, prep, found)
        if not found and allowed and obj.i not in tree.cover:
            # "talks with leaders on the sidelines, including X and Y": the parse hangs
            # the list on the trigger, not on the group noun it names the members of
            found = _members(tree, prep.head)
        if found:
            why = f"after '{word}'" if allowed else f"place after '{word}'"
            return (found if allowed else found[:1]), why + " (parse)"
    inside = [
        r
        for t in span
        if t.i != head.i and t.dep_ in ("pobj", "dobj", "compound", "amod")
        for r in tree.cover.get(t.i, [])
        if not _owner_word(r)
    ]
    if inside:
        # "set fire to the Saudi embassy": the actor the trigger phrase itself names
        return inside[:1], "named inside the trigger phrase (parse)"
    occasion = _occasion_partner(tree, head)
    if occasion:
        return occasion, "addressee of the clause the meeting is the occasion of (parse)"
    if pattern.code[:2] != "03":
        # only an intent's target sits in its complement ("agreed to buy Russian gas");
        # "arrived in X to support Y" names a purpose, not the visited
        return [], "no target found (parse)"
    return _complement_objects(tree, span, words)


def _partner_of(tree: _Tree, noun: Any, preps: frozenset[str] = frozenset()) -> list[ActorRef]:
    """The partner of an act an object noun names: "rejected calls by X", "valued
    cooperation with Y", "pledged support for Israel"; not the party to a thing
    ("praised the agreement with Japan": the agreement is praised, not Japan)."""
    relation = noun.lower_ in _RELATION_NOUNS
    for child in noun.children:
        word = child.lower_
        if child.dep_ == "prep" and (
            word == "by" or word in preps or (relation and word in _PARTNER_PREPS)
        ):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            found = _actors(tree, obj) if obj is not None else []
            if found:
                return found
    return []


def _complement_objects(
    tree: _Tree, span: list[Any], words: set[int]
) -> tuple[list[ActorRef], str]:
    """The target of an act named by a to-infinitive ("agreed to buy Russian gas",
    "readiness to work with Egypt"): the object or partner of the complement's verb."""
    for tok in span:
        for comp in tok.children:
            infinitive = comp.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in comp.children
            )
            if comp.dep_ not in ("xcomp", "acl") and not infinitive:
                continue
            if comp.i in words or not _is_verb(comp):
                continue
            for child in comp.children:
                if child.dep_ in ("dobj", "dative"):
                    found = (
                        _actors(tree, child)
                        or [r for t in _core(child, tree) for r in tree.cover.get(t.i, [])][:1]
                        or _partner_of(tree, child)  # "agreed to resume talks with X"
                    )
                    if found:
                        return found, "object of the complement's verb (parse)"
                if child.dep_ == "prep" and child.lower_ in _PARTNER_PREPS:
                    obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                    if obj is None or _helper_phrase(tree, child, obj):
                        continue
                    found = _actors(tree, obj)
                    if found:
                        return found, f"after '{child.lower_}' in the complement (parse)"
    return [], "no target found (parse)"


def parsed_roles(
    doc: Any, refs: list[ActorRef], trig: Trigger
) -> tuple[list[ActorRef], str, list[ActorRef], str]:
    """(sources, why, targets, why) read from the dependency parse; empty where the parse
    names no actor (the lexical rules then fill in)."""
    # one map of actors to tokens per sentence, however many triggers it has
    cached = doc.user_data.get("tidings_tree")
    if cached is None or cached[0] is not refs:
        cached = (refs, _tree(doc, refs))
        doc.user_data["tidings_tree"] = cached
    tree = cached[1]
    head = token_at(doc, trig.start, trig.end)
    if head is None:
        return [], "", [], ""
    if head.dep_ in ("aux", "auxpass") and head.head is not head:
        head = head.head
    verb = _is_verb(head)
    agent = next((c for c in head.children if c.dep_ == "agent"), None)
    passive = verb and (
        any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        or (agent is not None and head.tag_ == "VBN")  # "missiles fired by X at Y"
    )
    if passive:
        obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        sources = _actors(tree, obj) if obj is not None else []
        subj = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        targets = _actors(tree, subj) if subj is not None else []
        why_t = "passive subject (parse)"
        if not targets:
            targets, why_t = _objects(tree, trig, head, False)
            targets = [t for t in targets if t not in sources]
        return sources, "agent after 'by' (passive, parse)", targets, why_t
    if verb:
        sources, why_s = _subject_of(tree, head)
    else:
        sources, why_s = _noun_source(tree, head)
    targets, why_t = _objects(tree, trig, head, verb)
    return sources, why_s, targets, why_t
