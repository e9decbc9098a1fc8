"""The app lock's pages: the lock screen and its ways in (PIN, password, passkey), and the
lock's settings. Thin: the rules are in :mod:`.lock` and :mod:`.passkeys`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from steadymind.core.errors import SteadymindError
from steadymind.crypto.principal import Principal
from steadymind.features.app.lock import IDLE_CHOICES, AppLockService
from steadymind.features.app.passkeys import Passkeys
from steadymind.ui.api import service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import LockUser, WebUser, redirect, render

router = APIRouter(include_in_schema=False)
Lock = Annotated[AppLockService, Depends(service(AppLockService))]
Keys = Annotated[Passkeys, Depends(service(Passkeys))]
Csrf = Annotated[str, Form(max_length=100)]
Next = Annotated[str, Form(max_length=500)]


class CeremonyIn(BaseModel):
    csrf: str = Field("", max_length=100)
    # The browser's PublicKeyCredential as JSON (ids and binary parts in base64url).
    credential: dict[str, Any] | None = None


def _safe_next(target: str) -> str:
    """Only a page of this site: never another one (an open redirect)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and target != "/lock":
        return target
    return "/checkin"


def _lock_page(
    request: Request, user: Principal, lock: AppLockService, keys: Passkeys, nxt: str,
    status: int = 200, error: str | None = None,
) -> Response:  # fmt: skip
    return render(
        request,
        "lock.html",
        None,
        status=status,
        error=error,
        lock=lock.status(user),
        passkeys=len(keys.listed(user)),
        username=user.username,
        next=_safe_next(nxt),
    )


@router.get("/lock")
def lock_screen(
    request: Request, user: LockUser, lock: Lock, keys: Keys, next: str = "/checkin"
) -> Response:
    if not lock.locked(user):
        return redirect(_safe_next(next))
    return _lock_page(request, user, lock, keys, next)


@router.post("/lock/pin")
def unlock_pin(
    request: Request,
    user: LockUser,
    lock: Lock,
    keys: Keys,
    pin: Annotated[str, Form(max_length=64)] = "",
    next: Next = "/checkin",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        lock.unlock_with_pin(user, pin)
    except SteadymindError as exc:
        return _lock_page(request, user, lock, keys, next, exc.status, exc.message)
    return redirect(_safe_next(next))


@router.post("/lock/password")
def unlock_password(
    request: Request,
    user: LockUser,
    lock: Lock,
    keys: Keys,
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Next = "/checkin",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        lock.unlock_with_password(user, password)
    except SteadymindError as exc:
        return _lock_page(request, user, lock, keys, next, exc.status, exc.message)
    return redirect(_safe_next(next))


def _json_error(exc: SteadymindError) -> Response:
    return JSONResponse({"error": exc.message}, status_code=exc.status)


@router.post("/lock/passkey/options")
def unlock_options(request: Request, user: LockUser, keys: Keys, body: CeremonyIn) -> Response:
    check_csrf(request, body.csrf)
    try:
        return JSONResponse(keys.unlock_options(user))
    except SteadymindError as exc:
        return _json_error(exc)


@router.post("/lock/passkey")
def unlock_passkey(request: Request, user: LockUser, keys: Keys, body: CeremonyIn) -> Response:
    check_csrf(request, body.csrf)
    try:
        keys.unlock(user, body.credential or {})
    except SteadymindError as exc:
        return _json_error(exc)
    return JSONResponse({"ok": True})


# -- settings --------------------------------------------------------------------------------


def _settings(
    request: Request, user: Principal, lock: AppLockService, keys: Passkeys,
    status: int = 200, error: str | None = None, saved: str = "",
) -> Response:  # fmt: skip
    return render(
        request,
        "lock_settings.html",
        user,
        status=status,
        error=error,
        saved=saved,
        lock=lock.status(user),
        passkeys=keys.listed(user),
        idle_choices=IDLE_CHOICES,
    )


@router.get("/settings/lock")
def lock_settings(
    request: Request, user: WebUser, lock: Lock, keys: Keys, saved: str = ""
) -> Response:
    return _settings(request, user, lock, keys, saved=saved[:20])


@router.post("/settings/lock/pin")
def set_pin(
    request: Request,
    user: WebUser,
    lock: Lock,
    keys: Keys,
    pin: Annotated[str, Form(max_length=64)] = "",
    again: Annotated[str, Form(max_length=64)] = "",
    idle_minutes: Annotated[int, Form()] = 5,
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        lock.set_pin(user, pin, again, idle_minutes)
    except SteadymindError as exc:
        return _settings(request, user, lock, keys, exc.status, exc.message)
    return redirect("/settings/lock?saved=pin")


@router.post("/settings/lock/idle")
def set_idle(
    request: Request,
    user: WebUser,
    lock: Lock,
    keys: Keys,
    idle_minutes: Annotated[int, Form()] = 5,
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        lock.set_idle(user, idle_minutes)
    except SteadymindError as exc:
        return _settings(request, user, lock, keys, exc.status, exc.message)
    return redirect("/settings/lock?saved=idle")


@router.post("/settings/lock/now")
def lock_now(request: Request, user: WebUser, lock: Lock, csrf: Csrf = "") -> Response:
    check_csrf(request, csrf)
    lock.lock_now(user)
    return redirect(f"/lock?next={quote('/checkin')}")


@router.post("/settings/lock/off")
def turn_off(request: Request, user: WebUser, lock: Lock, csrf: Csrf = "") -> Response:
    check_csrf(request, csrf)
    lock.turn_off(user)
    return redirect("/settings/lock?saved=off")


@router.post("/settings/lock/passkey/options")
def register_options(request: Request, user: WebUser, keys: Keys, body: CeremonyIn) -> Response:
    check_csrf(request, body.csrf)
    try:
        return JSONResponse(keys.registration_options(user))
    except SteadymindError as exc:
        return _json_error(exc)


@router.post("/settings/lock/passkey")
def register_passkey(request: Request, user: WebUser, keys: Keys, body: CeremonyIn) -> Response:
    check_csrf(request, body.csrf)
    try:
        keys.register(user, body.credential or {})
    except SteadymindError as exc:
        return _json_error(exc)
    return JSONResponse({"ok": True})


@router.post("/settings/lock/passkey/{passkey_id}/delete")
def remove_passkey(
    request: Request, passkey_id: str, user: WebUser, keys: Keys, csrf: Csrf = ""
) -> Response:
    check_csrf(request, csrf)
    keys.remove(user, passkey_id)
    return redirect("/settings/lock?saved=removed")
