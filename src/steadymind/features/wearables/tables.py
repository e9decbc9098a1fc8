"""The wearables tables.

- ``wearable_samples``: the raw measurements of one metric on one day, as one encrypted blob
  (``samples_ct``: times, values, offsets and the names of the devices, which often carry the
  person's name). One row per (person, day, metric) keeps a year of a watch to a few thousand
  rows, and makes merging a new export into what is stored a per-day operation. Kept only when
  the person chooses to keep samples (``wearable_prefs.keep_samples``).
- ``wearable_days``: one number per (person, day, factor): hours of sleep, steps, resting heart
  rate, HRV. Plaintext, like a check-in's mood, so that the insights and early-warning jobs can
  read them without anyone's key (docs/architecture.md, "Keys beyond the request").
- ``wearable_imports``: one row per import, with its progress and counts (plaintext, so that the
  page can show progress); what was wrong in the file is sealed in ``report_ct``.
- ``wearable_prefs``: the person's choice: keep encrypted samples, or only daily numbers.
- ``wearable_import_parts``: what an import has read so far, committed a part at a time (the
  samples sealed, as ``wearable_samples``), with the byte offset in the file it has read up to,
  so that an import killed halfway continues from there when the same file (by its sha256,
  ``wearable_imports.file_sha256``) is imported again. Deleted in the transaction that saves
  the import; a person's own, like the rest.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class SampleDay(Base):
    __tablename__ = "wearable_samples"
    __table_args__ = (UniqueConstraint("user_id", "day", "metric"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    metric: Mapped[int] = mapped_column(SmallInteger)
    count: Mapped[int] = mapped_column(Integer)
    samples_ct: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DayValue(Base):
    __tablename__ = "wearable_days"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    factor: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)  # how many samples made the value
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ImportRun(Base):
    __tablename__ = "wearable_imports"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    importer: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # reading, saving, done, failed
    bytes_total: Mapped[int] = mapped_column(BigInteger)
    bytes_done: Mapped[int] = mapped_column(BigInteger)
    samples_read: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    days: Mapped[int] = mapped_column(Integer, default=0)
    report_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    resumed_from: Mapped[int] = mapped_column(BigInteger, default=0)  # bytes not read again
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WearablePrefs(Base):
    __tablename__ = "wearable_prefs"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    keep_samples: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ImportPart(Base):
    __tablename__ = "wearable_import_parts"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    run_id: Mapped[str] = mapped_column(ForeignKey("wearable_imports.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(BigInteger)  # bytes of the file read when committed
    line: Mapped[int] = mapped_column(Integer)  # the line at that offset (for problems' lines)
    count: Mapped[int] = mapped_column(Integer)
    samples_ct: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
