"""Wires the services together once; API, web and CLI all take a ``Services``."""

from __future__ import annotations

from dataclasses import dataclass

from steadymind.accounts.service import AccountService
from steadymind.core.clock import Clock, SystemClock
from steadymind.core.config import Settings
from steadymind.db.engine import Database, make_engine
from steadymind.gate import SafetyGate, TextGate
from steadymind.storage.plans import SafetyPlanStore
from steadymind.tracking.export import Exporter
from steadymind.tracking.service import TrackingService


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    gate: TextGate
    accounts: AccountService
    tracking: TrackingService
    plans: SafetyPlanStore
    exporter: Exporter

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        db: Database | None = None,
        clock: Clock | None = None,
        gate: TextGate | None = None,
    ) -> Services:
        db = db or Database(make_engine(settings.resolved_database_url))
        clock = clock or SystemClock()
        gate = gate or SafetyGate()
        accounts = AccountService(db, settings, clock)
        tracking = TrackingService(db, clock, gate)
        plans = SafetyPlanStore(db, clock)
        return cls(
            settings=settings,
            db=db,
            clock=clock,
            gate=gate,
            accounts=accounts,
            tracking=tracking,
            plans=plans,
            exporter=Exporter(accounts, tracking, plans),
        )
