"""Accounts over the API: sign-up, tokens, profile, password, recovery, deletion."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.accounts.schemas import (
    CredentialOut,
    DeleteAccountIn,
    LoginTokenOut,
    MeOut,
    MePatch,
    NewRecoveryKeyIn,
    NewTokenIn,
    PasswordChangeIn,
    RecoverIn,
    RecoverOut,
    SignUpIn,
    SignUpOut,
    TokenIn,
    TokenOut,
)
from steadymind.ui.api import PrincipalDep, RuntimeDep, client_address, service

router = APIRouter(tags=["accounts"])
AccountsDep = Annotated[Accounts, Depends(service(Accounts))]
CredentialsDep = Annotated[Credentials, Depends(service(Credentials))]


@router.post("/auth/signup", status_code=201, response_model=SignUpOut)
def sign_up(
    body: SignUpIn, accounts: AccountsDep, credentials: CredentialsDep, request: Request
) -> SignUpOut:
    result = accounts.sign_up(
        body.username,
        body.password,
        country=body.country,
        timezone=body.timezone,
        client=client_address(request),
    )
    token = credentials.after_sign_up(
        result.user_id,
        result.data_key,
        token_name="sign-up",  # noqa: S106 (a label)
    )
    return SignUpOut(
        user_id=result.user_id,
        recovery_key=result.recovery_key,
        token=token.secret,
        device_token=token.device or "",
    )


@router.post("/auth/token", status_code=201, response_model=LoginTokenOut)
def create_token_with_password(
    body: TokenIn, credentials: CredentialsDep, request: Request
) -> LoginTokenOut:
    token = credentials.log_in_token(
        body.username,
        body.password,
        client=client_address(request),
        name=body.name,
        device=body.device_token,
    )
    return LoginTokenOut(
        token=token.secret,
        token_id=token.principal.credential_id,
        device_token=token.device or "",
    )


@router.post("/auth/recover", response_model=RecoverOut)
def recover(body: RecoverIn, accounts: AccountsDep) -> RecoverOut:
    fresh = accounts.recover(body.username, body.recovery_key, body.new_password)
    return RecoverOut(recovery_key=fresh)


@router.post("/auth/logout", status_code=204)
def log_out(p: PrincipalDep, credentials: CredentialsDep) -> Response:
    credentials.log_out(p)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
def me(p: PrincipalDep, accounts: AccountsDep) -> MeOut:
    user = accounts.get_user(p)
    return MeOut(
        user_id=user.id,
        username=user.username,
        country=user.country,
        timezone=user.timezone,
        ai_level=user.ai_level,
        created_at=user.created_at,
    )


@router.patch("/me", response_model=MeOut)
def update_me(body: MePatch, p: PrincipalDep, accounts: AccountsDep) -> MeOut:
    accounts.update_profile(p, country=body.country, timezone=body.timezone, ai_level=body.ai_level)
    return me(p, accounts)


@router.post("/me/password", status_code=204)
def change_password(body: PasswordChangeIn, p: PrincipalDep, accounts: AccountsDep) -> Response:
    accounts.change_password(p, body.current_password, body.new_password)
    return Response(status_code=204)


@router.post("/me/recovery-key", response_model=RecoverOut)
def new_recovery_key(body: NewRecoveryKeyIn, p: PrincipalDep, accounts: AccountsDep) -> RecoverOut:
    """A fresh recovery key (shown once); the old one stops working. Needs the password."""
    return RecoverOut(recovery_key=accounts.new_recovery_key(p, body.password))


@router.post("/me/delete", status_code=204)
def delete_account(
    body: DeleteAccountIn, p: PrincipalDep, accounts: AccountsDep, runtime: RuntimeDep
) -> Response:
    accounts.delete_account(p, body.password)
    runtime.db.scrub()
    return Response(status_code=204)


@router.get("/me/credentials", response_model=list[CredentialOut])
def list_credentials(p: PrincipalDep, credentials: CredentialsDep) -> list[CredentialOut]:
    sessions = [
        CredentialOut(
            id=s.id, kind="session", created_at=s.created_at, current=s.id == p.credential_id
        )
        for s in credentials.list_sessions(p)
    ]
    tokens = [
        CredentialOut(
            id=t.id,
            kind="token",
            name=t.name,
            created_at=t.created_at,
            current=t.id == p.credential_id,
        )
        for t in credentials.list_tokens(p)
    ]
    return sessions + tokens


@router.post("/me/tokens", status_code=201, response_model=TokenOut)
def new_token(body: NewTokenIn, p: PrincipalDep, credentials: CredentialsDep) -> TokenOut:
    token = credentials.create_token(p, body.name)
    return TokenOut(token=token.secret, token_id=token.principal.credential_id)


@router.delete("/me/sessions/{credential_id}", status_code=204)
def revoke_session(credential_id: str, p: PrincipalDep, credentials: CredentialsDep) -> Response:
    credentials.revoke(p, "session", credential_id)
    return Response(status_code=204)


@router.delete("/me/tokens/{credential_id}", status_code=204)
def revoke_token(credential_id: str, p: PrincipalDep, credentials: CredentialsDep) -> Response:
    credentials.revoke(p, "token", credential_id)
    return Response(status_code=204)
