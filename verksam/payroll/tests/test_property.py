"""Whatever the basis, a writer never returns an invalid file: either the checks or a refusal stop
it, or the file is valid against its XSD (an invalid one would raise PayrollFileInvalid)."""

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verksam.payroll.checks import check_basis
from verksam.payroll.dto import Company, Employee, PayLine, PayrollBasis, ScheduleDay, Target, TimeTransaction
from verksam.payroll.errors import PayrollFileRefused
from verksam.payroll.files import make_file
from verksam.payroll.paxml import pay_codes, time_codes

from .builders import ASA, ELIF, LUKASZ

START = dt.date(2027, 2, 16)
DAYS = [START + dt.timedelta(days=i) for i in range(28)]
TIME_CODES = sorted(time_codes())
PAY_CODES = sorted(pay_codes())
# names and notes: mostly what people type (with letters the TLU table transliterates), sometimes
# anything at all (control characters, U+FFFE, scripts outside Latin-1)
text = st.text(st.sampled_from(list("AaÅåÄäÖöÉéüŁłŚśİışğ -'&<\"")), max_size=12) | st.text(max_size=8)
day = st.sampled_from(DAYS)


@st.composite
def transactions(draw):
    code = draw(st.sampled_from(TIME_CODES))
    payroll = draw(st.sampled_from(["", "010", "K" + code[:3], "K" + code[:3]]))
    if draw(st.booleans()):
        return TimeTransaction(
            code, date=draw(day), minutes=draw(st.integers(-600, 1440)), payroll_code=payroll
        )
    first = draw(day)
    last = draw(st.sampled_from([d for d in DAYS if d >= first]))
    extent = draw(st.none() | st.integers(1, 10000).map(lambda h: Decimal(h) / 100))
    return TimeTransaction(code, date_from=first, date_to=last, extent_percent=extent, payroll_code=payroll)


@st.composite
def pay_lines(draw):
    return PayLine(
        draw(st.sampled_from(PAY_CODES)),
        draw(st.sampled_from(["", "U1", "U2"])),
        date=draw(st.none() | day),
        quantity=draw(st.none() | st.decimals(-1000, 1000, places=2, allow_nan=False)),
        amount_ore=draw(st.none() | st.integers(-(10**9), 10**9)),
        text=draw(text),
    )


@st.composite
def employees(draw, number, personnummer):
    return Employee(
        draw(text),
        draw(text),
        personnummer,
        number,
        draw(st.sampled_from(["monthly", "hourly"])),
        schedule=tuple(ScheduleDay(d, draw(st.sampled_from([0, 240, 480]))) for d in DAYS),
        time=tuple(draw(st.lists(transactions(), max_size=4))),
        pay_lines=tuple(draw(st.lists(pay_lines(), max_size=2))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(employees("1001", ASA), employees("2002", LUKASZ), employees("3003", ELIF)),
    st.sampled_from(list(Target)),
    st.booleans(),
    text,
)
def test_never_an_invalid_file(people, target, keeps_schedules, company_name):
    basis = PayrollBasis(
        Company(company_name or "AB", "5566778899"),
        START,
        DAYS[-1],
        dt.datetime(2027, 3, 16, 12, tzinfo=dt.UTC),
        people,
        keeps_schedules=keeps_schedules,
    )
    problems = check_basis(basis, target)
    try:
        made = make_file(basis, target)
    except PayrollFileRefused as refused:
        assert refused.message
        return
    assert not problems
    assert made.content


names = st.text(st.sampled_from(list("AaÅåÄäÖöÉéüŁłŚśİışğ -'&<\"")), min_size=1, max_size=12)


@st.composite
def visma_employees(draw, number, personnummer):
    """Everything mapped and named, so Visma's own rules are what the file meets."""
    employee = draw(employees(number, personnummer))
    time = tuple(
        TimeTransaction(
            t.paxml_code,
            t.date,
            t.minutes,
            t.date_from,
            t.date_to,
            t.extent_percent,
            payroll_code="K1",
            name="Kod",
        )
        for t in employee.time
    )
    lines = tuple(
        PayLine(p.paxml_code, "U1", p.date, p.quantity, None, p.amount_ore, p.text)
        for p in employee.pay_lines
    )
    return Employee(
        draw(names), draw(names), personnummer, number, employee.salary_form, employee.schedule, time, lines
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.tuples(visma_employees("1001", ASA), visma_employees("2002", LUKASZ)), st.booleans())
def test_visma_files_are_valid_whenever_they_are_made(people, keeps_schedules):
    basis = PayrollBasis(
        Company("Bygg AB", "5566778899"),
        START,
        DAYS[-1],
        dt.datetime(2027, 3, 16, 12, tzinfo=dt.UTC),
        people,
        keeps_schedules=keeps_schedules,
    )
    assert check_basis(basis, Target.VISMA) == []
    try:
        made = make_file(basis, Target.VISMA)
    except PayrollFileRefused as refused:  # only for what Visma's file cannot hold
        assert refused.code in {"tlu_empty", "tlu_outlays_without_time", "not_latin1"}
        return
    made.content.decode("latin-1")
