"""Insights over the API: imports, patterns, views, questionnaires, warning rules."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from pydantic import BaseModel, Field

from steadymind.core.errors import NotFound, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.features.insights.daylio import MAX_BYTES
from steadymind.features.insights.instruments import INSTRUMENTS, NOT_A_DIAGNOSIS
from steadymind.features.insights.patterns import CAUTION
from steadymind.features.insights.service import InsightService, fired_rules
from steadymind.features.insights.supporters import MISSING
from steadymind.features.insights.views import by_tag, by_weekday, week
from steadymind.features.insights.warnings import KINDS, title
from steadymind.runtime import ImportOutcome
from steadymind.ui.api import PrincipalDep, VerdictOut, service, verdict_out

router = APIRouter(tags=["insights"])
Insights = Annotated[InsightService, Depends(service(InsightService))]
Days = Annotated[int, Query(ge=7, le=1098)]


class ImportOut(BaseModel):
    added: int
    skipped: int = Field(description="Rows already imported (the same file twice adds nothing)")
    gate: VerdictOut | None = Field(description="The most serious verdict on the notes")


class FindingOut(BaseModel):
    factor: str
    outcome: str
    lag_days: int = Field(description="0: the same day; 1: the day after")
    effect: float = Field(
        description="Mood with minus without, on -5..+5, allowing for carry-over between days"
    )
    ci_low: float
    ci_high: float
    n_with: int
    n_without: int
    p_adjusted: float = Field(
        description="Permutation p-value of the GLS estimate, Benjamini-Hochberg adjusted"
    )
    text: str


class InsightsOut(BaseModel):
    days: int = Field(description="Days with a mood")
    enough: bool
    message: str
    caution: str
    tested: int
    findings: list[FindingOut]


class AverageOut(BaseModel):
    name: str
    mood: float | None
    days: int


class WeekOut(BaseModel):
    first: date
    last: date
    days: int
    mood: float | None
    before: float | None
    summary: str


class ViewsOut(BaseModel):
    weekdays: list[AverageOut]
    tags: list[AverageOut]
    week: WeekOut


class AnswersIn(BaseModel):
    instrument: str = Field(max_length=16, description="phq9, gad7, who5 or pss10")
    answers: list[int] = Field(max_length=20)


class TakenOut(BaseModel):
    id: str
    instrument: str
    title: str
    at: datetime
    total: int
    band: str
    most: int
    note: str = NOT_A_DIAGNOSIS
    gate: VerdictOut | None = None


class InstrumentOut(BaseModel):
    key: str
    title: str
    stem: str
    items: list[str]
    options: list[tuple[int, str]]
    reference: str
    licence: str


class ScheduleIn(BaseModel):
    instrument: str = Field(max_length=16, description="phq9, gad7, who5 or pss10")
    every_days: int = Field(ge=0, le=365, description="0 stops it")


class RuleIn(BaseModel):
    kind: str = Field(description=", ".join(KINDS))
    threshold: float = Field(0, ge=-5, le=27)
    days: int = Field(5, ge=2, le=60)
    tell_supporter: bool = False


class RuleOut(BaseModel):
    id: str
    kind: str
    threshold: float
    days: int
    tell_supporter: bool
    title: str
    fires: bool


async def _upload(file: UploadFile) -> bytes:
    data = await file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("The file is larger than 50 MB.")
    return data


def _import_out(outcome: ImportOutcome) -> ImportOut:
    return ImportOut(
        added=outcome.added, skipped=outcome.skipped, gate=verdict_out(outcome.verdict, None)
    )


@router.post("/imports/daylio", response_model=ImportOut)
async def import_daylio(
    p: PrincipalDep,
    insights: Insights,
    file: Annotated[UploadFile, File(description="A Daylio CSV export")],
    moods: Annotated[str, Form(description='Custom moods: {"sleepy": -1}')] = "{}",
    date_format: Annotated[str, Form(max_length=20)] = "",
) -> ImportOut:
    """Import a Daylio export. Custom moods not yet placed answer 422 with ``details.moods``."""
    data = await _upload(file)
    try:
        placed = json.loads(moods or "{}")
    except json.JSONDecodeError:
        raise ValidationError('moods is JSON: {"name": -5..5}') from None
    if not isinstance(placed, dict):
        raise ValidationError('moods is JSON: {"name": -5..5}')
    outcome = insights.import_daylio(p, data, moods=placed, date_format=date_format or None)
    return _import_out(outcome)


@router.post("/imports/csv", response_model=ImportOut)
async def import_csv(
    p: PrincipalDep,
    insights: Insights,
    file: Annotated[UploadFile, File(description="A CSV file")],
    mapping: Annotated[UploadFile, File(description="The TOML mapping of its columns")],
) -> ImportOut:
    data = await _upload(file)
    mapping_text = (await mapping.read(64 * 1024)).decode("utf-8", errors="replace")
    return _import_out(insights.import_mapped(p, data, mapping_text))


@router.get("/insights", response_model=InsightsOut)
def patterns(p: PrincipalDep, insights: Insights, days: Days = 365) -> InsightsOut:
    """Patterns with their evidence; an association, not proof of cause."""
    analysis = insights.patterns(p, days)
    return InsightsOut(
        days=analysis.days,
        enough=analysis.enough,
        message=analysis.message,
        caution=CAUTION,
        tested=len(analysis.tested),
        findings=[FindingOut.model_validate(f.as_dict()) for f in analysis.findings],
    )


@router.get("/insights/views", response_model=ViewsOut)
def views(p: PrincipalDep, insights: Insights, days: Days = 90) -> ViewsOut:
    table = insights.table(p, days)
    summary = week(table, insights.today(p))
    return ViewsOut(
        weekdays=[AverageOut(**vars(a)) for a in by_weekday(table)],
        tags=[AverageOut(**vars(a)) for a in by_tag(table)],
        week=WeekOut(
            first=summary.first,
            last=summary.last,
            days=summary.days,
            mood=summary.mood,
            before=summary.before,
            summary=summary.summary(),
        ),
    )


class ForecastOut(BaseModel):
    offered: bool = Field(description="False where the forecast has not beaten persistence")
    days: list[tuple[date, float]] = []
    text: str = ""
    tests: int = 0
    mae_model: float | None = None
    mae_persistence: float | None = None
    mae_own_mean: float | None = None


@router.get("/insights/forecast", response_model=ForecastOut)
def forecast(p: PrincipalDep, insights: Insights) -> ForecastOut:
    """The next days' mood, offered only where it beat "tomorrow like today" on your days."""
    found = insights.forecast(p)
    if found is None:
        return ForecastOut(offered=False)
    e = found.evaluation
    return ForecastOut(
        offered=True,
        days=[(d, round(v, 2)) for d, v in found.days],
        text=found.text(),
        tests=e.tests,
        mae_model=round(e.model, 3),
        mae_persistence=round(e.persistence, 3),
        mae_own_mean=round(e.own_mean, 3),
    )


@router.get("/assessments/instruments", response_model=list[InstrumentOut])
def instruments(p: PrincipalDep) -> list[InstrumentOut]:
    return [
        InstrumentOut(
            key=i.key,
            title=i.title,
            stem=i.stem,
            items=list(i.items),
            options=list(i.options),
            reference=i.reference,
            licence=i.licence,
        )
        for i in INSTRUMENTS.values()
    ]


@router.post("/assessments", status_code=201, response_model=TakenOut)
def take(body: AnswersIn, p: PrincipalDep, insights: Insights) -> TakenOut:
    """Take a questionnaire. PHQ-9 item 9 above "not at all" brings the safety step in ``gate``."""
    taken, verdict = insights.take(p, body.instrument, body.answers)
    return TakenOut(
        id=taken.id,
        instrument=taken.instrument,
        title=taken.title,
        at=taken.at,
        total=taken.total,
        band=taken.band,
        most=taken.most,
        gate=verdict_out(verdict, None),
    )


@router.get("/assessments", response_model=list[TakenOut])
def history(
    p: PrincipalDep,
    insights: Insights,
    instrument_name: Annotated[str | None, Query(alias="instrument", max_length=16)] = None,
) -> list[TakenOut]:
    return [
        TakenOut(
            id=t.id,
            instrument=t.instrument,
            title=t.title,
            at=t.at,
            total=t.total,
            band=t.band,
            most=t.most,
        )
        for t in insights.taken(p, instrument_name)
    ]


@router.put("/assessments/schedule")
def schedule(body: ScheduleIn, p: PrincipalDep, insights: Insights) -> dict[str, object]:
    return insights.schedule(p, body.instrument, body.every_days)


@router.get("/warnings/rules", response_model=list[RuleOut])
def rules(p: PrincipalDep, insights: Insights) -> list[RuleOut]:
    fired = {f.rule_id for f in fired_rules(insights, p)}
    return [
        RuleOut(
            id=r.id,
            kind=r.kind,
            threshold=r.threshold,
            days=r.days,
            tell_supporter=r.tell_supporter,
            title=title(r.kind, r.threshold, r.days),
            fires=r.id in fired,
        )
        for r in insights.rules(p)
    ]


@router.post("/warnings/rules", status_code=201, response_model=RuleOut)
def add_rule(body: RuleIn, p: PrincipalDep, insights: Insights) -> RuleOut:
    r = insights.add_rule(p, body.kind, body.threshold, body.days, body.tell_supporter)
    fired = {f.rule_id for f in fired_rules(insights, p)}
    return RuleOut(
        id=r.id,
        kind=r.kind,
        threshold=r.threshold,
        days=r.days,
        tell_supporter=r.tell_supporter,
        title=title(r.kind, r.threshold, r.days),
        fires=r.id in fired,
    )


@router.delete("/warnings/rules/{rule_id}", status_code=204)
def delete_rule(rule_id: str, p: PrincipalDep, insights: Insights) -> Response:
    insights.delete_rule(p, rule_id)
    return Response(status_code=204)


# -- the supporter (issue 15, item 6) -----------------------------------------------------------


class SupporterIn(BaseModel):
    name: str = Field(max_length=60, description="Your supporter's name")
    signed_as: str = Field(max_length=40, description="Your name as they know you")
    email: str = Field(max_length=254)
    ntfy: str | None = Field(default=None, max_length=500, description="An ntfy topic URL")
    webhook: str | None = Field(default=None, max_length=500)


class SupporterOut(BaseModel):
    name: str
    signed_as: str
    email: str
    ntfy: str | None
    webhook: str | None
    available: bool = Field(description="Whether this server can deliver to a supporter")
    receives: str = Field(description="Exactly what the supporter would receive")


class SupporterSaved(BaseModel):
    supporter: SupporterOut
    gate: VerdictOut | None


class TestOut(BaseModel):
    kind: str
    sent: bool
    error: str | None


def _supporter_out(p: Principal, insights: InsightService) -> SupporterOut:
    found = insights.supporters.get(p)
    if found is None:
        raise NotFound(MISSING)
    preview = insights.supporters.preview(p)
    assert preview is not None
    return SupporterOut(
        **asdict(found), available=insights.supporters.available(), receives=preview[1]
    )


@router.get("/warnings/supporter", response_model=SupporterOut)
def get_supporter(p: PrincipalDep, insights: Insights) -> SupporterOut:
    return _supporter_out(p, insights)


@router.put("/warnings/supporter", response_model=SupporterSaved)
def put_supporter(body: SupporterIn, p: PrincipalDep, insights: Insights) -> SupporterSaved:
    verdict = insights.supporters.set(p, **body.model_dump())
    return SupporterSaved(supporter=_supporter_out(p, insights), gate=verdict_out(verdict))


@router.delete("/warnings/supporter", status_code=204)
def delete_supporter(p: PrincipalDep, insights: Insights) -> Response:
    insights.supporters.remove(p)
    return Response(status_code=204)


@router.post("/warnings/supporter/test", response_model=list[TestOut])
def test_supporter(p: PrincipalDep, insights: Insights) -> list[TestOut]:
    return [TestOut(kind=r.kind, sent=r.sent, error=r.error) for r in insights.supporters.test(p)]
