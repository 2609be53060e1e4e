"""Master data of time reporting, edited by TOTAL users (DOMAIN.md glossary): activities (kind of
work), time codes (tidkod: normaltid, övertid…, which drive payroll codes and the time bank), absence
types (frånvaro, with their PAXml code), payroll codes per payroll system (lönekod/lönart), and the
tenant's settings: the deviation period (avvikelseperiod) and the reminders before it ends."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from verksam.tenancy.models import TenantOwned


class TimeBankEffect(models.TextChoices):
    """How an entry's minutes move the employee's time bank (tidsbank/flex)."""

    ADD = "add", _("Adds to the time bank")
    SUBTRACT = "subtract", _("Draws from the time bank")
    NONE = "none", _("No effect")


class PayrollSystem(models.TextChoices):
    """Targets of the payroll file (DOMAIN.md "PAXml 2.0": other targets)."""

    PAXML = "paxml", "PAXml"
    FORTNOX = "fortnox", "Fortnox Lön"
    VISMA = "visma", "Visma Lön 300/600"
    CRONA = "crona", "Crona Lön"
    KONTEK = "kontek", "Kontek Lön"


# PAXml 2.0's closed list of `tidkod` values (ref/paxml/paxml-2.0.xsd, type tidkodTYPE).
PAXML_TIME_CODES = [
    "SJK", "SJK_KAR", "SJK_LÖN", "SJK_ERS", "SJK_PEN", "ASK", "HAV", "FPE", "VAB", "SMB", "UTB",
    "MIL", "SVE", "NÄR", "TJL", "SEM", "SEM_BET", "SEM_SPA", "SEM_OBE", "SEM_FÖR", "KOM", "PEM",
    "PER", "FAC", "ATK", "KON", "PAP", "ATF", "FR1", "FR2", "FR3", "FR4", "FR5", "FR6", "FR7",
    "FR8", "FR9", "FLX", "TS1", "TS2", "TS3", "TS4", "TS5", "TS6", "TS7", "TS8", "TS9", "TID",
    "ARB", "MER", "ÖT1", "ÖT2", "ÖT3", "ÖT4", "ÖT5", "ÖK1", "ÖK2", "ÖK3", "ÖK4", "ÖK5", "OB1",
    "OB2", "OB3", "OB4", "OB5", "OS1", "OS2", "OS3", "OS4", "OS5", "JR1", "JR2", "JR3", "JS1",
    "JS2", "JS3", "BE1", "BE2", "BE3", "BS1", "BS2", "BS3", "RE1", "RE2", "RE3", "HLG", "SKI",
    "LT1", "LT2", "LT3", "LT4", "LT5", "LT6", "LT7", "LT8", "LT9", "NV1", "NV2", "NV3", "NV4",
    "NV5", "NV6", "NV7", "NV8", "NV9",
]  # fmt: skip


class Activity(TenantOwned):
    """A kind of work (aktivitet): carpentry, electrical installation, travel, administration…"""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    invoiceable = models.BooleanField(_("invoiceable by default"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"],
                name="timecodes_activity_code_unique",
                violation_error_message=_("Another activity already has that code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class TimeCode(TenantOwned):
    """A time code (tidkod): whether it is worked time, how it moves the time bank, its PAXml code."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    counts_as_worked = models.BooleanField(_("counts as worked time"), default=True)
    time_bank_effect = models.CharField(
        _("time bank"), max_length=10, choices=TimeBankEffect.choices, default=TimeBankEffect.NONE
    )
    paxml_code = models.CharField(_("PAXml code"), max_length=7, blank=True, default="")
    is_default = models.BooleanField(_("default for new entries"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"],
                name="timecodes_timecode_code_unique",
                violation_error_message=_("Another time code already has that code."),
            ),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(is_default=True),
                name="timecodes_timecode_one_default",
                violation_error_message=_("Only one time code can be the default."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AbsenceType(TenantOwned):
    """An absence type (frånvaro): sjuk, VAB, semester, föräldraledig, tjänstledig, komp-ledig…"""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    paxml_code = models.CharField(_("PAXml code"), max_length=7, blank=True, default="")
    # Komp-ledig draws from the time bank; most absence has no effect on it.
    time_bank_effect = models.CharField(
        _("time bank"), max_length=10, choices=TimeBankEffect.choices, default=TimeBankEffect.NONE
    )
    # VAB (vård av barn) needs the child's personnummer on the entry (Försäkringskassan, PAXml).
    requires_child = models.BooleanField(_("requires the child's personnummer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "code"],
                name="timecodes_absencetype_code_unique",
                violation_error_message=_("Another absence type already has that code."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class PayrollCode(TenantOwned):
    """The payroll code (lönekod/lönart) a time code or an absence type maps to in one payroll system."""

    system = models.CharField(_("payroll system"), max_length=20, choices=PayrollSystem.choices)
    time_code = models.ForeignKey(
        TimeCode, on_delete=models.CASCADE, null=True, blank=True, related_name="payroll_codes"
    )
    absence_type = models.ForeignKey(
        AbsenceType, on_delete=models.CASCADE, null=True, blank=True, related_name="payroll_codes"
    )
    code = models.CharField(_("payroll code"), max_length=20)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(time_code__isnull=False, absence_type__isnull=True)
                | Q(time_code__isnull=True, absence_type__isnull=False),
                name="timecodes_payrollcode_one_target",
            ),
            models.UniqueConstraint(
                fields=["tenant", "system", "time_code"],
                condition=Q(time_code__isnull=False),
                name="timecodes_payrollcode_time_code_once",
            ),
            models.UniqueConstraint(
                fields=["tenant", "system", "absence_type"],
                condition=Q(absence_type__isnull=False),
                name="timecodes_payrollcode_absence_type_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.code}"


class TimeSettings(TenantOwned):
    """The tenant's time-reporting settings: one row per tenant (created with the company)."""

    # 1 = the calendar month; 16 = the 16th to the 15th of the next month (DOMAIN.md avvikelseperiod).
    period_start_day = models.PositiveSmallIntegerField(_("deviation period starts on day"), default=1)
    payroll_system = models.CharField(
        _("payroll system"), max_length=20, choices=PayrollSystem.choices, default=PayrollSystem.PAXML
    )
    reminders_enabled = models.BooleanField(_("send reminders"), default=True)
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder days before the period ends"), default=3
    )

    class Meta:
        verbose_name_plural = "time settings"
        constraints = [
            models.UniqueConstraint(fields=["tenant"], name="timecodes_timesettings_one_per_tenant"),
            models.CheckConstraint(
                condition=Q(period_start_day__gte=1, period_start_day__lte=28),
                name="timecodes_timesettings_start_day_range",
                violation_error_message=_("The deviation period must start on a day from 1 to 28."),
            ),
        ]

    def __str__(self) -> str:
        return f"time settings {self.tenant_id}"
