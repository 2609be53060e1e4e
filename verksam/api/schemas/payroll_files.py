import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from ..types import StrictId, StrictIn

TargetValue = Literal["paxml", "fortnox", "crona", "hogia", "kontek", "visma"]


class PayrollExportIn(StrictIn):
    period: str = Field(min_length=7, max_length=7, description="YYYY-MM: the month the period ends in")
    target: TargetValue = Field(description="The payroll system the file is made for")
    member_ids: list[StrictId] | None = Field(
        None, max_length=5000, description="The employees; default: the period's remembered choice"
    )


class PayrollProblemOut(Schema):
    kind: str
    employee: str
    member_id: int | None = None
    message: str
    day: dt.date | None = None
    code: str = ""


class PayrollExportOut(Schema):
    id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    target: str
    kind: str = Field(description="normal, or correction: only the differences to the previous file")
    member_ids: list[int]
    employee_count: int
    created_at: dt.datetime
    created_by: str | None
    created_by_partner_id: int | None
    period_closed: bool = Field(description="False: exported before closing; later changes make a correction")
    status: str = Field(description="queued, running, done or failed (refused: see problems)")
    progress_done: int
    progress_total: int
    error: str
    problems: list[PayrollProblemOut]
    file_name: str
    content_type: str
    sha256: str
    size: int


class CorrectionStatusOut(Schema):
    period: str
    exported: bool
    targets: list[str]
    period_closed: bool
    reopened: bool = Field(description="Reopened after closing, and no correction file has carried it yet")
    reopen_reasons: list[str]
    correction_due: bool
    next_kind: Literal["normal", "correction"]
