"""Errors of the payroll files. A refusal (`PayrollFileRefused`) is the user's to fix and says so in
Swedish; an invalid file (`PayrollFileInvalid`) is a bug in a writer and is never offered."""

from typing import Any

from verksam.core.errors import DomainError


class PayrollFileRefused(DomainError):
    """The file cannot be made from this basis (a problem the user can fix); nothing was written."""

    status = 422
    code = "payroll_file_refused"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        problems: list[Any] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message, code=code, extra=extra)
        self.problems = list(problems or [])


class PayrollFileInvalid(RuntimeError):
    """A writer produced a file its XSD rejects. This is a bug: the file is not returned."""

    def __init__(self, schema: str, errors: list[str]):
        super().__init__(f"{schema}: generated file is invalid: " + "; ".join(errors[:5]))
        self.schema = schema
        self.errors = errors
