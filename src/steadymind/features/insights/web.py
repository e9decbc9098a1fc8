"""Insight pages: patterns and views, import, questionnaires, warning rules and reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from steadymind.core.errors import NotFound, SteadymindError, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.insights import charts
from steadymind.features.insights.daylio import MAX_BYTES
from steadymind.features.insights.instruments import INSTRUMENTS, NOT_A_DIAGNOSIS, instrument
from steadymind.features.insights.patterns import CAUTION, DailyTable
from steadymind.features.insights.reports import pdf_of
from steadymind.features.insights.service import InsightService, MoodsNeeded, fired_rules
from steadymind.features.insights.supporters import UNAVAILABLE
from steadymind.features.insights.views import by_tag, by_weekday, week
from steadymind.features.insights.warnings import KINDS, title
from steadymind.features.insights.warnings import NOT_A_DIAGNOSIS as RULE_NOTE
from steadymind.ui.api import service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, redirect, render

router = APIRouter(include_in_schema=False)
Insights = Annotated[InsightService, Depends(service(InsightService))]
RANGES = (30, 90, 365)


@router.get("/insights")
def insights_page(
    request: Request, user: WebUser, insights: Insights, days: int = 365, saved: str = ""
) -> Response:
    days = min(max(days, 30), 1098)
    analysis = insights.patterns(user, days)
    table = insights.table(user, days)
    today = insights.today(user)
    weekdays = by_weekday(table)
    return render(
        request,
        "insights.html",
        user,
        days=days,
        ranges=RANGES,
        analysis=analysis,
        caution=CAUTION,
        weekdays=weekdays,
        bars=charts.weekday_bars(weekdays),
        tags=by_tag(table),
        week=week(table, today),
        fired=fired_rules(insights, user),
        forecast=insights.forecast(user),
        due=[d for d in insights.due(user) if d["is_due"]],
        saved=saved,
    )


# -- import ------------------------------------------------------------------------------------


def _import_page(
    request: Request, user: Principal, *, status: int = 200, error: str | None = None,
    moods: list[str] | None = None, kind: str = "daylio",
) -> Response:  # fmt: skip
    return render(
        request, "import.html", user, status, error=error, moods=moods or [], kind=kind,
        scale=range(-5, 6),
    )  # fmt: skip


@router.get("/insights/import")
def import_page(request: Request, user: WebUser) -> Response:
    return _import_page(request, user)


async def _read(upload: UploadFile | None) -> bytes:
    if upload is None:
        raise ValidationError("Please choose a file.")
    data = await upload.read(MAX_BYTES + 1)
    if not data:
        raise ValidationError("Please choose a file.")
    return data


@router.post("/insights/import")
async def import_upload(
    request: Request,
    user: WebUser,
    insights: Insights,
    csrf: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "daylio",
    file: Annotated[UploadFile | None, File()] = None,
    mapping: Annotated[UploadFile | None, File()] = None,
    date_format: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    check_csrf(request, csrf)
    form = await request.form()
    placed = {
        str(k)[len("mood:") :]: int(str(v))
        for k, v in form.items()
        if str(k).startswith("mood:") and str(v).lstrip("-").isdigit()
    }
    try:
        data = await _read(file)
        if kind == "csv":
            mapping_text = (await _read(mapping)).decode("utf-8", errors="replace")
            outcome = insights.import_mapped(user, data, mapping_text)
        else:
            outcome = insights.import_daylio(
                user, data, moods=placed, date_format=date_format or None
            )
    except MoodsNeeded as needed:
        # A question, not an error: the file is fine, its own moods need a place.
        return _import_page(request, user, moods=needed.names)
    except SteadymindError as exc:
        return _import_page(request, user, status=422, error=exc.message, kind=kind)
    then = f"/insights?saved=imported-{outcome.added}-{outcome.skipped}"
    return after_write(request, user, outcome.verdict, then, ref=None)


# -- questionnaires ----------------------------------------------------------------------------


@router.get("/insights/questionnaires")
def questionnaires_page(request: Request, user: WebUser, insights: Insights) -> Response:
    taken = insights.taken(user)
    due = {d["instrument"]: d for d in insights.due(user)}
    shown = []
    for inst in INSTRUMENTS.values():
        mine = sorted((t for t in taken if t.instrument == inst.key), key=lambda t: t.at)
        points = [(t.at.date(), t.total) for t in mine]
        shown.append({"inst": inst, "taken": mine, "trend": charts.trend(points, inst.most),
                      "due": due.get(inst.key)})  # fmt: skip
    return render(request, "questionnaires.html", user, shown=shown, note=NOT_A_DIAGNOSIS)


def _questionnaire_routes(key: str) -> None:
    """The page and the form of one questionnaire: a fixed path each (no id in the path)."""

    @router.get(f"/insights/questionnaires/{key}", name=f"questionnaire-{key}")
    def questionnaire_page(request: Request, user: WebUser) -> Response:
        return render(request, "questionnaire.html", user, inst=instrument(key), answers={})

    @router.post(f"/insights/questionnaires/{key}", name=f"take-{key}")
    async def questionnaire_post(request: Request, user: WebUser, insights: Insights) -> Response:
        return await _take(request, user, insights, key)


async def _take(request: Request, user: Principal, insights: InsightService, key: str) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    inst = instrument(key)
    given = {i: str(form.get(f"item{i}", "")) for i in range(len(inst.items))}
    answers = [int(v) if v.isdigit() else -1 for v in given.values()]
    if any(a < 0 for a in answers):
        return render(
            request, "questionnaire.html", user, 422, inst=inst, answers=given,
            error="Please answer every question.",
        )  # fmt: skip
    taken, verdict = insights.take(user, inst.key, answers)
    return after_write(request, user, verdict, f"/insights/results/{taken.id}", ref=None)


for _key in INSTRUMENTS:
    _questionnaire_routes(_key)


@router.get("/insights/results/{taken_id}")
def questionnaire_result(
    request: Request, taken_id: str, user: WebUser, insights: Insights
) -> Response:
    found = [t for t in insights.taken(user) if t.id == taken_id]
    if not found:
        raise NotFound("no such result")
    inst = instrument(found[0].instrument)
    return render(request, "result.html", user, inst=inst, taken=found[0], note=NOT_A_DIAGNOSIS)


@router.post("/insights/questionnaires/schedule")
def questionnaire_schedule(
    request: Request,
    user: WebUser,
    insights: Insights,
    csrf: Annotated[str, Form()] = "",
    instrument_key: Annotated[str, Form(alias="instrument", max_length=16)] = "",
    every_days: Annotated[int, Form(ge=0, le=365)] = 14,
) -> Response:
    check_csrf(request, csrf)
    insights.schedule(user, instrument_key, every_days)
    return redirect("/insights/questionnaires")


# -- warning rules -----------------------------------------------------------------------------


def _warnings(
    request: Request, user: Principal, insights: InsightService, status: int = 200, **extra: Any
) -> Response:
    fired = {f.rule_id for f in fired_rules(insights, user)}
    rules = [(r, title(r.kind, r.threshold, r.days), r.id in fired) for r in insights.rules(user)]
    supporters = insights.supporters
    return render(
        request, "warnings.html", user, status, rules=rules, kinds=KINDS, note=RULE_NOTE,
        supporter=supporters.get(user), receives=supporters.preview(user),
        available=supporters.available(), unavailable=UNAVAILABLE, **extra,
    )  # fmt: skip


@router.get("/insights/warnings")
def warnings_page(request: Request, user: WebUser, insights: Insights, saved: str = "") -> Response:
    return _warnings(request, user, insights, saved=saved)


@router.post("/insights/warnings")
def add_warning(
    request: Request,
    user: WebUser,
    insights: Insights,
    csrf: Annotated[str, Form()] = "",
    kind: Annotated[str, Form(max_length=32)] = "",
    days: Annotated[int, Form(ge=2, le=60)] = 5,
    threshold: Annotated[float, Form(ge=-5, le=27)] = 0,
    tell_supporter: Annotated[bool, Form()] = False,
) -> Response:
    check_csrf(request, csrf)
    try:
        insights.add_rule(user, kind, threshold, days, tell_supporter)
    except ValidationError as exc:
        return _warnings(request, user, insights, 422, error=exc.message)
    return redirect("/insights/warnings")


@router.post("/insights/warnings/{rule_id}/delete")
def delete_warning(
    request: Request, rule_id: str, user: WebUser, insights: Insights,
    csrf: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf)
    insights.delete_rule(user, rule_id)
    return redirect("/insights/warnings")


@router.post("/insights/supporter")
def set_supporter(
    request: Request,
    user: WebUser,
    insights: Insights,
    csrf: Annotated[str, Form()] = "",
    name: Annotated[str, Form(max_length=60)] = "",
    signed_as: Annotated[str, Form(max_length=40)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    ntfy: Annotated[str, Form(max_length=500)] = "",
    webhook: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        verdict = insights.supporters.set(
            user, name=name, signed_as=signed_as, email=email, ntfy=ntfy, webhook=webhook
        )
    except ValidationError as exc:
        return _warnings(request, user, insights, 422, supporter_error=exc.message)
    return after_write(request, user, verdict, "/insights/warnings?saved=supporter#supporter")


@router.post("/insights/supporter/delete")
def remove_supporter(
    request: Request, user: WebUser, insights: Insights, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf)
    insights.supporters.remove(user)
    return redirect("/insights/warnings?saved=removed#supporter")


@router.post("/insights/supporter/test")
def test_supporter(
    request: Request, user: WebUser, insights: Insights, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf)
    try:
        results = insights.supporters.test(user)
    except SteadymindError as exc:
        return _warnings(request, user, insights, 422, supporter_error=exc.message)
    return _warnings(request, user, insights, tested=results, channel_names=CHANNEL_NAMES)


CHANNEL_NAMES = {"email": "Email", "ntfy": "ntfy", "webhook": "Webhook"}


# -- reports -----------------------------------------------------------------------------------


def _report(user: Principal, insights: InsightService, period: str) -> dict[str, Any]:
    length = 30 if period == "month" else 7
    last = insights.today(user)
    first = last - timedelta(days=length - 1)
    table = insights.table(user, 366)
    shown = {d: m for d, m in table.mood.items() if first <= d <= last}
    taken = [t for t in insights.taken(user) if first <= t.at.date() <= last]
    return {
        "period": "month" if length == 30 else "week",
        "first": first,
        "last": last,
        "days": len(shown),
        "mood": sum(shown.values()) / len(shown) if shown else None,
        "line": charts.mood_line(table, first, last),
        "week": week(table, last),
        "tags": by_tag(_within(table, first, last)),
        "analysis": insights.patterns(user, 365),
        "taken": taken,
        "caution": CAUTION,
        "note": NOT_A_DIAGNOSIS,
        "person": user.username,
    }


def _within(table: DailyTable, first: date, last: date) -> DailyTable:
    out = DailyTable()
    out.mood = {d: m for d, m in table.mood.items() if first <= d <= last}
    for key, days in table.factors.items():
        out.factors[key] = {d: v for d, v in days.items() if first <= d <= last}
    out.labels, out.kinds = table.labels, table.kinds
    return out


@router.get("/insights/report")
def report_page(
    request: Request, user: WebUser, insights: Insights, period: str = "week"
) -> Response:
    return render(request, "report.html", user, **_report(user, insights, period))


@router.get("/insights/report.pdf")
def report_pdf(
    request: Request, user: WebUser, insights: Insights, period: str = "week"
) -> Response:
    context = _report(user, insights, period)
    html = request.app.state.pages.templates.get_template("report_print.html").render(**context)
    name = f"steadymind-{context['period']}-{context['last']:%Y-%m-%d}.pdf"
    return Response(
        pdf_of(html),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
