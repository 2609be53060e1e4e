"""Invitation links (issue 7): a signed token that names the invitation and carries its own expiry.

The token is `django.core.signing` over `{t: tenant id, i: invitation id, n: nonce, e: expiry}`. The
signature lets the invitation be read in its tenant's scope without a login; the nonce changes on
every (re)send, so an older link stops working; the expiry is in the link itself, and a link past it
still names its invitation so the person can ask for a new one.
"""

import datetime as dt
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

SALT = "verksam.tenancy.invitation"


@dataclass(frozen=True)
class InvitationLink:
    tenant_id: int
    invitation_id: int
    nonce: str
    expires_at: dt.datetime

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


def invitation_token(invitation) -> str:
    """The token of `invitation`'s current link (its nonce and expiry as stored)."""
    payload = {
        "t": invitation.tenant_id,
        "i": invitation.pk,
        "n": invitation.nonce,
        "e": int(invitation.expires_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT)


def invitation_link_parse(token: str) -> InvitationLink | None:
    """What a token says, or None when it was not made here (or was altered)."""
    try:
        data = signing.loads(token, salt=SALT)
        return InvitationLink(
            tenant_id=int(data["t"]),
            invitation_id=int(data["i"]),
            nonce=str(data["n"]),
            expires_at=dt.datetime.fromtimestamp(int(data["e"]), tz=dt.UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
