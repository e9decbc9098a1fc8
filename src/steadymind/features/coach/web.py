"""The coach's pages: /coach (a suggestion, messages, habits, goals) and /coach/reminders."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.errors import SteadymindError
from steadymind.core.fields import storable
from steadymind.features.coach import copy
from steadymind.features.coach.channels import vapid_public_key
from steadymind.features.coach.recommend import Recommender
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schedule import ALL_DAYS, DAY_NAMES
from steadymind.features.coach.schemas import ChannelIn, GoalIn, HabitIn, PrefsIn, ReminderIn
from steadymind.features.coach.service import CoachService
from steadymind.ui.api import RuntimeDep, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, form_error, redirect, render

router = APIRouter(include_in_schema=False)
Coach = Annotated[CoachService, Depends(service(CoachService))]
Reminders = Annotated[ReminderService, Depends(service(ReminderService))]
Suggestions = Annotated[Recommender, Depends(service(Recommender))]


def _page(request: Request, user: Any, coach: CoachService, reminders: ReminderService,
          suggestions: Recommender, status: int = 200, **extra: Any) -> Response:  # fmt: skip
    return render(
        request,
        "coach.html",
        user,
        status,
        habits=coach.habits(user),
        goals=coach.goals(user),
        inbox=reminders.inbox(user),
        prefs=reminders.prefs(user),  # also moves the reminders to the person's current zone
        suggestion=suggestions.suggest(user),
        copy=copy,
        day_names=DAY_NAMES,
        **extra,
    )


@router.get("/coach")
def coach_page(
    request: Request, user: WebUser, coach: Coach, reminders: Reminders, suggestions: Suggestions,
    note: str = "",
) -> Response:  # fmt: skip
    return _page(request, user, coach, reminders, suggestions, note=note[:40])


def _days_from(form: dict[str, str]) -> dict[str, Any]:
    every = form.get("every", "").strip()
    if form.get("kind") == "every" and every.isdigit():
        return {"kind": "every", "every_n": int(every)}
    mask = sum(1 << i for i, name in enumerate(DAY_NAMES) if form.get(f"day_{name}"))
    if form.get("kind") == "weekdays" and mask and mask != ALL_DAYS:
        return {"kind": "weekdays", "weekdays": mask}
    return {"kind": "daily"}


async def _form(request: Request) -> dict[str, str]:
    form = {k: str(v)[:10_000] for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf"))
    return form


@router.post("/coach/habits")
async def add_habit(
    request: Request, user: WebUser, coach: Coach, reminders: Reminders, suggestions: Suggestions
) -> Response:
    form = await _form(request)
    times = [t for t in form.get("time", "").replace(",", " ").split() if t]
    try:
        data = HabitIn(
            name=form.get("name", ""),
            times=times,
            link=form.get("link") or None,
            **_days_from(form),
        )
    except PydanticValidationError as exc:
        return _page(
            request, user, coach, reminders, suggestions, 422, error=form_error(exc), values=form
        )
    habit, verdict = coach.add_habit(user, data)
    if form.get("remind") and habit.times:
        inapp = reminders.add_channel(user, ChannelIn(kind="inapp")).id
        for at in habit.times:
            reminders.add_reminder(
                user,
                ReminderIn(about="habit", habit_id=habit.id, at=at, kind=habit.kind,
                           weekdays=habit.weekdays, every_n=habit.every_n, channel_ids=[inapp]),
            )  # fmt: skip
    return after_write(request, user, verdict, "/coach#habits")


@router.post("/coach/habits/{habit_id}/done")
async def habit_done(request: Request, user: WebUser, coach: Coach, habit_id: str) -> Response:
    form = await _form(request)
    coach.mark(user, habit_id, done=form.get("undo") != "1")
    return redirect(f"/coach#habit-{habit_id}")


@router.post("/coach/habits/{habit_id}/remove")
async def habit_remove(request: Request, user: WebUser, coach: Coach, habit_id: str) -> Response:
    await _form(request)
    coach.delete_habit(user, habit_id)
    return redirect("/coach#habits")


@router.post("/coach/goals")
async def add_goal(
    request: Request, user: WebUser, coach: Coach, reminders: Reminders, suggestions: Suggestions
) -> Response:
    form = await _form(request)
    steps = [s.strip() for s in form.get("steps", "").splitlines() if s.strip()]
    try:
        data = GoalIn(title=form.get("title", ""), steps=steps)
    except PydanticValidationError as exc:
        return _page(
            request, user, coach, reminders, suggestions, 422, error=form_error(exc), values=form
        )
    goal, verdict = coach.add_goal(user, data)
    return after_write(request, user, verdict, f"/coach#goal-{goal.id}")


@router.post("/coach/goals/{goal_id}/steps/{step_id}")
async def step_done(
    request: Request, user: WebUser, coach: Coach, goal_id: str, step_id: str
) -> Response:
    form = await _form(request)
    coach.step_done(user, goal_id, step_id, done=form.get("undo") != "1")
    return redirect(f"/coach#goal-{goal_id}")


@router.post("/coach/goals/{goal_id}/remove")
async def goal_remove(request: Request, user: WebUser, coach: Coach, goal_id: str) -> Response:
    await _form(request)
    coach.delete_goal(user, goal_id)
    return redirect("/coach#goals")


@router.post("/coach/suggestion/{suggestion_id}")
async def suggestion_answer(
    request: Request, user: WebUser, suggestions: Suggestions, suggestion_id: str
) -> Response:
    form = await _form(request)
    outcome = form.get("outcome", "")
    if outcome == "not-for-me":
        suggestions.not_for_me(user, suggestion_id)
        return redirect("/coach?note=not-for-me#suggestion")
    if outcome in ("helped", "a-little", "not-really", "skipped"):
        suggestions.answer(user, suggestion_id, outcome)
    return redirect("/coach#suggestion")


@router.post("/coach/inbox/{delivery_id}")
async def inbox_action(
    request: Request, user: WebUser, reminders: Reminders, delivery_id: str
) -> Response:
    form = await _form(request)
    if form.get("action") == "snooze":
        reminders.snooze(user, delivery_id, 60)
    else:
        reminders.dismiss(user, delivery_id)
    return redirect("/coach#inbox")


# -- reminders ---------------------------------------------------------------------------------


def _reminders_page(request: Request, user: Any, reminders: ReminderService, coach: CoachService,
                    runtime: Any, status: int = 200, **extra: Any) -> Response:  # fmt: skip
    return render(
        request,
        "coach_reminders.html",
        user,
        status,
        reminders=reminders.reminders(user),
        channels=reminders.channels(user),
        prefs=reminders.prefs(user),
        habits={h.id: h.name for h in coach.habits(user)},
        copy=copy,
        day_names=DAY_NAMES,
        vapid_key=vapid_public_key(runtime.settings),
        **extra,
    )


@router.get("/coach/reminders")
def reminders_page(
    request: Request, user: WebUser, reminders: Reminders, coach: Coach, runtime: RuntimeDep,
    tested: str = "", error: str = "",
) -> Response:  # fmt: skip
    return _reminders_page(
        request, user, reminders, coach, runtime, tested=tested[:32], failed=error[:80]
    )


@router.post("/coach/reminders")
async def add_reminder(
    request: Request, user: WebUser, reminders: Reminders, coach: Coach, runtime: RuntimeDep
) -> Response:
    form = await _form(request)
    channel_ids = [k.removeprefix("channel_") for k in form if k.startswith("channel_")]
    habit_id = form.get("habit") or None
    try:
        data = ReminderIn(
            about="habit" if habit_id else "checkin", habit_id=habit_id, at=form.get("at", ""),
            channel_ids=channel_ids, **_days_from(form),
        )  # fmt: skip
        reminders.add_reminder(user, data)
    except PydanticValidationError as exc:
        return _reminders_page(request, user, reminders, coach, runtime, 422, error=form_error(exc))
    except SteadymindError as exc:
        return _reminders_page(
            request, user, reminders, coach, runtime, exc.status, error=exc.message
        )
    return redirect("/coach/reminders")


@router.post("/coach/reminders/{reminder_id}/remove")
async def remove_reminder(
    request: Request, user: WebUser, reminders: Reminders, reminder_id: str
) -> Response:
    await _form(request)
    reminders.remove_reminder(user, reminder_id)
    return redirect("/coach/reminders")


@router.post("/coach/channels")
async def add_channel(
    request: Request, user: WebUser, reminders: Reminders, coach: Coach, runtime: RuntimeDep
) -> Response:
    form = await _form(request)
    try:
        data = ChannelIn(kind=form.get("kind", ""), target=storable(form.get("target", "")))
        reminders.add_channel(user, data)
    except PydanticValidationError as exc:
        return _reminders_page(request, user, reminders, coach, runtime, 422, error=form_error(exc))
    except (SteadymindError, ValueError) as exc:
        message = exc.message if isinstance(exc, SteadymindError) else str(exc)
        return _reminders_page(request, user, reminders, coach, runtime, 422, error=message)
    return redirect("/coach/reminders#channels")


@router.post("/coach/channels/{channel_id}/test")
async def test_channel(
    request: Request, user: WebUser, reminders: Reminders, channel_id: str
) -> Response:
    await _form(request)
    sent, error = reminders.send_test(user, channel_id)
    if sent:
        return redirect(f"/coach/reminders?tested={channel_id}#channel-{channel_id}")
    return redirect(f"/coach/reminders?error={error or 'failed'}#channel-{channel_id}")


@router.post("/coach/channels/{channel_id}/remove")
async def remove_channel(
    request: Request, user: WebUser, reminders: Reminders, channel_id: str
) -> Response:
    await _form(request)
    reminders.remove_channel(user, channel_id)
    return redirect("/coach/reminders#channels")


@router.post("/coach/prefs")
async def save_prefs(
    request: Request, user: WebUser, reminders: Reminders, coach: Coach, runtime: RuntimeDep
) -> Response:
    form = await _form(request)
    try:
        data = PrefsIn(
            quiet_start=form.get("quiet_start") or None,
            quiet_end=form.get("quiet_end") or None,
            digest=form.get("digest") == "on",
        )
        reminders.set_prefs(user, data)
    except PydanticValidationError as exc:
        return _reminders_page(request, user, reminders, coach, runtime, 422, error=form_error(exc))
    except SteadymindError as exc:
        return _reminders_page(request, user, reminders, coach, runtime, 422, error=exc.message)
    return redirect("/coach/reminders#quiet")
