"""Reading an Apple Health export in parts, from where an earlier import stopped (resume.py).
The kill -9 test itself is tests/cli/test_wearables_resume.py."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from steadymind.features.wearables import resume
from steadymind.features.wearables.importers import Resume, importer, no_progress
from steadymind.features.wearables.importers import apple_health as ah
from steadymind.features.wearables.samples import Samples
from tests.features.wearables import import_child
from tests.features.wearables.synth import apple_export

CHILD = Path(import_child.__file__)
AH = importer("apple-health")


def _small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ah, "BLOCK", import_child.BLOCK)
    monkeypatch.setattr(resume, "PART_BYTES", import_child.PART_BYTES)


# -- the importer's parts --------------------------------------------------------------------


def _joined(parts: list[Any]) -> Samples:
    whole = Samples()
    for part in parts:
        whole.absorb(part.samples)
    return whole


@pytest.mark.parametrize("packed", [False, True], ids=["xml", "zip"])
def test_reading_from_a_parts_offset_gives_exactly_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packed: bool
) -> None:
    monkeypatch.setattr(ah, "BLOCK", 50_000)
    path = apple_export(tmp_path / "export.xml", days=4)
    if packed:
        with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(path, "apple_health_export/export.xml")
        path = tmp_path / "export.zip"
    parts = list(AH.read_parts(path, no_progress))
    assert len(parts) > 5
    at = parts[2]
    rest = list(AH.read_parts(path, no_progress, Resume(at.offset, at.line)))
    expected, got = _sorted(_joined(parts[3:])), _sorted(_joined(rest))
    assert len(got) == len(expected) > 0
    for name in ("metric", "start", "end", "value", "offset"):
        assert (getattr(got, name) == getattr(expected, name)).all(), name


def _sorted(samples: Samples) -> Any:
    """The samples in one order (blocks differ after a resume, and with them where a block's
    beat readings are added; nothing rests on the order, as the save sorts)."""
    c = samples.columns()
    return c.take(np.lexsort((c.value, c.end, c.start, c.metric)))


def test_a_part_survives_its_encoding(tmp_path: Path) -> None:
    samples = AH.read(apple_export(tmp_path / "export.xml", days=1), no_progress)
    samples.problem("line 3", "a record with a date that cannot be read was skipped")
    before = samples.columns()
    sources, problems = list(samples.sources), list(samples.problems)
    back = resume.decode(resume.encode(samples))
    assert back.sources == sources and back.problems == problems and back.skipped == 1
    for name in ("metric", "start", "end", "value", "offset", "source"):
        assert (getattr(back.columns(), name) == getattr(before, name)).all()


def test_an_unfinished_imports_parts_are_in_the_export_and_go_with_the_account(
    runtime: Any, alice: Any, bob: Any, tmp_path: Path
) -> None:
    from steadymind.features.wearables.personal import WearableData
    from steadymind.features.wearables.service import WearableService
    from steadymind.features.wearables.tables import ImportPart

    service = runtime.get(WearableService)
    samples = AH.read(apple_export(tmp_path / "export.xml", days=1), no_progress)
    n = len(samples)
    for person in (alice, bob):
        run_id = service.start(person.principal, "apple-health", 1000)
        service.parts.commit(
            person.principal, run_id, 1, resume.decode(resume.encode(samples)), Resume(500, 9)
        )
    (data,) = [d for d in runtime.personal_data if isinstance(d, WearableData)]
    (part,) = data.export(alice.principal)["wearable_import_parts"]
    assert part["read_up_to_byte"] == 500 and len(part["samples"]) == n
    with service.db.transaction() as tx:
        data.erase(tx, alice.principal.user_id)
    with service.db.transaction() as tx:
        owners = tx.scalars(select(ImportPart.user_id)).all()
    assert owners == [bob.principal.user_id]
