"""The importer the resume test kills (tests/features/wearables/test_resume.py).

    python tests/features/wearables/import_child.py FILE PARTS [save]

Runs ``steadymind import apple-health FILE`` (the user, the data directory and the password come
from the environment, as for the CLI) with small blocks and parts, and kills itself with
SIGKILL, the signal nothing can catch: right after its PARTS-th part is committed, or with
``save``, in the middle of the final save's transaction, after its rows were added but before
it commits. A test-only hook, here and not in the package.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from steadymind.features.wearables import resume, service
from steadymind.features.wearables.importers import apple_health

BLOCK = 64 * 1024
PART_BYTES = 256 * 1024


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    path, parts = sys.argv[1], int(sys.argv[2])
    during_save = len(sys.argv) > 3 and sys.argv[3] == "save"
    apple_health.BLOCK, resume.PART_BYTES = BLOCK, PART_BYTES
    commit, merge = resume.Parts.commit, service.WearableService._merge_all
    seen = [0]

    def commit_then_die(self: Any, *args: Any, **kwargs: Any) -> None:
        commit(self, *args, **kwargs)
        seen[0] += 1
        if seen[0] >= parts and not during_save:
            _die()

    def merge_then_die(self: Any, tx: Any, *args: Any, **kwargs: Any) -> int:
        added = merge(self, tx, *args, **kwargs)
        tx.flush()  # the rows are written into the open transaction ...
        _die()  # ... which never commits
        return added

    resume.Parts.commit = commit_then_die  # type: ignore[method-assign]
    if during_save:
        service.WearableService._merge_all = merge_then_die  # type: ignore[method-assign]
    from steadymind.cli.main import app

    app(["import", "apple-health", path, "--json"])


if __name__ == "__main__":
    main()
