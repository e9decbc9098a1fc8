from __future__ import annotations

import pytest

from steadymind.affect.text import EmotionModel, load_emotion_model


@pytest.fixture(scope="session")
def model() -> EmotionModel:
    return load_emotion_model()
