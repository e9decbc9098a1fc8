"""Practice sessions: start one (composed for the person), finish it with a rating and an
optional note (through the text seam), see what helped, and the per-day factors for insights.

"What helped you" is the mean calm change (after minus before, 0-10) of each practice over the
person's rated sessions; it is read from plaintext numbers only, and the composer uses it to
choose what to offer next.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from steadymind.core.clock import Clock
from steadymind.core.errors import NotFound, ValidationError
from steadymind.core.places import check_timezone
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned, view_of
from steadymind.features.practice.catalogue import catalogue
from steadymind.features.practice.composer import (
    CheckInState,
    Offer,
    Request,
    Script,
    choose,
    compose,
    offers,
)
from steadymind.features.practice.rewording import reword
from steadymind.features.practice.schemas import (
    FinishIn,
    HelpedOut,
    ProfileIn,
    ProfileOut,
    SessionOut,
    StartIn,
)
from steadymind.features.practice.tables import PracticeProfile, PracticeSession
from steadymind.runtime import DailyValue, MoodSource, Outcome, Rephraser
from steadymind.screen import Surface, TextSeam, Verdict, with_answer

TABLE = "practice_sessions"
NOTE = Surface("practice-note")
MISSING = "no such practice session"
MAX_LIST = 1000
# What helped is read from this many of the person's latest rated sessions.
HELPED_WINDOW = 200
CALM_CHANGE = "practice.calm_change"


class PracticeService:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam
        self.moods: MoodSource | None = None  # set at setup when check-ins are present
        # The companion's language model, when it offers one (found when asked: the companion
        # may be set up after this feature, or not be there at all).
        self.rephraser: Callable[[], Rephraser | None] = lambda: None

    # -- composing ---------------------------------------------------------------------------

    def request_for(self, p: Principal, body: StartIn) -> Request:
        """The composer's request: the body, filled in from the person's profile, their latest
        check-in mood and what helped them before."""
        if body.practice is not None and body.practice not in catalogue():
            raise NotFound("no such practice")
        profile = self.profile(p)
        return Request(
            goal=body.goal,
            minutes=body.minutes,
            practice=body.practice,
            checkin=body.checkin or self._latest_checkin(p),
            experience=body.experience or profile.experience,
            prefs=body.prefs or profile.prefs,
            helped={h.practice: h.mean_change for h in self.helped(p)},
            resonance_bpm=profile.resonance_bpm,
        )

    def offer(self, p: Principal, body: StartIn) -> list[Offer]:
        return offers(self.request_for(p, body))

    def script(self, p: Principal, session_id: str) -> Script:
        return compose(Request.model_validate(self.get(p, session_id).params))

    def _latest_checkin(self, p: Principal) -> CheckInState:
        if self.moods is None:
            return CheckInState()
        moods = self.moods.recent_moods(p, self.clock.now() - timedelta(hours=6))
        return CheckInState(mood=moods[-1][1]) if moods else CheckInState()

    # -- sessions ----------------------------------------------------------------------------

    def start(self, p: Principal, body: StartIn) -> tuple[SessionOut, Script]:
        request = self.request_for(p, body)
        offer = choose(request)
        # Stored with the practice the composer chose, so the script is the same when replayed.
        params = request.model_copy(update={"practice": offer.practice.id})
        script = compose(params)
        # Reworded once, now, for someone who chose it; kept with the session's parameters.
        wording = reword(script, self.rephraser(), p)
        if wording is not None:
            params = params.model_copy(update={"wording": wording})
            script = compose(params)
        script.reasons = offer.reasons
        now = self.clock.now()
        row = PracticeSession(
            id=new_id(),
            user_id=p.user_id,
            practice_id=script.practice.id,
            goal=request.goal,
            minutes=request.minutes,
            params=params.model_dump(mode="json"),
            tz=check_timezone(p.timezone),
            started_at=now,
            calm_before=body.calm_before,
            created_at=now,
            updated_at=now,
        )
        with self.db.transaction() as tx:
            tx.add(row)
        return _out(p.cipher(), row), script

    def finish(
        self, p: Principal, session_id: str, body: FinishIn
    ) -> tuple[SessionOut, Verdict | None]:
        """The rating after, and a note if the person wrote one (screened, then sealed)."""
        self.get(p, session_id)  # someone else's session is a 404 before anything is read
        screened = None
        if body.note and body.note.strip():
            screened = self.seam.screen({"note": body.note}, surface=NOTE.name, owner=p)
        with self.db.transaction() as tx:
            row = owned(tx, PracticeSession, p.user_id, session_id, MISSING)
            row.calm_after = body.calm_after if body.calm_after is not None else row.calm_after
            row.finished_at = row.finished_at or self.clock.now()
            if screened is not None:
                sealed = screened.seal(p.cipher(), TABLE, row.id)
                row.note_ct, row.analysis_ct = sealed.parts["note"], sealed.analysis
            row.updated_at = self.clock.now()
        return _out(p.cipher(), row), None if screened is None else screened.verdict

    def record_biofeedback(self, p: Principal, session_id: str, summary: dict[str, Any]) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, PracticeSession, p.user_id, session_id, MISSING)
            row.biofeedback = summary
            row.updated_at = self.clock.now()

    def get(self, p: Principal, session_id: str) -> SessionOut:
        with self.db.transaction() as tx:
            row = owned(tx, PracticeSession, p.user_id, session_id, MISSING)
        return _out(p.cipher(), row)

    def delete(self, p: Principal, session_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, PracticeSession, p.user_id, session_id, MISSING))

    def find(self, p: Principal, *, limit: int = 200, offset: int = 0) -> list[SessionOut]:
        query = (
            select(PracticeSession)
            .where(PracticeSession.user_id == p.user_id)
            .order_by(PracticeSession.started_at.desc(), PracticeSession.id)
            .limit(min(limit, MAX_LIST))
            .offset(max(offset, 0))
        )
        with self.db.transaction() as tx:
            rows = tx.scalars(query).all()
        cipher = p.cipher()
        return [_out(cipher, r, tolerant=True) for r in rows]

    def record_answer(
        self, p: Principal, session_id: str, answer: dict[str, Any]
    ) -> dict[str, Any]:
        """Keep the person's answer to the safety question with the note it was about."""
        with self.db.transaction() as tx:
            row = owned(tx, PracticeSession, p.user_id, session_id, MISSING)
            row.analysis_ct, record = with_answer(
                p.cipher(), TABLE, row.id, row.analysis_ct, answer
            )
        return record

    # -- what helped, and the days -----------------------------------------------------------

    def helped(self, p: Principal) -> list[HelpedOut]:
        """Each practice the person rated before and after, the most helpful first."""
        query = (
            select(PracticeSession.practice_id, PracticeSession.calm_before,
                   PracticeSession.calm_after)
            .where(PracticeSession.user_id == p.user_id)
            .where(PracticeSession.calm_before.is_not(None))
            .where(PracticeSession.calm_after.is_not(None))
            .order_by(PracticeSession.started_at.desc())
            .limit(HELPED_WINDOW)
        )  # fmt: skip
        changes: dict[str, list[int]] = defaultdict(list)
        with self.db.transaction() as tx:
            for practice_id, before, after in tx.execute(query).all():
                if before is not None and after is not None:  # the query asks for both
                    changes[practice_id].append(after - before)
        known = catalogue()
        found = [
            HelpedOut(
                practice=pid,
                title=known[pid].title if pid in known else pid,
                sessions=len(values),
                mean_change=round(sum(values) / len(values), 2),
            )
            for pid, values in changes.items()
        ]
        return sorted(found, key=lambda h: (-h.mean_change, -h.sessions, h.practice))

    def outcomes(self, p: Principal, since: datetime) -> list[Outcome]:
        """The sessions started since ``since``: which practice, when, the calm ratings and
        whether it was finished (``runtime.OutcomeSource``: the coach's reward). Numbers only."""
        query = (
            select(PracticeSession.practice_id, PracticeSession.started_at,
                   PracticeSession.calm_before, PracticeSession.calm_after,
                   PracticeSession.finished_at)
            .where(PracticeSession.user_id == p.user_id, PracticeSession.started_at >= since)
            .order_by(PracticeSession.started_at)
            .limit(1000)
        )  # fmt: skip
        with self.db.transaction() as tx:
            rows = tx.execute(query).all()
        return [
            Outcome(f"practice:{r.practice_id}", r.started_at, r.calm_before, r.calm_after,
                    r.finished_at is not None)
            for r in rows
        ]  # fmt: skip

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]:
        """``runtime.FactorSource``: each day's practices (presence) and the mean calm change of
        its rated sessions (an amount), for days in [start, end] of the person's calendar."""
        since = datetime.combine(start - timedelta(days=1), datetime.min.time(), ZoneInfo("UTC"))
        until = datetime.combine(end + timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))
        query = (
            select(PracticeSession.practice_id, PracticeSession.started_at, PracticeSession.tz,
                   PracticeSession.calm_before, PracticeSession.calm_after)
            .where(PracticeSession.user_id == owner.user_id)
            .where(PracticeSession.started_at >= since, PracticeSession.started_at < until)
        )  # fmt: skip
        with self.db.transaction() as tx:
            rows = tx.execute(query).all()
        return _days(rows, start, end)

    # -- the profile -------------------------------------------------------------------------

    def profile(self, p: Principal) -> ProfileOut:
        """The person's profile, or the defaults when they have not set one."""
        return self.saved_profile(p) or ProfileOut()

    def saved_profile(self, p: Principal) -> ProfileOut | None:
        with self.db.transaction() as tx:
            row = tx.get(PracticeProfile, p.user_id)
        if row is None:
            return None
        return ProfileOut(
            experience=row.experience,
            prefs=row.prefs,
            resonance_bpm=row.resonance_bpm,
            scanned_at=row.scanned_at,
        )

    def save_profile(self, p: Principal, body: ProfileIn) -> ProfileOut:
        with self.db.transaction() as tx:
            row = self._profile_row(tx, p)
            row.experience, row.prefs = body.experience, body.prefs.model_dump(mode="json")
        return self.profile(p)

    def save_resonance(self, p: Principal, bpm: float) -> ProfileOut:
        if not 3.0 <= bpm <= 8.0:
            raise ValidationError("A resonance rate is between 3 and 8 breaths a minute.")
        with self.db.transaction() as tx:
            row = self._profile_row(tx, p)
            row.resonance_bpm, row.scanned_at = round(bpm, 2), self.clock.now()
        return self.profile(p)

    def _profile_row(self, tx: Any, p: Principal) -> PracticeProfile:
        row: PracticeProfile | None = tx.get(PracticeProfile, p.user_id)
        if row is None:
            defaults = ProfileOut()
            row = PracticeProfile(
                user_id=p.user_id,
                experience=defaults.experience,
                prefs=defaults.prefs.model_dump(mode="json"),
                updated_at=self.clock.now(),
            )
            tx.add(row)
        row.updated_at = self.clock.now()
        return row


def _days(rows: Any, start: date, end: date) -> list[DailyValue]:
    known = catalogue()
    present: set[tuple[date, str]] = set()
    changes: dict[date, list[int]] = defaultdict(list)
    for practice_id, started_at, tz, before, after in rows:
        day = started_at.astimezone(ZoneInfo(tz)).date()
        if not start <= day <= end:
            continue
        present.add((day, practice_id))
        if before is not None and after is not None:
            changes[day].append(after - before)
    values = [
        DailyValue(day, f"practice:{pid}", 1.0, (known[pid].title if pid in known else pid).lower())
        for day, pid in sorted(present)
    ]
    values += [
        DailyValue(day, CALM_CHANGE, sum(c) / len(c), "calm change after a practice", "amount")
        for day, c in sorted(changes.items())
    ]
    return values


def _out(cipher: FieldCipher, row: PracticeSession, *, tolerant: bool = False) -> SessionOut:
    return view_of(lambda r, readable: _view(cipher, r, readable), row, tolerant=tolerant)


def _view(cipher: FieldCipher, row: PracticeSession, readable: bool = True) -> SessionOut:
    known = catalogue()
    return SessionOut(
        id=row.id,
        practice=row.practice_id,
        title=known[row.practice_id].title if row.practice_id in known else row.practice_id,
        goal=row.goal,
        minutes=row.minutes,
        params=dict(row.params),
        tz=row.tz,
        started_at=row.started_at,
        finished_at=row.finished_at,
        calm_before=row.calm_before,
        calm_after=row.calm_after,
        biofeedback=row.biofeedback,
        note=cipher.decrypt_optional(TABLE, "note", row.id, row.note_ct) if readable else None,
        unreadable=not readable,
    )
