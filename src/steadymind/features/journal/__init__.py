"""The journal: encrypted Markdown entries with titles and tags, searchable by their owner."""

from __future__ import annotations

from steadymind.features.journal.personal import JournalData
from steadymind.features.journal.service import ENTRY, JournalService
from steadymind.runtime import EntryWriter, Feature, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(JournalService(runtime.db, runtime.clock, runtime.seam))
    runtime.provide(service, EntryWriter)
    runtime.seam.register_surface(ENTRY)
    runtime.seam.register_answers(ENTRY.name, service.record_answer)
    runtime.seam.register_context(service.recent_entries)
    runtime.add_personal_data(JournalData(service))


FEATURE = Feature(name="journal", setup=setup, requires=("accounts",))
