"""The API's own credentials: a token for e-mail and password, the caller's tokens, and who am I.
Tokens are the person's (docs/api.md): they are listed and revoked by their owner only."""

from django.http import HttpResponse
from ninja import Router, Status

from verksam.accounts import selectors, services

from ..schemas.accounts import ApiTokenOut, TokenIn, TokenOut
from ..schemas.tenancy import MeOut

router = Router(tags=["auth"])


@router.post(
    "/auth/token", auth=None, response={201: TokenOut}, summary="Exchange e-mail and password for a token"
)
def token_create(request, payload: TokenIn, response: HttpResponse):
    user = services.login_attempt(request=request, email=payload.email, password=payload.password)
    token, secret = services.api_token_create(
        user=user, name=payload.name, expires_in_days=payload.expires_in_days
    )
    # A token answer is never cached or stored (RFC 6749 §5.1; the Idempotency-Key store skips it too).
    response["Cache-Control"] = "no-store"
    return Status(
        201, {"token": secret, "token_id": token.pk, "name": token.name, "expires_at": token.expires_at}
    )


@router.get("/auth/tokens", response=list[ApiTokenOut], summary="My API tokens, with their last use")
def token_list(request):
    return list(selectors.api_token_list(user=request.user))


@router.delete("/auth/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    return Status(204, None)


@router.get("/me", response=MeOut, tags=["me"])
def me(request):
    return request.user
