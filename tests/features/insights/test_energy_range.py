"""The daily table keeps the energy's range beside its mean (issue 15, item 4), and the range is
shown, not tested: the patterns compare the same factors as before."""

from __future__ import annotations

from datetime import timedelta

from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.checkins.service import CheckInService
from steadymind.features.insights.service import InsightService
from steadymind.runtime import Runtime
from tests.conftest import Persona


def test_the_daily_table_has_the_energys_mean_and_range(runtime: Runtime, alice: Persona) -> None:
    checkins = runtime.get(CheckInService)
    for hours, energy in ((0, -3), (1, 1), (2, 5)):
        at = runtime.clock.now() + timedelta(hours=hours)
        checkins.create(alice.principal, CheckInIn(at=at, mood=1, energy=energy))
    insights = runtime.get(InsightService)
    table = insights.table(alice.principal, 7)
    today = insights.today(alice.principal)
    assert table.factors["energy"][today] == 1.0
    assert (table.energy_low[today], table.energy_high[today]) == (-3.0, 5.0)
    assert "energy.low" not in table.factors and "energy.high" not in table.factors
