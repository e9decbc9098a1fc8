"""The catalogue: every practice file is complete, and the loader refuses one that is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from steadymind.core.errors import ConfigError
from steadymind.features.practice.catalogue import (
    FOLDER,
    GOALS,
    catalogue,
    goal_book,
    load_catalogue,
    load_practice,
)

REQUIRED = {
    "box-breathing", "four-seven-eight", "resonance", "physiological-sigh", "extended-exhale",
    "body-scan", "loving-kindness", "grounding-54321", "rain", "urge-surfing", "noting",
    "mindful-walking",
}  # fmt: skip
FILES = sorted(FOLDER.glob("*.toml"))


def test_the_issue_s_twelve_practices_are_all_there() -> None:
    assert set(catalogue()) >= REQUIRED


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_practice_file_is_complete(path: Path) -> None:
    practice = load_practice(path)
    assert practice.id == path.stem
    assert practice.steps_of("intro") and practice.steps_of("core") and practice.steps_of("close")
    assert practice.references and practice.cautions and len(practice.evidence) >= 80
    for step in practice.steps:
        assert step.words(no_body=True)
        if step.body:
            assert step.alt and step.alt != step.say
    if practice.kind == "paced":
        assert practice.pattern is not None and 2.5 <= practice.pattern.per_minute <= 8


def test_practices_with_breath_holds_warn_about_panic_and_pregnancy() -> None:
    holding = [p for p in catalogue().values() if p.holds]
    assert {p.id for p in holding} == {"box-breathing", "four-seven-eight"}
    for practice in holding:
        cautions = " ".join(practice.cautions).lower()
        assert "panic" in cautions and "pregnan" in cautions


def test_every_goal_offers_each_of_its_practices_and_only_those() -> None:
    book = goal_book()
    for goal in GOALS:
        listed = {p.id for p in catalogue().values() if goal in p.goals}
        assert set(book.order[goal]) == listed, goal
        assert book.words[goal].opening and book.words[goal].closing


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_practice_without_cautions_is_refused(tmp_path: Path) -> None:
    source = (FOLDER / "noting.toml").read_text(encoding="utf-8")
    start = source.index("cautions = [")
    end = source.index("]", start) + 1
    _write(tmp_path, "noting", source[:start] + "cautions = []" + source[end:])
    with pytest.raises(ConfigError, match=r"noting\.toml"):
        load_catalogue(tmp_path)


def test_a_body_step_without_a_wording_that_leaves_the_body_out_is_refused(
    tmp_path: Path,
) -> None:
    source = (FOLDER / "rain.toml").read_text(encoding="utf-8")
    line = next(x for x in source.splitlines(keepends=True) if x.startswith('alt = "I, '))
    broken = source.replace(line, "")
    assert broken != source
    _write(tmp_path, "rain", broken)
    with pytest.raises(ConfigError, match="alt"):
        load_catalogue(tmp_path)


def test_a_file_whose_id_differs_from_its_name_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "other", (FOLDER / "noting.toml").read_text(encoding="utf-8"))
    with pytest.raises(ConfigError, match="declares id"):
        load_catalogue(tmp_path)


def test_a_hold_without_a_caution_about_it_is_refused(tmp_path: Path) -> None:
    source = (FOLDER / "extended-exhale.toml").read_text(encoding="utf-8")
    held = source.replace("holds = false", "holds = true").replace("hold_in = 0.0", "hold_in = 2.0")
    _write(tmp_path, "extended-exhale", held)
    with pytest.raises(ConfigError, match="caution about them"):
        load_catalogue(tmp_path)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No practice files"):
        load_catalogue(tmp_path)
