"""Rule layer: curated patterns + the Suicide Risk Lexicon, with the checks that keep precision.

Order of work for one message: normalise; mask idioms ("this workout is killing me"); split into
clauses; match every rule; drop matches that are negated ("I would never hurt myself"), answered
"no" to a reported question, or third-person/fictional mentions of a topic; downgrade risk that is
explicitly in the past *and* resolved ("two years ago ... today I'm grateful to be here"); upgrade
ideation that comes with a time or intent ("tonight"). Whatever is left becomes evidence.

Trade-off: recall first. When a check is unsure it keeps the signal (a false alarm shows crisis
resources; a miss can cost a life).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from steadymind.safety.lexicon import load as load_lexicon
from steadymind.safety.patterns import ALL_RULES, IDIOMS, MESSAGE_RULES, Rule
from steadymind.safety.text import flat
from steadymind.safety.types import Basis, Category, Evidence, RiskLevel

LAYER = "rules"
# Clauses bound negation: "I don't know, I want to die" must not read as negated. A line break
# does not end a clause (editors wrap sentences); ``_line`` bounds the checks instead.
_CLAUSE = re.compile(r"(?<=[.!?;])\s*|,\s*|\s+but\s+|\s+-\s+")
_NEGATORS = re.compile(
    r"\b(never|not|no|don't|do not|won't|wouldn't|would never|will never|haven't|hasn't|didn't|"
    r"isn't|aren't|am not|i'm not|nor|without|no intention of|no plans? to|no thoughts? of|"
    r"nothing like|never ever)\b"
)
_NEW_SUBJECT = re.compile(r"\b(i|i'm|im|i've|i'll|i'd)\b")
_SAYING = re.compile(r"\s*(saying|say|said|meant|mean|claiming|suggesting)\b")
# Not negations of what follows: "I don't know how much longer...", "not a joke: ...".
_NOT_KNOW = re.compile(
    r"\b(don't|do not|didn't|not|no) (really )?(know|sure|even know)\b"
    r"|\b(not|no|isn't|ain't) (a |an |even a )?(joke|joking|kidding|idiom|meme|exaggeration)\b"
)
_NEG_WINDOW = 6  # words before a match inside which a negator cancels it
FICTION = re.compile(
    r"\b(novel|book|film|movie|show|series|episode|character|story|poem|poetry|essay|play|"
    r"podcast|documentary|campaign|d&d|dungeons|video game|game|call of duty|fortnite|zombies?|"
    r"history|studied|studying|reading|memoir|true crime|the news|news about|romeo|juliet|"
    r"shakespeare|13 reasons why|plath|hitler|lyrics|song)\b"
)
_REPORTED_Q = re.compile(r"\b(asked|asks|asking)( me)? (if|whether|about)\b")
_ANSWER_NO = re.compile(
    r"\b(said|answered|told (him|her|them)|replied) (honestly )?no\b|\bi (honestly )?said no\b"
)
_PAST = re.compile(
    r"\b(years? ago|(\d+|two|three|four|five|six|ten) years|in (19|20)\d\d|"
    r"as a (teen|teenager|kid|child)|"
    r"when i was (younger|a teen|a kid|\d+)|used to|back then|in the past|long time ago|"
    r"years back|in my (teens|twenties)|had a \w+ episode|"
    r"(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? (since|out|clean|free)|"
    r"(in|for) (over |more than )?(a|one|two|three|four|five|ten|\d+) years?|"
    r"(years?|months|ages|decades?|yrs) ago|last (yr|year|winter|summer|spring|autumn|fall)|"
    r"\d+ yrs|"
    r"(back in|from|since) (19|20)\d\d|old (journal|diary|tumblr|posts?|drafts?|entry|entries)|"
    r"\d[\d,]* days? (free|clean|sober)|(attempt|suicide) survivor|survived my)\b"
)
_RESOLVED = re.compile(
    r"\b(grateful|glad|better place|doing (much )?better|doing well|been well|well since|"
    r"recovered|recovery|in recovery|safe now|i'm safe|stable|sober|clean (from|for)|free\b|"
    r"helped|proud|celebrat\w*|part of my story|new life|stopped|don't .* anymore|"
    r"finished my first|life is good|(good|okay|ok|fine|happy|better) now|been clean|clean since|"
    r"in a good place|so glad i('m| am) (still )?(here|alive)|glad i survived|"
    r"turned out (good|well|ok|fine)|peer support|since (my|the) (recovery|treatment)|"
    r"haven't (felt|done|had) (that|it|one) (in|for|since)|"
    r"thriving|cycle (is )?broken|never once|sorted (that|it)( out)?|got (treated|treatment|help)|"
    r"treated for|been quiet|haven't been back|training to be|"
    r"now i (coach|teach|help|work|volunteer|mentor)|years? (clean|free|sober|out)|"
    r"on the other side|healing|progress|look forward|gone since|faded|made (my )?peace|"
    r"(went|going) to therapy|through therapy|got me through|survivor|survived|(harm|suicide) free|"
    r"cleared it out|handed (the lot|them|it) in|far away|not dangerous|no pull)"
)
_STILL = re.compile(
    r"\b(still(?! (here|alive|around|standing|breathing))|again|lately|recently|these days|"
    r"this week|tonight|today i want|(picked|set|chosen|chose) a date|"
    r"now i('ve| have) (picked|decided|chosen|got a plan|made a plan)|relaps\w*|"
    r"periods? (have )?stopped|last night|yesterday|just now|(minutes|hours?) ago|"
    r"now i('m| am) (thinking|planning|going|back|cutting|using|drinking|hearing|starving)|"
    r"(i've |i have )?started (stockpiling|cutting|using|drinking|hearing|restricting|purging)|"
    r"bought (blades|razors|a rope|pills)|(cut|used|drank|purged) (last|this|on)\b)\b"
)
_TIME = re.compile(
    r"\b(tonight|today|tomorrow|this weekend|right now|after work|after school|after "
    r"everyone|by friday|this time|on the \d+(st|nd|rd|th)|the \d+(st|nd|rd|th)|this week|"
    r"soon|when i get home|made up my mind|decided|i'm ready|i mean it|so bad right now)\b"
)
# "my (little) brother", "my best friend": one list of the people a writer talks about, for the
# third-person check here and the "helping someone" reading in ``readings``.
MY_RELATION = (
    r"my ((little|older|younger|big|elder|baby|twin|step|best) )?"
    r"(friend|brother|sister|son|daughter|mum|mom|dad|patient|client|uncle|aunt|cousin|"
    r"best friend|partner|husband|wife|girlfriend|boyfriend|teenager|child|kid|student|mate|"
    r"flatmate|roommate|housemate|colleague|niece|nephew|grandson|granddaughter|nan|grandad|"
    r"grandma|grandpa|neighbou?r)"
)
_OTHER_SUBJECT = re.compile(
    r"\b(" + MY_RELATION + r"|someone|anyone|everyone|nobody|no one|a patient|people|he|she|they|"
    r"her|his|their|her brother|youth worker|nurse|volunteer)\b"
)
# Everyday distress the lexicon misses (it was built from longer posts).
_DISTRESS = re.compile(
    r"\b(can't cope|cannot cope|can't do this( any ?more)?|can't go on"
    r"|can't take (it|this|any ?more)"
    r"|lost my job|been (fired|sacked|laid off)|broke up with me|left me|hate my life|hate myself"
    r"|falling apart|struggling|nobody cares|no one cares|nothing (is ever going to|will ever) get"
    r" better|don't see the point|feel (so )?(alone|empty|low|down|sad|lost|numb|awful|terrible)"
    r"|so (tired|lonely|sad)|crying|cry (every|on|all)|panic attack|overwhelmed|exhausted"
    r"|worthless|a burden|hopeless|trapped|alone|my ex took|i'm a failure|no future"
    r"|nothing left|got nothing|lost everything|took the kids|can't be here|no way back"
    r"|messed (everything|it all) up|ruined (everything|my life|my marriage|it all)|can't do this"
    r"|i'm (so )?done|won't speak to me|nobody would care)\b"
)
_SELF_RULE_SUBJECT = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|im)\b")


_SUBJECTS = re.compile(
    "(?P<other>" + _OTHER_SUBJECT.pattern + ")|(?P<self>" + _SELF_RULE_SUBJECT.pattern + ")"
)


@dataclass(slots=True)
class RuleResult:
    evidence: list[Evidence] = field(default_factory=list)
    distress: list[str] = field(default_factory=list)
    suppressed: int = 0
    masked: bool = False

    @property
    def level(self) -> RiskLevel:
        levels = [e.level for e in self.evidence]
        if self.distress:
            levels.append(RiskLevel.LOW)
        return max(levels, default=RiskLevel.NONE)

    @property
    def categories(self) -> set[Category]:
        return {
            e.category
            for e in self.evidence
            if e.category is not None and e.level >= RiskLevel.ELEVATED
        }


def mask_idioms(text: str) -> str:
    """Mask idioms line by line: a mask never joins the words of two lines."""
    return "\n".join(_mask_line(line) for line in text.split("\n"))


def _mask_line(text: str) -> str:
    for idiom in IDIOMS:
        text = idiom.sub(" ~ ", text)
    return text


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(text) if c and c.strip() and len(c.strip()) > 1]


def _negated(clause: str, start: int) -> bool:
    head = clause[:start]
    # A whole-message rule matches across clauses; its negation still ends at a clause boundary.
    boundaries = [m.end() for m in _CLAUSE.finditer(head) if m.end() > m.start()]
    before = " ".join(head[boundaries[-1] if boundaries else 0 :].split()[-_NEG_WINDOW:])
    # "I don't know how much longer I can keep going" negates knowing, not the risk.
    before = _NOT_KNOW.sub(" ", before)
    negators = list(_NEGATORS.finditer(before))
    # A new "I ..." after the negator starts another statement: "not sad I want to die",
    # "no energy, I am going to kill myself tonight", and "not hungry i want to die" (the
    # match itself starts with "i") are not negated.
    if not negators:
        return False
    between = before[negators[-1].end() :]
    if _SAYING.match(between):  # "I'm not saying I want to die": the negation reaches over "I"
        return True
    first_word = clause[start:].split(maxsplit=1)[:1]
    return not _NEW_SUBJECT.search(" ".join([between, *first_word]))


def _reported_no(clause: str, whole: str, start: int) -> bool:
    return bool(_REPORTED_Q.search(clause[:start])) and bool(_ANSWER_NO.search(whole))


def _third_person_topic(rule: Rule, clause: str, start: int, phrase: str) -> bool:
    """A self rule matched a bare topic word ("suicidal") in a sentence about someone else.

    Decided by the nearest subject before the match: "my friend who is suicidal" is about the
    friend, "my friend says I seem suicidal" is about the writer.
    """
    if _SELF_RULE_SUBJECT.search(phrase):
        return False
    last = None
    for m in _SUBJECTS.finditer(clause[:start]):
        last = m
    return last is not None and last.lastgroup == "other"


def _line(clause: str, match: re.Match[str]) -> tuple[str, int]:
    """The line of ``clause`` on which ``match`` (found in its flat form) starts, and the match's
    offset in it: a negation, a story or another person named on another line is not about it."""
    begin = clause.rfind("\n", 0, match.start()) + 1
    end = clause.find("\n", match.start())
    return clause[begin : len(clause) if end < 0 else end], match.start() - begin


class _Part(NamedTuple):
    """A clause (or the whole message) with its line breaks, and flat: the patterns match the
    flat form, the checks read the lines (both have the same positions)."""

    lined: str
    flat: str


def _part(text: str) -> _Part:
    return _Part(text, flat(text))


def _keep(rule: Rule, clause: str, whole: str, match: re.Match[str]) -> bool:
    """``clause`` with its line breaks, ``whole`` the flat message."""
    line, start = _line(clause, match)
    if rule.person == "any":
        return not _negated(line, start) or rule.level >= RiskLevel.HIGH
    if _negated(line, start) or _reported_no(line, whole, start):
        return False
    phrase = match.group(0)
    # In a sentence about a book, film or game only words about the writer themself count.
    if FICTION.search(line) and not _SELF_RULE_SUBJECT.search(phrase):
        return False
    return not _third_person_topic(rule, line, start, phrase)


# Rules that match the topic word itself ("suicide", "suicidal"): on a line that speaks to or about
# someone else ("you", "people", "she") and never of the writer ("I", "me", "my"), the word names
# a subject ("please don't commit suicide, you matter", a supportive reply, the news), not the
# writer's state. The rules call it distress (low) and leave the learned layer, which reads the
# whole sentence, to raise it to a question when the writing carries risk. A diary fragment with
# no subject at all ("suicidal thoughts again tonight") is the writer's own and keeps its level.
_TOPIC_RULES = frozenset({"kill-self-mention", "suicidal"})
_ADDRESSED = re.compile(
    r"\b(you|your|you're|yourself|people|someone|anyone|everyone|nobody|no one|he|she|they|him"
    r"|her|them|his|their)\b"
)


def _impersonal(clause: str, match: re.Match[str]) -> bool:
    line, _ = _line(clause, match)
    if _SELF_RULE_SUBJECT.search(match.group(0)) or _SELF_RULE_SUBJECT.search(line):
        return False
    return bool(_ADDRESSED.search(line))


def _match_rules(whole: _Part, parts: list[_Part], source: str) -> tuple[list[Evidence], int]:
    found: list[Evidence] = []
    suppressed = 0
    for rule in ALL_RULES + MESSAGE_RULES:
        for clause in [whole] if rule.whole_message else parts:
            match, cancelled = _first_kept(rule, clause, whole.flat, rule.pattern)
            suppressed += cancelled
            if match is None:
                continue
            level, signal = rule.level, rule.name
            if rule.name in _TOPIC_RULES and _impersonal(clause.lined, match):
                level, signal = RiskLevel.LOW, f"{rule.name}:impersonal"
            found.append(
                Evidence(LAYER, signal, level, rule.category, match.group(0), source, rule.basis)
            )
            break
    return found, suppressed


def _first_kept(
    rule: Rule, clause: _Part, whole: str, pattern: re.Pattern[str]
) -> tuple[re.Match[str] | None, int]:
    """The first match no check cancels, and whether any was cancelled: "i don't want to die"
    on one line and "i want to die" on the next is one clause with a negated and a kept match."""
    cancelled = 0
    for match in pattern.finditer(clause.flat):
        if _keep(rule, clause.lined, whole, match):
            return match, cancelled
        cancelled = 1
    return None, cancelled


# The lexicon's matches pass the same checks as a self rule's.
_LEXICON_RULE = Rule("lexicon", re.compile("x"), RiskLevel.ELEVATED, Category.SUICIDE)


def _match_lexicon(
    whole: _Part, parts: list[_Part], source: str
) -> tuple[list[Evidence], list[str]]:
    lex = load_lexicon()
    found: list[Evidence] = []
    for clause in parts:
        for name, pattern in (("lexicon-active", lex.active), ("lexicon-passive", lex.passive)):
            match, _ = _first_kept(_LEXICON_RULE, clause, whole.flat, pattern)
            if match is not None:
                found.append(
                    Evidence(
                        LAYER, name, RiskLevel.ELEVATED, Category.SUICIDE, match.group(0), source
                    )
                )
    distress = [m.group(0) for m in lex.distress.finditer(whole.flat)]
    distress += [m.group(0) for m in _DISTRESS.finditer(whole.flat)]
    return found, distress


def resolved(text: str) -> bool:
    """Risk explicitly in the past *and* resolved ("used to cut, stopped three years ago")."""
    text = flat(text)
    return bool(_PAST.search(text)) and bool(_RESOLVED.search(text)) and not _STILL.search(text)


def _adjust(evidence: list[Evidence], text: str) -> list[Evidence]:
    """Upgrade ideation with a time/intent marker; downgrade risk that is past and resolved."""
    if resolved(text):
        return [_with_level(e, RiskLevel.LOW, "resolved-history") for e in evidence]
    timed = bool(_TIME.search(text))
    out = []
    for e in evidence:
        if (
            timed
            and e.category is Category.SUICIDE
            and e.level is RiskLevel.ELEVATED
            and (e.signal in {"kill-self-mention", "lexicon-active", "suicidal"})
        ):
            e = _with_level(e, RiskLevel.HIGH, "with-time", basis="time")
        out.append(e)
    return out


def _with_level(e: Evidence, level: RiskLevel, why: str, basis: Basis | None = None) -> Evidence:
    kept = basis if level is RiskLevel.HIGH else None
    return Evidence(e.layer, f"{e.signal}:{why}", level, e.category, e.phrase, e.source, kept)


def analyse(normalised: str, *, source: str = "message") -> RuleResult:
    """Run the rule layer on text already passed through ``text.normalise``."""
    masked = mask_idioms(normalised)
    whole = _part(masked)
    parts = [_part(clause) for clause in clauses(masked)]  # once, for the rules and the lexicon
    rule_ev, suppressed = _match_rules(whole, parts, source)
    lex_ev, distress = _match_lexicon(whole, parts, source)
    evidence = _adjust(rule_ev + lex_ev, whole.flat)
    return RuleResult(
        evidence=evidence, distress=distress, suppressed=suppressed, masked=masked != normalised
    )
