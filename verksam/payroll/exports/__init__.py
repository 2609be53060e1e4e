"""Payroll files as recorded exports (issue 9 items 3, 5 and 6): start an export, build it in a
background task, keep its bytes, SHA-256 and basis, and make the period's next file a correction."""
