"""The analysis sealed beside a text, as columns a person can read in a spreadsheet.

The seam's record (``screen.Verdict.record``: the safety check, the emotions read, what the
person was shown, their answer) is nested JSON; in a CSV that is one unreadable cell. Here it is
the three strongest emotions read with their scores, the safety level, the step the person was
shown and their answer. Model ids and evidence stay in the JSON export, which keeps the whole
record.
"""

from __future__ import annotations

from typing import Any

EMOTIONS = 3
STEPS = {"continue": "", "ask": "asked", "crisis": "crisis response"}
ANSWERS = {"yes": "yes", "not_sure": "not sure", "no": "no"}


def analysis_columns(record: dict[str, Any] | None) -> dict[str, Any]:
    """Always the same columns, blank where nothing was read (a check-in without a note)."""
    columns: dict[str, Any] = {}
    emotions = _emotions(record)
    for i in range(EMOTIONS):
        label, score = emotions[i] if i < len(emotions) else ("", "")
        columns[f"emotion_{i + 1}"] = label
        columns[f"emotion_{i + 1}_score"] = score
    columns |= _safety(record)
    return columns


def _emotions(record: dict[str, Any] | None) -> list[tuple[str, float]]:
    reading = (record or {}).get("emotions") or {}
    scores = reading.get("scores") or {}
    labels = [label for label in reading.get("labels") or [] if label in scores]
    return sorted(((label, scores[label]) for label in labels), key=lambda item: -item[1])


def _safety(record: dict[str, Any] | None) -> dict[str, str]:
    if not record:
        return {"safety_level": "", "safety_step": "", "safety_answer": ""}
    level = (record.get("safety") or {}).get("level", "")
    # Version 1 records (before the question existed) showed the crisis response at elevated.
    action = record.get("action") or ("crisis" if level in ("elevated", "high") else "continue")
    answer = (record.get("answer") or {}).get("value", "")
    return {
        "safety_level": level,
        "safety_step": STEPS.get(action, action),
        "safety_answer": ANSWERS.get(answer, answer),
    }


def flatten(sections: dict[str, Any]) -> dict[str, Any]:
    """``sections`` with every row's ``analysis`` replaced by its columns, in its place."""
    return {name: _flat_rows(value) for name, value in sections.items()}


def _flat_rows(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        return value
    return [_flat_row(row) if "analysis" in row else row for row in value]


def _flat_row(row: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, cell in row.items():
        if key == "analysis":
            flat |= analysis_columns(cell)
        else:
            flat[key] = cell
    return flat
