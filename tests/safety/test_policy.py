"""Response policy: when a crisis response appears and what it must (and must never) contain."""

from __future__ import annotations

import pytest

from steadymind.safety import (
    Category,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    allows_generated_text,
    crisis_response,
)


def _assessment(level: RiskLevel, *cats: Category) -> RiskAssessment:
    return RiskAssessment(level=level, categories=frozenset(cats), model_id="test")


@pytest.mark.parametrize("level", [RiskLevel.NONE, RiskLevel.LOW])
def test_no_crisis_response_below_elevated(level: RiskLevel) -> None:
    assert crisis_response(_assessment(level), "GB") is None
    assert allows_generated_text(_assessment(level))


@pytest.mark.parametrize("level", [RiskLevel.ELEVATED, RiskLevel.HIGH])
def test_crisis_turn_never_allows_generated_text(level: RiskLevel) -> None:
    response = crisis_response(_assessment(level, Category.SUICIDE), "GB")
    assert response is not None
    assert response.allow_generated_text is False
    assert not allows_generated_text(_assessment(level))
    assert response.to_dict()["allow_generated_text"] is False


def test_elevated_shows_country_lines_without_emergency_instruction() -> None:
    response = crisis_response(_assessment(RiskLevel.ELEVATED, Category.SUICIDE), "US")
    assert response is not None
    assert any("988" in line.contact for line in response.resources.lines)
    assert response.urgent == ()


def test_high_says_call_emergency_services_now_with_the_country_number() -> None:
    response = crisis_response(_assessment(RiskLevel.HIGH, Category.SUICIDE), "GB")
    assert response is not None
    assert response.urgent[0].startswith("If you are in danger")
    assert "call 999 now" in response.urgent[0]
    assert any("116 123" in line.contact for line in response.resources.lines)


def test_someone_else_in_danger_gets_its_own_instruction() -> None:
    response = crisis_response(_assessment(RiskLevel.HIGH, Category.HARM_TO_OTHERS), "AU")
    assert response is not None
    assert any("someone else is in danger" in u and "000" in u for u in response.urgent)


def test_abuse_says_it_is_not_their_fault() -> None:
    response = crisis_response(_assessment(RiskLevel.ELEVATED, Category.ABUSE), "IE")
    assert response is not None
    assert any("not your fault" in u for u in response.urgent)


def test_the_persons_own_plan_is_shown() -> None:
    plan = SafetyPlan(reasons_for_living=["my dog Biscuit"], coping_strategies=["walk"])
    response = crisis_response(_assessment(RiskLevel.HIGH, Category.SUICIDE), "US", plan)
    assert response is not None
    assert response.plan == plan
    assert response.to_dict()["plan"]["reasons_for_living"] == ["my dog Biscuit"]


def test_without_a_plan_the_person_is_invited_to_make_one() -> None:
    response = crisis_response(_assessment(RiskLevel.ELEVATED), "US", SafetyPlan())
    assert response is not None
    assert response.plan is None
    assert "safety plan" in response.plan_text


@pytest.mark.parametrize("country", [None, "ZZ", "not-a-code", ""])
def test_unknown_country_gets_the_fallback(country: str | None) -> None:
    response = crisis_response(_assessment(RiskLevel.HIGH), country)
    assert response is not None
    assert response.resources.is_fallback
    assert "findahelpline.com" in response.resources.lines[0].contact
    assert "112" in response.urgent[0]


def test_response_never_echoes_the_evidence() -> None:
    from steadymind.safety import assess

    result = assess("how many paracetamol would it take to not wake up")
    response = crisis_response(result, "GB")
    assert response is not None
    assert "paracetamol" not in str(response.to_dict())
