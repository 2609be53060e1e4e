"""The payroll app's tables (issue 9): one module per feature, imported here."""

from .selection import PayrollSelection  # noqa: F401
