"""Account pages: landing, sign-up, login, logout, recovery, settings and account deletion."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from steadymind.core.errors import SteadymindError
from steadymind.crypto.principal import Principal
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.runtime import Runtime
from steadymind.ui.api import RuntimeDep, client_address, service
from steadymind.ui.csrf import check_csrf, clear_session, set_session
from steadymind.ui.web import MaybeUser, WebUser, countries, redirect, render, safe_next

router = APIRouter(include_in_schema=False)
AccountsDep = Annotated[Accounts, Depends(service(Accounts))]
CredentialsDep = Annotated[Credentials, Depends(service(Credentials))]
Password = Annotated[str, Form(max_length=4096)]
Csrf = Annotated[str, Form(max_length=100)]


def _max_age(runtime: Runtime) -> int:
    return runtime.settings.session_absolute_hours * 3600


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
    if password != password2:
        return render(request, "signup.html", None, 422, error="the passwords differ", **context)
    try:
        result = runtime.get(Accounts).sign_up(
            username, password, country=country or None, timezone=timezone or "UTC"
        )
        login = runtime.get(Credentials).log_in(username, password, client=client_address(request))
    except SteadymindError as exc:
        return render(request, "signup.html", None, exc.status, error=exc.message, **context)
    response = render(request, "recovery.html", login.principal, recovery_key=result.recovery_key)
    set_session(
        response, login.secret, secure=runtime.settings.secure_cookies, max_age=_max_age(runtime)
    )
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
        login = runtime.get(Credentials).log_in(username, password, client=client_address(request))
    except SteadymindError as exc:
        return render(
            request, "login.html", None, exc.status, error=exc.message, username=username, next=next
        )
    response = redirect(safe_next(next))
    set_session(
        response, login.secret, secure=runtime.settings.secure_cookies, max_age=_max_age(runtime)
    )
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
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        fresh = accounts.recover(username, recovery_key, password)
    except SteadymindError as exc:
        return render(
            request, "recover.html", None, exc.status, error=exc.message, username=username
        )
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
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        runtime.get(Accounts).update_profile(user, country=country, timezone=timezone)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return redirect("/settings?saved=profile")


@router.post("/settings/password")
def change_password(
    request: Request,
    user: WebUser,
    runtime: RuntimeDep,
    current_password: Password,
    new_password: Password,
    csrf: Csrf = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        runtime.get(Accounts).change_password(user, current_password, new_password)
    except SteadymindError as exc:
        return _settings(request, user, runtime, exc.status, error=exc.message)
    return redirect("/settings?saved=password")


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
