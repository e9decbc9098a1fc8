"""The CSV export reads as a table (issue 12, item 15): the analysis sealed beside each text is
columns a spreadsheet shows, not a JSON blob; the JSON export keeps the whole record."""

from __future__ import annotations

import csv
import io
import zipfile

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.journal.schemas import JournalIn
from steadymind.screen import Answer
from tests.conftest import Persona
from tests.support import FAKE_ELEVATED, Services

COLUMNS = [
    "emotion_1",
    "emotion_1_score",
    "emotion_2",
    "emotion_2_score",
    "emotion_3",
    "emotion_3_score",
    "safety_level",
    "safety_step",
    "safety_answer",
]


def _tables(services: Services, who: Persona) -> dict[str, list[dict[str, str]]]:
    blob = services.exporter.to_csv_zip(who.principal)
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_the_analysis_is_columns_not_a_json_blob(services: Services, alice: Persona) -> None:
    services.journal.create(alice.principal, JournalIn(title="Sea", body="a calm swim"))
    services.checkins.create(alice.principal, CheckInIn(mood=2, energy=1, note="slept well"))
    services.checkins.create(alice.principal, CheckInIn(mood=0, energy=0))  # nothing read
    tables = _tables(services, alice)
    for name in ("journal", "checkins"):
        header = list(tables[name][0])
        assert "analysis" not in header, name
        start = header.index("emotion_1")
        assert header[start : start + len(COLUMNS)] == COLUMNS, name
        cells = [v for row in tables[name] for v in row.values()]
        assert not any(v.startswith("{") for v in cells), name
        assert not any("fake" in v for v in cells), "a model id reached the CSV"
    entry = tables["journal"][0]
    assert (entry["emotion_1"], entry["emotion_1_score"]) == ("joy", "0.9")
    assert (entry["emotion_2"], entry["safety_level"], entry["safety_step"]) == ("", "none", "")
    quiet = next(row for row in tables["checkins"] if not row["note"])
    assert all(quiet[c] == "" for c in COLUMNS)


def test_an_answered_question_is_in_the_csv(services: Services, alice: Persona) -> None:
    entry, verdict = services.journal.create(alice.principal, JournalIn(body=FAKE_ELEVATED))
    assert verdict is not None and verdict.action == "ask"
    answer: Answer = "not_sure"
    services.seam.answer(alice.principal, "journal-entry", entry.id, answer)
    row = _tables(services, alice)["journal"][0]
    assert (row["safety_level"], row["safety_step"], row["safety_answer"]) == (
        "elevated",
        "asked",
        "not sure",
    )


def test_the_json_export_keeps_the_whole_record(services: Services, alice: Persona) -> None:
    services.journal.create(alice.principal, JournalIn(body="a calm swim"))
    exported = services.exporter.collect(alice.principal)
    assert exported["journal"][0]["analysis"]["emotions"]["labels"] == ["joy"]
