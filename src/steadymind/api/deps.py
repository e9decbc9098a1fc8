"""FastAPI dependencies: the services and the authenticated principal.

Every route declares its auth policy by depending on ``require_principal`` (or being in the
explicit public allowlist in ``steadymind.api.policy``); a test walks the route table.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from steadymind.core.errors import AuthenticationError
from steadymind.crypto.principal import Principal
from steadymind.services import Services

SESSION_COOKIE = "sm_session"
bearer = HTTPBearer(auto_error=False, description="An API token from POST /api/v1/auth/token")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def require_principal(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """A bearer API token, or the browser session cookie."""
    if credentials is not None:
        principal = services.accounts.authenticate_token(credentials.credentials)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise AuthenticationError("please log in")
        principal = services.accounts.authenticate_session(cookie)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(require_principal)]
