"""GoEmotions training comments that may carry risk, for labelling by the protocol.

    python -m training.goemotions_candidates

Most of the 43k comments are ordinary writing and are used as negatives as they are. A comment
is a candidate when the rule layer flags it at ``elevated`` or above, or when it names death,
suicide, self-harm or an overdose in the first person. Candidates are written to
``build/labelling/goemotions/`` (the texts stay in ../shared/data) and labelled by
docs/models/safety_labelling.md into ``training/data/goemotions_risk_labels.jsonl``.
"""

from __future__ import annotations

import json
import re

from steadymind.safety.gate import SafetyGate
from steadymind.safety.types import RiskLevel
from training.paths import REPO, shared_data

OUT = REPO / "build" / "labelling" / "goemotions"
FIRST_PERSON_RISK = re.compile(
    r"\b(i|i'm|im|me|my|myself)\b.{0,60}\b(die|dying|dead|kill|suicid\w*|end (it|my life)|"
    r"cut(ting)? myself|self.?harm|overdos\w*|not wake up|jump off|hang myself|slit)\b",
    re.IGNORECASE,
)


def main() -> int:
    rules = SafetyGate()  # rules, lexicon and context only: no learned layer
    found = []
    path = shared_data() / "goemotions" / "train.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        text, _, comment_id = line.split("\t")[:3]
        if FIRST_PERSON_RISK.search(text) or rules.assess(text).level >= RiskLevel.ELEVATED:
            found.append({"id": comment_id, "text": text})
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(x, ensure_ascii=False) for x in found]
    (OUT / "candidates.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} candidates in {OUT / 'candidates.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
