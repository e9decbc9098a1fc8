"""Everything a person has, decrypted for its owner, as JSON or as a ZIP of CSV files."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from steadymind.accounts.service import AccountService
from steadymind.crypto.principal import Principal
from steadymind.storage.plans import SafetyPlanStore
from steadymind.tracking.service import TrackingService

EXPORT_FORMAT = "steadymind-export"
EXPORT_VERSION = 1
PAGE = 1000


def _all(fetch: Any) -> list[Any]:
    items: list[Any] = []
    while True:
        page = fetch(offset=len(items))
        items.extend(page)
        if len(page) < PAGE:
            return items


class Exporter:
    def __init__(
        self, accounts: AccountService, tracking: TrackingService, plans: SafetyPlanStore
    ) -> None:
        self.accounts = accounts
        self.tracking = tracking
        self.plans = plans

    def collect(self, p: Principal) -> dict[str, Any]:
        user = self.accounts.get_user(p)
        checkins = _all(lambda offset: self.tracking.list_checkins(p, limit=PAGE, offset=offset))
        entries = _all(lambda offset: self.tracking.list_entries(p, limit=PAGE, offset=offset))
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.accounts.clock.now().isoformat(),
            "account": {
                "username": user.username,
                "country": user.country,
                "timezone": user.timezone,
                "created_at": user.created_at.isoformat(),
            },
            "checkins": [c.model_dump(mode="json") for c in checkins],
            "journal": [e.model_dump(mode="json") for e in entries],
            "safety_plan": _plan(self.plans, p),
            "sessions": [
                {"id": s.id, "created_at": s.created_at.isoformat()}
                for s in self.accounts.list_sessions(p)
            ],
            "api_tokens": [
                {"id": t.id, "name": t.name, "created_at": t.created_at.isoformat()}
                for t in self.accounts.list_tokens(p)
            ],
        }

    def to_json(self, p: Principal) -> bytes:
        return json.dumps(self.collect(p), ensure_ascii=False, indent=2).encode("utf-8")

    def to_csv_zip(self, p: Principal) -> bytes:
        data = self.collect(p)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("checkins.csv", _csv(data["checkins"]))
            archive.writestr("journal.csv", _csv(data["journal"]))
            archive.writestr("account.csv", _csv([data["account"]]))
            if data["safety_plan"]:
                archive.writestr(
                    "safety_plan.json",
                    json.dumps(data["safety_plan"], ensure_ascii=False, indent=2),
                )
        return buffer.getvalue()


def _plan(plans: SafetyPlanStore, p: Principal) -> dict[str, Any] | None:
    plan = plans.load(p)
    return None if plan is None else plan.model_dump(mode="json")


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = "" if value is None else str(value)
    # Neutralise spreadsheet formula injection: a note starting with "=" stays text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()
