"""Account shapes over the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from steadymind.core.fields import Strict
from steadymind.crypto.principal import AiLevel


class SignUpIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=4096)
    country: str | None = Field(None, max_length=2)
    timezone: str = Field("UTC", max_length=64)


DEVICE_HELP = (
    "This client's known-device token: send it with its next login (POST /auth/token), so that "
    "guesses from elsewhere never slow this client down. Stops working when the password changes."
)


class SignUpOut(BaseModel):
    user_id: str
    recovery_key: str = Field(
        description="Shown once. It is the only way back in without the password."
    )
    token: str
    device_token: str = Field(description=DEVICE_HELP)


class TokenIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=4096)
    name: str = Field("API token", max_length=100)
    device_token: str | None = Field(
        None, max_length=200, description="The device token of this client's last login"
    )


class TokenOut(BaseModel):
    token: str
    token_id: str


class LoginTokenOut(TokenOut):
    device_token: str = Field(description=DEVICE_HELP)


class NewTokenIn(Strict):
    name: str = Field("API token", min_length=1, max_length=100)


class CredentialOut(BaseModel):
    id: str
    kind: str
    name: str | None = None
    created_at: datetime
    current: bool


class MeOut(BaseModel):
    user_id: str
    username: str
    country: str | None
    timezone: str
    ai_level: AiLevel = Field(
        description="How much AI: off (none), suggestions (feelings read in what you write), "
        "or companion (suggestions and the companion). The crisis check runs whatever this is."
    )
    created_at: datetime


class MePatch(Strict):
    country: str | None = Field(None, max_length=2)
    timezone: str | None = Field(None, max_length=64)
    ai_level: AiLevel | None = None


class PasswordChangeIn(Strict):
    current_password: str = Field(min_length=1, max_length=4096)
    new_password: str = Field(min_length=1, max_length=4096)


class RecoverIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    recovery_key: str = Field(min_length=1, max_length=100)
    new_password: str = Field(min_length=1, max_length=4096)


class RecoverOut(BaseModel):
    recovery_key: str


class NewRecoveryKeyIn(Strict):
    password: str = Field(min_length=1, max_length=4096)


class DeleteAccountIn(Strict):
    password: str = Field(min_length=1, max_length=4096)
