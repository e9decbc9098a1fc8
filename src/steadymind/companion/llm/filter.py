# ruff: noqa: E501  (one rule per line reads better for review than regexes split mid-alternation)
"""The output filter: what a generated reply may never say.

    result = check_reply("The Brooklyn Bridge is 84 metres high.")
    result.ok        # False
    result.reasons   # ("means:height",)

Four kinds of words are blocked, each by readable rules a reviewer can go through in one place:

- ``means``: information about means or methods of self-harm or suicide: lethal or toxic amounts,
  heights of bridges and buildings, where or how to obtain means, how to use them (knots, gases,
  poisons, weapons, wounds), the "most painless way". Built on the safety layer's own building
  blocks (its list of drugs and of high places, its rules for lethal and how-to-die questions,
  and the "lethal means" construct of the Suicide Risk Lexicon), turned to face a reply.
- ``diagnosis``: telling the person what condition they have ("it sounds like you have bipolar
  disorder", "you are autistic").
- ``medication``: doses and advice to start, stop or change a medication. Pointing to a doctor
  or pharmacist is fine, and a consultation phrase is masked before these rules run.
- ``human``: claims to be a person, a professional, or to have lived the person's experience.

A reply that mentions suicide to point to help ("If you're thinking about ending your life,
that's really important") is not blocked: the filter looks for information and claims, not for
the topic. Reasons are rule names (``category:rule``), never the text, so they can be recorded.
Text is read normalised by the safety layer (lower case, look-alike letters and chat spellings
folded), so a spelling trick that the gate sees through does not pass here either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from steadymind.safety import lexicon
from steadymind.safety.patterns import ALL_RULES, DRUGS, HIGH_PLACES
from steadymind.safety.text import flat, normalise

Category = str  # "means" | "diagnosis" | "medication" | "human"


@dataclass(frozen=True)
class FilterResult:
    ok: bool
    reasons: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.partition(":")[0] for r in self.reasons))


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


def _inner(group: str) -> str:
    """The alternatives of a group written ``(a|b)`` or ``(?:a|b)``."""
    return group.removeprefix("(?:").removeprefix("(").removesuffix(")")


# Building blocks ------------------------------------------------------------------------------
NUMBER = r"(?:\d+(?:[.,]\d+)*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|a hundred|a few|a couple of|several|a handful of|a dozen|dozens of|half an?)"
DOSE_UNITS = r"(?:mg|milligrams?|mcg|micrograms?|µg|ug|g|grams?|ml|millilit(?:er|re)s?|units?|iu|tablets?|pills?|capsules?|caps|doses?|mg/kg)"
PACKS = r"(?:packets?|packs?|blister packs?|boxes|box|bottles?|strips?|tubs?)"
QUANTITY = rf"\b{NUMBER}[ -]?{DOSE_UNITS}\b"
HEIGHT = rf"\b(?:\d+(?:[.,]\d+)*[ -]?(?:m|metres?|meters?|ft|feet|foot|foot-tall|storeys?|stories|floors?|yards?|yds)|{NUMBER}[ -](?:metres?|meters?|feet|foot|storeys?|stories|floors?|yards?))\b"
DEATH_WORDS = r"\b(?:lethal|fatal|deadly|dangerous|harmful|serious harm|damage|kill|kills|killing|die|dies|dying|death|overdose|overdosing|toxic|toxicity|poison\w*|liver|unconscious|not wake up|stop (?:your|the) heart)\b"
HEIGHT_WORDS = rf"\b(?:{_inner(HIGH_PLACES)}|tall|taller|tallest|high|higher|highest|height|heights|drop|fall|falls|jump|jumping|above (?:the )?(?:water|ground|river|street|sea|deck))\b"
# Substances and tools named in a reply only to inform about means: never needed by a companion.
POISONS = r"(?:poison|poisons|poisonous|cyanide|arsenic|strychnine|paraquat|pesticides?|herbicides?|insecticides?|weed ?killers?|rat poison|antifreeze|anti freeze|bleach|drain cleaner|hydrogen sulfide|hydrogen sulphide)"
GASES = r"(?:carbon monoxide|monoxide|exhaust fumes?|car exhaust|charcoal|helium|nitrogen|inert gas|plastic bag|suicide bag|exit bag)"
LIGATURES = r"(?:noose|nooses|ligature|slip ?knot|hangman'?s? knot|hanging point)"
WEAPONS = r"(?:gun|guns|firearms?|pistols?|handguns?|rifles?|shotguns?|revolvers?|ammunition|ammo|bullets?)"
EXTRA_DRUGS = r"(?:ssris?|snris?|benzos?|benzodiazepines?|opioids?|opiates?|barbiturates?|melatonin|st john'?s wort|ashwagandha|valerian|cbd|kava|5-htp|supplements?|ritalin|adderall|prozac|zoloft|lexapro|escitalopram|venlafaxine|mirtazapine|bupropion|wellbutrin|lamotrigine|olanzapine|risperidone|propranolol|pregabalin|gabapentin|clonazepam|lorazepam|alprazolam|zolpidem|ambien|nytol|antihistamines?|sleeping aids?)"
MEDS = rf"(?:meds|medication|medications|medicine|medicines|pills|tablets|dose|doses|dosage|dosages|prescription|prescriptions|antidepressants?|anti-depressants?|{_inner(DRUGS)}|{_inner(EXTRA_DRUGS)})"
# The lexicon's "lethal means" tokens that name a thing (not "cut", "bridge", "drowning": those
# are read by the height and method rules, or are everyday words a reply may use).
_LEXICON_SKIP = {
    "balcony",
    "bridge",
    "cliff",
    "precipice",
    "skyscraper",
    "tall building",
    "high place",
    "cut",
    "cutting",
    "burn my",
    "burning my",
    "drown",
    "drowning",
    "carbon",
    "hydrogen",
    "chemical",
    "chemicals",
    "jumping off",
    "jump off",
    "weapon",
    "blade",
    "knife",
    "od",
    "tried od",
    "try od",
    "tried to od",
    "try to od",
    "over dose",
    "overdose",
    "overdosing",
}


@cache
def _lexicon_means() -> str:
    """The Suicide Risk Lexicon's "Lethal means for suicide" things, as one alternation."""
    data = json.loads(lexicon.DATA.read_text(encoding="utf-8"))
    tokens = [t.casefold() for t in data["constructs"][lexicon.MEANS]["tokens"]]
    kept = sorted({t for t in tokens if t not in _LEXICON_SKIP}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(t) for t in kept) + ")"


def _means_things() -> str:
    return _any(_lexicon_means(), POISONS, GASES, LIGATURES, WEAPONS, DRUGS, EXTRA_DRUGS)


def _safety_rule(name: str) -> str:
    """A rule of the safety layer by name (the same reviewed regex, not a copy)."""
    return next(rule.pattern.pattern for rule in ALL_RULES if rule.name == name)


CONDITIONS = r"(?:clinical depression|major depressive disorder|depressive disorder|depression|manic depression|bipolar(?: disorder| i| ii| 1| 2| one| two)?|borderline personality disorder|bpd|adhd|attention deficit(?: hyperactivity)? disorder|autism(?: spectrum disorder)?|asd|asperger'?s(?: syndrome)?|ocd|obsessive[- ]compulsive disorder|c-?ptsd|ptsd|post-?traumatic stress disorder|(?:generali[sz]ed |social )?anxiety disorder|gad|panic disorder|schizophrenia|schizoaffective disorder|psychosis|an eating disorder|eating disorder|anorexia(?: nervosa)?|bulimia(?: nervosa)?|binge[- ]eating disorder|(?:narcissistic|antisocial|histrionic|avoidant|dependent|paranoid|schizoid) personality disorder|a personality disorder|personality disorder|npd|dissociative identity disorder|dysthymia|cyclothymia|hypomania|mania|insomnia|agoraphobia|seasonal affective disorder|postnatal depression|postpartum depression|a mental illness|mental illness|a mental health (?:condition|disorder)|a (?:psychiatric |mental |mood |anxiety )?disorder|dementia|dyslexia|dyspraxia|tourette'?s)"
STATES = r"(?:clinically depressed|bipolar|autistic|schizophrenic|psychotic|manic|hypomanic|anorexic|bulimic|borderline|a narcissist|narcissistic|a sociopath|a psychopath|sociopathic|psychopathic|ocd|adhd|neurodivergent|on the (?:autism |autistic )?spectrum|dyslexic|agoraphobic|mentally ill)"
PROFESSIONALS = r"(?:doctor|doctors|gp|pharmacist|psychiatrist|prescriber|nurse|care team|health ?care (?:provider|professional|team)|medical team|clinician|specialist|mental health team)"

# Phrases masked before the medication rules: pointing to someone who may advise is fine.
CONSULT: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:talk|talking|speak|speaking|chat|chatting|check|checking|discuss|discussing|raise|raising)(?: (?:it|this|that|things))? (?:to|with) (?:your |a |the |an? )?{PROFESSIONALS}(?: (?:about|before|if|whether|first|on)\b[^.?!;]*)?",
        rf"\bask(?:ing)? (?:your |a |the |an? )?{PROFESSIONALS}(?: (?:about|whether|if|before|what|how)\b[^.?!;]*)?",
        rf"\b(?:your |a |the |an? )?{PROFESSIONALS} (?:can|could|would|will|is|are|might|may|should be able to)(?: \w+)? (?:help|advise|answer|talk|go through|review|know|explain|be the (?:best|right) (?:person|people))\b[^.?!;]*",
        rf"\b(?:discuss|review|go over|go through|bring up) (?:\w+ ){{0,4}}with (?:your |a |the )?{PROFESSIONALS}\b",
    )
)
# After the consultation is masked: "don't stop your medication without [consult]" is safe
# advice every leaflet gives, not medication advice.
_SAFE_ADVICE = re.compile(
    r"\b(?:don't|do not|never|please don't|try not to|it's best not to)\b[^.?!;]{0,50}\b(?:without|before|until|unless)\b[^.?!;]{0,20}\[consult\]"
)
_REPORTED = re.compile(
    r"\byou(?: (?:mentioned|said|told me|shared|wrote|described|explained))(?: (?:that|how))? you(?:'ve| have| were| are|'re)?(?: been)?(?: diagnosed with)?"
)


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    # "sentence": read in each sentence; "reply": read across the whole reply so far.
    scope: str = "sentence"


def _rule(name: str, regex: str, scope: str = "sentence") -> _Rule:
    return _Rule(name, re.compile(regex), scope)


@cache
def rules() -> tuple[_Rule, ...]:
    things = _means_things()
    advise = r"(?:you should|you could|you can|you might want to|you may want to|you'd want to|you need to|you must|you ought to|try|consider|i'd recommend|i'd suggest|i recommend|i suggest|i would (?:recommend|suggest)|it might help to|it may help to|it could help to|it would help to|why not|it's (?:best|better|fine|okay|ok|safe|good) to|it's a good idea to|no need to|go ahead and|feel free to|how about|what about)"
    change = r"(?:take|taking|start|starting|stop|stopping|quit|quitting|come off|coming off|get off|getting off|wean(?: yourself)? off|weaning off|taper|tapering|increase|increasing|decrease|decreasing|reduce|reducing|lower|lowering|raise|raising|double|doubling|halve|halving|skip|skipping|switch|switching|swap|up|upping|cut down|cutting down|cut back|cutting back|drop|dropping|change|changing|adjust|adjusting|ditch|ditching|stay off|go off|give up|pop|add|adding|use|using|try|trying)"
    return (
        # -- means: amounts ------------------------------------------------------------------
        _rule(
            "means:lethal-amount",
            r"\b(?:lethal|fatal|deadly|toxic|poisonous|overdose) (?:dose|doses|dosage|amount|amounts|quantity|quantities|level|levels|threshold|limit)\b|\benough (?:\w+ ){0,4}to (?:kill|die|be fatal|be lethal|stop (?:your|a|the) heart|not wake up|overdose|do serious harm)\b",
        ),
        _rule(
            "means:amount",
            rf"{QUANTITY}.{{0,60}}{DEATH_WORDS}|{DEATH_WORDS}.{{0,60}}{QUANTITY}",
            "reply",
        ),
        _rule("means:lethal-question", _safety_rule("lethal-question")),
        # -- means: heights and high places --------------------------------------------------
        _rule("means:height", rf"{HEIGHT}.*{HEIGHT_WORDS}|{HEIGHT_WORDS}.*{HEIGHT}", "reply"),
        _rule(
            "means:high-places",
            r"\b(?:tallest|highest|tall|high|highest point of)(?: \w+){0,2} (?:bridges|buildings|towers|cliffs|structures|skyscrapers|rooftops|car parks|multi-storey car parks|places|spots|points|drops|viaducts)\b|\b(?:bridges|buildings|towers|cliffs|structures|places|spots)(?: \w+){0,3} (?:taller|higher|over|above) (?:than )?\d|\b(?:taller|higher|more) than (?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a hundred)\b[^.?!;]{0,20}\b(?:m|metres?|meters?|feet|ft|storeys?|stories|floors?)\b|\b(?:taller|higher) than \d|\b(?:list|names|examples|some) of (?:the )?(?:\w+ )?(?:bridges|buildings|cliffs|towers|rooftops|car parks|viaducts|high places)\b|\b(?:best|good|ideal|quiet|right|perfect|easiest) (?:place|places|spot|spots|location|locations) to (?:jump|do it|die|end it|hang|drown)\b|\bplaces? to jump\b",
        ),
        _rule(
            "means:high-places",
            r"\b(?!(?:a|the|this|that|any|nearest|local|old|new|tall|high)\b)[a-z'-]+ (?:bridge|viaduct|tower|building|cliffs?)\b.{0,80}\b(?!(?:a|the|this|that|any|nearest|local|old|new|tall|high)\b)[a-z'-]+ (?:bridge|viaduct|tower|building|cliffs?)\b",
            "reply",
        ),
        _rule(
            "means:jump",
            rf"\b(?:jump|jumping|leap|leaping|fall|falling|throw yourself|base jump\w*)(?: \w+)? (?:off|from|into|over) (?:a |the |that |one of the |any )?(?:\w+ )?{HIGH_PLACES}",
        ),
        # -- means: obtaining ----------------------------------------------------------------
        _rule(
            "means:obtain",
            rf"\b(?:buy|buying|bought|purchase|purchasing|get hold of|getting hold of|obtain|obtaining|order|ordering|source|sourcing|stock up on|stocking up on|pick up|get|getting)\b[^.?!;]{{0,40}}\b{things}\b[^.?!;]{{0,60}}\b(?:at|from|in|online|over the counter|without a prescription|pharmacy|pharmacies|chemist|shop|shops|store|stores|supermarket|website|amazon)\b",
        ),
        _rule(
            "means:obtain",
            rf"\b(?:where|how) (?:to|you can|you could|can you|could you|do you|one can) (?:buy|get|find|obtain|purchase|order|get hold of)\b[^.?!;]{{0,30}}\b{things}\b|\b{things}\b[^.?!;]{{0,60}}\b(?:are|is) (?:sold|available|stocked|easy to (?:get|find|buy)|found) (?:at|in|from|online|over the counter|without a prescription|in most|at most|everywhere)\b|\b(?:you can|you could|you'll|you will|one can) (?:buy|get|find|purchase|order) (?:\w+ ){{0,3}}{things}\b|\b{things}\b[^.?!;]{{0,30}}\b(?:over the counter|without a prescription)\b",
        ),
        # -- means: methods ------------------------------------------------------------------
        _rule("means:method", _safety_rule("how-to-die")),
        _rule(
            "means:method",
            r"\b(?:painless(?:ly)?|least painful|pain-free|quick(?:est)?|fast(?:est)?|easi(?:est|er)|sure(?:st)?|simplest|cleanest|most (?:effective|lethal|reliable|certain|peaceful)|reliable|certain|effective|peaceful) (?:way|ways|method|methods|means|option|options) (?:to|of|for) (?:die|dying|death|go|going|end|ending|kill|killing|suicide|overdose|overdosing|do it)\b|\b(?:painless|peaceful|quick|quiet|easy) death\b|\bmost (?:lethal|deadly|effective|reliable) (?:method|methods|way|ways|means|option)\b|\b(?:lethality|fatality rate|case fatality|survival rate|survivable|chance of surviving|chances of survival|chance of survival)\b",
        ),
        _rule(
            "means:ligature",
            rf"\b{LIGATURES}\b|\b(?:tie|tying|make|making|knot|knotting)\b[^.?!;]{{0,30}}\b(?:knot|rope|cord|belt|sheet)\b[^.?!;]{{0,30}}\b(?:neck|hang|hanging|weight)\b",
        ),
        _rule("means:substance", rf"\b{POISONS}\b|\b{GASES}\b"),
        _rule(
            "means:method",
            rf"\bhanging\b(?! (?:out|in there|on|up|around|about|with|over|pictures|baskets?|laundry|washing|clothes|plants))|\b(?:common|popular|usual|typical|effective|reliable|lethal|deadly|best|quickest|easiest|fastest|surest) (?:method|methods|means)\b|\b(?:suicide|overdose|self-harm|self harm) (?:method|methods|means)\b|\b(?:method|methods|means|ways) of (?:suicide|self-harm|self harm|killing|dying|ending)\b|\b(?:overdose|overdosing|overdosed) (?:on|of|with)\b|\b{_any(DRUGS, EXTRA_DRUGS)} overdoses?\b|\b(?:survive|survived|surviving|survives) (?:a |the |an )?(?:fall|jump|drop|overdose|hanging|gunshot)\b|\b(?:drowning|hanging|suffocation|suffocating|strangulation|asphyxia\w*|bleeding out|an overdose) (?:takes|would take|can take|will take|is quick|is painless|is quicker|is slower)\b",
        ),
        _rule(
            "means:amount",
            rf"\b(?:large|high|big|huge|excessive|massive) (?:amounts?|doses?|quantities) of\b|\b{MEDS}\b[^.?!;]{{0,30}}\bin (?:large|high|big|excessive|massive) (?:amounts?|doses?|quantities)\b|\b(?:cause|causes|caused|lead to|leads to|result in|results in)\b (?:\w+ ){{0,2}}(?:internal bleeding|stomach bleeding|organ damage|liver damage|kidney damage|coma|seizures|cardiac arrest|respiratory failure|death)\b",
        ),
        _rule(
            "means:obtain",
            rf"\b(?:stockpile|stockpiling|save up|saving up|hoard|hoarding|collect|collecting|stash|stashing|keep back|keeping back) (?:\w+ ){{0,2}}{MEDS}\b|\b(?:trains?|railway|tracks|level crossing)\b[^.?!;]{{0,40}}\bevery (?:\d+|few|couple of) (?:minutes|mins)\b|\b(?:level crossing|railway line|train tracks|railway bridge) (?:near|close to|by|next to) (?:you|your)\b",
        ),
        _rule(
            "means:wound",
            r"\b(?:slit|slitting|cut|cutting|slash|slashing|open|opening)(?: open)? (?:your |the |a |an )?(?:wrists?|throat|arteries|artery|veins?|femoral)\b|\b(?:vertical(?:ly)?|lengthwise|along the (?:vein|veins|artery|arteries))\b|\bbleed(?:ing)? out\b|\b(?:lose|losing) consciousness\b|\b(?:liver|kidney|organ) (?:failure|damage)\b|\bhow long (?:it )?(?:takes|would take|will take) to (?:die|bleed|drown|suffocate|lose consciousness|pass out)\b|\bwhere to (?:aim|cut|stab|jump|shoot)\b",
        ),
        _rule(
            "means:weapon",
            rf"\b(?:load|loading|loaded|aim|aiming|point|pointing|cock|cocking|fire|firing|buy|buying)\b[^.?!;]{{0,25}}\b{WEAPONS}\b(?! (?:away|out of|safe|locked|stored|somewhere))",
        ),
        _rule(
            "means:method",
            r"\b(?:jump|jumping|step|stepping|walk|walking|run|running|lie|lying|lay|laying|stand|standing|throw yourself) (?:out )?in front of (?:a |the |an |oncoming )?(?:train|trains|traffic|bus|lorry|truck|car|cars)\b|\b(?:lie|lying|lay|laying|lain|laid|stand|standing|sit|sitting) (?:down )?on the (?:tracks|railway|railway line|train tracks|motorway)\b|\b(?:walk|walking|swim|swimming|wade|wading) (?:out )?into the (?:sea|ocean|river|lake|water)\b",
        ),
        _rule(
            "means:method",
            rf"\b(?:you (?:could|can|should|might|may|would|will|need to)|try|trying|by|how to|way to|ways to|easiest to|best to|step|first)\b[^.?!;]{{0,20}}\b(?:hang|hanging|drown|drowning|shoot|shooting|stab|stabbing|suffocate|suffocating|poison|poisoning|electrocute|electrocuting|burn|burning|starve|starving|cut|cutting|kill|killing|overdose|overdosing|gas|gassing) (?:your ?self|yourself)\b|\b(?:mix|mixing|combine|combining|crush|crushing|inject|injecting|swallow|swallowing)\b[^.?!;]{{0,30}}\b{MEDS}\b|\b{MEDS}\b[^.?!;]{{0,30}}\b(?:with|and) (?:alcohol|vodka|wine|beer|spirits|drink|drinks|whisky|whiskey|gin|rum)\b|\b(?:alcohol|vodka|wine|beer|spirits|a drink|drinks|drinking|whisky|whiskey|gin|rum)\b[^.?!;]{{0,30}}\b(?:with|and|on top of) (?:your |the |some |those |these )?{MEDS}\b",
        ),
        # -- diagnosis -----------------------------------------------------------------------
        _rule(
            "diagnosis:you-have",
            rf"\byou(?:'ve| have|'ve got| have got| may have| might have| could have| probably have| likely have| clearly have| definitely have| seem to have| appear to have| must have| may well have|'re suffering from| are suffering from| suffer from| may be suffering from| might be suffering from| could be suffering from|'re dealing with| are dealing with| may be dealing with| might be dealing with|'re experiencing| are experiencing| may be experiencing| might be experiencing| could be experiencing|'re living with| are living with| might be living with| may be living with| struggle with| have developed| may have developed| might have developed)(?: (?:a|an|some|signs of|symptoms of|a form of|a case of|a touch of|a bit of|a kind of|a type of|mild|severe|moderate))* {CONDITIONS}\b",
        ),
        _rule(
            "diagnosis:you-have",
            rf"\byou(?: (?:clearly|probably|likely|definitely|obviously|really|possibly|may|might|could|must|seem to|appear to|may well|certainly))+ (?:have got|have|suffer from|be suffering from|are suffering from|be dealing with|are dealing with|be experiencing|are experiencing|be living with|are living with|struggle with|have developed|developed|show|are showing|display)(?: (?:a|an|some|signs of|symptoms of|a form of|a case of|a touch of|a bit of|a kind of|a type of|mild|severe|moderate))* {CONDITIONS}\b",
        ),
        _rule(
            "diagnosis:you-are",
            rf"\byou(?:'re| are)(?: (?:probably|clearly|definitely|likely|possibly|maybe|most likely|actually|just|a bit|somewhat|quite|very|really|kind of|sort of))* {STATES}\b|\byou (?:seem|sound|appear|look|might be|may be|could be|must be|are probably|are likely)(?: to be)?(?: (?:a bit|quite|very|really|kind of|sort of|somewhat))? (?:{_inner(STATES)}|depressed)\b",
        ),
        _rule(
            "diagnosis:sounds-like",
            rf"\b(?:sounds?|seems?|looks?|reads?) (?:a lot |very much |a bit )?like (?:you (?:have|might have|may have|could have|are|'re|might be|may be|could be) )?(?:(?:a|an|some|classic|typical|textbook|clear|common|signs of|symptoms of|a case of|a form of|a sign of|a symptom of) )*(?:{CONDITIONS}|{STATES})\b|\b(?:signs?|symptoms?|indicators?|indicative|indication|hallmarks?|consistent with|textbook|classic|typical|characteristic) (?:of |with |for )?(?:a |an |the )?(?:{CONDITIONS})\b|\b(?:this|that|it|these|those|what you(?:'re| are) describing|what you describe|your symptoms)(?: all)?(?:'s|'re| is| are| could be| might be| may be| would be| is probably| are probably| points to| point to| suggests?| indicates?)(?: (?:a|an|probably|likely|definitely|clearly|classic|typical))* {CONDITIONS}\b",
        ),
        _rule(
            "diagnosis:diagnose",
            r"\bi(?:'d| would| will| can| could|'m going to| am going to)? (?:(?!never\b|not\b)\w+ )?diagnose\b|\bmy (?:diagnosis|assessment) (?:is|would be)\b|\byou (?:meet|fit|match|tick) (?:the |all the |all of the )?(?:\w+ )?criteria\b|\byou(?:'d| would| will| could) (?:probably |likely |definitely )?(?:be|get) diagnosed\b",
        ),
        # -- medication ----------------------------------------------------------------------
        _rule("medication:dose", QUANTITY),
        _rule(
            "medication:dose",
            rf"\b(?:once|twice|three times|four times) (?:a|per) (?:day|night|week)\b|\bevery (?:\d+|four|six|eight|twelve) hours\b|\bon an empty stomach\b|\b(?:maximum|max|safe|daily|recommended|usual|starting|normal) (?:daily )?(?:dose|dosage)\b|\b{NUMBER} {PACKS} of\b",
        ),
        _rule(
            "medication:advice",
            rf"\b{advise}\b[^.?!;]{{0,30}}\b{change}\b[^.?!;]{{0,30}}\b{MEDS}\b",
        ),
        _rule(
            "medication:advice",
            rf"\b(?:don't|do not|never|just) (?:\w+ )?{change}\b[^.?!;]{{0,20}}\b(?:your |any |the |those |these |all )?{MEDS}\b(?! (?:without|before|until|unless)\b)",
        ),
        _rule(
            "medication:advice",
            rf"^(?:\W*)(?:take|stop|start|quit|increase|decrease|reduce|double|halve|skip|switch|come off|get off|go off|stay off|cut out|give up|wean off|try|use|lower|raise|drop|ditch|pop|up)\b[^.?!;]{{0,30}}\b{MEDS}\b",
        ),
        _rule(
            "medication:advice",
            rf"\b(?:you don't|you do not|you won't|you wouldn't) (?:really |even )?need (?:your |any |the |those |these |all (?:those|these|that) )?{MEDS}\b|\b(?:no need for|better off without|do without|don't rely on|stop relying on) (?:your |any |the |those |these )?{MEDS}\b|\b{MEDS}\b[^.?!;]{{0,20}}\b(?:won't|will not|can't|cannot|don't|do not) (?:help|work) (?:for )?you\b|\bcold turkey\b",
        ),
        # Not masked: "ask your doctor for X" names the drug to ask for.
        _rule(
            "medication:request",
            rf"\b(?:ask|asking|request|requesting|push|pushing)\b[^.?!;]{{0,30}}\b(?:for|about) (?!your\b)(?:(?:a|an|some|trying|starting|switching to|taking|getting|adding|going on|prescription|prescription for|prescription of|higher dose of|lower dose of|stronger) )*{_any(DRUGS, EXTRA_DRUGS)}\b",
        ),
        # -- claims to be human --------------------------------------------------------------
        _rule(
            "human:person",
            r"\bi(?:'m| am) (?:also |just |only |actually |really |a real |an actual |a living |a trained |a qualified |a licensed |a certified |your )*(?:a |an )?(?:human|human being|person|real person|man|woman|guy|girl|lady|therapist|psychotherapist|counsell?or|psychologist|psychiatrist|doctor|nurse|social worker|life coach|coach|clinician|mental health professional|professional|volunteer|friend of yours)\b(?! (?:ai|a\.i\.|bot|chatbot|assistant|app|model|program|companion|simulation))",
        ),
        _rule(
            "human:person",
            r"\bi(?:'m| am) (?:very |totally |completely |100% )?real\b|\b(?:as|speaking as) (?:a|an|your|a fellow) (?:human|human being|person|fellow human|therapist|psychotherapist|counsell?or|psychologist|psychiatrist|doctor|nurse|clinician|mum|mom|mother|dad|father|parent|woman|man)(?: myself)?,? (?:i|i'm|i've|i'd|my)\b|\bas a (?:fellow )?human(?: being)?\b|\bspeaking as (?:a|an|your) (?:human|person|therapist|counsell?or|psychologist|doctor|friend)\b|\byou(?:'re| are) (?:talking|speaking|chatting|writing) (?:to|with) (?:a |an )?(?:real |actual )?(?:person|human|human being|therapist|counsell?or|professional)\b|\bthis is (?:a |an )?(?:real |actual )?(?:person|human)\b|\b(?:a|an) (?:real|actual) (?:person|human) (?:is|am) (?:here|reading|writing|replying)\b",
        ),
        _rule(
            "human:person",
            r"\bi(?:'m| am) (?:(?:also|just|only|actually|really|your|a|an|the|in fact) )*(?:(?:real|actual|living|trained|qualified|licensed|certified|registered|clinical|mental health|psychiatric|experienced|practising|practicing|specialist|senior|accredited|professional|school|family|grief|trauma|addiction|couples?|marriage|cbt|nhs|crisis|peer|support|care|case|youth|social) )+(?:therapist|psychotherapist|counsell?or|psychologist|psychiatrist|doctor|nurse|worker|clinician|coach|supporter|volunteer|professional|listener|person|human)\b|\bi(?:'m| am) [a-z]+, (?:a|an|your) (?:\w+ ){0,3}(?:therapist|psychotherapist|counsell?or|psychologist|psychiatrist|doctor|nurse|worker|clinician|coach|volunteer)\b|\bmy name is (?!steadymind\b)[a-z]+\b|\bbeing (?:a )?human(?: myself)?,? (?:i|i'm|i've)\b|\b(?:we|us) humans\b|\bas (?:someone|somebody|a person|one) who(?:'s| has| had| have| is| was| went| also)\b|\bi used to (?:feel|be|think|struggle|get|have|go|do|live|work)\b",
        ),
        _rule(
            "human:not-ai",
            r"\bi(?:'m| am) (?:not|no) (?:an? |just an? |some )?(?:ai|a\.i\.|bot|chatbot|chat bot|robot|machine|computer|program|programme|language model|llm|artificial intelligence|algorithm|software)\b|\bi(?:'m| am) not (?:artificial|automated|a computer program)\b|\b(?:not|never) (?:been )?(?:an? )?(?:ai|bot|chatbot|robot|machine), i(?:'m| am)\b",
        ),
        _rule(
            "human:experience",
            r"\b(?:i've|i have|i|i've also|i have also|i also) (?:been through|went through|gone through|struggled with|suffered from|battled|dealt with|lived with|experienced|survived|had)\b[^.?!;]{0,40}\b(?:myself|too|as well|in my own life|when i was)\b|\bwhen i was (?:a kid|a child|young|younger|little|your age|a teenager|a teen|at school|in school|growing up)\b|\bin my (?:own )?(?:life|experience|practice|clinical practice|years as|own struggles|own journey|personal life)\b|\bi(?:'ve| have)? (?:felt|feel) (?:that way|the same|like that|exactly the same)(?: \w+)? (?:myself|too)\b|\bi(?:'ve| have) been there(?: too| myself)?\b|\bi know (?:exactly )?how (?:that|it|you) feels?\b|\bmy (?:wife|husband|kids|children|son|daughter|boyfriend|girlfriend|partner|mum|mom|dad|mother|father|parents|sister|brother|clients|patients|own therapist|own experience|own life|childhood|family|body)\b|\bi (?:have|had|'ve got) (?:a |my own )?(?:body|family|wife|husband|kids|children|boyfriend|girlfriend|partner|mum|mom|dad|parents|therapist)\b|\bi (?:eat|sleep|cry|cried|get tired|got tired|go home|went home|drink coffee)\b",
        ),
    )


def _sentences(normalised: str) -> list[str]:
    parts = re.split(r"(?<=[.?!;:])\s+|\n+|\s+[-–—•*]\s+|(?:^|\s)\d+[.)]\s+", normalised)
    return [p.strip() for p in parts if p and p.strip()]


def _mask_consultation(sentence: str) -> str:
    for pattern in CONSULT:
        sentence = pattern.sub(" [consult] ", sentence)
    return _SAFE_ADVICE.sub(" [safe advice] ", sentence)


def _found(rule: _Rule, sentences: Iterable[str], whole: str) -> bool:
    if rule.scope == "reply":
        return bool(rule.pattern.search(whole))
    for sentence in sentences:
        if rule.name.startswith("medication:advice"):
            sentence = _mask_consultation(sentence)
        if rule.name.startswith("diagnosis:"):
            sentence = _REPORTED.sub(" [they said] ", sentence)
        if rule.pattern.search(sentence):
            return True
    return False


def check_reply(text: str) -> FilterResult:
    """Whether a generated text may be shown: ``ok``, or the rules it broke (their names)."""
    normalised = normalise(text)
    whole = flat(normalised)
    sentences = _sentences(normalised)
    reasons = [r.name for r in rules() if _found(r, sentences, whole)]
    reasons = list(dict.fromkeys(reasons))
    return FilterResult(not reasons, tuple(reasons))
