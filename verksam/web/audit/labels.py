"""The stored codes of every app, in words, for the audit log (issue 12 item 3: no English and no
codes in the Swedish log). Here, in the web layer, because audit sits below the apps whose choices
these are (DESIGN.md import direction)."""

from django.db import models

from verksam.audit.presentation import Choices
from verksam.projects.models import PricingType, ProjectKind, ProjectStatus
from verksam.tenancy.models import InvitationStatus, PartnerLevel, SalaryForm, Variant
from verksam.timecodes.models import ExcessTimeRule, TimeBankEffect, TimeCodeKind
from verksam.timereporting.models import DayStatus, EntryKind


def _labels(*classes: type[models.TextChoices]) -> dict[str, str]:
    return {value: label for cls in classes for value, label in cls.choices}


def audit_choices() -> Choices:
    return {
        "pricing_type": _labels(PricingType),
        "kind": _labels(ProjectKind, EntryKind, TimeCodeKind),
        "time_bank_effect": _labels(TimeBankEffect),
        "excess_time_rule": _labels(ExcessTimeRule),
        "status": _labels(ProjectStatus, InvitationStatus, DayStatus),
        "level": _labels(PartnerLevel),
        "salary_form": _labels(SalaryForm),
        "variant": _labels(Variant),
    }
