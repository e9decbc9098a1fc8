"""Accounts over the API: sign-up, tokens, profile, password, recovery, deletion."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from steadymind.api.deps import PrincipalDep, ServicesDep, client_address
from steadymind.api.schemas import (
    CredentialOut,
    DeleteAccountIn,
    MeOut,
    MePatch,
    NewTokenIn,
    PasswordChangeIn,
    RecoverIn,
    RecoverOut,
    SignUpIn,
    SignUpOut,
    TokenIn,
    TokenOut,
)

router = APIRouter(tags=["accounts"])


@router.post("/auth/signup", status_code=201, response_model=SignUpOut)
def sign_up(body: SignUpIn, services: ServicesDep, request: Request) -> SignUpOut:
    result = services.accounts.sign_up(
        body.username, body.password, country=body.country, timezone=body.timezone
    )
    token = services.accounts.log_in_token(
        body.username, body.password, client=client_address(request), name="sign-up"
    )
    return SignUpOut(user_id=result.user_id, recovery_key=result.recovery_key, token=token.secret)


@router.post("/auth/token", status_code=201, response_model=TokenOut)
def create_token_with_password(body: TokenIn, services: ServicesDep, request: Request) -> TokenOut:
    token = services.accounts.log_in_token(
        body.username, body.password, client=client_address(request), name=body.name
    )
    return TokenOut(token=token.secret, token_id=token.principal.credential_id)


@router.post("/auth/recover", response_model=RecoverOut)
def recover(body: RecoverIn, services: ServicesDep) -> RecoverOut:
    fresh = services.accounts.recover(body.username, body.recovery_key, body.new_password)
    return RecoverOut(recovery_key=fresh)


@router.post("/auth/logout", status_code=204)
def log_out(p: PrincipalDep, services: ServicesDep) -> Response:
    services.accounts.log_out(p)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut)
def me(p: PrincipalDep, services: ServicesDep) -> MeOut:
    user = services.accounts.get_user(p)
    return MeOut(
        user_id=user.id,
        username=user.username,
        country=user.country,
        timezone=user.timezone,
        created_at=user.created_at,
    )


@router.patch("/me", response_model=MeOut)
def update_me(body: MePatch, p: PrincipalDep, services: ServicesDep) -> MeOut:
    services.accounts.update_profile(p, country=body.country, timezone=body.timezone)
    return me(p, services)


@router.post("/me/password", status_code=204)
def change_password(body: PasswordChangeIn, p: PrincipalDep, services: ServicesDep) -> Response:
    services.accounts.change_password(p, body.current_password, body.new_password)
    return Response(status_code=204)


@router.post("/me/delete", status_code=204)
def delete_account(body: DeleteAccountIn, p: PrincipalDep, services: ServicesDep) -> Response:
    services.accounts.delete_account(p, body.password)
    services.db.scrub()
    return Response(status_code=204)


@router.get("/me/credentials", response_model=list[CredentialOut])
def list_credentials(p: PrincipalDep, services: ServicesDep) -> list[CredentialOut]:
    sessions = [
        CredentialOut(
            id=s.id, kind="session", created_at=s.created_at, current=s.id == p.credential_id
        )
        for s in services.accounts.list_sessions(p)
    ]
    tokens = [
        CredentialOut(
            id=t.id,
            kind="token",
            name=t.name,
            created_at=t.created_at,
            current=t.id == p.credential_id,
        )
        for t in services.accounts.list_tokens(p)
    ]
    return sessions + tokens


@router.post("/me/tokens", status_code=201, response_model=TokenOut)
def new_token(body: NewTokenIn, p: PrincipalDep, services: ServicesDep) -> TokenOut:
    token = services.accounts.create_token(p, body.name)
    return TokenOut(token=token.secret, token_id=token.principal.credential_id)


@router.delete("/me/sessions/{credential_id}", status_code=204)
def revoke_session(credential_id: str, p: PrincipalDep, services: ServicesDep) -> Response:
    services.accounts.revoke(p, "session", credential_id)
    return Response(status_code=204)


@router.delete("/me/tokens/{credential_id}", status_code=204)
def revoke_token(credential_id: str, p: PrincipalDep, services: ServicesDep) -> Response:
    services.accounts.revoke(p, "token", credential_id)
    return Response(status_code=204)
