"""The person's days as check-ins saw them (``runtime.FactorSource``), for the insights.

Per day, in the person's own time zone: the mood's mean and range (the outcome the insights
study: ``mood``, ``mood.low``, ``mood.high``), the energy's mean and range (``energy``,
``energy.low``, ``energy.high``; the insights test the mean as a factor and show the range), and
each tag and feeling word that day as present. Only plaintext columns are read (numbers, words,
tags): nothing is decrypted, so a job holding no key could compute the same.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from sqlalchemy import select

from steadymind.affect.vocabulary import display_words
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.checkins.tables import CheckIn
from steadymind.runtime import DailyValue


class CheckInFactors:
    def __init__(self, db: Database) -> None:
        self.db = db

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
        zone = ZoneInfo(owner.timezone)
        # A day either side in UTC: a check-in belongs to the person's local day.
        since = datetime.combine(start - timedelta(days=1), time.min, UTC)
        until = datetime.combine(end + timedelta(days=2), time.min, UTC)
        query = (
            select(CheckIn.at, CheckIn.mood, CheckIn.energy, CheckIn.emotions, CheckIn.tags)
            .add_columns(CheckIn.import_key.is_not(None).label("imported"))
            .where(CheckIn.user_id == owner.user_id, CheckIn.at >= since, CheckIn.at < until)
        )
        days: dict[date, list[tuple[int, int | None, list[str], list[str]]]] = defaultdict(list)
        with self.db.transaction() as tx:
            for at, mood, energy, emotions, tags, imported in tx.execute(query):
                day = at.astimezone(zone).date()
                if start <= day <= end:
                    days[day].append((mood, None if imported else energy, emotions, tags))
        return [value for day in sorted(days) for value in _values(day, days[day])]


def _values(
    day: date, rows: list[tuple[int, int | None, list[str], list[str]]]
) -> list[DailyValue]:
    moods = [r[0] for r in rows]
    energies = [r[1] for r in rows if r[1] is not None]
    out = [
        DailyValue(day, "mood", fmean(moods), "mood", "amount"),
        DailyValue(day, "mood.low", float(min(moods)), "lowest mood", "amount"),
        DailyValue(day, "mood.high", float(max(moods)), "highest mood", "amount"),
    ]
    if energies:
        out += [
            DailyValue(day, "energy", fmean(energies), "energy", "amount"),
            DailyValue(day, "energy.low", float(min(energies)), "lowest energy", "amount"),
            DailyValue(day, "energy.high", float(max(energies)), "highest energy", "amount"),
        ]
    tags = dict.fromkeys(t for r in rows for t in r[3])
    words = dict.fromkeys(w for r in rows for w in display_words(r[2]))
    out += [DailyValue(day, f"tag:{t}", 1.0, f"the tag “{t}”") for t in tags]
    out += [DailyValue(day, f"feeling:{w}", 1.0, f"the feeling “{w}”") for w in words]
    return out
