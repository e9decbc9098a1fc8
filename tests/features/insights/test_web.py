"""The insight pages: import by upload, patterns and views, questionnaires (PHQ-9 item 9 to the
safety question), warning rules and the report with its PDF."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import CheckInService
from steadymind.runtime import Runtime
from tests.conftest import Persona
from tests.web.test_pages import csrf_of, log_in

FIXTURES = Path(__file__).parents[2] / "fixtures" / "insights"


def _upload(client: TestClient, name: str, **fields: str) -> object:
    token = csrf_of(client.get("/insights/import").text)
    data = {"csrf": token, "kind": "daylio", **fields}
    files = {"file": (name, (FIXTURES / name).read_bytes(), "text/csv")}
    return client.post("/insights/import", data=data, files=files, follow_redirects=False)


def test_a_daylio_upload_asks_for_custom_moods_then_imports(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    first = _upload(client, "daylio_en.csv")
    assert first.status_code == 200  # type: ignore[attr-defined]
    assert 'name="mood:sleepy"' in first.text  # type: ignore[attr-defined]
    second = _upload(client, "daylio_en.csv", **{"mood:sleepy": "-1"})
    assert second.status_code == 303  # type: ignore[attr-defined]
    page = client.get(second.headers["location"])  # type: ignore[attr-defined]
    assert "Imported 6 check-ins." in page.text
    assert "good meal" in page.text  # the tags view


def test_a_bad_row_is_named_on_the_page(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    response = _upload(client, "daylio_bad_row.csv")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Line 4" in response.text  # type: ignore[attr-defined]


def test_the_insights_page_says_nothing_without_enough_days(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    page = client.get("/insights")
    assert page.status_code == 200
    assert "Patterns need at least 28 days" in page.text
    assert "By weekday" in page.text


def test_the_insights_page_shows_a_card_with_its_evidence(
    client: TestClient, runtime: Runtime, alice: Persona
) -> None:
    checkins = runtime.get(CheckInService)
    now = runtime.clock.now()
    for i in range(60):
        walked = i % 2 == 0
        mood = (2 if walked else -1) + (i % 3 - 1)
        tags = ["walk"] if walked else []
        at = now - timedelta(days=i)
        checkins.create(alice.principal, CheckInIn(at=at, mood=mood, energy=0, tags=tags))
    log_in(client, alice)
    page = client.get("/insights?days=90")
    assert (
        "On days with the tag “walk”, your mood is 3.0 higher on average (30 days with, 30 without"
        in page.text
    )
    assert "This is an association, not proof of cause." in page.text


def test_phq9_item_9_on_the_page_goes_to_the_safety_question(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    token = csrf_of(client.get("/insights/questionnaires/phq9").text)
    answers = {f"item{i}": "0" for i in range(8)} | {"item8": "1"}
    response = client.post("/insights/questionnaires/phq9", data={"csrf": token, **answers})
    assert response.status_code == 200
    assert 'id="safety-question"' in response.text
    assert "116 123" in response.text


def test_taking_gad7_shows_the_score_and_the_trend(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    for value in ("1", "2"):
        token = csrf_of(client.get("/insights/questionnaires/gad7").text)
        answers = {f"item{i}": value for i in range(7)}
        result = client.post("/insights/questionnaires/gad7", data={"csrf": token, **answers})
        assert result.status_code == 200
    assert "GAD-7: 14 of 21" in result.text and "not a diagnosis" in result.text
    page = client.get("/insights/questionnaires")
    assert "GAD-7 totals over time" in page.text


def test_an_unanswered_question_is_asked_again(client: TestClient, alice: Persona) -> None:
    log_in(client, alice)
    token = csrf_of(client.get("/insights/questionnaires/who5").text)
    response = client.post("/insights/questionnaires/who5", data={"csrf": token, "item0": "3"})
    assert response.status_code == 422
    assert "Please answer every question." in response.text


def test_a_warning_rule_set_on_the_page_fires_on_a_declining_week(
    client: TestClient, runtime: Runtime, alice: Persona
) -> None:
    log_in(client, alice)
    token = csrf_of(client.get("/insights/warnings").text)
    form = {"csrf": token, "kind": "mood_falling", "days": "5", "threshold": "0"}
    assert client.post("/insights/warnings", data=form, follow_redirects=False).status_code == 303
    now = runtime.clock.now()
    for days_ago, mood in enumerate([-3, -2, -1, 0, 1]):
        at = now - timedelta(days=days_ago)
        runtime.get(CheckInService).create(alice.principal, CheckInIn(at=at, mood=mood, energy=0))
    page = client.get("/insights")
    assert "Mood falling 5 days running" in page.text and "not a diagnosis" in page.text


def test_the_report_page_and_its_pdf(client: TestClient, alice: Persona) -> None:
    pytest.importorskip("weasyprint")
    log_in(client, alice)
    page = client.get("/insights/report?period=month")
    assert page.status_code == 200 and "Your month" in page.text
    pdf = client.get("/insights/report.pdf?period=week")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_anothers_rule_cannot_be_removed(
    client: TestClient, runtime: Runtime, alice: Persona, bob: Persona
) -> None:
    from steadymind.features.insights.service import InsightService

    rule = runtime.get(InsightService).add_rule(bob.principal, "mood_falling", 0, 5, False)
    log_in(client, alice)
    token = csrf_of(client.get("/insights/warnings").text)
    response = client.post(f"/insights/warnings/{rule.id}/delete", data={"csrf": token})
    assert response.status_code == 404


def test_a_forecast_shows_where_it_beats_persistence(
    client: TestClient, runtime: Runtime, alice: Persona
) -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    now = runtime.clock.now()
    mood = 0.0
    for i in range(120, -1, -1):
        mood = 0.3 * mood + rng.normal(0, 1.5)
        at = now - timedelta(days=i)
        value = int(max(-5, min(5, round(mood))))
        runtime.get(CheckInService).create(alice.principal, CheckInIn(at=at, mood=value, energy=0))
    log_in(client, alice)
    page = client.get("/insights")
    assert "The next days" in page.text and "tomorrow like today" in page.text
