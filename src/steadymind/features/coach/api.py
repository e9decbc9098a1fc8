"""The coach over the API: habits, goals, reminders and channels, suggestions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from steadymind.features.coach.recommend import Recommender
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schemas import (
    ChannelIn,
    ChannelOut,
    GoalIn,
    GoalOut,
    HabitIn,
    HabitOut,
    InboxItem,
    MarkIn,
    OutcomeIn,
    PrefsIn,
    PrefsOut,
    ReminderIn,
    ReminderOut,
    SuggestionOut,
)
from steadymind.features.coach.service import CoachService
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["coach"])
Coach = Annotated[CoachService, Depends(service(CoachService))]
Reminders = Annotated[ReminderService, Depends(service(ReminderService))]
Suggestions = Annotated[Recommender, Depends(service(Recommender))]


class HabitWriteOut(BaseModel):
    habit: HabitOut
    gate: VerdictOut | None


class GoalWriteOut(BaseModel):
    goal: GoalOut
    gate: VerdictOut | None


class TestOut(BaseModel):
    sent: bool
    error: str | None = None


class SuggestionAnswer(BaseModel):
    suggestion: SuggestionOut | None
    off: bool = False


@router.get("/habits", response_model=list[HabitOut])
def list_habits(p: PrincipalDep, coach: Coach) -> list[HabitOut]:
    return coach.habits(p)


@router.post("/habits", status_code=201, response_model=HabitWriteOut)
def add_habit(body: HabitIn, p: PrincipalDep, coach: Coach) -> HabitWriteOut:
    """A habit's name passes the safety gate like any text you write."""
    habit, verdict = coach.add_habit(p, body)
    return HabitWriteOut(habit=habit, gate=verdict_out(verdict, habit.id))


@router.post("/habits/{habit_id}/done", response_model=HabitOut)
def mark_done(habit_id: str, body: MarkIn, p: PrincipalDep, coach: Coach) -> HabitOut:
    return coach.mark(p, habit_id, body.day)


@router.delete("/habits/{habit_id}/done", response_model=HabitOut)
def unmark_done(habit_id: str, p: PrincipalDep, coach: Coach) -> HabitOut:
    return coach.mark(p, habit_id, None, done=False)


@router.delete("/habits/{habit_id}", status_code=204)
def delete_habit(habit_id: str, p: PrincipalDep, coach: Coach) -> Response:
    coach.delete_habit(p, habit_id)
    return Response(status_code=204)


@router.get("/goals", response_model=list[GoalOut])
def list_goals(p: PrincipalDep, coach: Coach) -> list[GoalOut]:
    return coach.goals(p)


@router.post("/goals", status_code=201, response_model=GoalWriteOut)
def add_goal(body: GoalIn, p: PrincipalDep, coach: Coach) -> GoalWriteOut:
    goal, verdict = coach.add_goal(p, body)
    return GoalWriteOut(goal=goal, gate=verdict_out(verdict, goal.id))


@router.post("/goals/{goal_id}/steps/{step_id}/done", response_model=GoalOut)
def step_done(goal_id: str, step_id: str, p: PrincipalDep, coach: Coach) -> GoalOut:
    return coach.step_done(p, goal_id, step_id)


@router.delete("/goals/{goal_id}", status_code=204)
def delete_goal(goal_id: str, p: PrincipalDep, coach: Coach) -> Response:
    coach.delete_goal(p, goal_id)
    return Response(status_code=204)


@router.get("/reminders", response_model=list[ReminderOut])
def list_reminders(p: PrincipalDep, reminders: Reminders) -> list[ReminderOut]:
    return reminders.reminders(p)


@router.post("/reminders", status_code=201, response_model=ReminderOut)
def add_reminder(body: ReminderIn, p: PrincipalDep, reminders: Reminders) -> ReminderOut:
    return reminders.add_reminder(p, body)


@router.delete("/reminders/{reminder_id}", status_code=204)
def remove_reminder(reminder_id: str, p: PrincipalDep, reminders: Reminders) -> Response:
    reminders.remove_reminder(p, reminder_id)
    return Response(status_code=204)


@router.get("/reminders/prefs", response_model=PrefsOut)
def get_prefs(p: PrincipalDep, reminders: Reminders) -> PrefsOut:
    return reminders.prefs(p)


@router.put("/reminders/prefs", response_model=PrefsOut)
def put_prefs(body: PrefsIn, p: PrincipalDep, reminders: Reminders) -> PrefsOut:
    return reminders.set_prefs(p, body)


@router.get("/channels", response_model=list[ChannelOut])
def list_channels(p: PrincipalDep, reminders: Reminders) -> list[ChannelOut]:
    return reminders.channels(p)


@router.post("/channels", status_code=201, response_model=ChannelOut)
def add_channel(body: ChannelIn, p: PrincipalDep, reminders: Reminders) -> ChannelOut:
    return reminders.add_channel(p, body)


@router.post("/channels/{channel_id}/test", response_model=TestOut)
def test_channel(channel_id: str, p: PrincipalDep, reminders: Reminders) -> TestOut:
    """Send the test message now; ``error`` names the kind of failure (never a body)."""
    sent, error = reminders.send_test(p, channel_id)
    return TestOut(sent=sent, error=error)


@router.delete("/channels/{channel_id}", status_code=204)
def remove_channel(channel_id: str, p: PrincipalDep, reminders: Reminders) -> Response:
    reminders.remove_channel(p, channel_id)
    return Response(status_code=204)


@router.get("/inbox", response_model=list[InboxItem])
def inbox(p: PrincipalDep, reminders: Reminders) -> list[InboxItem]:
    return reminders.inbox(p)


@router.post("/inbox/{delivery_id}/snooze", status_code=204)
def snooze(delivery_id: str, p: PrincipalDep, reminders: Reminders, minutes: int = 60) -> Response:
    reminders.snooze(p, delivery_id, minutes)
    return Response(status_code=204)


@router.post("/inbox/{delivery_id}/dismiss", status_code=204)
def dismiss(delivery_id: str, p: PrincipalDep, reminders: Reminders) -> Response:
    reminders.dismiss(p, delivery_id)
    return Response(status_code=204)


@router.get("/suggestion", response_model=SuggestionAnswer)
def suggestion(p: PrincipalDep, recommender: Suggestions) -> SuggestionAnswer:
    """One suggestion with why; ``off`` when your AI setting is off (nothing is suggested)."""
    return SuggestionAnswer(suggestion=recommender.suggest(p), off=p.ai_level == "off")


class EvaluationOut(BaseModel):
    logged: int
    logged_value: float | None = None
    greedy_ips: float | None = None
    greedy_snips: float | None = None


@router.get("/suggestion/evaluation", response_model=EvaluationOut)
def suggestion_evaluation(p: PrincipalDep, recommender: Suggestions) -> EvaluationOut:
    """How your suggestions went (the mean of your answers, 0 to 1) and, estimated offline from
    the logged propensities (IPS and self-normalised IPS), how a policy that always picks what
    has helped you most would have done: a new policy is judged this way before it is used."""
    return EvaluationOut(**recommender.evaluate(p))


@router.post("/suggestion/{suggestion_id}/outcome", status_code=204)
def suggestion_outcome(
    suggestion_id: str, body: OutcomeIn, p: PrincipalDep, recommender: Suggestions
) -> Response:
    recommender.answer(p, suggestion_id, body.outcome)
    return Response(status_code=204)


@router.post("/suggestion/{suggestion_id}/not-for-me", status_code=204)
def not_for_me(suggestion_id: str, p: PrincipalDep, recommender: Suggestions) -> Response:
    recommender.not_for_me(p, suggestion_id)
    return Response(status_code=204)
