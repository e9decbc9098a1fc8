"""The app on the home screen: a web app manifest, a service worker, a check-in that works
offline and syncs when the connection comes back (docs/user-guide.md says what the device keeps),
and the app lock for shared phones (a PIN or the device's passkey; docs/coach.md).
"""

from __future__ import annotations

from steadymind.features.app.lock import AppLockService
from steadymind.features.app.passkeys import Passkeys
from steadymind.features.app.personal import AppLockData
from steadymind.runtime import AppLockGate, Feature, PasswordCheck, Runtime


def setup(runtime: Runtime) -> None:
    passwords: PasswordCheck | None = runtime.find(PasswordCheck)
    lock = runtime.provide(AppLockService(runtime.db, runtime.clock, runtime.settings, passwords))
    runtime.provide(lock, AppLockGate)
    passkeys = runtime.provide(Passkeys(runtime.db, runtime.clock, runtime.settings, lock))
    runtime.add_personal_data(AppLockData(lock, passkeys))


FEATURE = Feature(
    name="app",
    setup=setup,
    requires=("accounts",),
    public_routes=frozenset(
        {
            ("GET", "/manifest.webmanifest"),
            ("GET", "/sw.js"),
            ("GET", "/offline"),
            ("GET", "/app/offline.js"),
            ("GET", "/app/lock.js"),
            ("GET", "/app/icon-192.png"),
            ("GET", "/app/icon-512.png"),
        }
    ),
)
