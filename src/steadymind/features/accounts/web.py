"""Account pages: landing, sign-up, login, logout, recovery, settings and account deletion."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from steadymind.core.errors import RateLimited, SteadymindError
from steadymind.crypto.principal import Principal
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.accounts.passwords import check_new_password
from steadymind.features.accounts.zones import detected_zone, zone_choices
from steadymind.runtime import Runtime
from steadymind.ui.api import RuntimeDep, client_address, service
from steadymind.ui.csrf import bind_to_session, check_csrf, clear_session, set_session
from steadymind.ui.web import MaybeUser, WebUser, countries, redirect, render, safe_next

router = APIRouter(include_in_schema=False)
AccountsDep = Annotated[Accounts, Depends(service(Accounts))]
CredentialsDep = Annotated[Credentials, Depends(service(Credentials))]
Password = Annotated[str, Form(max_length=4096)]
Csrf = Annotated[str, Form(max_length=100)]
# This browser's known-device token (see devices.py): read only by the login form's handler.
DEVICE_COOKIE = "sm_device"
DEVICE_DAYS = 365


def _max_age(runtime: Runtime) -> int:
    return runtime.settings.session_absolute_hours * 3600


def _remember_device(response: Response, token: str | None, runtime: Runtime) -> None:
    if token:
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_DAYS * 24 * 3600,
            httponly=True,
            samesite="strict",
            secure=runtime.settings.secure_cookies,
            path="/login",
        )


def _refused(request: Request, name: str, exc: SteadymindError, **context: Any) -> Response:
    response = render(request, name, None, exc.status, error=exc.message, **context)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@router.get("/")
def home(request: Request, user: MaybeUser) -> Response:
    if user is not None:
        return redirect("/checkin")
    return render(request, "home.html", None)


@router.get("/signup")
def signup_page(request: Request, user: MaybeUser) -> Response:
    return render(request, "signup.html", user, countries=countries())


@router.post("/signup")
def signup(
    request: Request,
    runtime: RuntimeDep,
    username: Annotated[str, Form(max_length=64)],
    password: Password,
    password2: Password,
    csrf: Csrf = "",
    country: Annotated[str, Form(max_length=2)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
) -> Response:
    check_csrf(request, csrf)
    context = {"countries": countries(), "username": username, "country": country}
    try:
        check_new_password(password, password2)
        result = runtime.get(Accounts).sign_up(
            username,
            password,
            country=country or None,
            timezone=detected_zone(timezone),
            client=client_address(request),
        )
    except SteadymindError as exc:
        return _refused(request, "signup.html", exc, **context)
    login = runtime.get(Credentials).after_sign_up(result.user_id, result.data_key)
    bind_to_session(request, login.secret)  # its header's "Log out" form belongs to the session
    response = render(request, "recovery.html", login.principal, recovery_key=result.recovery_key)
    set_session(
        response, login.secret, secure=runtime.settings.secure_cookies, max_age=_max_age(runtime)
    )
    _remember_device(response, login.device, runtime)
    return response


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str = "/checkin") -> Response:
    return render(request, "login.html", user, next=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    username: Annotated[str, Form(max_length=64)],
    password: Password,
    csrf: Csrf = "",
    next: Annotated[str, Form(max_length=500)] = "/checkin",
) -> Response:
    check_csrf(request, csrf)
    try:
        login = runtime.get(Credentials).log_in(
            username,
            password,
            client=client_address(request),
            device=request.cookies.get(DEVICE_COOKIE),
        )
    except SteadymindError as exc:
        return _refused(request, "login.html", exc, username=username, next=next)
    response = redirect(safe_next(next))
    set_session(
        response, login.secret, secure=runtime.settings.secure_cookies, max_age=_max_age(runtime)
    )
    _remember_device(response, login.device, runtime)
    return response


@router.post("/logout")
def logout(
    request: Request, user: WebUser, credentials: CredentialsDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf)
    credentials.log_out(user)
    response = redirect("/")
    clear_session(response)
    return response


@router.get("/recover")
def recover_page(request: Request, user: MaybeUser) -> Response:
    return render(request, "recover.html", user)


@router.post("/recover")
def recover(
    request: Request,
    accounts: AccountsDep,
    username: Annotated[str, Form(max_length=64)],
    recovery_key: Annotated[str, Form(max_length=100)],
    password: Password,
    password2: Password = "",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        fresh = accounts.recover(username, recovery_key, check_new_password(password, password2))
    except SteadymindError as exc:
        return _refused(request, "recover.html", exc, username=username)
    return render(request, "recovery.html", None, recovery_key=fresh, recovered=True)


# -- settings ------------------------------------------------------------------------------------


def _settings(
    request: Request, user: Principal, runtime: Runtime, status: int = 200, **extra: Any
) -> Response:
    credentials = runtime.get(Credentials)
    return render(
        request,
        "settings.html",
        user,
        status,
        profile=runtime.get(Accounts).get_user(user),
        sessions=credentials.list_sessions(user),
        tokens=credentials.list_tokens(user),
        countries=countries(),
        zones=zone_choices(),
        **extra,
    )


@router.get("/settings")
def settings_page(
    request: Request, user: WebUser, runtime: RuntimeDep, saved: str = ""
) -> Response:
    return _settings(request, user, runtime, saved=saved)


@router.post("/settings/profile")
def save_profile(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    country: Annotated[str, Form(max_length=2)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        runtime.get(Accounts).update_profile(user, country=country, timezone=timezone)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return redirect("/settings?saved=profile")


@router.post("/settings/ai")
def save_ai_level(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    ai_level: Annotated[str, Form(max_length=16)] = "",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        runtime.get(Accounts).update_profile(user, ai_level=ai_level)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return redirect("/settings?saved=ai#ai")


@router.post("/settings/password")
def change_password(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    current_password: Password,
    new_password: Password,
    new_password2: Password = "",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        new = check_new_password(new_password, new_password2)
        runtime.get(Accounts).change_password(user, current_password, new)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return redirect("/settings?saved=password")


@router.post("/settings/recovery-key")
def new_recovery_key(
    request: Request, user: WebUser, runtime: RuntimeDep, password: Password, csrf: Csrf = ""
) -> Response:
    """A fresh recovery key, shown once on the page sign-up shows it on; the old one is spent."""
    check_csrf(request, csrf)
    try:
        fresh = runtime.get(Accounts).new_recovery_key(user, password)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return render(request, "recovery.html", user, recovery_key=fresh, renewed=True)


@router.post("/settings/sessions/{session_id}/revoke")
def revoke_session(
    request: Request,
    session_id: str,
    user: WebUser,
    credentials: CredentialsDep,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    credentials.revoke(user, "session", session_id)
    return redirect("/settings?saved=session")


@router.post("/settings/delete")
def delete_account(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    password: Password,
    confirm: Annotated[str, Form(max_length=20)] = "",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    if confirm.strip().lower() != "delete":
        return _settings(request, user, runtime, 422, error='type "delete" to confirm')
    try:
        runtime.get(Accounts).delete_account(user, password)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    runtime.db.scrub()
    response = render(request, "deleted.html", None)
    clear_session(response)
    return response
