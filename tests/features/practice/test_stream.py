"""The live biofeedback stream: a strap's RR batches answered with figures, the simulated strap
running a scan to a saved resonance pace, the summary saved with a session, and who may open it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from steadymind.features.practice.schemas import StartIn
from steadymind.features.practice.service import PracticeService
from steadymind.features.practice.strap import SimulatedStrap
from tests.conftest import Persona
from tests.support import Services
from tests.web.test_pages import log_in

ORIGIN = {"origin": "http://testserver"}


def _until(socket: Any, kind: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        message = socket.receive_json()
        seen.append(message)
        if message["type"] == kind:
            return seen


def test_a_strap_s_batches_are_answered_with_the_last_minute_s_figures(
    client: TestClient, alice: Persona, services: Services
) -> None:
    practice = services.runtime.get(PracticeService)
    session, _ = practice.start(alice.principal, StartIn(practice="resonance"))
    log_in(client, alice)
    beats = SimulatedStrap(resonance_bpm=6.0, seed=2).record(150, lambda _t: 6.0)
    with client.websocket_connect("/practice/live", headers=ORIGIN) as socket:
        socket.send_json(
            {"type": "start", "mode": "paced", "source": "strap", "session": session.id}
        )
        assert socket.receive_json() == {"type": "ready", "pace": 6.0, "mode": "paced"}
        answers = []
        for at in range(0, len(beats), 5):
            socket.send_json({"type": "rr", "rr": beats[at : at + 5], "sent": float(at)})
            answers.append(socket.receive_json())
        socket.send_json({"type": "stop"})
        summary = _until(socket, "summary")[-1]
    assert [a["echo"] for a in answers] == [float(at) for at in range(0, len(beats), 5)]
    assert answers[0]["hr"] is None  # too few beats yet
    last = answers[-1]
    assert last["type"] == "metrics" and 60 < last["hr"] < 68 and last["rmssd"] > 10
    assert last["power"] > 0 and last["pace"] == 6.0
    assert summary["before"]["hr"] and summary["after"]["rmssd"] and len(summary["series"]) > 5
    stored = practice.get(alice.principal, session.id).biofeedback
    assert stored is not None and stored["series"] == summary["series"]


def test_the_simulated_strap_runs_a_scan_and_the_pace_is_saved(
    client: TestClient, alice: Persona, services: Services
) -> None:
    log_in(client, alice)
    start = {"type": "start", "mode": "scan", "source": "simulated", "speed": 60, "block": 40,
             "resonance": 5.0}  # fmt: skip
    with client.websocket_connect("/practice/live", headers=ORIGIN) as socket:
        socket.send_json(start)
        assert socket.receive_json()["pace"] == 6.5  # the scan's first block
        seen = _until(socket, "scan-complete")
        socket.send_json({"type": "stop"})
        rest = _until(socket, "summary")
    paces = [m["pace"] for m in seen if m["type"] == "metrics"]
    assert paces[0] == 6.5 and paces[-1] == 4.5 and paces == sorted(paces, reverse=True)
    (found,) = [m for m in rest if m["type"] == "resonance"]
    profile = services.runtime.get(PracticeService).profile(alice.principal)
    assert profile.resonance_bpm == pytest.approx(found["resonance_bpm"], abs=0.01)
    assert 4.5 <= found["resonance_bpm"] <= 6.5


def test_a_batch_that_is_not_rr_intervals_is_answered_kindly(
    client: TestClient, alice: Persona
) -> None:
    log_in(client, alice)
    with client.websocket_connect("/practice/live", headers=ORIGIN) as socket:
        socket.send_json({"type": "start"})
        socket.receive_json()
        socket.send_json({"type": "rr", "rr": "fast"})
        assert socket.receive_json()["type"] == "error"


def test_a_stream_from_another_site_or_without_a_login_is_refused(
    client: TestClient, alice: Persona
) -> None:
    for headers, logged_in in (({"origin": "https://evil.example"}, True), (ORIGIN, False)):
        if logged_in:
            log_in(client, alice)
        else:
            client.cookies.clear()
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect("/practice/live", headers=headers) as socket,
        ):
            socket.receive_json()
        assert closed.value.code == 1008
