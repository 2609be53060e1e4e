"""Domain errors: raised by services, turned into a Swedish message in the UI and
`{code, message, extra}` with a 4xx status in the API."""

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the operation; nothing was written."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.extra = extra or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


class Unauthenticated(DomainError):
    status = 401
    code = "unauthorized"
