"""The supporter the person names, and telling them when a marked warning rule fires.

The supporter's name and the person's own name (as the supporter knows them) are text a person
writes: they pass the text seam (surface ``supporter``) and are sealed with the addresses. A
notice is composed here, while the person is using the app (with their key), from the fixed
words in ``warnings.py`` and handed to whichever feature offers ``runtime.Notifier`` (the
coach's channels); with none, telling a supporter is unavailable and the page says so. The same
rule tells the supporter at most once a day: the notice's key is the rule and the day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import delete, select

from steadymind.core.errors import ConfigError, NotFound, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.features.insights.tables import Supporter
from steadymind.features.insights.warnings import SUPPORTER_TITLE, supporter_body, supporter_test
from steadymind.runtime import Notice, NoticeResult, Notifier, Runtime
from steadymind.screen import Surface, Verdict, join_parts

UNAVAILABLE = (
    "Telling a supporter needs the delivery channels (the coach), which are not installed on "
    "this server, so delivery is unavailable. Your rules still show here."
)
MISSING = "You have not named a supporter."
TABLE = Supporter.__tablename__
PARTS = ("name", "signed_as", "email", "ntfy", "webhook")


def _names(parts: Mapping[str, str | None]) -> str:
    """The gate reads the two names; the addresses are not prose."""
    return join_parts({"name": parts.get("name"), "signed_as": parts.get("signed_as")})


SUPPORTER = Surface("supporter", context="none", reader=_names, suggests=False)


@dataclass(frozen=True)
class SupporterView:
    name: str
    signed_as: str
    email: str
    ntfy: str | None
    webhook: str | None

    def to(self) -> tuple[tuple[str, str], ...]:
        found = (("email", self.email), ("ntfy", self.ntfy), ("webhook", self.webhook))
        return tuple((kind, where) for kind, where in found if where)


def _url(value: str | None, what: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 500:
        raise ValidationError(f"Give the {what} address in full, starting with https://.")
    return value


def _short(value: str, what: str, most: int) -> str:
    value = " ".join(value.split())  # one line: it goes into a message's first sentence
    if not value or len(value) > most:
        raise ValidationError(f"Please give {what} (up to {most} characters).")
    return value


class SupporterService:
    def __init__(self, runtime: Runtime, today: Callable[[Principal], date]) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.today = today

    @property
    def notifier(self) -> Notifier | None:
        found: Notifier | None = self.runtime.find(Notifier)
        return found

    def available(self) -> bool:
        return self.notifier is not None

    def get(self, owner: Principal) -> SupporterView | None:
        with self.db.transaction() as tx:
            row = tx.scalar(select(Supporter).where(Supporter.user_id == owner.user_id))
        if row is None:
            return None
        cipher = owner.cipher()

        def opened(part: str, blob: bytes | None) -> str | None:
            return cipher.decrypt_optional(TABLE, part, row.id, blob)

        return SupporterView(
            name=opened("name", row.name_ct) or "",
            signed_as=opened("signed_as", row.signed_as_ct) or "",
            email=opened("email", row.email_ct) or "",
            ntfy=opened("ntfy", row.ntfy_ct),
            webhook=opened("webhook", row.webhook_ct),
        )

    def set(
        self,
        owner: Principal,
        *,
        name: str,
        signed_as: str,
        email: str,
        ntfy: str | None = None,
        webhook: str | None = None,
    ) -> Verdict | None:
        """Name (or rename) the supporter: the names pass the seam, everything is sealed."""
        email = email.strip()
        if "@" not in email or " " in email or len(email) > 254:
            raise ValidationError("That does not look like an email address.")
        parts = {
            "name": _short(name, "your supporter's name", 60),
            "signed_as": _short(signed_as, "your name as they know you", 40),
            "email": email,
            "ntfy": _url(ntfy, "ntfy"),
            "webhook": _url(webhook, "webhook"),
        }
        screened = self.runtime.seam.screen(parts, surface=SUPPORTER.name, owner=owner)
        row_id = new_id()
        sealed = screened.seal(owner.cipher(), TABLE, row_id)
        row = Supporter(
            id=row_id,
            user_id=owner.user_id,
            name_ct=sealed.parts["name"],
            signed_as_ct=sealed.parts["signed_as"],
            email_ct=sealed.parts["email"],
            ntfy_ct=sealed.parts["ntfy"],
            webhook_ct=sealed.parts["webhook"],
            analysis_ct=sealed.analysis,
            created_at=self.runtime.clock.now(),
        )
        with self.db.transaction() as tx:
            tx.execute(delete(Supporter).where(Supporter.user_id == owner.user_id))
            tx.add(row)
        return screened.verdict

    def remove(self, owner: Principal) -> None:
        with self.db.transaction() as tx:
            gone = tx.execute(delete(Supporter).where(Supporter.user_id == owner.user_id))
        if not gone.rowcount:  # type: ignore[attr-defined]
            raise NotFound(MISSING)

    def preview(self, owner: Principal) -> tuple[str, str] | None:
        """Exactly what the supporter would receive: (title, body)."""
        found = self.get(owner)
        return None if found is None else (SUPPORTER_TITLE, supporter_body(found.signed_as, ""))

    def tell(self, owner: Principal, fired: list[tuple[str, str]]) -> int:
        """Tell the supporter about each (rule id, kind) that fired and was marked for it: once
        a day per rule. Nothing happens without a supporter or a way to deliver."""
        notifier, found = self.notifier, None
        if notifier is None or not fired or (found := self.get(owner)) is None:
            return 0
        today = self.today(owner).isoformat()
        return sum(
            notifier.notify(
                owner,
                Notice(
                    key=f"warning:{rule_id}:{today}",
                    title=SUPPORTER_TITLE,
                    body=supporter_body(found.signed_as, kind),
                    to=found.to(),
                ),
            )
            for rule_id, kind in fired
        )

    def test(self, owner: Principal) -> list[NoticeResult]:
        notifier = self.notifier
        if notifier is None:
            raise ConfigError(UNAVAILABLE)
        found = self.get(owner)
        if found is None:
            raise NotFound(MISSING)
        notice = Notice(
            key="test", title=SUPPORTER_TITLE, body=supporter_test(found.signed_as), to=found.to()
        )
        return notifier.send_now(owner, notice)
