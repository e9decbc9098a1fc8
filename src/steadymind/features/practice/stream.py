"""The live biofeedback stream: one WebSocket per session, from the biofeedback page.

The page says how it starts (``start``: paced or scan, a real strap or the simulated one), then
sends RR intervals as the strap reports them (``rr``); the server answers each batch with the
figures of the last minute and the pace (``metrics``, echoing the page's send time so the page
can measure the delay). A scan ends with ``resonance`` (saved to the person's profile); any
session ends with ``summary`` (saved with the practice session, when one is named). The
simulated strap runs here, on the server, ``speed`` times faster than life for demos and tests.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from steadymind.core.errors import SteadymindError
from steadymind.crypto.principal import Principal
from steadymind.features.practice import hrv
from steadymind.features.practice.live import LiveSession
from steadymind.features.practice.service import PracticeService
from steadymind.features.practice.strap import SimulatedStrap

# The simulated strap sends a batch this often (wall-clock seconds).
TICK = 0.25


class Start(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["start"]
    mode: Literal["paced", "scan"] = "paced"
    source: Literal["strap", "simulated"] = "strap"
    speed: float = Field(default=1.0, ge=1.0, le=60.0)
    block: float = Field(default=hrv.SCAN_BLOCK_SECONDS, ge=20.0, le=180.0)
    resonance: float = Field(default=5.5, ge=4.0, le=7.0)  # the simulated person's
    session: str | None = Field(default=None, max_length=64)


class Beats(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Literal["rr", "stop"]
    rr: list[float] = Field(default_factory=list, max_length=60)
    sent: float | None = None


async def run(websocket: WebSocket, user: Principal, practices: PracticeService) -> None:
    await websocket.accept()
    try:
        start = Start.model_validate(await websocket.receive_json())
    except (ValidationError, ValueError, WebSocketDisconnect):
        await _close(websocket, 1003)
        return
    profile = await run_in_threadpool(practices.profile, user)
    await run_in_threadpool(hrv.warm_up)  # once per process, before the first beat counts
    pace = profile.resonance_bpm or 6.0
    live = LiveSession(mode=start.mode, pace_bpm=pace, block_seconds=start.block)
    await websocket.send_json({"type": "ready", "pace": live.current_pace(), "mode": start.mode})
    simulated = None
    if start.source == "simulated":
        strap = SimulatedStrap(resonance_bpm=start.resonance, seed=7)
        simulated = asyncio.create_task(_simulate(websocket, live, strap, start.speed))
    try:
        await _receive(websocket, live)
    except WebSocketDisconnect:
        if simulated:
            simulated.cancel()
        return
    if simulated:
        simulated.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await simulated
    await _finish(websocket, user, practices, live, start.session)


async def _receive(websocket: WebSocket, live: LiveSession) -> None:
    """Batches from the page until it says stop (or a scan is done)."""
    while not live.scan_done:
        try:
            message = Beats.model_validate(await websocket.receive_json())
        except (ValidationError, ValueError):
            await websocket.send_json({"type": "error", "message": "Not a batch of RR intervals."})
            continue
        if message.type == "stop":
            return
        figures = await run_in_threadpool(live.add, message.rr)
        await websocket.send_json({"type": "metrics", **figures, "echo": message.sent})


async def _simulate(
    websocket: WebSocket, live: LiveSession, strap: SimulatedStrap, speed: float
) -> None:
    beats = strap.beats(lambda _t: live.current_pace())
    while not live.scan_done:
        await asyncio.sleep(TICK)
        batch, due = [], TICK * speed
        while due > 0:
            rr = next(beats)
            batch.append(round(rr, 1))
            due -= rr / 1000.0
        figures = await run_in_threadpool(live.add, batch)
        await websocket.send_json({"type": "metrics", **figures, "rr": batch, "echo": None})
    await websocket.send_json({"type": "scan-complete"})


async def _finish(
    websocket: WebSocket,
    user: Principal,
    practices: PracticeService,
    live: LiveSession,
    session_id: str | None,
) -> None:
    if live.mode == "scan":
        try:
            found = await run_in_threadpool(live.resonance)
            await run_in_threadpool(practices.save_resonance, user, found.resonance_bpm)
            await websocket.send_json({"type": "resonance", **found.as_json()})
        except SteadymindError as exc:
            await websocket.send_json({"type": "error", "message": exc.message})
    summary = live.summary()
    if session_id:
        with contextlib.suppress(SteadymindError):  # someone else's id: nothing is saved
            await run_in_threadpool(practices.record_biofeedback, user, session_id, summary)
    await websocket.send_json({"type": "summary", **summary})
    await _close(websocket, 1000)


async def _close(websocket: WebSocket, code: int) -> None:
    with contextlib.suppress(RuntimeError):
        await websocket.close(code)
