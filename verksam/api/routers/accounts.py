from django.http import HttpResponse
from ninja import Router, Status

from verksam.accounts import services

from ..schemas.tenancy import MeOut, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post(
    "/auth/token", auth=None, response={201: TokenOut}, summary="Exchange e-mail and password for a token"
)
def token_create(request, payload: TokenIn, response: HttpResponse):
    user = services.login_attempt(request=request, email=payload.email, password=payload.password)
    token, secret = services.api_token_create(user=user, name=payload.name)
    # A token answer is never cached or stored (RFC 6749 §5.1; the Idempotency-Key store skips it too).
    response["Cache-Control"] = "no-store"
    return Status(201, {"token": secret, "token_id": token.pk, "name": token.name})


@router.get("/me", response=MeOut, tags=["me"])
def me(request):
    return request.user
