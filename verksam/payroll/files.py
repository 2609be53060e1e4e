"""One entry point for payroll files (issue 9 item 3): check the basis for the target, refuse with
every problem listed, else write the file and validate it. Nothing is half-made: a refusal or an
invalid file raises before any bytes leave this function."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .checks import Problem, check_basis
from .dto import PayrollBasis, Target
from .errors import PayrollFileRefused
from .latin1 import TRANSLITERATE
from .paxml import file_name, write_paxml
from .tlu import write_tlu


@dataclass(frozen=True)
class PayrollFile:
    target: Target
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def refusal(problems: list[Problem]) -> PayrollFileRefused:
    message = ngettext(
        "The payroll file was not made: %(count)s problem must be fixed first.",
        "The payroll file was not made: %(count)s problems must be fixed first.",
        len(problems),
    ) % {"count": len(problems)}
    return PayrollFileRefused(message, problems=problems, extra={"problems": [p.message for p in problems]})


def make_file(basis: PayrollBasis, target: Target, *, on_unencodable: str = TRANSLITERATE) -> PayrollFile:
    """The payroll file for `target`, or PayrollFileRefused listing every problem."""
    problems = check_basis(basis, target)
    if problems:
        raise refusal(problems)
    if not basis.employees and basis.is_correction:
        raise PayrollFileRefused(
            _("Nothing has changed since the file was exported: there is no correction to make."),
            code="no_corrections",
        )
    if not basis.employees:
        raise PayrollFileRefused(_("Choose at least one employee for the payroll file."), code="no_employees")
    if target is Target.VISMA:
        content = write_tlu(basis, on_unencodable=on_unencodable)
        return PayrollFile(target, file_name(basis, target), content, "application/xml; charset=iso-8859-1")
    content = write_paxml(basis, target)
    return PayrollFile(target, file_name(basis, target), content, "application/xml; charset=utf-8")
