"""Conversations with the companion: sessions of turns, memory, consent and follow-ups.

Every turn a person writes passes the text seam first, with the conversation as its context.
What the seam decides comes before anything the companion would say: at ``elevated`` the turn
is answered only by the seam's question, at ``high`` only by the crisis response, and a flow in
progress is paused. Only a turn the seam lets go on reaches the engine
(:mod:`steadymind.companion.engine`), whose state is sealed with the session.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select

from steadymind.companion.engine import Companion, Finished, Reply
from steadymind.companion.llm import FallBack, Generator, Turn, build_messages, system_prompt
from steadymind.companion.registry import offered
from steadymind.core.clock import Clock
from steadymind.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned
from steadymind.features.companion.consent import CONSENT_VERSION
from steadymind.features.companion.schemas import (
    ConsentOut,
    FlowOut,
    MemoryOut,
    PrefsOut,
    SessionOut,
    SessionSummary,
    TurnOut,
)
from steadymind.features.companion.tables import (
    CompanionConsent,
    CompanionFollowUp,
    CompanionMemory,
    CompanionPrefs,
    CompanionSession,
    CompanionTurn,
)
from steadymind.screen import (
    Answer,
    Surface,
    TextSeam,
    Verdict,
    Written,
    open_analysis,
    recorded_flag,
    seal_composed,
    with_answer,
)

TURN = Surface("companion-turn", context="given")
MEMORY = Surface("companion-memory")
SESSIONS, TURNS, MEMORY_TABLE, FOLLOW_UPS = (
    "companion_sessions",
    "companion_turns",
    "companion_memory",
    "companion_follow_ups",
)
MAX_TURN = 4_000
MAX_MEMORY_ITEM = 300
MAX_MEMORY_ITEMS = 200
# The person's last few turns are the gate's context, and the engine's memory of the talk.
CONTEXT_TURNS = 6
# How much of the conversation a language model reads (its prompt holds at most this many).
LLM_TURNS = 12
PAGE_TURNS = 200
MISSING_SESSION = "no such conversation"
MISSING_ITEM = "no such memory item"
OFF = "The companion is turned off in your settings."
NEEDS_CONSENT = "Please read and accept the companion's consent first."


@dataclass(frozen=True)
class Replaced:
    """The language model's reply was abandoned part-way (a sentence failed a check, or it
    timed out): what was shown of it gives way to the engine's ``text``."""

    text: str


@dataclass(frozen=True)
class TurnResult:
    """What one turn produced: the person's stored turn and the seam's verdict on it, and the
    companion's reply when the seam let the flow go on (never otherwise)."""

    turn_id: str
    verdict: Verdict | None
    reply: TurnOut | None = None
    meta: Reply | None = None


class CompanionService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        seam: TextSeam,
        engine: Companion | None = None,
        llm: Generator | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam
        self.engine = engine or Companion()
        # The server's language model (``Settings.llm_*``), or None: the engine's words.
        self.llm = llm

    # -- consent and the person's choice ---------------------------------------------------

    def consent(self, p: Principal) -> ConsentOut:
        row = self._consent_row(p)
        accepted = row.version if row is not None and row.revoked_at is None else None
        return ConsentOut(
            current=CONSENT_VERSION,
            accepted=accepted,
            accepted_at=row.accepted_at if row is not None and accepted else None,
            needed=accepted != CONSENT_VERSION,
        )

    def accept(self, p: Principal, version: str) -> ConsentOut:
        if version != CONSENT_VERSION:
            raise Conflict("The consent you read has changed; please read the current one.")
        with self.db.transaction() as tx:
            tx.add(
                CompanionConsent(
                    id=new_id(), user_id=p.user_id, version=version, accepted_at=self.clock.now()
                )
            )
        return self.consent(p)

    def revoke(self, p: Principal) -> ConsentOut:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionConsent).where(
                    CompanionConsent.user_id == p.user_id, CompanionConsent.revoked_at.is_(None)
                )
            ).all()
            for row in rows:
                row.revoked_at = self.clock.now()
        return self.consent(p)

    def _consent_row(self, p: Principal) -> CompanionConsent | None:
        with self.db.transaction() as tx:
            return tx.scalars(
                select(CompanionConsent)
                .where(CompanionConsent.user_id == p.user_id)
                .order_by(CompanionConsent.accepted_at.desc())
                .limit(1)
            ).first()

    def require(self, p: Principal) -> None:
        """The companion works only for someone who turned it on and accepted its consent."""
        if p.ai_level != "companion":
            raise PermissionDenied(OFF)
        if self.consent(p).needed:
            raise Conflict(NEEDS_CONSENT)

    # -- sessions --------------------------------------------------------------------------

    def flows(self) -> list[FlowOut]:
        return [
            FlowOut(id=f.id, title=f.title, summary=f.summary, minutes=f.minutes) for f in offered()
        ]

    def start(self, p: Principal, flow: str | None = None) -> tuple[SessionOut, Reply]:
        """A new conversation: a follow-up that is due comes first, else the flow the person
        chose, else a greeting."""
        self.require(p)
        state = self.engine.new_state()
        due = self._due_follow_up(p)
        returning = self._has_sessions(p)
        if flow is not None and flow not in {f.id for f in offered()}:
            raise ValidationError(f"There is no exercise called {flow!r}.")
        follow_up = (due[1], due[2]) if due is not None else None
        reply = self.engine.open(state, returning=returning, start=flow, follow_up=follow_up)
        now = self.clock.now()
        session = CompanionSession(
            id=new_id(), user_id=p.user_id, turns=0, created_at=now, updated_at=now
        )
        with self.db.transaction() as tx:
            session.state_ct = self._seal_state(p.cipher(), session.id, state)
            tx.add(session)
            tx.flush()
            self._add_turn(tx, p, session, "companion", reply.text, self._meta(reply, "default"))
            if due is not None:
                follow = tx.get(CompanionFollowUp, due[0])
                if follow is not None:
                    follow.done_at = now
        return self.session(p, session.id), reply

    def sessions(self, p: Principal, *, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionSession)
                .where(CompanionSession.user_id == p.user_id)
                .order_by(CompanionSession.updated_at.desc(), CompanionSession.id)
                .limit(min(limit, 200))
                .offset(max(offset, 0))
            ).all()
        return [
            SessionSummary(id=r.id, turns=r.turns, created_at=r.created_at, updated_at=r.updated_at)
            for r in rows
        ]

    def session(self, p: Principal, session_id: str, *, last: int = PAGE_TURNS) -> SessionOut:
        """A conversation with its last ``last`` turns, oldest first (only those decrypted)."""
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            turns = tx.scalars(
                select(CompanionTurn)
                .where(CompanionTurn.session_id == row.id)
                .order_by(CompanionTurn.seq.desc())
                .limit(max(1, min(last, PAGE_TURNS)))
            ).all()
        cipher = p.cipher()
        state = self._open_state(cipher, row)
        return SessionOut(
            id=row.id,
            turns=[self._turn_out(cipher, t) for t in reversed(turns)],
            total=row.turns,
            flow=(state.get("flow") or {}).get("id"),
            paused=(state.get("paused") or {}).get("id"),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    def delete_session(self, p: Principal, session_id: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            for turn in tx.scalars(select(CompanionTurn).where(CompanionTurn.session_id == row.id)):
                tx.delete(turn)
            tx.delete(row)

    def _has_sessions(self, p: Principal) -> bool:
        with self.db.transaction() as tx:
            count = tx.scalar(
                select(func.count())
                .select_from(CompanionSession)
                .where(CompanionSession.user_id == p.user_id)
            )
        return bool(count)

    # -- a turn ----------------------------------------------------------------------------

    def say(self, p: Principal, session_id: str, text: str) -> TurnResult:
        """The person's turn: through the seam, stored, and answered when the seam allows."""
        result: TurnResult | None = None
        for event in self.say_events(p, session_id, text):
            if isinstance(event, TurnResult):
                result = event
        assert result is not None
        return result

    def say_events(
        self, p: Principal, session_id: str, text: str
    ) -> Iterator[str | Replaced | TurnResult]:
        """The person's turn, as it happens: the sentences of a generated reply as each passes
        its checks (``str``), a :class:`Replaced` when the model's reply was abandoned for the
        engine's, and last the stored :class:`TurnResult`.

        The seam reads the turn (with the conversation as context) before anything else; at
        ``elevated`` or above nothing is generated and a running exercise waits. The language
        model writes only free talk, only for someone who chose it, and only when the server
        has one; the engine's reply is always made first and stands in for it.
        """
        self.require(p)
        if not text.strip():
            raise ValidationError("Write something first.")
        if len(text) > MAX_TURN:
            raise ValidationError(f"A message is at most {MAX_TURN:,} characters.")
        cipher = p.cipher()
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            history = self._person_texts(cipher, tx, row.id, CONTEXT_TURNS)
            talk = self._talk_turns(cipher, tx, row.id, LLM_TURNS)
        screened = self.seam.screen(text, surface=TURN.name, owner=p, context=history)
        verdict = screened.verdict
        state = self._open_state(cipher, row)
        reply: Reply | None = None
        meta_extra: dict[str, Any] = {}
        engine_name = "default"
        if verdict is None or verdict.action == "continue":
            feelings = verdict.suggested_emotions if verdict is not None else []
            memory = [m.text for m in self.memory(p)]
            reply = self.engine.turn(state, text, emotions=feelings, memory=memory)
            if self._may_generate(p, reply):
                turns = [*talk, Turn("person", text)]
                written: list[str] = []
                try:
                    messages = build_messages(turns, memory=memory, feelings=feelings)
                    assert self.llm is not None
                    for sentence in self.llm.stream_reply(messages, self.seam.passes_generated):
                        written.append(sentence)
                        yield sentence
                    if written:
                        reply = replace(reply, text=" ".join(written))
                        engine_name = "llm"
                        meta_extra = {"prompt": system_prompt().version}
                except FallBack as fell:
                    # The person sees the engine's words instead; why is kept (never the text).
                    meta_extra = {"fallback": fell.reason, "prompt": system_prompt().version}
                    if written:
                        yield Replaced(reply.text)
        elif state.get("flow") is not None:
            # A hard moment inside an exercise: the exercise waits.
            state["paused"], state["flow"] = state["flow"], None
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            person = self._add_turn_screened(tx, p, row, screened)
            out = None
            if reply is not None:
                meta = self._meta(reply, engine_name) | meta_extra
                out = self._add_turn(tx, p, row, "companion", reply.text, meta)
                self._after(tx, p, row, reply)
            row.state_ct = self._seal_state(cipher, row.id, state)
        yield TurnResult(person, verdict, out, reply)

    # -- the optional language model -------------------------------------------------------

    def _may_generate(self, p: Principal, reply: Reply) -> bool:
        """Free talk only (never an exercise, an offer or a memory note), for someone who
        chose it, when the server has a model."""
        if self.llm is None or reply.flow or reply.finished or reply.offer or reply.remember:
            return False
        return self.prefs(p).llm_replies

    def prefs(self, p: Principal) -> PrefsOut:
        with self.db.transaction() as tx:
            row = tx.get(CompanionPrefs, p.user_id)
        return PrefsOut(
            llm_available=self.llm is not None,
            llm_replies=bool(row and row.llm_replies),
        )

    def set_prefs(self, p: Principal, *, llm_replies: bool) -> PrefsOut:
        with self.db.transaction() as tx:
            row = tx.get(CompanionPrefs, p.user_id)
            if row is None:
                row = CompanionPrefs(user_id=p.user_id)
                tx.add(row)
            row.llm_replies = llm_replies
            row.updated_at = self.clock.now()
        return self.prefs(p)

    def _talk_turns(self, cipher: FieldCipher, tx: Any, session_id: str, n: int) -> list[Turn]:
        """The last ``n`` turns for the language model, leaving out turns the seam stopped."""
        rows = tx.scalars(
            select(CompanionTurn)
            .where(CompanionTurn.session_id == session_id)
            .order_by(CompanionTurn.seq.desc())
            .limit(n)
        ).all()
        turns = []
        for r in reversed(rows):
            if r.role == "person" and recorded_flag(
                open_analysis(cipher, TURNS, r.id, r.analysis_ct)
            ):
                continue
            role: Literal["person", "companion"] = "person" if r.role == "person" else "companion"
            turns.append(Turn(role, cipher.decrypt(TURNS, "text", r.id, r.text_ct)))
        return turns

    def begin(self, p: Principal, session_id: str, flow: str) -> TurnResult:
        """Start an exercise in this conversation (the person chose it)."""
        self.require(p)
        if flow not in {f.id for f in offered()}:
            raise ValidationError(f"There is no exercise called {flow!r}.")
        cipher = p.cipher()
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            state = self._open_state(cipher, row)
            reply = self.engine.start(state, flow)
            out = self._add_turn(tx, p, row, "companion", reply.text, self._meta(reply, "default"))
            row.state_ct = self._seal_state(cipher, row.id, state)
        return TurnResult("", None, out, reply)

    def answer(
        self, p: Principal, session_id: str, turn_id: str, answer: Answer
    ) -> tuple[Any, TurnResult | None]:
        """The person's answer to the seam's question about one of their turns: the crisis
        response for yes or not sure; for no, the companion answers the turn after all."""
        self.require(p)
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            turn = owned(tx, CompanionTurn, p.user_id, turn_id, "no such message")
            if turn.session_id != row.id or turn.role != "person":
                raise NotFound("no such message")
        crisis = self.seam.answer(p, TURN.name, turn_id, answer)
        if crisis is not None:
            return crisis, None
        cipher = p.cipher()
        text = cipher.decrypt(TURNS, "text", turn.id, turn.text_ct)
        state = self._open_state(cipher, row)
        reply = self.engine.turn(state, text, memory=[m.text for m in self.memory(p)])
        with self.db.transaction() as tx:
            row = owned(tx, CompanionSession, p.user_id, session_id, MISSING_SESSION)
            out = self._add_turn(tx, p, row, "companion", reply.text, self._meta(reply, "default"))
            self._after(tx, p, row, reply)
            row.state_ct = self._seal_state(cipher, row.id, state)
        return None, TurnResult(turn_id, None, out, reply)

    def verdict_of(self, p: Principal, turn_id: str) -> Verdict | None:
        """The seam's verdict on one of the person's turns, as it was given (to show the
        question or the crisis response after a streamed turn)."""
        with self.db.transaction() as tx:
            turn = owned(tx, CompanionTurn, p.user_id, turn_id, "no such message")
        if turn.role != "person":
            return None
        record = open_analysis(p.cipher(), TURNS, turn.id, turn.analysis_ct)
        return self.seam.recall(p, TURN.name, record)

    def record_answer(self, p: Principal, turn_id: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Keep the person's answer to the safety question beside the turn it was about."""
        with self.db.transaction() as tx:
            turn = owned(tx, CompanionTurn, p.user_id, turn_id, "no such message")
            turn.analysis_ct, record = with_answer(
                p.cipher(), TURNS, turn.id, turn.analysis_ct, answer
            )
        return record

    def recent_turns(self, p: Principal, since: datetime, exclude: str | None) -> list[Written]:
        """What the person wrote to the companion lately: context for the seam elsewhere."""
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionTurn)
                .where(
                    CompanionTurn.user_id == p.user_id,
                    CompanionTurn.role == "person",
                    CompanionTurn.at >= since,
                    CompanionTurn.id != (exclude or ""),
                )
                .order_by(CompanionTurn.at.desc())
                .limit(CONTEXT_TURNS)
            ).all()
        cipher = p.cipher()
        found = []
        for r in rows:
            flagged = recorded_flag(open_analysis(cipher, TURNS, r.id, r.analysis_ct))
            found.append(Written(r.at, cipher.decrypt(TURNS, "text", r.id, r.text_ct), flagged))
        return found

    # -- after a reply: memory, follow-ups ---------------------------------------------------

    def _after(self, tx: Any, p: Principal, row: CompanionSession, reply: Reply) -> None:
        if reply.remember:
            self._remember(tx, p, reply.remember)
        finished = reply.finished
        if finished is not None and finished.follow_up and finished.follow_up_days is not None:
            self._schedule(tx, p, row.id, finished)

    def _schedule(self, tx: Any, p: Principal, session_id: str, finished: Finished) -> None:
        days = finished.follow_up_days or 0
        # Later today means this evening; otherwise the morning of the day it is due.
        due = self.clock.now() + (timedelta(hours=4) if days == 0 else timedelta(days=days))
        follow = CompanionFollowUp(
            id=new_id(), user_id=p.user_id, due_at=due, created_at=self.clock.now()
        )
        data = {"flow": finished.follow_up, "carried": dict(finished.carried), "from": session_id}
        follow.data_ct = (
            seal_composed(
                p.cipher(), FOLLOW_UPS, follow.id, {"data": json.dumps(data, ensure_ascii=False)}
            ).parts["data"]
            or b""
        )
        tx.add(follow)

    def _due_follow_up(self, p: Principal) -> tuple[str, str, dict[str, Any]] | None:
        with self.db.transaction() as tx:
            row = tx.scalars(
                select(CompanionFollowUp)
                .where(
                    CompanionFollowUp.user_id == p.user_id,
                    CompanionFollowUp.done_at.is_(None),
                    CompanionFollowUp.due_at <= self.clock.now(),
                )
                .order_by(CompanionFollowUp.due_at)
                .limit(1)
            ).first()
        if row is None:
            return None
        data = json.loads(p.cipher().decrypt(FOLLOW_UPS, "data", row.id, row.data_ct))
        return row.id, str(data["flow"]), dict(data["carried"])

    def recently_finished(self, p: Principal, since: datetime) -> list[tuple[datetime, str]]:
        """(when, flow id) of the exercises the person finished since ``since``."""
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionTurn)
                .where(
                    CompanionTurn.user_id == p.user_id,
                    CompanionTurn.role == "companion",
                    CompanionTurn.at >= since,
                )
                .order_by(CompanionTurn.at.desc())
                .limit(50)
            ).all()
        cipher = p.cipher()
        found = []
        for r in rows:
            finished = (open_analysis(cipher, TURNS, r.id, r.analysis_ct) or {}).get("finished")
            if finished:
                found.append((r.at, str(finished["flow"])))
        return found

    def planned(self, p: Principal) -> list[dict[str, Any]]:
        """Follow-ups not done yet, soonest first: what the person planned (activities, worry
        times), for the check-in's tags and the journal's prompts."""
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionFollowUp)
                .where(CompanionFollowUp.user_id == p.user_id, CompanionFollowUp.done_at.is_(None))
                .order_by(CompanionFollowUp.due_at)
                .limit(20)
            ).all()
        cipher = p.cipher()
        found = []
        for r in rows:
            data = json.loads(cipher.decrypt(FOLLOW_UPS, "data", r.id, r.data_ct))
            found.append({"due_at": r.due_at, **data})
        return found

    # -- memory ----------------------------------------------------------------------------

    def memory(self, p: Principal) -> list[MemoryOut]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(CompanionMemory)
                .where(CompanionMemory.user_id == p.user_id)
                .order_by(CompanionMemory.created_at, CompanionMemory.id)
                .limit(MAX_MEMORY_ITEMS)
            ).all()
        cipher = p.cipher()
        return [
            MemoryOut(
                id=r.id,
                text=cipher.decrypt(MEMORY_TABLE, "text", r.id, r.text_ct),
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def add_memory(self, p: Principal, text: str) -> tuple[MemoryOut | None, Verdict | None]:
        """Something the person wants remembered, written on the Memory page: it passes the
        seam like any text they write, and is kept only when the seam lets the flow go on."""
        screened, text = self._screen_memory(p, text, exclude=None)
        if screened.verdict is not None and screened.verdict.stops_flow:
            return None, screened.verdict
        with self.db.transaction() as tx:
            item = self._remember(tx, p, text, screened=screened)
        return item, screened.verdict

    def edit_memory(
        self, p: Principal, item_id: str, text: str
    ) -> tuple[MemoryOut | None, Verdict | None]:
        screened, text = self._screen_memory(p, text, exclude=item_id)
        if screened.verdict is not None and screened.verdict.stops_flow:
            return None, screened.verdict
        with self.db.transaction() as tx:
            row = owned(tx, CompanionMemory, p.user_id, item_id, MISSING_ITEM)
            row.text_ct = screened.seal(p.cipher(), MEMORY_TABLE, row.id).parts["text"] or b""
            row.updated_at = self.clock.now()
            out = MemoryOut(
                id=row.id, text=text, created_at=row.created_at, updated_at=row.updated_at
            )
        return out, screened.verdict

    def delete_memory(self, p: Principal, item_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, CompanionMemory, p.user_id, item_id, MISSING_ITEM))

    def _screen_memory(self, p: Principal, text: str, *, exclude: str | None) -> tuple[Any, str]:
        text = " ".join(text.split())
        if not text:
            raise ValidationError("Write what you'd like remembered.")
        if len(text) > MAX_MEMORY_ITEM:
            raise ValidationError(f"A memory item is at most {MAX_MEMORY_ITEM} characters.")
        return self.seam.screen({"text": text}, surface=MEMORY.name, owner=p, exclude=exclude), text

    def _remember(self, tx: Any, p: Principal, text: str, *, screened: Any = None) -> MemoryOut:
        count = tx.scalar(
            select(func.count())
            .select_from(CompanionMemory)
            .where(CompanionMemory.user_id == p.user_id)
        )
        if count >= MAX_MEMORY_ITEMS:
            raise Conflict(
                f"The companion keeps at most {MAX_MEMORY_ITEMS} items; delete some first."
            )
        text = " ".join(text.split())[:MAX_MEMORY_ITEM]
        now = self.clock.now()
        row = CompanionMemory(id=new_id(), user_id=p.user_id, created_at=now, updated_at=now)
        if screened is not None:
            row.text_ct = screened.seal(p.cipher(), MEMORY_TABLE, row.id).parts["text"] or b""
        else:
            # From a turn the seam already read: the item is a part of that screened turn.
            row.text_ct = (
                seal_composed(p.cipher(), MEMORY_TABLE, row.id, {"text": text}).parts["text"] or b""
            )
        tx.add(row)
        return MemoryOut(id=row.id, text=text, created_at=now, updated_at=now)

    # -- storage helpers -------------------------------------------------------------------

    def _person_texts(self, cipher: FieldCipher, tx: Any, session_id: str, n: int) -> list[str]:
        rows = tx.scalars(
            select(CompanionTurn)
            .where(CompanionTurn.session_id == session_id, CompanionTurn.role == "person")
            .order_by(CompanionTurn.seq.desc())
            .limit(n)
        ).all()
        return [cipher.decrypt(TURNS, "text", r.id, r.text_ct) for r in reversed(rows)]

    def _add_turn_screened(
        self, tx: Any, p: Principal, row: CompanionSession, screened: Any
    ) -> str:
        turn = CompanionTurn(
            id=new_id(), session_id=row.id, user_id=p.user_id, seq=row.turns, role="person",
            at=self.clock.now(),
        )  # fmt: skip
        sealed = screened.seal(p.cipher(), TURNS, turn.id)
        turn.text_ct = sealed.parts["text"] or b""
        turn.analysis_ct = sealed.analysis
        tx.add(turn)
        row.turns += 1
        row.updated_at = turn.at
        return turn.id

    def _add_turn(
        self,
        tx: Any,
        p: Principal,
        row: CompanionSession,
        role: str,
        text: str,
        meta: dict[str, Any],
    ) -> TurnOut:
        turn = CompanionTurn(
            id=new_id(), session_id=row.id, user_id=p.user_id, seq=row.turns, role=role,
            at=self.clock.now(),
        )  # fmt: skip
        sealed = seal_composed(p.cipher(), TURNS, turn.id, {"text": text}, meta)
        turn.text_ct = sealed.parts["text"] or b""
        turn.analysis_ct = sealed.analysis
        tx.add(turn)
        row.turns += 1
        row.updated_at = turn.at
        return TurnOut(id=turn.id, role=role, text=text, at=turn.at, meta=meta)

    @staticmethod
    def _meta(reply: Reply, engine: str) -> dict[str, Any]:
        meta: dict[str, Any] = {"engine": engine, "expects": reply.expects}
        if reply.flow:
            meta |= {"flow": reply.flow, "step": reply.step}
        if reply.choices:
            meta["choices"] = [{"id": c.id, "label": c.label} for c in reply.choices]
        if reply.scale:
            meta["scale"] = list(reply.scale)
        if reply.offer:
            meta["offer"] = reply.offer
        if reply.finished is not None:
            meta["finished"] = {
                "flow": reply.finished.flow,
                "copy": reply.finished.copy,
                "actions": list(reply.finished.actions),
                "journal_title": reply.finished.journal_title,
                "summary": reply.finished.summary,
                "tag": reply.finished.tag,
            }
        return meta

    def _turn_out(self, cipher: FieldCipher, t: CompanionTurn) -> TurnOut:
        analysis = open_analysis(cipher, TURNS, t.id, t.analysis_ct) or {}
        meta = analysis if t.role == "companion" else {"action": analysis.get("action", "continue")}
        return TurnOut(
            id=t.id, role=t.role, text=cipher.decrypt(TURNS, "text", t.id, t.text_ct), at=t.at,
            meta=meta,
        )  # fmt: skip

    @staticmethod
    def _seal_state(cipher: FieldCipher, session_id: str, state: dict[str, Any]) -> bytes:
        text = json.dumps(state, ensure_ascii=False)
        return seal_composed(cipher, SESSIONS, session_id, {"state": text}).parts["state"] or b""

    @staticmethod
    def _open_state(cipher: FieldCipher, row: CompanionSession) -> dict[str, Any]:
        return dict(json.loads(cipher.decrypt(SESSIONS, "state", row.id, row.state_ct)))

    def finished_in(self, p: Principal, session_id: str, turn_id: str) -> dict[str, Any]:
        """The summary a finished flow left on one of the companion's turns (to save it)."""
        with self.db.transaction() as tx:
            row = owned(tx, CompanionTurn, p.user_id, turn_id, "no such message")
            if row.session_id != session_id or row.role != "companion":
                raise NotFound("no such message")
        meta = open_analysis(p.cipher(), TURNS, row.id, row.analysis_ct) or {}
        finished = meta.get("finished")
        if not finished:
            raise NotFound("that message finished no exercise")
        return dict(finished)


def texts_of(items: Sequence[MemoryOut]) -> list[str]:
    return [item.text for item in items]
