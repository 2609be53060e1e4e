import factory

from verksam.tenancy.tests.factories import TenantFactory, TenantOwnedFactory
from verksam.timecodes.models import (
    AbsenceType,
    Activity,
    PayrollCode,
    TimeBankEffect,
    TimeCode,
    TimeSettings,
)


class ActivityFactory(TenantOwnedFactory):
    class Meta:
        model = Activity

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"Aktivitet {n}")


class TimeCodeFactory(TenantOwnedFactory):
    class Meta:
        model = TimeCode

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Tidkod {n}")
    counts_as_worked = True
    time_bank_effect = TimeBankEffect.NONE
    paxml_code = "ARB"


class AbsenceTypeFactory(TenantOwnedFactory):
    class Meta:
        model = AbsenceType

    tenant = factory.SubFactory(TenantFactory)
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.Sequence(lambda n: f"Frånvaro {n}")
    paxml_code = "SJK"


class PayrollCodeFactory(TenantOwnedFactory):
    class Meta:
        model = PayrollCode

    tenant = factory.SubFactory(TenantFactory)
    system = "paxml"
    code = factory.Sequence(lambda n: f"{100 + n}")


class TimeSettingsFactory(TenantOwnedFactory):
    class Meta:
        model = TimeSettings

    tenant = factory.SubFactory(TenantFactory)
    period_start_day = 1
