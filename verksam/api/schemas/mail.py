"""The tenant's outgoing e-mail (issue 7 item 11: failures are visible to the administrators)."""

import datetime as dt
from typing import Literal

from ninja import Schema

MailStatusName = Literal["queued", "sending", "sent", "failed"]


class MailOut(Schema):
    id: int
    kind: str
    to: str
    subject: str
    status: MailStatusName
    attempts: int
    last_error: str
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None


class MailListParams(Schema):
    status: MailStatusName | None = None
    page: int = 1
    page_size: int = 50
