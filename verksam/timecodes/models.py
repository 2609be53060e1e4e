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


class TimeCodeKind(models.TextChoices):
    """What a time code's minutes are to payroll (DOMAIN.md "Working time").

    - WORKED: ordinary worked time; fills the schedule (TID for monthly staff, ARB for hourly), and
      what lies beyond the schedule is flex or mertid/övertid by the company's rule;
    - OVERTIME: worked time the employee reports as övertid (ÖT1–5, paid) or komp (ÖK1–5, to the
      time bank at the code's factor); it is compensated by its own code, so it is not flex;
    - SUPPLEMENT: OB, jour, beredskap: reported *on top of* worked hours (an evening hour is TID/ARB
      and OB1), never instead of them: not worked time, not flex, not in the day's 24 h;
    - NOT_WORKED: paid time that is not working time under Arbetstidslagen (restid)."""

    WORKED = "worked", _("Worked time")
    OVERTIME = "overtime", _("Overtime (paid or to the time bank)")
    SUPPLEMENT = "supplement", _("Supplement on top of worked time (OB, jour, beredskap)")
    NOT_WORKED = "not_worked", _("Not worked time (restid)")


class ExcessTimeRule(models.TextChoices):
    """What ordinary time beyond the day's schedule becomes (the company's rule)."""

    FLEX = "flex", _("Flex: time beyond the schedule goes to the flex balance")
    PAID = "paid", _("Paid: time beyond the schedule is mertid up to full time, then övertid (ÖT1)")


# A time code's time bank factor is stored in hundredths (DESIGN.md rule 14: no Decimal columns):
# 100 = 1 h in the bank per hour, 150 = 1.5 h (enkel övertid as komp), 200 = 2 h.
BANK_FACTOR_ONE = 100
MAX_BANK_FACTOR = 1000


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
    # Kept equal to `kind in (WORKED, OVERTIME)` by the services (older clients still send it).
    counts_as_worked = models.BooleanField(_("counts as worked time"), default=True)
    kind = models.CharField(
        _("kind of time"), max_length=12, choices=TimeCodeKind.choices, default=TimeCodeKind.WORKED
    )
    time_bank_effect = models.CharField(
        _("time bank"), max_length=10, choices=TimeBankEffect.choices, default=TimeBankEffect.NONE
    )
    # Hundredths: how many minutes one reported minute moves the time bank (150 = ÖK at 1.5).
    time_bank_factor_pct = models.PositiveSmallIntegerField(
        _("time bank factor (hundredths)"), default=BANK_FACTOR_ONE
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
            models.CheckConstraint(
                condition=Q(time_bank_factor_pct__gte=1, time_bank_factor_pct__lte=MAX_BANK_FACTOR),
                name="timecodes_timecode_bank_factor_range",
                violation_error_message=_("The time bank factor must be from 0.01 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def time_bank_factor(self) -> str:
        """The factor for display: "1.5" (hundredths as a decimal, never a float)."""
        whole, rest = divmod(self.time_bank_factor_pct, 100)
        return f"{whole}.{rest:02d}".rstrip("0").rstrip(".")


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
    # Komp-ledig beyond the time bank is refused unless the company allows a negative balance.
    allow_negative_time_bank = models.BooleanField(_("allow a negative time bank"), default=False)
    excess_time_rule = models.CharField(
        _("time beyond the schedule"),
        max_length=10,
        choices=ExcessTimeRule.choices,
        default=ExcessTimeRule.FLEX,
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
