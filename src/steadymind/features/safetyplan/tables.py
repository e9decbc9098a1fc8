"""The safety plan table: one encrypted plan per person (its shape is steadymind.safety.plan)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime


class SafetyPlanRow(Base):
    __tablename__ = "safety_plans"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    plan_ct: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
