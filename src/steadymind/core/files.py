"""Where personal data lives on disk: private folders (0700) and files (0600), and one clear error
when a folder cannot be made or written.

The SQLite database holds password hashes and wrapped keys; with the usual umask (022) it and
its folder came out 0644/0755, readable by every local user. Permission bits are the operating
system's only guard between people sharing a machine, so everything steadymind creates for a
person is readable by the server's own user alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from steadymind.core.errors import ConfigError

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_OTHERS = stat.S_IRWXG | stat.S_IRWXO
WHERE_HINT = "set STEADYMIND_DATA_DIR to a folder this user can write to"


def private_dir(path: Path, *, what: str = "The data directory", tighten: bool = True) -> Path:
    """Make ``path`` (and its parents) if missing, 0700; with ``tighten``, take group and other
    access away from an existing one (a folder of ours from before this rule). Raises one
    ConfigError when it cannot be made or is not writable."""
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError(f"{what} {path} is a file, not a folder; {WHERE_HINT}.") from None
    except OSError as exc:
        raise ConfigError(
            f"{what} {path} cannot be created ({_reason(exc)}); {WHERE_HINT}."
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{what} {path} is read-only; {WHERE_HINT}.")
    if tighten:
        _drop_others(path)
    return path


def private_file(path: Path) -> None:
    """Create ``path`` empty with 0600 if it does not exist; make an existing one 0600."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _drop_others(path)
    except OSError as exc:
        raise ConfigError(f"{path} cannot be created ({_reason(exc)}).") from None


def tighten_if_present(path: Path) -> None:
    """Make an existing file 0600 (missing: nothing to do)."""
    with contextlib.suppress(FileNotFoundError):
        _drop_others(path)


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _drop_others(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & _OTHERS:
        # Not ours to change (another owner): leave it; the owner chose.
        with contextlib.suppress(PermissionError):
            path.chmod(stat.S_IMODE(mode) & ~_OTHERS)
