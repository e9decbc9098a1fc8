"""The shape of the package, checked: a feature is a folder, and text becomes ciphertext only
through the text seam. (The layer contracts themselves are import-linter's, in pyproject.toml;
``make test`` runs them first.)"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "steadymind"
EXTRA = ROOT / "tests" / "fixtures" / "extra_features"

# Run in a child process: the extra feature's table must not join this process's metadata.
MOUNT_EXTRA = """
import json, re, sys, tempfile
from pathlib import Path

import steadymind.features as features
features.__path__.append(sys.argv[1])

import typer
from fastapi.testclient import TestClient

from steadymind.cli.main import app as cli
from steadymind.core.clock import SystemClock
from steadymind.core.config import Settings
from steadymind.features import build_runtime, metadata
from steadymind.http.app import create_app
from steadymind.screen import TextSeam
from tests.support import FakeEmotions, FakeGate, FAKE_HIGH

data = Path(tempfile.mkdtemp())
settings = Settings(
    data_dir=data, argon2_time_cost=1, argon2_memory_kib=8, insecure_argon2_for_tests=True
)
runtime = build_runtime(settings, seam=TextSeam(FakeGate(), FakeEmotions(), SystemClock()))
metadata().create_all(runtime.db.engine)  # a real feature ships an Alembic revision instead
client = TestClient(create_app(runtime, check_migrations=False))
auth = {"username": "zoe", "password": "a long walk home", "country": "GB"}
token = client.post("/api/v1/auth/signup", json=auth).json()["token"]
headers = {"Authorization": f"Bearer {token}"}
calm = client.post("/api/v1/gratitude", json={"text": "tea with Sam"}, headers=headers)
crisis = client.post("/api/v1/gratitude", json={"text": FAKE_HIGH}, headers=headers)
login = client.get("/login").text
csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
client.post("/login", data={"username": "zoe", "password": auth["password"], "csrf": csrf})
page = client.get("/gratitude")
export = client.get("/api/v1/export", headers=headers).json()
client.post("/api/v1/me/delete", json={"password": auth["password"]}, headers=headers)
with runtime.db.engine.connect() as conn:
    left = conn.exec_driver_sql("SELECT count(*) FROM good_things").scalar()
commands = typer.main.get_command(cli).commands
print(json.dumps({
    "features": [f.name for f in runtime.features],
    "surfaces": sorted(runtime.seam.surfaces),
    "calm": [calm.status_code, calm.json()["stops_flow"]],
    "crisis": [crisis.status_code, crisis.json()["crisis"]["resources"]["emergency"]],
    "page": [page.status_code, "tea with Sam" in page.text],
    "export": export.get("gratitude"),
    "rows_after_deletion": left,
    "cli": sorted(commands["gratitude"].commands) if "gratitude" in commands else [],
}))
"""


def test_a_feature_is_added_by_adding_a_folder() -> None:
    """The worked example in tests/fixtures/extra_features/gratitude: its table, service, text
    surface, API route, page, command and personal data all arrive without a line changed in
    the package (the folder is put on the features' search path, nothing else)."""
    done = subprocess.run(
        [sys.executable, "-c", MOUNT_EXTRA, str(EXTRA)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "gratitude" in found["features"]
    assert "gratitude" in found["surfaces"]
    assert found["calm"] == [201, False]
    assert found["crisis"] == [201, "999"]  # the person's text passed the seam
    assert found["page"] == [200, True]
    assert found["export"] == ["tea with Sam", "i am going to end my life tonight"]
    assert found["rows_after_deletion"] == 0
    assert found["cli"] == ["add"]


def _calls_named(path: Path, names: set[str]) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ]


def test_only_the_seam_and_the_crypto_layer_encrypt() -> None:
    """A person's text becomes ciphertext through ``Screened.seal`` (after the seam), nowhere
    else: a feature that called the cipher itself would store text that skipped the gate."""
    allowed = {PACKAGE / "screen.py", *(PACKAGE / "crypto").rglob("*.py")}
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if path not in allowed and (lines := _calls_named(path, {"encrypt", "encrypt_optional"}))
    }
    assert offenders == {}


def test_only_the_wearables_seal_measurements() -> None:
    """Sealing raw bytes skips the text seam, so it is for a device's numbers only: a feature
    storing a person's words this way would skip the crisis gate."""
    allowed = {
        *(PACKAGE / "crypto").rglob("*.py"),
        *(PACKAGE / "features" / "wearables").rglob("*.py"),
    }
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if path not in allowed and (lines := _calls_named(path, {"seal_measurements"}))
    }
    assert offenders == {}


def test_the_scan_would_see_an_encrypt_call(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f(cipher):\n    return cipher.encrypt('t', 'c', 'r', 'words')\n")
    assert _calls_named(sample, {"encrypt"}) == [2]


def test_every_feature_folder_declares_a_feature() -> None:
    from steadymind.features import discover

    folders = {p.name for p in (PACKAGE / "features").iterdir() if (p / "__init__.py").is_file()}
    assert {f.name for f in discover()} == folders
