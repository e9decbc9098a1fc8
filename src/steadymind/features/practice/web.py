"""Practice pages: pick (or be offered) a practice, the player with its breathing pacer, the
rating after, what helped; the one-minute breathing exercise for anyone (no login); the
feature's own script and style sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request, WebSocket
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from steadymind.core.errors import NotFound
from steadymind.features.practice import hrv, stream
from steadymind.features.practice.catalogue import GOALS, MAX_MINUTES, catalogue, goal_book
from steadymind.features.practice.chart import heart_chart
from steadymind.features.practice.composer import CheckInState, Preferences
from steadymind.features.practice.schemas import MAX_NOTE, FinishIn, ProfileIn, StartIn
from steadymind.features.practice.service import PracticeService
from steadymind.ui.api import RuntimeDep, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import (
    SocketUser,
    WebUser,
    after_write,
    optional_principal,
    redirect,
    render,
)

router = APIRouter(include_in_schema=False)
Practices = Annotated[PracticeService, Depends(service(PracticeService))]
STATIC = Path(__file__).parent / "static"
ASSETS = {"practice.js": "text/javascript", "practice.css": "text/css"}
LENGTHS = (1, 3, 5, 10, 15, 20, 30)
# Feelings offered on the pick page: one tap says "I'm on edge" without a check-in.
ON_EDGE = ("anxious",)


class PickForm(BaseModel):
    csrf: str = Field(default="", max_length=100)
    goal: Literal["calm", "sleep", "focus", "self-compassion", "craving"] = "calm"
    minutes: int = Field(default=5, ge=1, le=MAX_MINUTES)
    practice: str = Field(default="", max_length=40)
    calm_before: int | None = Field(default=None, ge=0, le=10)
    on_edge: bool = False
    no_body: bool = False


class FinishForm(BaseModel):
    csrf: str = Field(default="", max_length=100)
    calm_after: int | None = Field(default=None, ge=0, le=10)
    note: str = Field(default="", max_length=MAX_NOTE)


class ProfileForm(BaseModel):
    csrf: str = Field(default="", max_length=100)
    experience: Literal["new", "some", "regular"] = "some"
    pace: Literal["normal", "slow"] = "normal"
    background: Literal["none", "rain", "brown"] = "none"
    no_body: bool = False


@router.get("/practice")
def practice_page(
    request: Request,
    user: WebUser,
    practices: Practices,
    goal: str = "calm",
    minutes: int = 5,
    saved: str = "",
) -> Response:
    goal = goal if goal in GOALS else "calm"
    minutes = min(max(minutes, 1), MAX_MINUTES)
    body = StartIn.model_validate({"goal": goal, "minutes": minutes})
    return render(
        request,
        "practice.html",
        user,
        goal=goal,
        minutes=minutes,
        goals=goal_book().words,
        lengths=LENGTHS,
        offers=practices.offer(user, body)[:3],
        practices=list(catalogue().values()),
        helped=practices.helped(user),
        recent=practices.find(user, limit=5),
        profile=practices.profile(user),
        saved=saved,
    )


@router.post("/practice/start")
def start(
    request: Request, user: WebUser, practices: Practices, form: Annotated[PickForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    profile = practices.profile(user)
    body = StartIn(
        goal=form.goal,
        minutes=form.minutes,
        practice=form.practice or None,
        calm_before=form.calm_before,
        checkin=CheckInState(emotions=ON_EDGE) if form.on_edge else None,
        prefs=profile.prefs.model_copy(update={"no_body": True}) if form.no_body else None,
    )
    session, _ = practices.start(user, body)
    return redirect(f"/practice/session/{session.id}")


@router.get("/practice/session/{session_id}")
def player(request: Request, session_id: str, user: WebUser, practices: Practices) -> Response:
    session = practices.get(user, session_id)
    script = practices.script(user, session_id)
    return render(
        request,
        "practice_player.html",
        user,
        session=session,
        practice=script.practice,
        script=script.as_json(),
        background=script.request.prefs.background,
        chart=heart_chart(session.biofeedback),
    )


@router.get("/practice/session/{session_id}/audio.ogg")
def session_audio(
    session_id: str, user: WebUser, practices: Practices, runtime: RuntimeDep
) -> Response:
    """The spoken session, made on this server the first time and cached."""
    from steadymind.features.practice import audio

    script = practices.script(user, session_id)
    cache = runtime.settings.data_dir / "cache" / "practice-audio"
    engine = audio.default_engine()
    path = cache / f"{audio.cache_key(script, engine, '.ogg')}.ogg"
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        audio.render(script, path, engine=engine, cache=None)
    return FileResponse(path, media_type="audio/ogg")


@router.post("/practice/session/{session_id}/finish")
def finish(
    request: Request,
    session_id: str,
    user: WebUser,
    practices: Practices,
    form: Annotated[FinishForm, Form()],
) -> Response:
    check_csrf(request, form.csrf)
    body = FinishIn(calm_after=form.calm_after, note=form.note or None)
    session, verdict = practices.finish(user, session_id, body)
    return after_write(request, user, verdict, "/practice?saved=rated#helped", ref=session.id)


@router.post("/practice/session/{session_id}/delete")
def delete(
    request: Request,
    session_id: str,
    user: WebUser,
    practices: Practices,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    practices.delete(user, session_id)
    return redirect("/practice?saved=deleted")


@router.post("/practice/profile")
def save_profile(
    request: Request, user: WebUser, practices: Practices, form: Annotated[ProfileForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    prefs = Preferences(pace=form.pace, background=form.background, no_body=form.no_body)
    practices.save_profile(user, ProfileIn(experience=form.experience, prefs=prefs))
    return redirect("/practice?saved=profile")


@router.get("/practice/biofeedback")
def biofeedback(
    request: Request,
    user: WebUser,
    practices: Practices,
    session: str = "",
    speed: float = 1.0,
    block: float = hrv.SCAN_BLOCK_SECONDS,
) -> Response:
    """Live heart rate with a chest strap (or the simulated one): the resonance scan, and a
    paced session at the person's own rate with its summary chart."""
    linked = practices.get(user, session) if session else None
    return render(
        request,
        "practice_biofeedback.html",
        user,
        profile=practices.profile(user),
        linked=linked,
        rates=hrv.SCAN_RATES,
        # The simulated strap's speed and the scan's block length: for demos and tests.
        speed=min(max(speed, 1.0), 60.0),
        block=min(max(block, 20.0), 180.0),
    )


@router.websocket("/practice/live")
async def live(websocket: WebSocket, user: SocketUser) -> None:
    practices: PracticeService = websocket.app.state.runtime.get(PracticeService)
    await stream.run(websocket, user, practices)


@router.get("/breathe")
def breathe(request: Request, runtime: RuntimeDep) -> Response:
    """One minute of slower breathing, for anyone, from Help now and the crisis screen: no login,
    no script needed (the pacer is CSS; the script only adds a countdown)."""
    user = optional_principal(request, runtime)
    return render(
        request,
        "breathe.html",
        user,
        grounding=catalogue()["grounding-54321"],
    )


@router.get("/practice/assets/{name}")
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise NotFound("no such file")
    return FileResponse(STATIC / name, media_type=ASSETS[name])
