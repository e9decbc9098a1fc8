"""Importing a Daylio export or a mapped CSV: moods on the scale, tags, sealed notes, all or
nothing, and the same file twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from steadymind.core.errors import ValidationError
from steadymind.features.checkins.imports import CHUNK
from steadymind.features.checkins.service import CheckInService
from steadymind.features.checkins.tables import CheckIn
from steadymind.features.insights.service import InsightService, MoodsNeeded
from steadymind.runtime import Runtime
from tests.conftest import Persona
from tests.support import FAKE_HIGH, FakeEmotions, FakeGate

FIXTURES = Path(__file__).parents[2] / "fixtures" / "insights"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_daylio_export_becomes_check_ins_with_moods_tags_and_sealed_notes(
    runtime: Runtime, alice: Persona
) -> None:
    insights = runtime.get(InsightService)
    outcome = insights.import_daylio(alice.principal, read("daylio_en.csv"), moods={"sleepy": -1})
    assert (outcome.added, outcome.skipped, outcome.verdict) == (6, 0, None)
    items = runtime.get(CheckInService).find(alice.principal)
    by_mood = sorted(i.mood for i in items)
    assert by_mood == [-4, -2, -1, 0, 2, 4]  # awful, bad, sleepy (asked), meh, good, rad
    rad = next(i for i in items if i.mood == 4)
    assert rad.tags == ["friends", "walk", "good meal"]
    assert rad.note == "Dinner with Sam, long walk after."
    assert rad.at.isoformat() == "2025-11-28T21:40:00+00:00"  # 21:40 in London, in November
    with runtime.db.transaction() as tx:
        stored = tx.scalars(select(CheckIn.note_ct).where(CheckIn.note_ct.is_not(None))).all()
    assert stored and all(b"Dinner" not in blob for blob in stored)


def test_importing_the_same_file_twice_adds_nothing(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    data = read("daylio_en.csv")
    insights.import_daylio(alice.principal, data, moods={"sleepy": -1})
    again = insights.import_daylio(alice.principal, data)  # the custom mood is remembered
    assert (again.added, again.skipped) == (0, 6)
    assert len(runtime.get(CheckInService).find(alice.principal)) == 6


def test_a_custom_mood_is_asked_for_once(runtime: Runtime, alice: Persona) -> None:
    insights = runtime.get(InsightService)
    with pytest.raises(MoodsNeeded) as needed:
        insights.import_daylio(alice.principal, read("daylio_en.csv"))
    assert needed.value.names == ["sleepy"]
    assert runtime.get(CheckInService).find(alice.principal) == []
    insights.import_daylio(alice.principal, read("daylio_en.csv"), moods={"Sleepy": -1})
    assert insights.unknown_moods(alice.principal, read("daylio_en.csv")) == []


def test_a_bad_row_is_named_by_line_and_nothing_is_imported(
    runtime: Runtime, alice: Persona
) -> None:
    with pytest.raises(ValidationError, match="Line 4"):
        runtime.get(InsightService).import_daylio(alice.principal, read("daylio_bad_row.csv"))
    assert runtime.get(CheckInService).find(alice.principal) == []


def test_a_row_that_is_not_a_check_in_is_named_and_nothing_is_stored(
    runtime: Runtime, alice: Persona
) -> None:
    long_tag = "x" * 41
    data = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2025-11-01,,,10:00,good,walk,,\n"
        f"2025-11-02,,,10:00,good,{long_tag},,\n"
    ).encode()
    with pytest.raises(ValidationError, match="Line 3"):
        runtime.get(InsightService).import_daylio(alice.principal, data)
    assert runtime.get(CheckInService).find(alice.principal) == []


def test_another_locale_semicolons_day_first_dates_and_am_pm(
    runtime: Runtime, alice: Persona
) -> None:
    outcome = runtime.get(InsightService).import_daylio(
        alice.principal, read("daylio_fr_semicolon.csv")
    )
    assert outcome.added == 3
    items = runtime.get(CheckInService).find(alice.principal)
    first = next(i for i in items if i.mood == 4)
    assert first.at.isoformat() == "2025-11-28T21:40:00+00:00"
    assert first.tags == ["amis", "marche"]
    assert first.note == "Un bon dîner.\nPuis une promenade."


def test_ambiguous_dates_ask_for_the_order(runtime: Runtime, alice: Persona) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n03/04/2025,,,10:00,good,,,\n"
    )
    with pytest.raises(ValidationError, match="date-format"):
        runtime.get(InsightService).import_daylio(alice.principal, data)
    outcome = runtime.get(InsightService).import_daylio(
        alice.principal, data, date_format="%m/%d/%Y"
    )
    assert outcome.added == 1
    (item,) = runtime.get(CheckInService).find(alice.principal)
    assert item.at.date().isoformat() == "2025-03-04"


def test_not_a_daylio_file_is_refused(runtime: Runtime, alice: Persona) -> None:
    with pytest.raises(ValidationError, match="does not look like a Daylio export"):
        runtime.get(InsightService).import_daylio(alice.principal, b"a,b\n1,2\n")


def test_notes_pass_the_text_seam_and_a_crisis_note_brings_the_crisis_response(
    runtime: Runtime, alice: Persona, gate: FakeGate, emotions: FakeEmotions
) -> None:
    data = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2025-11-01,,,10:00,good,walk,,A calm morning\n"
        f"2025-11-02,,,10:00,awful,,,{FAKE_HIGH}\n"
    ).encode()
    outcome = runtime.get(InsightService).import_daylio(alice.principal, data)
    assert outcome.added == 2
    assert [text for text, _ in gate.seen] == ["A calm morning", FAKE_HIGH]
    assert emotions.read_texts == []  # no suggestions for years of old notes
    assert outcome.verdict is not None and outcome.verdict.action == "crisis"
    assert outcome.ref is not None


def test_a_mapped_csv_spreads_its_scale_onto_the_mood_scale(
    runtime: Runtime, alice: Persona
) -> None:
    insights = runtime.get(InsightService)
    mapping = (FIXTURES / "bearable_mapping.toml").read_text()
    outcome = insights.import_mapped(alice.principal, read("bearable.csv"), mapping)
    assert outcome.added == 3
    items = sorted(runtime.get(CheckInService).find(alice.principal), key=lambda i: i.at)
    assert [i.mood for i in items] == [2, -2, 5]  # 4, 2, 5 of 1..5
    assert items[0].tags == ["run", "coffee"]
    assert items[2].at.isoformat() == "2025-11-22T12:00:00+00:00"  # no time: noon
    again = insights.import_mapped(alice.principal, read("bearable.csv"), mapping)
    assert again.added == 0


def test_a_mapping_without_a_mood_column_is_refused(runtime: Runtime, alice: Persona) -> None:
    with pytest.raises(ValidationError, match="mood"):
        runtime.get(InsightService).import_mapped(
            alice.principal, read("bearable.csv"), '[columns]\ndate = "Date"\n'
        )


def test_one_persons_import_is_not_anothers(runtime: Runtime, alice: Persona, bob: Persona) -> None:
    insights = runtime.get(InsightService)
    insights.import_daylio(alice.principal, read("daylio_en.csv"), moods={"sleepy": -1})
    with pytest.raises(MoodsNeeded):  # Alice's custom mood is hers
        insights.import_daylio(bob.principal, read("daylio_en.csv"))
    outcome = insights.import_daylio(bob.principal, read("daylio_en.csv"), moods={"sleepy": 1})
    assert outcome.added == 6  # the same rows are new for Bob


def test_a_row_dated_in_the_future_is_named(runtime: Runtime, alice: Persona) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n2099-01-01,,,10:00,good,,,\n"
    )
    with pytest.raises(ValidationError, match="Line 2: the date is in the future"):
        runtime.get(InsightService).import_daylio(alice.principal, data)


class _BatchGate(FakeGate):
    """The fake gate with a batch read (as the shipped gate has), recording each batch."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def assess_many(self, texts: list[str], *, surface: str = "message") -> list[object]:
        self.batches.append(len(texts))
        return [self.assess(t) for t in texts]


def _rows(n: int, last_note: str) -> bytes:
    head = "full_date,date,weekday,time,mood,activities,note_title,note\n"
    body = "".join(
        f"2025-{1 + i // 28 % 12:02d}-{1 + i % 28:02d},,,{8 + i // 336:02d}:00,good,,,note {i}\n"
        for i in range(n - 1)
    )
    return (head + body + f"2025-11-30,,,23:00,awful,,,{last_note}\n").encode()


def test_notes_are_screened_a_chunk_at_a_time_and_a_late_crisis_note_still_counts(
    runtime: Runtime, alice: Persona
) -> None:
    gate = _BatchGate()
    runtime.seam.gate = gate
    outcome = runtime.get(InsightService).import_daylio(
        alice.principal, _rows(CHUNK + 1, FAKE_HIGH)
    )
    assert gate.batches == [CHUNK, 1]
    assert outcome.added == CHUNK + 1
    assert outcome.verdict is not None and outcome.verdict.action == "crisis"
    assert outcome.ref is not None


def test_a_bad_row_after_a_screened_chunk_leaves_nothing_imported(
    runtime: Runtime, alice: Persona
) -> None:
    runtime.seam.gate = _BatchGate()
    data = _rows(CHUNK + 1, "fine") + b"2025-13-40,,,10:00,good,,,\n"
    with pytest.raises(ValidationError, match=f"Line {CHUNK + 3}"):
        runtime.get(InsightService).import_daylio(alice.principal, data)
    assert runtime.get(CheckInService).find(alice.principal) == []


@pytest.mark.shipped_models
def test_with_the_shipped_gate_a_flagged_note_brings_the_safety_response(
    runtime: Runtime, alice: Persona
) -> None:
    data = (
        b"full_date,date,weekday,time,mood,activities,note_title,note\n"
        b"2025-11-01,,,10:00,good,walk,,A calm morning by the river\n"
        b"2025-11-02,,,10:00,awful,,,I don't want to be here anymore\n"
        b"2025-11-03,,,10:00,meh,,,\n"
    )
    outcome = runtime.get(InsightService).import_daylio(alice.principal, data)
    assert outcome.added == 3
    assert outcome.verdict is not None and outcome.verdict.action == "ask"
    assert outcome.verdict.crisis is not None
