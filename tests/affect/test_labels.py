from __future__ import annotations

import json
from pathlib import Path

import pytest

from steadymind.affect.labels import EKMAN_LABELS, EKMAN_MAPPING, LABELS, VALENCE_AROUSAL

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "goemotions"


def test_every_label_has_one_ekman_group() -> None:
    grouped = [name for names in EKMAN_MAPPING.values() for name in names]
    assert sorted(grouped) == sorted(LABELS)
    assert EKMAN_LABELS == ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")


def test_valence_arousal_cover_every_label_within_range() -> None:
    assert set(VALENCE_AROUSAL) == set(LABELS)
    assert all(-1 <= v <= 1 and -1 <= a <= 1 for v, a in VALENCE_AROUSAL.values())
    assert VALENCE_AROUSAL["neutral"] == (0.0, 0.0)


@pytest.mark.skipif(not SHARED.exists(), reason="shared GoEmotions data not present")
def test_labels_and_mapping_match_the_data_set_files() -> None:
    assert (SHARED / "labels.txt").read_text().split() == list(LABELS)
    mapping = json.loads((SHARED / "ekman_mapping.json").read_text())
    assert {k: tuple(v) for k, v in mapping.items()} == EKMAN_MAPPING
