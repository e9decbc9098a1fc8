"""Check-ins: create, read, edit, delete, list by date range.

A note passes the text seam (with the person's recent writing as context) before it is stored;
the verdict is sealed beside it with the ids of the models that produced it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from steadymind.affect.vocabulary import display_words
from steadymind.core.clock import Clock
from steadymind.core.errors import ValidationError
from steadymind.core.fields import check_range
from steadymind.core.places import check_timezone
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned, view_of
from steadymind.features.checkins.chart import Point
from steadymind.features.checkins.schemas import CheckInIn, CheckInOut, CheckInPatch
from steadymind.features.checkins.tables import CheckIn
from steadymind.runtime import LatestCheckIn
from steadymind.screen import (
    Screened,
    Surface,
    TextSeam,
    Verdict,
    Written,
    open_analysis,
    recorded_flag,
    with_answer,
)

TABLE = "checkins"
NOTE = Surface("checkin-note")
MAX_LIST = 1000
MISSING = "no such check-in"
# Recent notes read for the seam: the last few are context, any flagged one counts.
RECENT = 20
# The charts read at most this many check-ins (three a day for a year and a month, and more).
MAX_POINTS = 5_000
# The picker's recent words come from this many of the last check-ins.
RECENT_CHECKINS = 30
# How far ahead a check-in may be dated: another time zone or a fast clock, not next week.
AHEAD = timedelta(days=1)
FUTURE = "The date is in the future: a check-in can be at most a day ahead"
# Fields a patch may set (``tz`` is checked, ``note`` screened); null clears only intensity.
_PATCHABLE = ("at", "mood", "energy", "intensity", "emotions", "tags")


class CheckInService:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam

    def create(self, p: Principal, data: CheckInIn) -> tuple[CheckInOut, Verdict | None]:
        now = self.clock.now()
        self._check_when(data.at)
        row = CheckIn(
            id=new_id(),
            user_id=p.user_id,
            at=data.at or now,
            tz=check_timezone(data.tz or p.timezone),
            mood=data.mood,
            energy=data.energy,
            intensity=data.intensity,
            emotions=list(data.emotions),
            tags=list(data.tags),
            created_at=now,
            updated_at=now,
        )
        screened = self._screen(p, data.note, exclude=None)
        _store_note(p.cipher(), row, screened)
        with self.db.transaction() as tx:
            tx.add(row)
        return _out(p.cipher(), row), screened.verdict

    def get(self, p: Principal, checkin_id: str) -> CheckInOut:
        with self.db.transaction() as tx:
            row = owned(tx, CheckIn, p.user_id, checkin_id, MISSING)
        return _out(p.cipher(), row)

    def update(
        self, p: Principal, checkin_id: str, patch: CheckInPatch
    ) -> tuple[CheckInOut, Verdict | None]:
        changes = patch.model_dump(exclude_unset=True)
        self._check_when(changes.get("at"))
        screened = None
        if "note" in changes:
            self.get(p, checkin_id)  # someone else's check-in is a 404 before anything is read
            screened = self._screen(p, changes["note"], exclude=checkin_id)
        with self.db.transaction() as tx:
            row = owned(tx, CheckIn, p.user_id, checkin_id, MISSING)
            _apply(row, changes)
            if screened is not None:
                _store_note(p.cipher(), row, screened)
            row.updated_at = self.clock.now()
        return _out(p.cipher(), row), None if screened is None else screened.verdict

    def delete(self, p: Principal, checkin_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, CheckIn, p.user_id, checkin_id, MISSING))

    def find(
        self,
        p: Principal,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[CheckInOut]:
        check_range(start, end)
        query = select(CheckIn).where(CheckIn.user_id == p.user_id)
        if start is not None:
            query = query.where(CheckIn.at >= start)
        if end is not None:
            query = query.where(CheckIn.at < end)
        query = query.order_by(CheckIn.at.desc(), CheckIn.id).limit(min(limit, MAX_LIST))
        with self.db.transaction() as tx:
            rows = tx.scalars(query.offset(max(offset, 0))).all()
        cipher = p.cipher()
        return [_out(cipher, r, tolerant=True) for r in rows]

    def points(self, p: Principal, start: datetime, end: datetime) -> list[Point]:
        """The numbers of every check-in in [start, end), for the charts: only plaintext
        columns are read, so a year of check-ins is drawn without decrypting a note."""
        check_range(start, end)
        query = (
            select(CheckIn.at, CheckIn.tz, CheckIn.mood, CheckIn.energy, CheckIn.intensity)
            .where(CheckIn.user_id == p.user_id, CheckIn.at >= start, CheckIn.at < end)
            .order_by(CheckIn.at)
            .limit(MAX_POINTS)
        )
        with self.db.transaction() as tx:
            rows = tx.execute(query).all()
        return [Point(r.at, r.tz, r.mood, r.energy, r.intensity) for r in rows]

    def recent_moods(self, p: Principal, since: datetime) -> list[tuple[datetime, int]]:
        """(when, mood) of the check-ins since ``since``, oldest first (``runtime.MoodSource``):
        plaintext numbers only, nothing is decrypted."""
        query = (
            select(CheckIn.at, CheckIn.mood)
            .where(CheckIn.user_id == p.user_id, CheckIn.at >= since)
            .order_by(CheckIn.at)
            .limit(MAX_POINTS)
        )
        with self.db.transaction() as tx:
            return [(at, int(mood)) for at, mood in tx.execute(query).all()]

    def latest_checkin(self, p: Principal, since: datetime) -> LatestCheckIn | None:
        """The last check-in since ``since`` as numbers and feeling words
        (``runtime.CheckInContext``: the coach's suggestions read it); nothing is decrypted."""
        query = (
            select(CheckIn.at, CheckIn.mood, CheckIn.energy, CheckIn.emotions)
            .where(CheckIn.user_id == p.user_id, CheckIn.at >= since)
            .order_by(CheckIn.at.desc())
            .limit(1)
        )
        with self.db.transaction() as tx:
            row = tx.execute(query).first()
        if row is None:
            return None
        return LatestCheckIn(row.at, int(row.mood), row.energy, tuple(row.emotions or ()))

    def recent_words(self, p: Principal, *, most: int = 8) -> list[str]:
        """The feeling words of the person's last check-ins, the most used first (then the
        most recent): the picker shows them before the four groups."""
        query = (
            select(CheckIn.emotions)
            .where(CheckIn.user_id == p.user_id)
            .order_by(CheckIn.at.desc())
            .limit(RECENT_CHECKINS)
        )
        with self.db.transaction() as tx:
            lists = tx.scalars(query).all()
        words = [w for stored in lists for w in display_words(stored)]
        counts = Counter(words)
        order = {w: i for i, w in reversed(list(enumerate(words)))}
        return sorted(counts, key=lambda w: (-counts[w], order[w]))[:most]

    def recent_notes(self, p: Principal, since: datetime, exclude: str | None) -> list[Written]:
        """The person's own notes written since ``since``: context for the text seam."""
        query = (
            select(CheckIn)
            .where(CheckIn.user_id == p.user_id, CheckIn.created_at >= since)
            .where(CheckIn.note_ct.is_not(None), CheckIn.id != (exclude or ""))
            .order_by(CheckIn.created_at.desc())
            .limit(RECENT)
        )
        with self.db.transaction() as tx:
            rows = tx.scalars(query).all()
        return [_written(p.cipher(), r) for r in rows]

    def record_answer(
        self, p: Principal, checkin_id: str, answer: dict[str, Any]
    ) -> dict[str, Any]:
        """Keep the person's answer to the safety question with the note it was about."""
        with self.db.transaction() as tx:
            row = owned(tx, CheckIn, p.user_id, checkin_id, MISSING)
            row.analysis_ct, record = with_answer(
                p.cipher(), TABLE, row.id, row.analysis_ct, answer
            )
        return record

    def _check_when(self, at: datetime | None) -> None:
        if at is not None and at > self.clock.now() + AHEAD:
            problem = {"field": "at", "problem": FUTURE}
            raise ValidationError(FUTURE, details={"errors": [problem]})

    def _screen(self, p: Principal, note: str | None, *, exclude: str | None) -> Screened:
        return self.seam.screen({"note": note}, surface=NOTE.name, owner=p, exclude=exclude)


def _written(cipher: FieldCipher, row: CheckIn) -> Written:
    note = cipher.decrypt_optional(TABLE, "note", row.id, row.note_ct) or ""
    flagged = recorded_flag(open_analysis(cipher, TABLE, row.id, row.analysis_ct))
    return Written(row.created_at, note, flagged)


def _apply(row: CheckIn, changes: dict[str, Any]) -> None:
    # The patch refused null for every field but intensity and note (schemas.CLEARABLE).
    for name in _PATCHABLE:
        if name in changes:
            setattr(row, name, changes[name])
    if "tz" in changes:
        row.tz = check_timezone(changes["tz"])


def _store_note(cipher: FieldCipher, row: CheckIn, screened: Screened) -> None:
    sealed = screened.seal(cipher, TABLE, row.id)
    row.note_ct = sealed.parts["note"]
    row.analysis_ct = sealed.analysis


def _out(cipher: FieldCipher, row: CheckIn, *, tolerant: bool = False) -> CheckInOut:
    return view_of(lambda r, readable: _view(cipher, r, readable), row, tolerant=tolerant)


def _view(cipher: FieldCipher, row: CheckIn, readable: bool = True) -> CheckInOut:
    return CheckInOut(
        id=row.id,
        at=row.at,
        tz=row.tz,
        mood=row.mood,
        energy=row.energy,
        intensity=row.intensity,
        # Words stored when the picker still listed the model's labels read as words.
        emotions=display_words(row.emotions),
        tags=list(row.tags),
        note=cipher.decrypt_optional(TABLE, "note", row.id, row.note_ct) if readable else None,
        analysis=open_analysis(cipher, TABLE, row.id, row.analysis_ct) if readable else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
        unreadable=not readable,
    )
