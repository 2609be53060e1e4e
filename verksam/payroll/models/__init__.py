"""The payroll app's tables (issue 9): one module per feature, imported here."""

from .exports import ExportKind, ExportStatus, ExportTarget, PayrollExport  # noqa: F401
from .selection import PayrollSelection  # noqa: F401
