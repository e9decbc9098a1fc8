"""The exercises a person finished with the companion, per day (``runtime.FactorSource``).

Which flow a turn finished is in its sealed analysis, so this reads with the person's key, in
their request (docs/architecture.md, "Keys beyond the request"): a day with a finished flow has
that flow (``flow:<id>``) and "any exercise" (``flow:any``) present.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from steadymind.companion.registry import registry
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.companion.service import TURNS
from steadymind.features.companion.tables import CompanionTurn
from steadymind.runtime import DailyValue
from steadymind.screen import open_analysis

# The companion's turns read for one span: a year of daily exercises several times over.
MOST = 20_000


class FinishedFlows:
    def __init__(self, db: Database) -> None:
        self.db = db

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
        zone = ZoneInfo(owner.timezone)
        since = datetime.combine(start - timedelta(days=1), time.min, UTC)
        until = datetime.combine(end + timedelta(days=2), time.min, UTC)
        query = (
            select(CompanionTurn.id, CompanionTurn.at, CompanionTurn.analysis_ct)
            .where(
                CompanionTurn.user_id == owner.user_id,
                CompanionTurn.role == "companion",
                CompanionTurn.at >= since,
                CompanionTurn.at < until,
            )
            .limit(MOST)
        )
        with self.db.transaction() as tx:
            rows = tx.execute(query).all()
        cipher = owner.cipher()
        titles = {f.id: f.title for f in registry().values()}
        found: dict[tuple[date, str], str] = {}
        for turn_id, at, blob in rows:
            finished = (open_analysis(cipher, TURNS, turn_id, blob) or {}).get("finished")
            day = at.astimezone(zone).date()
            if not finished or not start <= day <= end:
                continue
            flow = str(finished.get("flow"))
            found[(day, f"flow:{flow}")] = f"the exercise “{titles.get(flow, flow)}”"
            found[(day, "flow:any")] = "a companion exercise"
        return [DailyValue(day, key, 1.0, label) for (day, key), label in sorted(found.items())]
