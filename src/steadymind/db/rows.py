"""Reading a person's own rows: someone else's row is indistinguishable from a missing one, and
a damaged row does not hide the rest of a list."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from steadymind.core.errors import DecryptionError, NotFound

log = logging.getLogger(__name__)


class OwnedRow(Protocol):
    id: str
    user_id: str


Row = TypeVar("Row", bound=OwnedRow)
Out = TypeVar("Out")


def owned(tx: Session, table: type[Row], user_id: str, row_id: str, missing: str) -> Row:
    """The row ``row_id`` of ``table`` if it belongs to ``user_id``; else 404 (never 403)."""
    row = tx.get(table, row_id[:64])
    if row is None or row.user_id != user_id:
        raise NotFound(missing)
    return row


def view_of(view: Callable[[Row, bool], Out], row: Row, *, tolerant: bool = False) -> Out:
    """``view(row, readable=True)``; in a list or an export (``tolerant``) a row whose text fails
    to decrypt is shown as unreadable instead of failing the whole page. Its id is logged: ids
    are not sensitive."""
    try:
        return view(row, True)
    except DecryptionError:
        if not tolerant:
            raise
        log.warning("row %s failed to decrypt; listed as unreadable", row.id)
        return view(row, False)
