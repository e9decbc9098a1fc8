"""Server-rendered pages. Thin: each handler parses a form, calls a service, renders a template."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticValidationError

from steadymind.api.deps import ServicesDep, client_address, get_services
from steadymind.core.errors import SteadymindError
from steadymind.crisis import suggested_emotions, vocabulary_words
from steadymind.crypto.principal import Principal
from steadymind.gate import GateResult
from steadymind.services import Services
from steadymind.tracking.models import CheckInIn, CheckInPatch, JournalIn, JournalPatch
from steadymind.tracking.vocabulary import EVERYDAY, GOEMOTIONS
from steadymind.web import safety_pages
from steadymind.web.chart import mood_chart
from steadymind.web.common import (
    MaybeUser,
    WebUser,
    form_error,
    optional_principal,
    redirect,
    render,
    wants_html,
    web_principal,
)
from steadymind.web.forms import CheckInForm, JournalForm
from steadymind.web.security import check_csrf, clear_session, set_session

router = APIRouter(include_in_schema=False)


# -- landing, sign-up, login ---------------------------------------------------------------------


@router.get("/")
def home(request: Request, user: MaybeUser) -> Response:
    if user is not None:
        return redirect("/checkin")
    return render(request, "home.html", None)


@router.get("/signup")
def signup_page(request: Request, user: MaybeUser) -> Response:
    return render(request, "signup.html", user, countries=safety_pages.countries())


@router.post("/signup")
def signup(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=4096)],
    password2: Annotated[str, Form(max_length=4096)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
) -> Response:
    check_csrf(request, csrf)
    context = {"countries": safety_pages.countries(), "username": username, "country": country}
    if password != password2:
        return render(request, "signup.html", None, 422, error="the passwords differ", **context)
    try:
        result = services.accounts.sign_up(
            username, password, country=country or None, timezone=timezone or "UTC"
        )
        login = services.accounts.log_in(username, password, client=client_address(request))
    except SteadymindError as exc:
        return render(request, "signup.html", None, exc.status, error=exc.message, **context)
    response = render(request, "recovery.html", login.principal, recovery_key=result.recovery_key)
    set_session(
        response, login.secret, secure=services.settings.secure_cookies, max_age=_max_age(services)
    )
    return response


def _max_age(services: Services) -> int:
    return services.settings.session_absolute_hours * 3600


def _safe_next(target: str) -> str:
    # Only same-site paths: an open redirect would make our login page a phishing tool.
    return target if target.startswith("/") and not target.startswith("//") else "/checkin"


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str = "/checkin") -> Response:
    return render(request, "login.html", user, next=_safe_next(next))


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=4096)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/checkin",
) -> Response:
    check_csrf(request, csrf)
    try:
        login = services.accounts.log_in(username, password, client=client_address(request))
    except SteadymindError as exc:
        return render(
            request, "login.html", None, exc.status, error=exc.message, username=username, next=next
        )
    response = redirect(_safe_next(next))
    set_session(
        response, login.secret, secure=services.settings.secure_cookies, max_age=_max_age(services)
    )
    return response


@router.post("/logout")
def logout(
    request: Request, user: WebUser, services: ServicesDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf)
    services.accounts.log_out(user)
    response = redirect("/")
    clear_session(response)
    return response


@router.get("/recover")
def recover_page(request: Request, user: MaybeUser) -> Response:
    return render(request, "recover.html", user)


@router.post("/recover")
def recover(
    request: Request,
    services: ServicesDep,
    username: Annotated[str, Form(max_length=64)],
    recovery_key: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=4096)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        fresh = services.accounts.recover(username, recovery_key, password)
    except SteadymindError as exc:
        return render(
            request, "recover.html", None, exc.status, error=exc.message, username=username
        )
    return render(request, "recovery.html", None, recovery_key=fresh, recovered=True)


# -- check-ins -----------------------------------------------------------------------------------


def _checkin_context(**extra: Any) -> dict[str, Any]:
    return {"goemotions": GOEMOTIONS, "everyday": EVERYDAY, **extra}


@router.get("/checkin")
def checkin_page(request: Request, user: WebUser) -> Response:
    return render(request, "checkin.html", user, **_checkin_context(item=None))


@router.post("/checkin")
def checkin(
    request: Request, user: WebUser, services: ServicesDep, form: Annotated[CheckInForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    fields = form.fields()
    try:
        data = CheckInIn(**fields)
    except PydanticValidationError as exc:
        ctx = _checkin_context(item=None, error=form_error(exc), form=fields)
        return render(request, "checkin.html", user, 422, **ctx)
    item, result = services.tracking.create_checkin(user, data)
    suggestions = [w for w in _suggested(result) if w not in item.emotions]
    then = f"/checkin/{item.id}/review" if suggestions else "/history?saved=checkin"
    return safety_pages.after_write(request, services, user, result, then)


def _suggested(result: GateResult | None) -> list[str]:
    return suggested_emotions(result)


@router.get("/checkin/{checkin_id}/review")
def review_checkin(
    request: Request, checkin_id: str, user: WebUser, services: ServicesDep
) -> Response:
    item = services.tracking.get_checkin(user, checkin_id)
    emotions = (item.analysis or {}).get("emotions")
    suggestions = [w for w in vocabulary_words(emotions) if w not in item.emotions]
    return render(
        request,
        "review.html",
        user,
        item=item,
        suggestions=suggestions,
        model_id=(emotions or {}).get("model_id"),
    )


@router.get("/checkin/{checkin_id}/edit")
def edit_checkin_page(
    request: Request, checkin_id: str, user: WebUser, services: ServicesDep
) -> Response:
    item = services.tracking.get_checkin(user, checkin_id)
    return render(request, "checkin.html", user, **_checkin_context(item=item))


@router.post("/checkin/{checkin_id}/edit")
def edit_checkin(
    request: Request,
    checkin_id: str,
    user: WebUser,
    services: ServicesDep,
    form: Annotated[CheckInForm, Form()],
) -> Response:
    check_csrf(request, form.csrf)
    try:
        patch = CheckInPatch(**form.fields())
    except PydanticValidationError as exc:
        item = services.tracking.get_checkin(user, checkin_id)
        ctx = _checkin_context(item=item, error=form_error(exc))
        return render(request, "checkin.html", user, 422, **ctx)
    _, result = services.tracking.update_checkin(user, checkin_id, patch)
    return safety_pages.after_write(request, services, user, result, "/history?saved=checkin")


@router.post("/checkin/{checkin_id}/delete")
def delete_checkin(
    request: Request,
    checkin_id: str,
    user: WebUser,
    services: ServicesDep,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    services.tracking.delete_checkin(user, checkin_id)
    return redirect("/history?saved=deleted")


@router.get("/history")
def history(
    request: Request, user: WebUser, services: ServicesDep, days: int = 30, saved: str = ""
) -> Response:
    days = min(max(days, 1), 365)
    end = services.clock.now()
    # No upper bound: a check-in dated a little ahead (another time zone, a typo) still shows.
    items = services.tracking.list_checkins(user, start=end - timedelta(days=days), limit=1000)
    chart = mood_chart(items, end=end, days=days)
    return render(request, "history.html", user, items=items, chart=chart, days=days, saved=saved)


# -- journal -------------------------------------------------------------------------------------


@router.get("/journal")
def journal(
    request: Request, user: WebUser, services: ServicesDep, q: str = "", tag: str = ""
) -> Response:
    entries = services.tracking.list_entries(user, query=q[:200] or None, tag=tag[:40] or None)
    return render(request, "journal.html", user, entries=entries, q=q, tag=tag)


@router.get("/journal/new")
def new_entry_page(request: Request, user: WebUser) -> Response:
    return render(request, "journal_edit.html", user, entry=None)


@router.post("/journal/new")
def new_entry(
    request: Request, user: WebUser, services: ServicesDep, form: Annotated[JournalForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    try:
        data = JournalIn(**form.fields())
    except PydanticValidationError as exc:
        return render(
            request, "journal_edit.html", user, 422, entry=None, form=form, error=form_error(exc)
        )
    item, result = services.tracking.create_entry(user, data)
    return safety_pages.after_write(request, services, user, result, f"/journal/{item.id}")


@router.get("/journal/{entry_id}")
def show_entry(request: Request, entry_id: str, user: WebUser, services: ServicesDep) -> Response:
    entry = services.tracking.get_entry(user, entry_id)
    suggestions = vocabulary_words((entry.analysis or {}).get("emotions"))
    return render(request, "journal_entry.html", user, entry=entry, suggestions=suggestions)


@router.get("/journal/{entry_id}/edit")
def edit_entry_page(
    request: Request, entry_id: str, user: WebUser, services: ServicesDep
) -> Response:
    entry = services.tracking.get_entry(user, entry_id)
    return render(request, "journal_edit.html", user, entry=entry)


@router.post("/journal/{entry_id}/edit")
def edit_entry(
    request: Request,
    entry_id: str,
    user: WebUser,
    services: ServicesDep,
    form: Annotated[JournalForm, Form()],
) -> Response:
    check_csrf(request, form.csrf)
    try:
        patch = JournalPatch(**form.fields())
    except PydanticValidationError as exc:
        entry = services.tracking.get_entry(user, entry_id)
        return render(request, "journal_edit.html", user, 422, entry=entry, error=form_error(exc))
    _, result = services.tracking.update_entry(user, entry_id, patch)
    return safety_pages.after_write(request, services, user, result, f"/journal/{entry_id}")


@router.post("/journal/{entry_id}/delete")
def delete_entry(
    request: Request,
    entry_id: str,
    user: WebUser,
    services: ServicesDep,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    services.tracking.delete_entry(user, entry_id)
    return redirect("/journal")


# -- settings, export, deletion ------------------------------------------------------------------


def _settings(
    request: Request, user: Principal, services: Services, status: int = 200, **extra: Any
) -> Response:
    return render(
        request,
        "settings.html",
        user,
        status,
        profile=services.accounts.get_user(user),
        sessions=services.accounts.list_sessions(user),
        tokens=services.accounts.list_tokens(user),
        countries=safety_pages.countries(),
        **extra,
    )


@router.get("/settings")
def settings_page(
    request: Request, user: WebUser, services: ServicesDep, saved: str = ""
) -> Response:
    return _settings(request, user, services, saved=saved)


@router.post("/settings/profile")
def save_profile(
    request: Request,
    user: WebUser,
    services: ServicesDep,
    country: Annotated[str, Form(max_length=2)] = "",
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        services.accounts.update_profile(user, country=country, timezone=timezone)
    except SteadymindError as exc:
        return _settings(request, user, services, exc.status, error=exc.message)
    return redirect("/settings?saved=profile")


@router.post("/settings/password")
def change_password(
    request: Request,
    user: WebUser,
    services: ServicesDep,
    current_password: Annotated[str, Form(max_length=4096)],
    new_password: Annotated[str, Form(max_length=4096)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        services.accounts.change_password(user, current_password, new_password)
    except SteadymindError as exc:
        return _settings(request, user, services, exc.status, error=exc.message)
    return redirect("/settings?saved=password")


@router.post("/settings/sessions/{session_id}/revoke")
def revoke_session(
    request: Request,
    session_id: str,
    user: WebUser,
    services: ServicesDep,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    services.accounts.revoke(user, "session", session_id)
    return redirect("/settings?saved=session")


@router.get("/settings/export.json")
def export_json(user: WebUser, services: ServicesDep) -> Response:
    return Response(
        services.exporter.to_json(user),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="steadymind-export.json"'},
    )


@router.get("/settings/export.zip")
def export_zip(user: WebUser, services: ServicesDep) -> Response:
    return Response(
        services.exporter.to_csv_zip(user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="steadymind-export.zip"'},
    )


@router.post("/settings/delete")
def delete_account(
    request: Request,
    user: WebUser,
    services: ServicesDep,
    password: Annotated[str, Form(max_length=4096)],
    confirm: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(request, csrf)
    if confirm.strip().lower() != "delete":
        return _settings(request, user, services, 422, error='type "delete" to confirm')
    try:
        services.accounts.delete_account(user, password)
    except SteadymindError as exc:
        return _settings(request, user, services, exc.status, error=exc.message)
    services.db.scrub()
    response = render(request, "deleted.html", None)
    clear_session(response)
    return response


router.include_router(safety_pages.router)
__all__ = ["get_services", "optional_principal", "router", "wants_html", "web_principal"]
