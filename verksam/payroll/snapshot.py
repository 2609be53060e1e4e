"""A payroll basis as JSON and back (issue 9 items 5 and 6): the export history keeps the basis each
file was made from, and the next file of the period is a correction against it. Pure and lossless:
`basis_from_json(basis_to_json(b)) == b` for every basis (tests/test_snapshot.py)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from .dto import Balance, Company, Employee, PayLine, PayrollBasis, ScheduleDay, TimeTransaction

VERSION = 1


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _parse_dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _tx(tx: TimeTransaction) -> dict[str, Any]:
    return {
        "paxml_code": tx.paxml_code,
        "date": _date(tx.date),
        "minutes": tx.minutes,
        "date_from": _date(tx.date_from),
        "date_to": _date(tx.date_to),
        "extent_percent": _dec(tx.extent_percent),
        "payroll_code": tx.payroll_code,
        "name": tx.name,
        "child_personnummer": tx.child_personnummer,
        "text": tx.text,
    }


def _pay(line: PayLine) -> dict[str, Any]:
    return {
        "paxml_code": line.paxml_code,
        "payroll_code": line.payroll_code,
        "date": _date(line.date),
        "quantity": _dec(line.quantity),
        "unit_price_ore": line.unit_price_ore,
        "amount_ore": line.amount_ore,
        "text": line.text,
        "name": line.name,
    }


def _employee(e: Employee) -> dict[str, Any]:
    return {
        "first_name": e.first_name,
        "last_name": e.last_name,
        "personnummer": e.personnummer,
        "employment_number": e.employment_number,
        "salary_form": e.salary_form,
        "schedule": [[d.date.isoformat(), d.minutes] for d in e.schedule],
        "time": [_tx(t) for t in e.time],
        "pay_lines": [_pay(p) for p in e.pay_lines],
        "balances": [
            {
                "paxml_code": b.paxml_code,
                "period_minutes": b.period_minutes,
                "closing_minutes": b.closing_minutes,
                "payroll_code": b.payroll_code,
                "name": b.name,
            }
            for b in e.balances
        ],
    }


def basis_to_json(basis: PayrollBasis) -> dict[str, Any]:
    """The basis as JSON primitives (dates ISO, decimals as strings, money in öre)."""
    return {
        "version": VERSION,
        "company": {"name": basis.company.name, "orgnr": basis.company.orgnr},
        "period_start": basis.period_start.isoformat(),
        "period_end": basis.period_end.isoformat(),
        "generated_at": basis.generated_at.isoformat(),
        "employees": [_employee(e) for e in basis.employees],
        "keeps_schedules": basis.keeps_schedules,
        "preliminary": basis.preliminary,
        "program_name": basis.program_name,
        "is_correction": basis.is_correction,
    }


def _parse_tx(data: dict[str, Any]) -> TimeTransaction:
    return TimeTransaction(
        data["paxml_code"],
        date=_parse_date(data["date"]),
        minutes=data["minutes"],
        date_from=_parse_date(data["date_from"]),
        date_to=_parse_date(data["date_to"]),
        extent_percent=_parse_dec(data["extent_percent"]),
        payroll_code=data["payroll_code"],
        name=data["name"],
        child_personnummer=data["child_personnummer"],
        text=data["text"],
    )


def _parse_pay(data: dict[str, Any]) -> PayLine:
    return PayLine(
        data["paxml_code"],
        data["payroll_code"],
        date=_parse_date(data["date"]),
        quantity=_parse_dec(data["quantity"]),
        unit_price_ore=data["unit_price_ore"],
        amount_ore=data["amount_ore"],
        text=data["text"],
        name=data["name"],
    )


def _parse_employee(data: dict[str, Any]) -> Employee:
    return Employee(
        data["first_name"],
        data["last_name"],
        data["personnummer"],
        data["employment_number"],
        data["salary_form"],
        schedule=tuple(ScheduleDay(dt.date.fromisoformat(d), m) for d, m in data["schedule"]),
        time=tuple(_parse_tx(t) for t in data["time"]),
        pay_lines=tuple(_parse_pay(p) for p in data["pay_lines"]),
        balances=tuple(Balance(**b) for b in data["balances"]),
    )


def basis_from_json(data: dict[str, Any]) -> PayrollBasis:
    """The basis `basis_to_json` wrote."""
    if data.get("version") != VERSION:
        raise ValueError(f"unknown payroll snapshot version {data.get('version')!r}")
    return PayrollBasis(
        Company(data["company"]["name"], data["company"]["orgnr"]),
        dt.date.fromisoformat(data["period_start"]),
        dt.date.fromisoformat(data["period_end"]),
        dt.datetime.fromisoformat(data["generated_at"]),
        tuple(_parse_employee(e) for e in data["employees"]),
        keeps_schedules=data["keeps_schedules"],
        preliminary=data["preliminary"],
        program_name=data["program_name"],
        is_correction=data["is_correction"],
    )
