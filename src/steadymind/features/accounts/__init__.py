"""Accounts: sign-up, login, sessions, API tokens, profile, password, recovery and deletion.

Every other feature's rows belong to a user of this one; deleting an account erases what every
feature registered as personal data, this feature's own rows last.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.accounts.personal import AccountData
from steadymind.runtime import Feature, PasswordCheck, Runtime


def setup(runtime: Runtime) -> None:
    credentials = runtime.provide(Credentials(runtime.db, runtime.settings, runtime.clock))

    def erase(tx: Session, user_id: str) -> None:
        # Features set up after this one registered later: they are erased first.
        for data in reversed(runtime.personal_data):
            data.erase(tx, user_id)

    accounts = runtime.provide(
        Accounts(runtime.db, runtime.settings, runtime.clock, credentials, erase)
    )
    runtime.set_authenticator(credentials)
    # The app lock's "forgot your PIN": the password again, throttled like a login.
    runtime.provide(credentials, PasswordCheck)
    runtime.add_personal_data(AccountData(accounts, credentials))


FEATURE = Feature(
    name="accounts",
    setup=setup,
    public_routes=frozenset(
        {
            ("POST", "/api/v1/auth/signup"),
            ("POST", "/api/v1/auth/token"),
            ("POST", "/api/v1/auth/recover"),
            ("GET", "/"),
            ("GET", "/signup"),
            ("POST", "/signup"),
            ("GET", "/login"),
            ("POST", "/login"),
            ("GET", "/recover"),
            ("POST", "/recover"),
        }
    ),
)
