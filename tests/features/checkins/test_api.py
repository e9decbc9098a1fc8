"""Check-ins over the API: strict inputs, dates that exist, what a null means in a patch."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Persona
from tests.support import Services

URL = "/api/v1/checkins"


@pytest.fixture
def quiet_client(app: Any) -> Any:
    """A client that turns a server error into a 500 response rather than raising it."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return {e["field"]: e["problem"] for e in error["details"]["errors"]}


@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:00:00-14:00",  # past the last UTC instant: overflowed into a 500
        "0001-01-01T00:30:00+14:00",  # before the first
        "1899-12-31T23:00:00Z",
    ],
)
def test_a_date_outside_the_calendar_is_a_422_naming_at(
    quiet_client: TestClient, alice: Persona, at: str
) -> None:
    response = quiet_client.post(
        URL, json={"mood": 0, "energy": 0, "at": at}, headers=alice.headers
    )
    assert "body.at" in problems(response)


def test_a_date_more_than_a_day_ahead_is_a_422(
    quiet_client: TestClient, alice: Persona, services: Services
) -> None:
    # The frozen clock reads 2026-01-15 09:00 UTC.
    ahead = {"mood": 0, "energy": 0, "at": "2026-01-16T09:00:01Z"}
    response = quiet_client.post(URL, json=ahead, headers=alice.headers)
    assert "at" in problems(response)
    assert "future" in response.json()["error"]["message"]
    # Just under a day ahead (another time zone, a clock that runs fast) is kept.
    ok = {"mood": 0, "energy": 0, "at": "2026-01-16T08:59:00Z"}
    assert quiet_client.post(URL, json=ok, headers=alice.headers).status_code == 201
    assert services.checkins.find(alice.principal)[0].at.day == 16


def test_a_patch_to_a_date_far_ahead_is_a_422(quiet_client: TestClient, alice: Persona) -> None:
    created = quiet_client.post(URL, json={"mood": 0, "energy": 0}, headers=alice.headers)
    item = created.json()["checkin"]["id"]
    for at in ("2027-01-01T00:00:00Z", "9999-12-31T23:00:00-14:00"):
        response = quiet_client.patch(f"{URL}/{item}", json={"at": at}, headers=alice.headers)
        assert problems(response), at


@pytest.mark.parametrize(
    "params",
    [{"start": "9999-12-31T23:00:00-14:00"}, {"end": "0001-01-01T00:30:00+14:00"}],
)
def test_a_list_range_outside_the_calendar_is_a_422(
    quiet_client: TestClient, alice: Persona, params: dict[str, str]
) -> None:
    response = quiet_client.get(URL, params=params, headers=alice.headers)
    assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"mood": True, "energy": 0}, "body.mood"),
        ({"mood": "3", "energy": 0}, "body.mood"),
        ({"mood": 3.0, "energy": 0}, "body.mood"),
        ({"mood": 0, "energy": False}, "body.energy"),
        ({"mood": 0, "energy": 0, "intensity": "7"}, "body.intensity"),
        ({"mood": 0, "energy": 0, "intensity": True}, "body.intensity"),
    ],
)
def test_numbers_must_be_numbers(
    client: TestClient, alice: Persona, fields: dict[str, Any], field: str
) -> None:
    """``true`` was stored as mood 1 and ``"3"`` as 3: a client bug went unnoticed."""
    assert field in problems(client.post(URL, json=fields, headers=alice.headers))


@pytest.mark.parametrize(
    ("patch", "field"),
    [({"mood": True}, "body.mood"), ({"energy": "2"}, "body.energy")],
)
def test_patched_numbers_must_be_numbers(
    client: TestClient, alice: Persona, patch: dict[str, Any], field: str
) -> None:
    item = client.post(URL, json={"mood": 0, "energy": 0}, headers=alice.headers).json()
    response = client.patch(f"{URL}/{item['checkin']['id']}", json=patch, headers=alice.headers)
    assert field in problems(response)


@pytest.mark.parametrize("name", ["mood", "energy", "at", "tz", "emotions", "tags"])
def test_null_for_a_field_that_cannot_be_empty_is_a_422_and_changes_nothing(
    client: TestClient, alice: Persona, name: str
) -> None:
    """``{"mood": null}`` answered 200 and changed nothing: a client could not tell."""
    body = {"mood": 2, "energy": -1, "emotions": ["calm"], "tags": ["walk"]}
    item = client.post(URL, json=body, headers=alice.headers).json()["checkin"]
    response = client.patch(f"{URL}/{item['id']}", json={name: None}, headers=alice.headers)
    found = problems(response)
    assert f"body.{name}" in found
    assert "null" in found[f"body.{name}"]
    after = client.get(f"{URL}/{item['id']}", headers=alice.headers).json()
    assert after == item


def test_null_clears_the_intensity_and_the_note(client: TestClient, alice: Persona) -> None:
    body = {"mood": 2, "energy": -1, "intensity": 6, "note": "a walk"}
    item = client.post(URL, json=body, headers=alice.headers).json()["checkin"]
    response = client.patch(
        f"{URL}/{item['id']}", json={"intensity": None, "note": None}, headers=alice.headers
    )
    assert response.status_code == 200, response.text
    after = response.json()["checkin"]
    assert (after["intensity"], after["note"], after["mood"]) == (None, None, 2)


@pytest.mark.parametrize("tags", [["   "], ["walk", ""], ["\t\n"], ["\u00a0"]])
def test_an_empty_tag_is_refused(client: TestClient, alice: Persona, tags: list[str]) -> None:
    response = client.post(URL, json={"mood": 0, "energy": 0, "tags": tags}, headers=alice.headers)
    assert any(f.startswith("body.tags") for f in problems(response))


def test_tags_are_stripped_and_limited_in_characters(client: TestClient, alice: Persona) -> None:
    """Limits count characters, whatever the script: 40 CJK characters are one tag."""
    cjk = "散" * 40
    body = {"mood": 0, "energy": 0, "tags": [f"  {cjk} ", " long   walk "]}
    created = client.post(URL, json=body, headers=alice.headers)
    assert created.status_code == 201, created.text
    assert created.json()["checkin"]["tags"] == [cjk, "long walk"]
    too_long = {"mood": 0, "energy": 0, "tags": ["散" * 41]}
    found = problems(client.post(URL, json=too_long, headers=alice.headers))
    assert "40 characters" in found["body.tags.0"]


def test_a_note_is_limited_in_characters_not_bytes(client: TestClient, alice: Persona) -> None:
    note = "静" * 5_000  # 15,000 bytes of UTF-8
    created = client.post(URL, json={"mood": 0, "energy": 0, "note": note}, headers=alice.headers)
    assert created.status_code == 201, created.text
    over = {"mood": 0, "energy": 0, "note": note + "静"}
    found = problems(client.post(URL, json=over, headers=alice.headers))
    assert "5000 characters" in found["body.note"]


def test_a_feeling_word_not_in_the_list_is_refused_and_the_list_is_named(
    client: TestClient, alice: Persona
) -> None:
    body = {"mood": 0, "energy": 0, "emotions": ["hangry"]}
    found = problems(client.post(URL, json=body, headers=alice.headers))
    assert "/api/v1/vocabulary/emotions" in found["body.emotions.0"]


def test_an_older_model_label_is_stored_as_its_word(client: TestClient, alice: Persona) -> None:
    body = {"mood": 1, "energy": 0, "emotions": ["gratitude", "calm", "Grateful"]}
    created = client.post(URL, json=body, headers=alice.headers)
    assert created.json()["checkin"]["emotions"] == ["grateful", "calm"]


def test_the_vocabulary_lists_words_never_model_labels(client: TestClient, alice: Persona) -> None:
    words = client.get("/api/v1/vocabulary/emotions", headers=alice.headers).json()
    assert {"anxious", "grateful", "calm", "excited"} <= set(words)
    assert not {"approval", "realization", "desire", "neutral"} & set(words)


def test_suggested_feelings_are_words_a_person_can_pick(client: TestClient, alice: Persona) -> None:
    # The fake emotion model reads "joy" in every text.
    body = {"mood": 1, "energy": 0, "note": "a good day"}
    gate = client.post(URL, json=body, headers=alice.headers).json()["gate"]
    assert gate["suggested_emotions"] == ["joyful"]


def test_the_feelings_come_in_four_groups_over_the_api(client: TestClient, alice: Persona) -> None:
    groups = client.get("/api/v1/vocabulary/feelings", headers=alice.headers).json()
    assert [(g["pleasant"], g["energy"]) for g in groups] == [
        (False, "high"),
        (True, "high"),
        (False, "low"),
        (True, "low"),
    ]
    words = client.get("/api/v1/vocabulary/emotions", headers=alice.headers).json()
    assert [w for g in groups for w in g["words"]] == words
    assert client.get("/api/v1/vocabulary/feelings").status_code == 401
