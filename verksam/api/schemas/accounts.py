"""Schemas of the API's own credentials: tokens, and the e-mail type shared with the login."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, Field

from ..types import StrictIn


def _django_email(value: str) -> str:
    # The same validator as the web forms (Django's EmailValidator), not pydantic's EmailStr: that
    # one refuses special-use names such as the README's demo logins at `.test` (issue 7 item 12),
    # so the API refused addresses the web accepts.
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


# An e-mail address as the web's forms accept it, stored lower-case (accounts.User.clean_fields).
Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_django_email)
]


class TokenIn(StrictIn):
    # Whatever the login page accepts: the address is normalised as the login backend does
    # (accounts.backends.EmailBackend) and checked only by the password check.
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=4096)
    name: str = Field("API", min_length=1, max_length=100)
    expires_in_days: int | None = Field(
        None, ge=1, le=3650, strict=True, description="Days until the token stops working; null: never"
    )


class TokenOut(Schema):
    token: str = Field(description="The secret; shown once, never stored")
    token_id: int
    name: str
    expires_at: dt.datetime | None


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it")
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None = Field(description="Updated at most once a minute")
    revoked_at: dt.datetime | None
    status: str = Field(description="active, expired or revoked")
    revoked_reason: str = Field(description="user, password or deactivated; empty while not revoked")

    @staticmethod
    def resolve_revoked_reason(obj) -> str:
        return obj.revocation
