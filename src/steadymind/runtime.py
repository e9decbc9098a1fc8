"""The running application, and what a feature is.

A :class:`Runtime` holds what every feature shares (settings, database, clock, the text seam)
and the services the features provide, found by type: features never import one another. A
:class:`Feature` is a folder under ``steadymind/features/`` whose ``__init__`` declares one; the
interfaces (``steadymind.http``, ``steadymind.cli``) discover them and mount what they bring
(docs/architecture.md, "Adding a feature"). Nothing here names a feature.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, runtime_checkable

from steadymind.companion.prompts import Prompt
from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.screen import TextSeam, Verdict

if TYPE_CHECKING:
    import typer
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

T = TypeVar("T")


class Authenticator(Protocol):
    """Who is asking (provided by the accounts feature; the interfaces depend on this only)."""

    def authenticate_session(self, cookie: str) -> Principal: ...

    def authenticate_token(self, token: str) -> Principal: ...

    def unlock(self, username: str, password: str, *, client: str) -> Principal:
        """A short session for one command (the CLI); end it with ``log_out``."""
        ...

    def log_out(self, principal: Principal) -> None: ...


class PersonalData(Protocol):
    """What one feature keeps about a person: exported in full, erased in full.

    Export and account deletion walk every registered one, so a feature that stores something
    cannot forget either; a test checks that every table with a ``user_id`` is declared here.
    """

    # Every table the feature keeps a person's data in, with the columns a job that holds no
    # key may read: everything else is ciphertext (``*_ct``) or key material. It is the
    # plaintext list of docs/security.md; a test keeps the two in step.
    keyless: dict[str, tuple[str, ...]]

    def export(self, owner: Principal) -> dict[str, Any]:
        """Sections of the JSON export (decrypted, JSON-ready)."""
        ...

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        """Files for the CSV archive, from this feature's sections of the export."""
        ...

    def erase(self, tx: Session, user_id: str) -> None: ...


# -- what features offer one another, by capability (never by name) -------------------------


@runtime_checkable
class EntryWriter(Protocol):
    """Writes a journal entry for the person: it passes the seam like any entry, and the
    verdict comes back (the journal provides it; the companion saves a finished exercise)."""

    def write_entry(
        self, owner: Principal, title: str, body: str, tags: list[str]
    ) -> tuple[str, Verdict | None]: ...


@runtime_checkable
class PlanSource(Protocol):
    """What the person planned with the companion and has not looked back on yet (activities,
    worry times): check-in tags to offer, and moments a journal prompt may name."""

    def planned(self, owner: Principal) -> list[dict[str, Any]]: ...


@runtime_checkable
class MoodSource(Protocol):
    """The person's recent check-ins as (when, mood -5..+5), newest last: numbers only, read
    without decrypting anything (check-ins provide it; the journal's prompts use it)."""

    def recent_moods(self, owner: Principal, since: datetime) -> list[tuple[datetime, int]]: ...


@runtime_checkable
class JournalPrompter(Protocol):
    """A prompt for an empty journal page, chosen from what the person did lately (the
    companion provides it); None when there is nothing to offer."""

    def journal_prompt(self, owner: Principal) -> Prompt | None: ...


@dataclass(frozen=True)
class DailyValue:
    """One factor's value for one of the person's days (their own calendar day, in their zone).

    ``factor`` is a stable key ("tag:walk", "practice:box-breathing", "sleep.hours"), ``label``
    how a card names it in plain words ("walk", "box breathing", "hours of sleep"), ``kind``
    whether the value is the presence of something that day (1.0; a day without a value is a day
    without it) or an amount (a day without a value is unknown, not zero).
    """

    day: date
    factor: str
    value: float
    label: str
    kind: Literal["presence", "amount"] = "presence"


@runtime_checkable
class FactorSource(Protocol):
    """What a feature knows about the person's days, for the insights' patterns: check-in tags
    and energy, practices and their ratings, finished companion flows, sleep and activity from a
    wearable. Several features provide one each (``Runtime.add_factor_source``); the insights
    read them all and never name a feature. Numbers and names only: never a note's words."""

    def daily_values(self, owner: Principal, start: date, end: date) -> list[DailyValue]: ...


@dataclass(frozen=True)
class ImportedCheckIn:
    """One check-in brought from another app's export (a Daylio CSV, a mapped CSV).

    ``key`` names its source row (a digest of the row's fields, never stored as is: the
    check-ins keep a keyed hash of it), so importing the same file twice adds nothing; ``line``
    is the row's line in the file, for a message about it. ``at`` is aware (the person's zone).
    """

    key: str
    line: int
    at: datetime
    tz: str
    mood: int
    tags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: rows added, rows already there, and the verdict on the notes (the
    most serious one, with the check-in it was about) to show as after any write."""

    added: int
    skipped: int
    verdict: Verdict | None = None
    ref: str | None = None


@runtime_checkable
class CheckInImporter(Protocol):
    """Stores imported check-ins all at once or not at all: every note passes the text seam
    and is sealed, a row already imported is skipped, and a row that cannot be stored is a
    ``ValidationError`` naming its line (check-ins provide it; the insights' importers use it)."""

    def import_checkins(
        self, owner: Principal, items: Iterable[ImportedCheckIn]
    ) -> ImportOutcome: ...


@dataclass(frozen=True)
class Activity:
    """Something the person could do now that a feature offers: a companion flow, a practice.

    ``key`` is stable across releases ("flow:grounding", "practice:box-breathing": the
    recommender learns under it), ``label`` names it in plain words, ``kind`` says what it is
    ("flow", "practice"), ``link`` is the page that starts it.
    """

    key: str
    label: str
    kind: str
    link: str


@runtime_checkable
class SuggestionSource(Protocol):
    """What a feature can offer the person to do, for the coach's recommendations. Several
    features provide one each (``Runtime.add_suggestion_source``); the coach reads them all and
    never names a feature. A source offers only what the person may use now (the companion's
    flows only to someone whose AI setting is "companion")."""

    def activities(self, owner: Principal) -> list[Activity]: ...


# -- reviewed words in other words: the optional language model, for other features ---------


@dataclass(frozen=True)
class Reworded:
    """A reviewed line in the language model's words (``text``), or None with why (``reason``,
    from a fixed list: ``not-chosen``, ``timeout-first-token``, ``filter:<rule>``, ``check``,
    ...; never text, so it may be recorded)."""

    text: str | None
    reason: str | None = None


@runtime_checkable
class Rephraser(Protocol):
    """Rewords one of the project's reviewed lines (a practice's spoken step) with the server's
    optional language model, for a person who chose generated words (the companion provides it:
    its ``llm_replies`` preference, under the AI setting "companion"). Only the line is sent,
    never anything the person wrote. A reworded line has passed the model's output filter and
    the text seam's check of generated words; the caller still checks that it says the same
    thing, and keeps its own words otherwise."""

    def rewording(self, owner: Principal) -> str | None:
        """Which rewording this person gets (the model and prompt version, stable between
        calls: it names a cached rendering), or None: they get the reviewed words as written."""
        ...

    def rephrase(self, owner: Principal, text: str, *, timeout: float) -> Reworded: ...


# -- telling someone: a supporter's notice, a reminder another feature asks for (issue 15) ----


@dataclass(frozen=True)
class Notice:
    """A fixed, reviewed message the person asked steadymind to send to someone they named (a
    supporter): never their notes, journal or scores. ``key`` makes it happen once (a warning
    rule's day: "warning:<rule>:<day>", so at most once a day per rule); ``to`` lists where it
    goes as (kind, address), kind one of "email", "ntfy", "webhook"."""

    key: str
    title: str
    body: str
    to: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NoticeResult:
    kind: str
    sent: bool
    error: str | None = None  # an exception's type, never its text


@runtime_checkable
class Notifier(Protocol):
    """Delivers notices through the channels of whichever feature offers them (the coach): on
    its job queue, so a notice survives a restart and goes out once per key."""

    def notify(self, owner: Principal, notice: Notice) -> int:
        """Queue the notice; how many messages were queued (0 when its key was seen before)."""
        ...

    def send_now(self, owner: Principal, notice: Notice) -> list[NoticeResult]:
        """Send at once and say how each address fared ("send a test to my supporter")."""
        ...


@dataclass(frozen=True)
class DueReminder:
    """Something the person scheduled fell due on ``day`` (a questionnaire): ``about`` names one
    of its source's ``messages``; it is sent once per (person, about, day)."""

    user_id: str
    about: str
    day: date


@runtime_checkable
class ReminderSource(Protocol):
    """What a feature asks the person to be reminded of, read by a job that holds no key
    (plaintext columns only). ``messages`` holds every word it may send, reviewed: about ->
    (title, body), about at most 16 characters. The insights provide it (questionnaires the
    person scheduled); the coach, when present, sends them on the person's channels."""

    messages: dict[str, tuple[str, str]]

    def due_reminders(self, now: datetime) -> list[DueReminder]: ...


# -- issue 16 (i16b): the app lock, the check-in a suggestion reads, what came of a suggestion --


@runtime_checkable
class AppLockGate(Protocol):
    """Whether this browser session must unlock the app (a PIN or the device's passkey) before
    any personal page; the app feature provides it, the web layer asks on every page. Answers
    False when the person has no lock, and for API tokens (docs/coach.md, "The app lock")."""

    def locked(self, principal: Principal) -> bool: ...


@runtime_checkable
class PasswordCheck(Protocol):
    """The person's account password again (the accounts feature; throttled like a login).
    Raises ``AuthenticationError`` with ``wrong`` when it is not right."""

    def confirm_password(self, principal: Principal, password: str, wrong: str) -> object: ...


@dataclass(frozen=True)
class LatestCheckIn:
    """The numbers of the person's last check-in: mood -5..+5, energy as stored, the feeling
    words they picked (plaintext columns; nothing is decrypted)."""

    at: datetime
    mood: int
    energy: int | None
    emotions: tuple[str, ...] = ()


@runtime_checkable
class CheckInContext(Protocol):
    """The last check-in since ``since`` (check-ins provide it; the coach's suggestions read
    its mood, energy and feelings as context), or None."""

    def latest_checkin(self, owner: Principal, since: datetime) -> LatestCheckIn | None: ...


@dataclass(frozen=True)
class Outcome:
    """Something the person did and how it went: ``key`` as in :class:`Activity`
    ("practice:box-breathing"), when it started, the calm ratings before and after (0..10, None
    when not given) and whether it was finished."""

    key: str
    at: datetime
    before: int | None
    after: int | None
    completed: bool


@runtime_checkable
class OutcomeSource(Protocol):
    """What the person did since ``since`` and how it went (the practice feature provides one;
    the coach turns the outcome of a suggested activity into the recommender's reward)."""

    def outcomes(self, owner: Principal, since: datetime) -> list[Outcome]: ...


# -- end of issue 16 (i16b) -------------------------------------------------------------------


class CommandGroup(Protocol):
    """The Typer group at a path ("", "safety", "safety plan"), made on first use."""

    def __call__(self, path: str, help: str = "") -> typer.Typer: ...


@dataclass(frozen=True)
class Feature:
    """One capability, registered by adding its folder.

    Its interface parts are found by name in its package and loaded only when an interface asks
    for them (the CLI does not import web pages, the web app no Typer commands): ``api.py`` and
    ``web.py`` each with a ``router``, ``cli.py`` with ``register(group)``, and a ``templates``
    folder for its pages.
    """

    name: str
    setup: Callable[[Runtime], None]
    requires: tuple[str, ...] = ()
    # Routes anyone may call without logging in (method, path); every other route demands it.
    public_routes: frozenset[tuple[str, str]] = frozenset()
    # Routes that take a file (method, path): their body may be up to
    # ``Settings.max_upload_bytes`` instead of ``max_body_bytes``; they must stream it to disk.
    upload_routes: frozenset[tuple[str, str]] = frozenset()
    package: str = ""  # set by discovery

    def _part(self, name: str) -> ModuleType | None:
        module = f"{self.package}.{name}"
        return importlib.import_module(module) if importlib.util.find_spec(module) else None

    def api_router(self) -> APIRouter | None:
        part = self._part("api")
        return None if part is None else part.router

    def web_router(self) -> APIRouter | None:
        part = self._part("web")
        return None if part is None else part.router

    def add_commands(self, group: CommandGroup) -> None:
        part = self._part("cli")
        if part is not None:
            part.register(group)

    @property
    def templates(self) -> Path | None:
        spec = importlib.util.find_spec(self.package)
        origin = Path(spec.origin) if spec and spec.origin else None
        folder = origin.parent / "templates" if origin else None
        return folder if folder is not None and folder.is_dir() else None


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock
    seam: TextSeam
    features: tuple[Feature, ...] = ()
    personal_data: list[PersonalData] = field(default_factory=list)
    factor_sources: list[FactorSource] = field(default_factory=list)
    suggestion_sources: list[SuggestionSource] = field(default_factory=list)
    # Work that runs beside the web app in `steadymind serve` (a feature's job workers): each
    # starts its threads and returns how to stop them.
    background: list[Callable[[], Callable[[], None]]] = field(default_factory=list)
    _services: dict[type, object] = field(default_factory=dict)
    _auth: Authenticator | None = None

    def provide(self, service: T, kind: type[T] | None = None) -> T:
        """Offer a service to the other features and interfaces, found by its type."""
        self._services[kind or type(service)] = service
        return service

    def find(self, kind: Any) -> Any:
        """The service of ``kind`` if a feature provides it (a plug-in may be absent), else
        None. ``kind`` may be a capability Protocol (``EntryWriter``), which mypy will not take
        as ``type[T]``; callers annotate what they get."""
        found = self._services.get(kind)
        return found if found is not None and isinstance(found, kind) else None

    def get(self, kind: type[T]) -> T:
        try:
            found = self._services[kind]
        except KeyError:
            raise LookupError(f"no feature provides {kind.__name__}") from None
        assert isinstance(found, kind)
        return found

    @property
    def auth(self) -> Authenticator:
        if self._auth is None:
            raise LookupError("no feature provides authentication")
        return self._auth

    def set_authenticator(self, auth: Authenticator) -> None:
        self._auth = auth

    def add_personal_data(self, data: PersonalData) -> None:
        self.personal_data.append(data)

    def add_factor_source(self, source: FactorSource) -> None:
        """Offer per-day factors to the insights (any number of features may)."""
        self.factor_sources.append(source)

    def add_suggestion_source(self, source: SuggestionSource) -> None:
        """Offer activities to the coach's recommendations (any number of features may)."""
        self.suggestion_sources.append(source)

    def add_background(self, start: Callable[[], Callable[[], None]]) -> None:
        """Run ``start()`` when the server starts; call what it returns when it stops."""
        self.background.append(start)

    def public_routes(self) -> frozenset[tuple[str, str]]:
        return frozenset(route for f in self.features for route in f.public_routes)

    def upload_routes(self) -> frozenset[tuple[str, str]]:
        return frozenset(route for f in self.features for route in f.upload_routes)

    def template_dirs(self) -> Iterator[Path]:
        for feature in self.features:
            if feature.templates is not None:
                yield feature.templates
