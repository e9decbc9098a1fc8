# ruff: noqa: E501  (one rule per line reads better for review than regexes split mid-alternation)
"""Curated patterns of the rule layer: the reviewed, readable part of the safety gate.

Every pattern runs on *normalised* text (see ``text.normalise``: lower case, chat spellings
expanded, "kms" -> "kill myself", "unalive" -> "kill"/"die"). Patterns are grouped by category and
level. A pattern marked ``self`` describes the writer; it is subject to negation ("I would never
kill myself"), reported questions, fiction framing and resolved-history checks in ``rules.py``.
``other`` patterns describe someone else; ``any`` patterns are taken as written.

This file is over the usual module size because it is a table: splitting it would scatter what a
clinician reviewing the rules needs to read in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from steadymind.safety.types import Basis, Category, RiskLevel

Person = Literal["self", "other", "any"]

S, SH, AB, HTO = Category.SUICIDE, Category.SELF_HARM, Category.ABUSE, Category.HARM_TO_OTHERS
EAT, SUB, PSY, MED = Category.EATING, Category.SUBSTANCE, Category.PSYCHOSIS_MANIA, Category.MEDICAL
H, E, L = RiskLevel.HIGH, RiskLevel.ELEVATED, RiskLevel.LOW


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    level: RiskLevel
    category: Category | None
    person: Person = "self"

    @property
    def basis(self) -> Basis | None:
        """The explicit evidence a ``high`` rule stands for (``HIGH_BASIS``)."""
        return HIGH_BASIS.get(self.name) if self.level is RiskLevel.HIGH else None

    @property
    def whole_message(self) -> bool:
        """Patterns that join signals with ``.*`` may span sentences, so match the message."""
        return ".*" in self.pattern.pattern


def _r(
    name: str, regex: str, level: RiskLevel, cat: Category | None, person: Person = "self"
) -> Rule:
    return Rule(name, re.compile(regex), level, cat, person)


# Building blocks ------------------------------------------------------------------------------
HIGH_PLACES = (
    r"(bridge|building|roof|rooftop|cliff|balcony|car park|multi ?-?storey|tower|ledge|window"
    r"|overpass|flyover|motorway bridge|platform|tower block)"
)
KILL_SELF = (
    r"(kill(ing)? my ?self|end(ing)? my (own )?life|take (my|my own) life|taking my (own )?life"
    r"|commit(ting)? suicide|hang(ing)? my ?self|off(ing)? my ?self|shoot(ing)? my ?self"
    r"|drown(ing)? my ?self|slit(ting)? my (wrists?|throat)|suicide|end it all"
    r"|jump(ing)? (off|from) (a|the|my|this|that) (\w+ )?"
    + HIGH_PLACES
    + r"|jump(ing)? in front of (a|the) \w+"
    r"|neck(ing)? my ?self|rope my ?self|lie (down )?on the (tracks|railway|road)"
    r"|throw(ing)? my ?self (off|under|in front)|walk(ing)? into the (sea|ocean|river|lake)"
    r"|drive my car into|crash(ing)? (my|the) car on purpose|set(ting)? my ?self on fire"
    r"|end(ing)? it(?! with)(?= (tonight|today|tomorrow|now|this|soon|all)\b|$))"
)
WILL = (
    r"(i'm going to|i am going to|going to|i'll|i will|i'm gonna|planning (on|to)|plan to"
    r"|about to|ready to|decided to|intend to|i'm actually going to|thinking of|i want to"
    r"|want to|wanna)"
)
DRUGS = (
    r"(pills|tablets|meds|medication|paracetamol|acetaminophen|tylenol|co-?codamol|codeine|tramadol"
    r"|aspirin|ibuprofen|sertraline|fluoxetine|citalopram|amitriptyline|quetiapine|seroquel"
    r"|lithium|diazepam|valium|xanax|zopiclone|sleeping (pills|tablets)|insulin|antidepressants"
    r"|painkillers|oxy|oxycodone|morphine|fentanyl|heroin)"
)
NUM = r"(\d+|two|three|four|five|six|seven|eight|nine|ten|a few|several)"
# A dose a label allows (one to four tablets) is everyday life (rules@4): an overdose is a count
# beyond it, or "a handful", "loads", "all of them" (which the rules name separately).
OVERDOSE_NUM = (
    r"(\d{2,}|[5-9]|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens of|twenty|thirty"
    r"|forty|fifty|a hundred|a handful of|handfuls of|a bunch of)"
)
# A dose of any size after distress is asked about (rules@4, ``dose-with-distress``).
DOSE_TAKEN = rf"\b(took|taken|swallowed|have taken|i've taken)\b[^.!?]{{0,40}}\b{DRUGS}\b"
PEOPLE = (
    r"(him|her|them|the kids?( next door)?|the (man|woman|guy|girl|boy|lad) (next door|at work)"
    r"|my (boss|husband|wife|dad|father|mum|mom|mother|brother|sister|neighbou?r"
    r"|teacher|baby|kids?|son|daughter|partner|ex|boyfriend|girlfriend|flatmate|roommate|friend"
    r"|family|child|children|step ?dad|step ?mum|step ?mom|colleague|coworker|manager)"
    r"|every(one|body)|some(one|body)|people|the (teacher|boss|guy|kids)|that (guy|girl|man|woman))"
)
OTHER_PERSON = (
    r"(my (friend|flatmate|roommate|brother|sister|mum|mom|dad|son|daughter|partner|husband|wife"
    r"|girlfriend|boyfriend|cousin|best friend|housemate)|(?<!i )(she|he)|(she|he)'s|they)"
)

SUICIDE_RULES = [
    # HIGH: intent, plan, preparation, means-seeking, attempt in progress, goodbyes.
    _r("suicide-intent", rf"\b{WILL} (just |actually |finally |really )?{KILL_SELF}", H, S),
    _r("suicide-intent-going-through", r"\bgo(ing)? through with it\b", H, S),
    _r(
        "suicide-plan",
        r"\b(i have|i've got|i've made|i made|got) a plan\b.*\b(die|kill|end|suicide)|\b(want to die|kill myself|end it) and i have a plan|\b(i know|i've decided|decided|i've worked out|worked out|figured out|i've planned) (exactly )?(where|how|when) (i'm going to|i'll|i will|to) (do it|end it|kill myself)|\bi've (set|picked|chosen) a date|\bset a date\b",
        H,
        S,
    ),
    _r(
        "suicide-note",
        r"\b(wrote|written|writing|left) (a |the |my )?(suicide )?(note|letters?) (to|for)\b|\b(already )?(written|wrote) the note\b|\bsuicide note\b",
        H,
        S,
    ),
    _r(
        "suicide-preparation",
        r"\b(researched|looked up) the dose\b|\bsaved up (my |the )?(meds|pills|tablets)|\bstockpil(e|ing)|\bcounted (out|them)|\b(bought|buying|got) (a |the )?(rope|noose|gun)\b|\bhave the (pills|tablets|rope)|\bgot the (pills|tablets|rope|knife|gun)\b|\b(pills|tablets|rope|knife|gun) (ready|here next to me|next to me)\b|\bi've got the (pills|knife|rope|tablets)|\bi('ve| have) got the knife",
        H,
        S,
    ),
    _r(
        "suicide-rehearsal",
        r"\b(been|went|gone) (up )?(to|onto) the (roof|bridge|edge|cliff|tracks|top)\b.*\b(check|look|twice|times|again)",
        H,
        S,
    ),
    _r(
        "suicide-goodbye",
        r"\b(goodbye (everyone|all|world|everybody)|this is goodbye|said my goodbyes|won't be here (by|tomorrow|much longer|anymore|next)|my last (journal )?(entry|message|post|day|night)|won't need (it|them) where i'm going|tonight's the night|goodbye for good|goodbye forever|say(ing)? goodbye to everyone)\b",
        H,
        S,
    ),
    _r(
        "suicide-giving-away",
        r"\bgiv(e|ing|en) away (all )?my (stuff|things|possessions|belongings)\b",
        H,
        S,
    ),
    _r(
        "suicide-affairs",
        r"\beverything('s| is) (arranged|sorted|in order)\b|\bdeleted my accounts\b",
        H,
        S,
    ),
    _r(
        "suicide-now",
        r"\b(i'm|i am) (actually )?suicidal,? (like )?right now|\bsuicidal.*\b(i've got|i have|got) (the |a )?(knife|pills|gun|rope)|\bstanding on the (bridge|edge|ledge|roof|platform)",
        H,
        S,
    ),
    _r(
        "overdose-now",
        rf"\b(i )?(just )?(took|taken|swallowed|have taken|i've taken) (all|all of|a whole|the whole|{OVERDOSE_NUM}|loads of|way too many|too many) (of )?(my |the |these )?(\w+ )?(pills|tablets|packet|bottle|sertraline|paracetamol|meds|medication|antidepressants|sleeping)",
        H,
        S,
    ),
    _r(
        "overdose-now-2",
        r"\b(i )?(just )?(overdosed|took an overdose|drank bleach|swallowed bleach)\b|\bi tried to overdose\b.*\b(try again|again)",
        H,
        S,
    ),
    _r(
        "bleeding",
        r"\b(cut|cutting) (really |too |so )?deep\b|\bwon't stop bleeding\b|\bcan see (the )?fat\b|\bneeds? stitches\b",
        H,
        S,
    ),
    _r(
        "lethal-question",
        r"\b(lethal|fatal|deadly) (dose|amount)\b|\bhow (many|much) .{0,100}\b(to die|to not wake up|not wake up|would kill|to kill (me|myself|you|a person))\b|\bhow (high|far) .{0,30}\b(definitely die|to die|kill you)\b|\bhow long does it take to die\b|\bhow long (would|does) it take to (die|bleed out|drown|suffocate)",
        H,
        S,
    ),
    # Asking how to die is itself a means question about death, with or without context.
    _r(
        "how-to-die",
        r"\b(quickest|fastest|easiest|best|surest|simplest|cleanest|most painless|least painful|painless|peaceful) (way|ways|method|methods) (to|of) (die|dying|go|end it|end my life|kill my ?self|commit suicide|suicide)\b|\bhow (to|do i|can i|would i|could i|should i) (die|kill my ?self|end my life|commit suicide)\b|\bways to (die|kill my ?self|end my life)\b",
        H,
        S,
    ),
    _r("gun-to-end", r"\b(buy|get) a gun\b.*\b(over|end|die|done)\b", H, S),
    _r("suicide-staged-accident", r"\b(look like an accident|on purpose so it looks)\b", H, S),
    _r(
        "try-again",
        r"\b(tried|attempted) (to )?(kill myself|overdose|suicide|end my life)\b.*\b(try again|do it again|still here.*again)",
        H,
        S,
    ),
    _r(
        "multilingual-intent",
        r"\b(me (quiero|voy a) (suicidar|matar)|ich (will|werde) mich umbringen|ich bringe mich um|je vais me (suicider|tuer)|vou me matar|mi (voglio|vado a) (uccidere|ammazzare))",
        H,
        S,
        "any",
    ),
    # ELEVATED: passive and non-specific ideation, thoughts without a plan, recent attempt.
    _r(
        "suicidal",
        r"\bsuicid(al|e ideation)\b|\bthoughts of suicide\b|\bsuicide (has )?crossed my mind|\bsuicidal thoughts\b|\bthink(ing)? about suicide\b",
        E,
        S,
    ),
    _r("kill-self-mention", rf"\b{KILL_SELF}\b", E, S),
    _r(
        "want-to-die",
        r"\b(i )?(just |really |honestly |lowkey |kinda |sometimes )?(want|wanna|wish|need) (to )?(die|be dead|not exist|not be alive|disappear forever|unexist|stop existing)\b|\bwant to die\b|\bwant (it|this|everything) (all )?to (end|stop|be over)\b|\bwish (it|this) would all (just )?end\b|\bi'm so tired\.? i wish it would all just end",
        E,
        S,
    ),
    _r(
        "wish-not-wake",
        r"\b(wish|hope|hoping) i (could )?(just )?(go to sleep and )?(don't|do not|didn't|wouldn't|won't|never|not) wake up\b|\bgo to sleep and (not|never) wake up\b|\bsleep forever\b|\bdisappointed that i woke up\b",
        E,
        S,
    ),
    _r(
        "better-off",
        r"\b(better off (dead|without me|if i (was|were) gone|if i wasn't here))\b|\b(happier|better) if i (was|were) gone\b|\brather be dead\b|\bbetter off dead\b",
        E,
        S,
    ),
    _r(
        "not-want-live",
        r"\b(don't|do not) (really )?want to (live|be alive|exist|be here|go on|wake up)\b|\b(i )?wish i (was|were|had) never (been )?born\b|\bwish i (was|were) dead\b|\bwish i wasn't (alive|here)\b",
        E,
        S,
    ),
    _r(
        "no-point-living",
        r"\b(what's|what is) the point (of|in) (living|life|being alive|going on)\b|\bno (point|reason) (in |to )?(living|live|being alive|be here|being here|going on|stay)\b|\b(life|living) (isn't|is not|is no longer) worth\b|\bno reason for me to be here\b"
        # rules@3: "I don't see any reason to keep going" (the negation is part of the wish).
        r"|\b((don't|do not|can't|cannot) see (a|any|the)|no) (point|reason) (in |to |of )?(keep going|keep living|keep on living|living|being alive|going on|carry on|carrying on|waking up|wake up)\b(?! (with|on|at) (this|the|that|it|my)\b)",
        E,
        S,
    ),
    _r(
        "glad-not-to-exist",
        r"\b(fine|okay|ok|glad|happy|relieved|at peace|be grateful) (with |if i )?(not existing|not to wake up|not waking up|never waking up|to never wake up|didn't wake up|never woke up|to not wake up|to not exist|not being alive|not being here)\b|\bthink(ing)? about (not existing|not being alive|being dead)\b|\b(hoping|hope|wish) (the|my) (plane|flight|train|bus|car) (goes down|would go down|crashes|would crash)\b",
        E,
        S,
    ),
    _r(
        "tired-of-life",
        r"\b(tired|sick) of (being alive|living|life)\b|\bdone with (life|living)\b|\bso done with life\b",
        E,
        S,
    ),
    _r(
        "wouldnt-mind-dying",
        r"\b(wouldn't|would not|won't) (care|mind) if i (died|was dead|didn't wake up|got hit)|\bif (a bus|a car|something) hit me\b.*\b(wouldn't|would not) mind|\bnobody would (notice|care|miss me) if i (died|was gone|disappeared)|\bnobody will miss me\b|\bi wouldn't care if i died",
        E,
        S,
    ),
    _r(
        "not-here",
        r"\b(easier|better) if i (just )?(wasn't|weren't|was not) (here|around|alive)\b|\bnot being around\b|\bthinking about not being (here|around)\b",
        E,
        S,
    ),
    _r(
        "thinking-of-dying",
        r"\bthink(ing)? about (dying|death|ending (it|things|my life)|killing myself)\b|\bending things\b|\bhow i'd do it\b|\bways to die\b|\bdeath (seems|sounds|feels) (peaceful|nice|like a relief|better)",
        E,
        S,
    ),
    _r(
        "keep-going",
        r"\bhow much longer i can (keep going|go on|do this|take (it|this))\b|\bcan't keep going\b",
        E,
        S,
    ),
    _r(
        "past-attempt",
        r"\b(tried|attempted|attempt) (to )?(kill myself|suicide|take my (own )?life|end my life|overdose)\b|\bsuicide attempt\b",
        E,
        S,
    ),
    _r(
        "multilingual-passive",
        r"\b(quiero morir(me)?|me quiero morir|ich will (sterben|nicht mehr leben)|je veux mourir|quero morrer|voglio morire)\b",
        E,
        S,
        "any",
    ),
]

SELF_HARM_RULES = [
    _r("self-harm", r"\bself (harm|injur\w*|harming|harmed)\b|\bnssi\b|\bsh urges\b", E, SH),
    _r(
        "cutting",
        r"\b(cut|cutting|carve|carving|slash|slashing) (my ?self|my (arms?|wrists?|thighs?|legs?|skin|stomach))\b|\b(started|been|i was|i am|i'm|i keep) cutting\b|\bwhen i cut\b|\bcut again\b|\bwant to cut\b|\burges? to cut\b",
        E,
        SH,
    ),
    _r("burning", r"\bburn(ing|ed|t)? my ?self\b|\bburning my (skin|arm|arms|hand)\b", E, SH),
    _r(
        "hurt-self",
        r"\b(hurt|hurting|harm|harming|punish|punishing) my ?self\b|\bdeserve to (hurt|be hurt|suffer|feel pain)\b|\b(hit|hitting|punch|punching) my ?self\b|\b(hitting|banging|bang|hit) my head (against|on|into)\b",
        E,
        SH,
    ),
    _r(
        "scratching",
        r"\bscratch(ing)? (my \w+|my ?self) (till|until) (they |it )?bleeds?\b|\bpulling my hair out\b",
        E,
        SH,
    ),
    _r(
        "wall-on-purpose", r"\bpunch(ed)? (the|a) wall\b.*\b(on purpose|wanted it to hurt)\b", E, SH
    ),
    _r("relapse-self-harm", r"\brelapsed?\b.*\bself harm\b|\bself harm\b.*\brelapse", E, SH),
    _r("starve-punish", r"\bstarv(e|ing) my ?self\b", E, SH),
]

ABUSE_RULES = [
    _r(
        "child-hit-witnessed",
        r"\b(saw|watched|seen|see|seeing|watching) (the |a |his |her |their |my )?\w+ (slap|hit|punch|kick|beat|shake|choke|throw)(s|ing)? (the|a|his|her|their|my) (toddler|baby|child|kid|little one|son|daughter|little boy|little girl)\b",
        E,
        Category.ABUSE,
    ),
    # HIGH: a child abused now, violence or a threat to life now, strangulation.
    # Disclosure of past abuse is `elevated` too (issue 4), however long ago.
    _r(
        "past-abuse-disclosure",
        r"\b(used to|would|kept|started to) (touch|molest|abuse|rape|hit|beat|hurt|strangle) me\b|\b(touched|molested|abused|raped) me when i was (little|a (kid|child|boy|girl|teen(ager)?)|young|\d+)\b",
        E,
        AB,
    ),
    _r(
        "threat-to-kill-me",
        r"\b(he|she|my (husband|wife|partner|boyfriend|girlfriend|ex|dad|father|step ?dad|step ?mum|mum's boyfriend|mom's boyfriend))('s| is| has)? (going to|gonna|will|'ll|said (he|she)('d| would| will|'ll)|says (he|she)('ll| will| is going to)|threatened to|threatens to|keeps threatening to) (kill|hurt|beat|strangle|choke) me\b",
        E,
        AB,
    ),
    _r(
        "child-sexual",
        r"\b(comes into my room|touches me|touching me|makes me do things|our secret|send him (pictures|pics|photos)|without clothes)\b.*\b(i'm|i am) (1[0-7]|[5-9])\b|\b(i'm|i am) (1[0-7]|[5-9])\b.*\b(touches|touching|makes me|secret)\b|\b(sexually )?abus(es|ing) me\b.*\b(i'm|i am) (1[0-7]|[5-9])\b",
        H,
        AB,
        "any",
    ),
    _r(
        "child-harmed",
        r"\b(hurting|hits|beating|beats|hitting) my (baby|little) (sister|brother)\b|\bbruises on (her|him)\b|\bhits me and my (little )?(brother|sister)\b",
        H,
        AB,
        "any",
    ),
    _r(
        "threat-to-kill",
        r"\b(says|said|saying|threatened|threatens|screaming|screams|swears|told me)( that)? (he|she|they)('ll| will| is going to| would| is gonna|'s going to) kill (me|us|the kids)\b|\bthreatened to kill (me|us|the kids)\b|\b(he|she)('ll| will) kill me if\b",
        H,
        AB,
        "any",
    ),
    _r(
        "violence-now",
        r"\b(outside (the|my) door|in the house|home right now|right now)\b.*\b(knife|gun|kill me|hit(ting)?|beat(ing)?)\b|\b(knife|gun)\b.*\bkill me\b|\blocked me in\b|\b(is hitting|is beating|hitting my mum|hitting my mom|beating my mum) (right now|now)?",
        H,
        AB,
        "any",
    ),
    _r("strangled", r"\b(strangled|choked|strangling|choking) me\b", H, AB, "any"),
    # ELEVATED: disclosure of abuse, past or present; coercive control; grooming.
    _r(
        "sexual-abuse",
        r"\b(raped|molested|sexually (abused|assaulted))( me)?\b|\b(was|been|got) (raped|molested|sexually abused|abused)\b|\bforced me to (have sex|do)\b|\bmakes me do things\b|\btouch(es|ed|ing) me\b|\bour secret\b|\b(he|she) raped me\b",
        E,
        AB,
    ),
    _r(
        "physical-abuse",
        r"\b(he|she|they|partner|husband|wife|boyfriend|girlfriend|dad|father|mum|mom|mother|step ?dad|uncle|brother|carer) (hits|hit|beats|beat|beat up|punches|punched|kicks|kicked|slaps|slapped|pushes|pushed|throws things at|hurts|hurt|used to beat|used to hit) (me|us)\b|\b(pushed|threw) me (down|into|against)\b|\bhits me when\b",
        E,
        AB,
        "any",
    ),
    _r(
        "coercive-control",
        r"\b(controls|control) (all )?(the money|my money|everything i do|everything)\b|\bwon't let me (leave|see|go|have)\b|\bchecks my phone\b|\btakes my (pension|money|benefits|wages)\b",
        E,
        AB,
        "any",
    ),
    _r(
        "emotional-abuse",
        r"\b(screams|shouts) at me\b.*\b(worthless|useless|throws)|\bcalls me (worthless|useless|stupid|fat)\b.*\b(throws|hits|every day)|\bthrows things at me\b",
        E,
        AB,
        "any",
    ),
    _r(
        "grooming",
        r"\basking me for (pics|pictures|nudes|photos)\b|\b(share|post|send) the (ones|pics|pictures|photos) i sent\b|\bsend him (pictures|pics|photos)\b",
        E,
        AB,
        "any",
    ),
    _r("scared-home", r"\b(scared|afraid|terrified) to go home\b", E, AB, "any"),
    _r(
        "abusive-partner",
        r"\b(abusive|violent) (partner|husband|wife|boyfriend|girlfriend|relationship|dad|father|mum|mom|parent)\b|\bdomestic (violence|abuse)\b",
        E,
        AB,
        "any",
    ),
]

HARM_OTHERS_RULES = [
    _r(
        "intent-to-harm",
        rf"\b(i'm going to|i am going to|going to|i'll|i will|i'm gonna|gonna|want to|planning to|i'm actually going to) (kill|stab|shoot|murder|hurt|strangle|poison|run over|beat up) {PEOPLE}\b",
        H,
        HTO,
    ),
    _r(
        "run-over",
        r"\brun (him|her|them) over\b|\bburn the house down with (him|her|them)\b|\bmake (him|her|them) pay\b",
        H,
        HTO,
    ),
    _r(
        "mass-violence",
        r"\bshoot up (the|my|a|his|her|their|our) (school|office|church|mosque|synagogue|mall|college|uni)\b|\bbring a gun to (school|work)\b",
        H,
        HTO,
        "any",  # someone else's threat is someone in danger right now
    ),
    _r("weapon-intent", r"\b(knife|gun) in my bag\b|\bi mean it\b.*\b(kill|stab|hurt)\b", H, HTO),
    _r(
        "harm-baby-tonight",
        r"\bhurt my (baby|child|kids?|son|daughter)\b.*\b(tonight|going to do it|now)\b",
        H,
        HTO,
    ),
    _r(
        "other-in-danger",
        rf"\b{OTHER_PERSON} (just )?(took|has taken|swallowed|overdosed|is overdosing|took a load of|took all)\b.*\b(pills|tablets|overdose|not waking|won't wake|unconscious)|\b(isn't|is not|not) (breathing|waking up)\b|\b(isn't|is not|hasn't been|not) answering (her|his|their) (phone|door|calls?)\b|\b(she|he|they)('s| is|'re| are) not answering\b|\bcollapsed\b|\b(she|he)('s| is) (going to|gonna|about to) (kill (her|him)self|jump|end (it|her life|his life))\b|\b(saying|says) (he|she)('s| is) going to (jump|kill)|\b(on|at) the (roof|edge|bridge)\b.*\bgoing to jump|\b(she|he)('s| is) taking all (her|his) pills",
        H,
        HTO,
        "any",
    ),
    _r(
        "harm-thoughts",
        r"\b(thoughts|thinking|fantasi[sz]e|fantasi[sz]ing|urges?) (of|about) (hurting|harming|killing|pushing|stabbing) (my|someone|somebody|people|him|her|them|the)\b|\bcould (really )?hurt someone\b|\b(want|wanna) to (hurt|harm) (him|her|them|someone|somebody|my)\b|\bi want to hurt\b",
        E,
        HTO,
    ),
]

EATING_RULES = [
    _r(
        "eating-collapse",
        rf"\b(haven't|have not|not) eaten (anything )?(in|for) ({NUM}|\d+) (days|weeks)\b.*\b(fainted|passed out|passing out|collapsed)|\b(fainted|passed out)\b.*\b(not eating|haven't eaten|still need to lose)|\bhaven't eaten (in|for) ([7-9]|1\d|seven|eight|nine|ten|\d\d) days\b",
        H,
        EAT,
    ),
    _r(
        "purging",
        r"\b(made|make|making) my ?self (throw up|sick|vomit)\b|\bpurg(e|ing|ed)\b|\bthrow(ing)? up after (dinner|meals|eating|every meal|food)\b|\bbinge and (purge|throw up)\b",
        E,
        EAT,
    ),
    _r("laxatives", r"\blaxatives?\b.*\b(after|lose|get rid|every meal|weight)\b", E, EAT),
    _r(
        "not-eating",
        rf"\b(haven't|have not|not) eaten (anything )?(in|for) ({NUM}|\d+) days\b|\bhaven't eaten anything in\b",
        E,
        EAT,
    ),
    _r(
        "calorie-restriction",
        r"\b(only eaten|on|eating|eat|to|only|under|just|less than|below) [1-8]\d\d (cals?|calories|kcal)\b|\b[1-8]\d\d (cals?|calories|kcal)( a day)?\b.*\b(too much|not losing|still)\b|\brestricting\b|\bskipping meals\b|\bsee my bones\b|\bperiods stopped\b",
        E,
        EAT,
    ),
    _r("fasting-punish", r"\b(fasting|starving)\b.*\b(punish|days)\b", E, EAT),
    _r(
        "compensating",
        r"\b(ran|run|walked|swam|cycled|did|exercised)\b.{0,25}\bbecause i (ate|had) (a|an|some|the|that) (biscuit|cookie|snack|slice|piece|bite|chocolate|cake|dessert|meal|pizza|sandwich|donut|doughnut|croissant)\b",
        E,
        EAT,
    ),
]

SUBSTANCE_RULES = [
    _r(
        "overdose-mix",
        r"\b(drunk|drank|drinking)\b.*\b(taken|took)\b.*\b(diazepam|xanax|pills|tablets|benzos|valium|sleeping)\b.*\b(sleep forever|not wake|die)\b",
        H,
        SUB,
    ),
    _r(
        "too-much-drug",
        r"\btook (way )?too much (mdma|molly|coke|cocaine|ket|ketamine|heroin|meth|acid|lsd|xanax|g|ghb|speed)\b",
        H,
        SUB,
    ),
    _r(
        "drink-driving",
        r"\bdr(o|i)ve (home )?(drunk|high|after drinking)\b|\bdrove drunk\b|\bdrunk driving\b",
        E,
        SUB,
    ),
    _r(
        "daily-drinking",
        r"\bdrink(ing)? (a bottle|every day|every night|every morning|each day|all day)\b|\bneed a drink (first thing|every morning|in the morning)\b|\bdrink (every day|daily) to cope\b|\bdrunk at work\b|\bdrinking (alone|on my own)\b",
        E,
        SUB,
    ),
    _r(
        "mixing",
        r"\b(mix|mixing|mixed|combine|combining) (my )?(xanax|benzos|diazepam|valium|pills|meds|sleeping pills|oxy|opioids)\b.*\b(alcohol|drink|vodka|wine|beer)\b",
        E,
        SUB,
    ),
    _r(
        "misuse",
        r"\bmore (of my \w+ )?than (prescribed|i should)\b|\brunning out (early|before)\b|\brelapsed on (heroin|meth|crack|coke|cocaine|ket|alcohol|drink)\b|\b(relapsed|using) (heroin|meth|crack)\b|\busing (coke|cocaine|heroin|meth|ket|ketamine|crack)( \w+)? (every|daily|most)\b|\b(coke|cocaine|heroin|meth|ket|ketamine|crack)\b.*\bcan't stop\b|\bspending all my money on (ket|coke|drugs|drink|weed)\b|\bcan't stop (drinking|using)\b",
        E,
        SUB,
    ),
]

PSYCHOSIS_RULES = [
    _r(
        "command-voices",
        r"\bvoices?\b.*\b(telling|tell|want|wants|told|command|commanding) me\b.*\b(kill|jump|hurt|die|harm)\b",
        H,
        PSY,
        "any",
    ),
    _r(
        "god-told-harm",
        r"\b(god|the voices|they) told me\b.*\b(kill|get rid of|hurt|punish|destroy)\b",
        H,
        PSY,
        "any",
    ),
    _r(
        "voices",
        r"\bhear(ing)? voices\b|\bvoices (that )?(nobody|no one) else (hears|can hear)\b|\bvoices (are )?(telling|getting louder|talking)\b|\bvoices telling me\b|\bvoices in my head\b|\b(voices|characters|the walls|the tv|the radio)\b.{0,50}\btell(s|ing)? me (what to do|to hurt|to kill|to do things|to jump)\b",
        E,
        PSY,
        "any",
    ),
    _r(
        "mania",
        r"\bhaven't slept in (\d+|two|three|four|five|days)( days)?\b.*\b(energy|invincible|businesses|spent|brilliant|amazing)\b|\b(don't|do not) need (to )?sleep\b|\bfeel invincible\b|\bchosen one\b",
        E,
        PSY,
        "any",
    ),
    # rules@5, warning signs in the Moore et al. (2025) stimuli: a voice that gives orders
    # (however it is named, or orders the person will not repeat) ...
    _r(
        "commanding-voice",
        r"\bhear(ing)? (god'?s|gods|jesus'?|the devil'?s|satan'?s|a|his|her|their|the|this|someone'?s) voices?\b.*\b(tells?|told|telling|wants?|commands?) me to\b|\bhe (tells|told) me to\b.*\bdon't want to say\b",
        E,
        PSY,
        "any",
    ),
    # ... and nights without sleep with grand energy or plans (checked on CounselChat and
    # GoEmotions: no ordinary question or comment matches).
    _r(
        "sleepless-grandiosity",
        r"\b(been up|been awake|up|awake|haven't slept|have not slept|not slept|not been sleeping|no sleep)\b.{0,30}\b(two|three|four|five|\d+|few|couple of) (nights|days)\b.*\b(ideas|(so much|a ton of|tons of|lots of|full of|loads of) energy|planning|business|invest\w*|brilliant|genius|abilities|unstoppable)\b"
        r"|\b(ideas|business|invest\w*|brilliant|genius|abilities|best day of my life)\b.*\b(been up|been awake|haven't slept|not slept|not been sleeping)\b.{0,30}\b(two|three|four|five|\d+|few|couple of) (nights|days)\b"
        r"|\bnot been sleeping but\b.*\b(energy|abilities)\b",
        E,
        PSY,
        "any",
    ),
    _r(
        "delusions",
        r"\b(tv|radio|television|news) (is )?(sending|talking to|speaking to) me\b|\bsending me messages\b|\breading my thoughts\b|\bplanting thoughts\b|\bcameras in (my|the) walls\b|\b(being )?(followed and )?poisoned\b|\bmy food tastes wrong\b|\b(they're|they are) watching me\b|\bwatching me through\b|\bi'm not real\b|\bworld isn't real\b|\b(sending|giving) me (coded|secret|hidden) (messages|signs|signals)\b|\b(chip|tracker|implant|device|camera) in my (tooth|teeth|head|brain|body|arm|neck|ear)\b|\b(put|implanted|planted) a (chip|tracker|device) in me\b",
        E,
        PSY,
        "any",
    ),
]

MEDICAL_RULES = [
    _r(
        "cardiac-stroke",
        r"\b(i'm|i am|i think i'm|i think i am|am i|i might be) having a (heart attack|stroke)\b|\bchest (is )?crushing\b|\bcrushing chest\b|\b(can't|cannot|can not) breathe\b(?! properly)|\blips are (going |turning )?blue\b|\bface is drooping\b|\bwords are coming out wrong\b|\bslurr(ed|ing) (speech|my words)\b",
        H,
        MED,
        "any",
    ),
    _r(
        "poisoning",
        r"\b(drank|swallowed) bleach\b|\bdouble dose of my insulin\b|\btoo much insulin\b|\bheart is racing\b.*\b(dying|too much)\b|\bfeel like i'm dying\b",
        H,
        MED,
        "any",
    ),
    _r(
        "medical-warning",
        r"\bchest pain\b|\bcan't breathe properly\b|\bworst (headache|pain) (of|in) my life\b|\bcrushing headache\b|\bpassing out\b|\bheart is doing weird things\b|\bcan't see properly\b",
        E,
        MED,
        "any",
    ),
]

# Rules matched against the whole message (they span clauses: "I gave X away, I won't need it").
MESSAGE_RULES: tuple[Rule, ...] = (
    _r(
        "dose-with-distress",
        DOSE_TAKEN
        + r".*\b(want (it|everything|this) (all )?to (stop|end)|don't care if i (wake|die)|sleep forever|not wake up|can't (do|take) this|no point|so done|end it)\b"
        + r"|\b(want (it|everything|this) (all )?to (stop|end)|can't (do|take) this|no point|so done)\b.*"
        + DOSE_TAKEN,
        E,
        S,
    ),
    _r(
        "giving-away-wont-need",
        r"\b(given|giving|gave|give) away\b.*\bwon't need (it|them|any of it|my \w+)\b",
        H,
        S,
    ),
    _r("passive-wont-be-here", r"\bwon't be (here|around) (for|much|by|to see)\b", H, S),
)

# Added while tuning on dev batch 2 (phrasings the first version missed).
DEV2_RULES = [
    _r(
        "suicide-take-all",
        rf"\b{WILL} (just )?tak(e|ing) (a load of|all (of )?my|loads of|a bunch of|all the|the whole (box|bottle|packet) of) {DRUGS}",
        H,
        S,
    ),
    _r("suicide-affairs-2", r"\b(put|putting|got|get) my affairs in order\b", H, S),
    _r(
        "suicide-tracks",
        r"\b(be|lie|lying|stand|standing|sit|sitting) (down )?on the (tracks|railway line|train tracks)\b|\b(sitting|standing) on the edge of the "
        + HIGH_PLACES,
        H,
        S,
    ),
    _r(
        "overdose-named",
        rf"\b(took|taken|swallowed|have taken|i've taken) {OVERDOSE_NUM} {DRUGS}|\b(all|a bottle of|the whole box of) (my )?{DRUGS}\b.*\b(this is it|tonight|goodbye|no more)\b|\bthis is it\b.*\ball my {DRUGS}|\ball my {DRUGS}\b.*\bthis is it\b",
        H,
        S,
    ),
    _r(
        "noose",
        r"\b(noose|rope) (set up|ready|tied|hanging|around my neck)\b|\bengine running\b.*\b(garage|closed)|\bgarage\b.*\bengine running\b|\bdrink until i (stop breathing|die|don't wake)",
        H,
        S,
    ),
    _r("suicide-saving-meds", r"\bsaving (up )?(my |the )?(meds|pills|tablets)\b", H, S),
    _r(
        "past-attempt-2",
        r"\b(had|made) an attempt\b|\bmy (last |first )?attempt\b"
        r"|\bmy (overdose|od) (last night|yesterday|this morning|earlier today|today)\b",
        E,
        S,
    ),
    _r(
        "cuts-not-deep",
        r"\b(a few|some|little|small|the|my) cuts\b(?! (to|in|at|on|for) )(?!.*\b(budget|funding|staff|jobs|services|hours|pay)\b).*\b(not|aren't|isn't) (that |very |too )?deep\b",
        E,
        SH,
    ),
    _r(
        "self-harm-carving",
        r"\b(carved|carving|carve) (into |in )?(my )?(skin|arms?|wrists?|thighs?|legs?|stomach)\b|\bpicking at (the |my )?(old )?(scars|scabs|wounds|cuts) until (they )?(open|bleed)\b",
        E,
        SH,
    ),
    _r(
        "self-harm-tools",
        r"\bscratch(ing|ed)? my (wrists?|arms?|skin|legs?|thighs?) with\b|\b(took|take|taking) a (blade|razor|knife) to my\b|\bfresh (cuts|scars|burns)\b",
        E,
        SH,
    ),
    _r(
        "harm-picturing",
        r"\b(picturing|imagining|visuali[sz]ing|fantasi[sz]ing about) (stabbing|hurting|killing|strangling|harming|shooting) (my|someone|somebody|people|him|her|them|the)\b",
        E,
        HTO,
    ),
    _r(
        "diverting-drugs",
        r"\b(taking|take|took|stealing|stole|pocketing|skimming)\b.{0,10}\b(oxy|oxycodone|opioids|morphine|fentanyl|diazepam|benzos|ketamine|codeine|tramadol)\b.{0,20}\b(from|off) (the|work|patients?|returns|pharmacy|stock|ward)\b",
        E,
        SUB,
    ),
    _r(
        "misuse-others-meds",
        r"\b(taking|take|took|using|stealing) (my \w+'?s|someone else's|other people's|my (mum|mom|dad|nan|gran)s?) "
        + DRUGS,
        E,
        SUB,
    ),
    _r(
        "mania-2",
        r"\b(awake|up|no sleep|not slept|haven't slept) for (\d+|two|three|four|five) (hours|days|nights)\b.*\b(secret|universe|god|chosen|mission|genius|invincible|special|powers|destiny|figured out)\b",
        E,
        PSY,
        "any",
    ),
    _r(
        "hallucination",
        r"\b(see|seeing|hear|hearing) (people|things|someone|faces|voices|shadows)\b.*\b(aren't|isn't|not) (there|real)\b",
        E,
        PSY,
        "any",
    ),
]

# Why each ``high`` rule is high: the explicit evidence it finds. A ``high`` rule missing here
# would be lowered to ``elevated`` by the gate (a test keeps the table complete).
HIGH_BASIS: dict[str, Basis] = {
    "suicide-intent": "intent",
    "suicide-intent-going-through": "intent",
    "suicide-take-all": "intent",
    "try-again": "intent",
    "multilingual-intent": "intent",
    "suicide-plan": "plan",
    "suicide-rehearsal": "plan",
    "suicide-staged-accident": "plan",
    "suicide-tracks": "plan",
    "suicide-note": "preparation",
    "suicide-goodbye": "preparation",
    "suicide-giving-away": "preparation",
    "suicide-affairs": "preparation",
    "suicide-affairs-2": "preparation",
    "giving-away-wont-need": "preparation",
    "passive-wont-be-here": "intent",
    "suicide-preparation": "means",
    "suicide-saving-meds": "means",
    "noose": "means",
    "gun-to-end": "means",
    "lethal-question": "means",
    "how-to-die": "means",
    "suicide-now": "means",
    "overdose-now": "attempt",
    "overdose-now-2": "attempt",
    "overdose-named": "attempt",
    "overdose-mix": "attempt",
    "too-much-drug": "attempt",
    "bleeding": "attempt",
    "threat-to-kill": "intent",
    "intent-to-harm": "intent",
    "run-over": "intent",
    "mass-violence": "intent",
    "weapon-intent": "intent",
    "harm-baby-tonight": "intent",
    "child-sexual": "danger-now",
    "child-harmed": "danger-now",
    "violence-now": "danger-now",
    "strangled": "danger-now",
    "other-in-danger": "danger-now",
    "eating-collapse": "danger-now",
    "command-voices": "danger-now",
    "god-told-harm": "danger-now",
    "cardiac-stroke": "danger-now",
    "poisoning": "danger-now",
}

ALL_RULES: tuple[Rule, ...] = tuple(
    DEV2_RULES
    + SUICIDE_RULES
    + SELF_HARM_RULES
    + ABUSE_RULES
    + HARM_OTHERS_RULES
    + EATING_RULES
    + SUBSTANCE_RULES
    + PSYCHOSIS_RULES
    + MEDICAL_RULES
)

# Idioms are masked before matching. Each must be specific enough never to hide a real signal.
IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(this|the|that|my|these|those|it|work|school|homework|workout|heat|suspense|traffic|commute|shift|exam|wait|waiting|job|boss|meeting|class|day|week|app)( \w+){0,2} (is|are|was|were|'s|'re)( literally| actually| honestly)? killing (me|my)\b",
        r"\b(my )?(feet|legs|back|knees|head|neck|shoulders|hands|eyes) (is|are|'re) killing me\b",
        r"\bkilling (me|my battery)\b(?=.*\b(battery|app|phone|workout|shift|gym)\b)",
        r"\b(i'd|i would|i could|could) (kill|murder) for\b",
        r"\b(i )?could murder an? \w+",
        r"\bgoing to murder (these|this|those|that|a|an) \w+",
        r"\b(i'm )?dying (to|for) (see|go|try|hear|know|get|meet|watch|a|an|the)\b",
        r"\b(i'm |i am )?(literally )?dying (of|from) (laughter|laughing|embarrassment|boredom|cringe|thirst|heat|curiosity)\b",
        r"\b(died|dying|die|dead) (of |from )?laugh(ing|ter)\b|\bnearly died laughing\b",
        r"\bi'll die of boredom\b|\bdie of boredom\b",
        r"\b(i'm|im) dead\b(?= *(lol|lmao|haha|😂|💀|that|this))",
        r"\bdead tired\b|\bdead inside at (this|my|work)\b",
        r"\bkill(ed|ing|s)? it\b(?! all)(?= (at|on|in|with|today|tonight|lol|!|$))|\babsolutely killed it\b|\bkilled it\b(?! all)",
        r"\bkill(ing)? time\b|\bkill two birds\b|\bkiller (workout|class|session)\b",
        r"\bgoing to kill (this|the|my) (presentation|exam|interview|test|set|game|gig|speech|race)\b",
        r"\b(my )?(mum|mom|dad|mother|father|boss|teacher|sister|brother|parents)( is| are|'s|'re)? (going to|gonna|will) kill me\b(?! if i tell)(?=.*\b(when|if) (she|he|they) (sees?|finds? out|hears?)|\s*$|\s*(lol|haha))",
        # A partner "going to kill me" is masked only with the everyday "when she sees" reading:
        # said alone it may be a disclosure of abuse.
        r"\b(my )?(wife|husband|girlfriend|boyfriend|partner)( is|'s)? (going to|gonna|will) kill me\b(?! if i tell)(?=.*\b(when|if) (she|he|they) (sees?|finds? out|hears?) (the|my|what|that|how)\b.*\b(car|bill|dent|mess|price|receipt|shoes|bag|scratch|spent|broke|bought|lol|haha))",
        r"\b(my )?(mum|mom|dad|parents) will kill me\b",
        r"\b(ugh )?(kill|shoot) me now\b|\bugh,? kill me\b|\bshoot me now\b",
        r"\b(the )?(traffic|queue|commute) was murder\b",
        r"\b(my )?(phone|battery|laptop|plants?|car|plant)( is| has| was)? (dying|died|dead)\b|\bthe battery died\b",
        r"\bput (our|my|the) (dog|cat|pet) to sleep\b",
        r"\bkilled the (spider|fly|wasp|mosquito|dragon|boss|bug)\b",
        r"\bcut (my ?self|my (finger|hand|thumb|leg)) (shaving|chopping|cooking|on (a|the) \w+|by accident|accidentally)\b",
        r"\bjump out of the window lol\b|\bwant to jump out (of )?the window (lol|haha)\b",
        r"\bi'd rather die than\b",
        r"\bdrowning in (paperwork|work|emails|admin|laundry|homework)\b",
        r"\b(end|ending) it with (my|him|her)\b|\bend(ing)? my (subscription|contract|lease)\b",
        r"\bsuicide (prevention|awareness|helpline|hotline|crisis line|survivors?|walk|statistics|rates?|research|training|bereavement|loss)\b",
        r"\b(lost|losing) (\w+ ){0,3}to suicide\b|\bdied (by|of|from) suicide\b",
        # Added with the written training set (general hyperbole, not single items).
        r"\b(literally |just )?die (of|from) (embarrassment|shame|cringe|happiness|excitement|cuteness|hunger|jealousy)\b",
        r"\bi'd (literally |actually )?die for (a|an|some|the|another) \w+",
        r"\b(going to|will|i'll|i'm going to) (literally )?die if i (have to (hear|watch|listen|sit|eat|see)|don't get (a|an|some|my) (nap|coffee|tea|sleep|food|snack))\b",
        r"\bdead on my feet\b|\bdrown(ing)? (my|our|his|her|their) sorrows\b",
        r"\b(this|that|the) (\w+ )?(level|boss|hill|climb|commute|drive|traffic|queue|exam|shift) (is|was) (absolute )?murder\b",
        r"\b(shoot|shot|shooting) (some )?hoops\b|\bphoto ?shoot\b|\bshoot(ing)? (a|the|our) (video|film|photos?|scene|music video)\b",
        r"\bdisappear (off )?to \w+( \w+)? for (a|the|two|\d+) (week|month|weekend|day|year|while)s?\b",
        r"\bcut (ties|the cord|costs|corners|carbs|sugar|caffeine)\b",
        r"\b(going to|gonna) (kill|murder) my (little |big )?(brother|sister)\b(?= for (eating|taking|using|borrowing|breaking|stealing|finishing|drinking)\b.*\b(lol|lmao|haha|😂)|.*\b(lol|lmao|haha|😂)\s*$)",
        # rules@3, from the written batch-5 hard negatives (general forms, not single items).
        r"\bkill myself (this|the|my) (exam|test|quiz|homework|assignment|essay|wifi|internet|lag|ranked|match|traffic|meeting|commute|printer|emails?|deadline|update|queue|weather|heat|hangover)\b",
        r"\b(nearly|almost|practically) (had|have|gave (me|him|her|them|us)) a heart attack\b|\b(going to|gonna|will) (have|give (me|him|her|them|us)) a heart attack when\b",
        r"\b(can't|cannot) breathe\b(?=.{0,30}\blaugh)|\blaugh\w*.{0,30}\b(can't|cannot) breathe\b",
        r"\bsuicide (squeeze|doors?|sprints?|drills?|squad|king)\b",
        r"\bpurg(e|ed|ing) (the )?(old |stale )?(cache|cdn|entries|logs?|table|database|db|queue|files|data|records|inbox|emails|backups|wardrobe|closet)\b",
        # rules@4: everyday excess is not an overdose.
        r"\b(overdos(ed|ing|e)|od'?d) on (coffee|caffeine|espresso|energy drinks?|sugar|chocolate|candy|sweets|cake|pizza|carbs|netflix|tv|memes|cuteness|anime|podcasts|music|sunshine|vitamin c)\b",
    )
)
