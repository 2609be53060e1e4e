"""The export's progress bar (polled by the page): its steps — basis, compare, file (written and
validated), stored — and the write that moves it while the task runs."""

from ..models import ExportStatus, PayrollExport

STEPS = 4  # the progress bar's steps: basis, compare, file (written and validated), stored


def progress_set(export: PayrollExport, done: int) -> None:
    # Its own autocommit write, so the page polling the bar sees it while the task goes on.
    PayrollExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(progress_done=done)
