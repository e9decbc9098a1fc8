"""The insights: imports from other apps, the person's days, patterns, views, questionnaires
and warning rules. Per-day factors come only from what features register
(``runtime.factor_sources``); imported check-ins are stored by whichever feature offers
``runtime.CheckInImporter``. Nothing here names another feature."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from steadymind.core.errors import ConfigError, NotFound, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.features.insights import daylio, mapped
from steadymind.features.insights.daylio import DEFAULT_MOODS, Row, normal_mood
from steadymind.features.insights.forecast import Forecast, personal_forecast
from steadymind.features.insights.instruments import instrument, needs_safety_step
from steadymind.features.insights.patterns import Analysis, DailyTable, find_patterns
from steadymind.features.insights.supporters import SupporterService
from steadymind.features.insights.tables import (
    Assessment,
    AssessmentSchedule,
    MoodName,
    WarningRule,
)
from steadymind.features.insights.warnings import (
    NOT_A_DIAGNOSIS,
    Fired,
    check_rule,
    fires,
    title,
)
from steadymind.runtime import CheckInImporter, ImportedCheckIn, ImportOutcome, Runtime
from steadymind.safety.types import Category
from steadymind.screen import Surface, Verdict, open_numbers, seal_numbers

QUESTIONNAIRE = Surface("questionnaire", context="none")
MAX_DAYS = 3 * 366
FORECAST_DAYS = 180
NO_IMPORTER = "Importing needs the check-ins feature, which is not installed."


class MoodsNeeded(ValidationError):
    """The file has moods that are not on the scale yet: the person places each once."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            "Some moods in the file are your own: please say where each sits from -5 to +5 ("
            + ", ".join(names)
            + ").",
            details={"moods": names},
        )
        self.names = names


@dataclass(frozen=True)
class Taken:
    id: str
    instrument: str
    title: str
    at: datetime
    total: int
    band: str
    most: int
    answers: list[int] | None = None


# A day's energy range is shown beside its mean, not tested as a factor of its own: the lowest
# and highest energy move with the mean, and three near-copies of one factor would only spend
# the false-discovery budget (patterns.py) on the same question.
SHOWN_ONLY = ("energy.low", "energy.high")


@dataclass
class Days(DailyTable):
    """The daily table (patterns.py) with the energy's range beside its mean."""

    energy_low: dict[date, float] = field(default_factory=dict)
    energy_high: dict[date, float] = field(default_factory=dict)


class InsightService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.clock = runtime.clock
        self.supporters = SupporterService(runtime, self.today)

    # -- imports ---------------------------------------------------------------------------

    def import_daylio(
        self,
        owner: Principal,
        data: bytes,
        *,
        moods: dict[str, int] | None = None,
        date_format: str | None = None,
    ) -> ImportOutcome:
        text = daylio.decode(data)
        found = daylio.scan(text, date_format)
        rows = daylio.iter_rows(text, found.date_format)
        return self._store(owner, found.moods, rows, moods or {})

    def import_mapped(self, owner: Principal, data: bytes, mapping_text: str) -> ImportOutcome:
        rows = mapped.read_mapped(data, mapped.read_mapping(mapping_text))
        return self._store(owner, [], iter(rows), {})

    def unknown_moods(
        self, owner: Principal, data: bytes, date_format: str | None = None
    ) -> list[str]:
        found = daylio.scan(daylio.decode(data), date_format)
        scale = self.mood_scale(owner)
        return [m for m in found.moods if m not in scale]

    def mood_scale(self, owner: Principal) -> dict[str, int]:
        with self.db.transaction() as tx:
            saved = tx.execute(
                select(MoodName.name, MoodName.value).where(MoodName.user_id == owner.user_id)
            ).all()
        return {**DEFAULT_MOODS, **{name: int(value) for name, value in saved}}

    def _store(
        self, owner: Principal, names: list[str], rows: Iterator[Row], moods: dict[str, int]
    ) -> ImportOutcome:
        """``names``: the mood names the rows use (a mapped CSV's rows carry numbers)."""
        importer: CheckInImporter | None = self.runtime.find(CheckInImporter)
        if importer is None:
            raise ConfigError(NO_IMPORTER)
        given = {normal_mood(k): v for k, v in moods.items()}
        if any(not isinstance(v, int) or not -5 <= v <= 5 for v in given.values()):
            raise ValidationError("A mood's place is a whole number from -5 to +5.")
        scale = {**self.mood_scale(owner), **given}
        missing = [m for m in names if m not in scale]
        if missing:
            raise MoodsNeeded(missing)
        items = (self._item(owner, row, scale) for row in rows)
        outcome = importer.import_checkins(owner, items)
        self._remember(owner, {k: v for k, v in given.items() if k not in DEFAULT_MOODS})
        return outcome

    def _item(self, owner: Principal, row: Row, scale: dict[str, int]) -> ImportedCheckIn:
        value = row.value if row.value is not None else scale[row.mood]
        return ImportedCheckIn(
            key=row.key,
            line=row.line,
            at=daylio.local(row.day, row.at, owner.timezone),
            tz=owner.timezone,
            mood=value,
            tags=row.tags,
            note=row.note,
        )

    def _remember(self, owner: Principal, moods: dict[str, int]) -> None:
        if not moods:
            return
        with self.db.transaction() as tx:
            tx.execute(
                delete(MoodName).where(
                    MoodName.user_id == owner.user_id, MoodName.name.in_(list(moods))
                )
            )
            for name, value in moods.items():
                tx.add(MoodName(id=new_id(), user_id=owner.user_id, name=name[:80], value=value))

    # -- the person's days -----------------------------------------------------------------

    def today(self, owner: Principal) -> date:
        return self.clock.now().astimezone(ZoneInfo(owner.timezone)).date()

    def table(self, owner: Principal, days: int) -> Days:
        days = min(max(days, 1), MAX_DAYS)
        end = self.today(owner)
        start = end - timedelta(days=days - 1)
        values = [
            v
            for source in self.runtime.factor_sources
            for v in source.daily_values(owner, start, end)
        ]
        table = Days.of([v for v in values if v.factor not in SHOWN_ONLY])
        assert isinstance(table, Days)
        ranges = {"energy.low": table.energy_low, "energy.high": table.energy_high}
        for v in values:
            if v.factor in ranges:
                ranges[v.factor][v.day] = v.value
        return table

    def patterns(self, owner: Principal, days: int = 365) -> Analysis:
        return find_patterns(self.table(owner, days))

    def forecast(self, owner: Principal) -> Forecast | None:
        """The next days' mood, only where it beat persistence on the person's own days."""
        return personal_forecast(self.table(owner, FORECAST_DAYS).mood, self.today(owner))

    # -- questionnaires --------------------------------------------------------------------

    def take(self, owner: Principal, name: str, answers: list[int]) -> tuple[Taken, Verdict | None]:
        inst = instrument(name)
        total, band = inst.score(answers)
        row_id = new_id()
        now = self.clock.now()
        row = Assessment(
            id=row_id,
            user_id=owner.user_id,
            instrument=inst.key,
            at=now,
            total=total,
            band=band,
            answers_ct=seal_numbers(owner.cipher(), "assessments", row_id, answers),
        )
        with self.db.transaction() as tx:
            tx.add(row)
        verdict = None
        if needs_safety_step(inst, answers):
            verdict = self.runtime.seam.safety_step(
                owner, QUESTIONNAIRE.name, frozenset({Category.SUICIDE, Category.SELF_HARM})
            )
        return Taken(row_id, inst.key, inst.title, now, total, band, inst.most, answers), verdict

    def taken(self, owner: Principal, name: str | None = None, *, limit: int = 200) -> list[Taken]:
        query = select(Assessment).where(Assessment.user_id == owner.user_id)
        if name:
            query = query.where(Assessment.instrument == instrument(name).key)
        with self.db.transaction() as tx:
            rows = tx.scalars(query.order_by(Assessment.at.desc()).limit(limit)).all()
        cipher = owner.cipher()
        return [
            Taken(
                r.id,
                r.instrument,
                instrument(r.instrument).title,
                r.at,
                r.total,
                r.band,
                instrument(r.instrument).most,
                open_numbers(cipher, "assessments", r.id, r.answers_ct),
            )
            for r in rows
        ]

    def schedule(self, owner: Principal, name: str, every_days: int) -> dict[str, Any]:
        inst = instrument(name)
        if not 0 <= every_days <= 365:
            raise ValidationError("Every 1 to 365 days (0 stops the reminder).")
        with self.db.transaction() as tx:
            tx.execute(
                delete(AssessmentSchedule).where(
                    AssessmentSchedule.user_id == owner.user_id,
                    AssessmentSchedule.instrument == inst.key,
                )
            )
            if every_days:
                tx.add(
                    AssessmentSchedule(
                        id=new_id(),
                        user_id=owner.user_id,
                        instrument=inst.key,
                        every_days=every_days,
                        starts=self.today(owner),
                    )
                )
        return {"instrument": inst.key, "every_days": every_days}

    def due(self, owner: Principal) -> list[dict[str, Any]]:
        """The questionnaires the person scheduled, with when each is next due."""
        with self.db.transaction() as tx:
            plans = tx.scalars(
                select(AssessmentSchedule).where(AssessmentSchedule.user_id == owner.user_id)
            ).all()
        today = self.today(owner)
        zone = ZoneInfo(owner.timezone)
        out = []
        for plan in plans:
            last = next(iter(self.taken(owner, plan.instrument, limit=1)), None)
            since = last.at.astimezone(zone).date() if last else plan.starts
            due = since + timedelta(days=plan.every_days) if last else plan.starts
            out.append(
                {
                    "instrument": plan.instrument,
                    "title": instrument(plan.instrument).title,
                    "every_days": plan.every_days,
                    "due": due,
                    "is_due": due <= today,
                }
            )
        return out

    # -- warning rules ---------------------------------------------------------------------

    def rules(self, owner: Principal) -> list[WarningRule]:
        with self.db.transaction() as tx:
            return list(
                tx.scalars(
                    select(WarningRule)
                    .where(WarningRule.user_id == owner.user_id)
                    .order_by(WarningRule.created_at)
                ).all()
            )

    def add_rule(
        self, owner: Principal, kind: str, threshold: float, days: int, tell_supporter: bool
    ) -> WarningRule:
        check_rule(kind, threshold, days)
        row = WarningRule(
            id=new_id(),
            user_id=owner.user_id,
            kind=kind,
            threshold=threshold,
            days=days,
            tell_supporter=tell_supporter,
            created_at=self.clock.now(),
        )
        with self.db.transaction() as tx:
            tx.add(row)
        return row

    def delete_rule(self, owner: Principal, rule_id: str) -> None:
        with self.db.transaction() as tx:
            row = tx.get(WarningRule, rule_id)
            if row is None or row.user_id != owner.user_id:
                raise NotFound("no such warning rule")
            tx.delete(row)


def fired_rules(service: InsightService, owner: Principal) -> list[Fired]:
    """The person's rules that fire today."""
    rules = service.rules(owner)
    if not rules:
        return []
    longest = max(r.days for r in rules) + 1
    table = service.table(owner, longest)
    today = service.today(owner)
    latest = next(iter(service.taken(owner, "phq9", limit=1)), None)
    recent = latest is not None and (today - latest.at.date()).days <= 14
    phq9 = latest.total if latest is not None and recent else None
    firing = [r for r in rules if fires(r.kind, r.threshold, r.days, table, today, phq9)]
    # The supporter hears of the rules marked for it (once a day each), never of the others.
    service.supporters.tell(owner, [(r.id, r.kind) for r in firing if r.tell_supporter])
    return [Fired(r.id, title(r.kind, r.threshold, r.days), NOT_A_DIAGNOSIS) for r in firing]
