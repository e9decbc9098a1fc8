"""An uploaded file on its way to an importer: streamed to a private folder, never into memory,
and deleted when the import ends. The import runs in a thread of the process that received the
upload, holding the person's key only for its life (docs/architecture.md, "Keys beyond the
request", rule 2); its progress is in the import's row, which the page reads."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from steadymind.core.files import PRIVATE_FILE, private_dir
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.features.wearables.service import WearableService

log = logging.getLogger(__name__)


def upload_dir(data_dir: Path) -> Path:
    return private_dir(data_dir / "uploads", what="The uploads folder")


async def save_stream(chunks: AsyncIterator[bytes], folder: Path, suffix: str) -> Path:
    path = folder / f"{new_id()}{suffix}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as out:
        async for chunk in chunks:
            out.write(chunk)
    return path


def run_and_delete(
    service: WearableService, p: Principal, importer: str, path: Path, run_id: str
) -> None:
    try:
        service.run(p, importer, path, run_id=run_id)
    except Exception as exc:  # the run is marked failed; only the type is logged
        log.info("wearable import %s failed: %s", run_id, type(exc).__name__)
    finally:
        path.unlink(missing_ok=True)


def start_in_background(service: WearableService, p: Principal, importer: str, path: Path) -> str:
    run_id = service.start(p, importer, path.stat().st_size)
    thread = threading.Thread(
        target=run_and_delete, args=(service, p, importer, path, run_id), daemon=True
    )
    thread.start()
    return run_id
