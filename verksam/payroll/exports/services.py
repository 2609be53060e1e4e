"""Writes of the export history (issue 9 items 3, 5 and 6).

`payroll_export_start` records the request and queues the task; the task (`tasks.payroll_export_task`)
calls `payroll_export_run`, which builds the basis from attested time and hands it to
`payroll_export_finish`: the file is made (checked, written, XSD-validated) and stored with its
SHA-256 and the basis as JSON — or the refusal is stored with every problem, and no file at all.

Corrections: the first file of a period for a payroll system is the period's file; every later one
is a correction file against the basis the previous file carried (`corrections.correction_basis`):
only the differences, named `lonefil_korrigering_…`. Employees not chosen for the correction are
left as exported. When it is made, the period's pending reopenings are marked handled and the
payroll administrators and the accounting firm's people are e-mailed.
"""

# The writes live in modules named for what they do; this module is the app's public entry
# (DESIGN.md: another app or layer uses `services`), unchanged for its callers.
from .download import payroll_export_download
from .finish import payroll_export_finish
from .run import payroll_export_run
from .start import baseline_for, payroll_export_start, period_or_error

__all__ = [
    "baseline_for",
    "payroll_export_download",
    "payroll_export_finish",
    "payroll_export_run",
    "payroll_export_start",
    "period_or_error",
]
