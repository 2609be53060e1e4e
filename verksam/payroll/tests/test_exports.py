"""The export history (issue 9 items 3, 5 and 6): every stored file XSD-valid, the refusal with
every problem and nothing stored, byte-identical downloads, the correction file, and a task run twice
making one file. The basis comes from `tests/builders.py` (the selector's own tests cover how it is
read from attested time)."""

import dataclasses
import datetime as dt
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from verksam.attestation.models import PeriodClose
from verksam.audit.models import AuditEvent
from verksam.core.errors import Conflict, DomainError
from verksam.mail.models import OutgoingMail
from verksam.payroll import paxml, tlu
from verksam.payroll.dto import PayLine, Target
from verksam.payroll.exports import basis as export_basis
from verksam.payroll.exports import services
from verksam.payroll.exports.tasks import payroll_export_task
from verksam.payroll.models import ExportKind, ExportStatus, PayrollExport
from verksam.payroll.snapshot import basis_from_json, basis_to_json
from verksam.tenancy.access import resolve
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope

from . import builders
from .conftest import PERIOD


def _start(user, tenant, member_ids, target="paxml"):
    actor = resolve(user, tenant)
    with tenant_scope(tenant.pk):
        export = services.payroll_export_start(
            actor=actor, period_key=PERIOD, target=target, member_ids=member_ids
        )
    return export


def _run(tenant, django_capture_on_commit_callbacks, user, member_ids, target="paxml"):
    with django_capture_on_commit_callbacks(execute=True):
        export = _start(user, tenant, member_ids, target)
    with tenant_scope(tenant.pk):
        return PayrollExport.objects.get(pk=export.pk)


def _bytes(tenant, export) -> bytes:
    with tenant_scope(tenant.pk), default_storage.open(export.file.name, "rb") as f:
        return f.read()


@pytest.mark.parametrize("target", [t.value for t in Target])
def test_every_stored_file_is_valid_against_its_xsd(
    tenant, owner, member_ids, sixteenth, current, django_capture_on_commit_callbacks, target
):
    export = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids, target)
    assert export.status == ExportStatus.DONE, export.problems
    content = _bytes(tenant, export)
    validator = tlu.VALIDATOR if target == "visma" else paxml.VALIDATOR
    assert validator.errors(content) == []
    assert export.sha256 == hashlib.sha256(content).hexdigest() and export.size == len(content)
    assert export.file_name == f"lonefil_{target}_20261216_20270115.{'tlu' if target == 'visma' else 'xml'}"
    assert export.kind == ExportKind.NORMAL and export.progress_done == export.progress_total
    assert basis_from_json(export.snapshot) == current["basis"]


def test_snapshot_round_trip_is_lossless():
    basis = builders.basis(preliminary=True)
    assert basis_from_json(basis_to_json(basis)) == basis


def test_refused_export_keeps_every_problem_and_no_file(
    tenant, owner, member_ids, sixteenth, current, missing_row, django_capture_on_commit_callbacks, swedish
):
    # an unattested day, an employee without employment number, a bad personnummer, an unmapped code
    basis = builders.with_employee(builders.basis(preliminary=True), "20017", employment_number="")
    basis = builders.with_employee(basis, "30005", personnummer="19750505438")
    asa = builders.employee(basis, "1001")
    basis = builders.with_employee(
        basis,
        "1001",
        pay_lines=asa.pay_lines + (PayLine(payroll_code="", paxml_code="NOPE", amount_ore=100),),
    )
    current["basis"] = basis
    current["missing"] = [missing_row(member_ids[0], "Erik Anställd", "17", dt.date(2027, 1, 14), "open")]
    before = (
        set(default_storage.listdir(f"payroll/{tenant.pk}")[1])
        if default_storage.exists(f"payroll/{tenant.pk}")
        else set()
    )
    export = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    assert export.status == ExportStatus.FAILED
    assert not export.file and export.sha256 == "" and export.snapshot == {}
    kinds = [p["kind"] for p in export.problems]
    assert kinds.count("unattested") == 1
    assert {"missing_employment_number", "invalid_personnummer", "unmapped_code"} <= set(kinds)
    assert "Filen skapades inte" in export.error or "lönefilen" in export.error.lower()
    unattested = next(p for p in export.problems if p["kind"] == "unattested")
    assert unattested["member_id"] == member_ids[0] and "2027-01-14" in unattested["message"]
    after = (
        set(default_storage.listdir(f"payroll/{tenant.pk}")[1])
        if default_storage.exists(f"payroll/{tenant.pk}")
        else set()
    )
    assert after == before


def test_task_run_twice_makes_one_file(
    tenant, owner, member_ids, sixteenth, current, django_capture_on_commit_callbacks
):
    export = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    first = (export.file.name, export.sha256)
    assert payroll_export_task.call(tenant_id=tenant.pk, export_id=export.pk) is None
    with tenant_scope(tenant.pk):
        again = PayrollExport.objects.get(pk=export.pk)
        assert (again.file.name, again.sha256) == first
        assert PayrollExport.objects.count() == 1
        assert AuditEvent.objects.filter(action="payroll.export_done").count() == 1


def test_a_queued_task_started_twice_stores_once(tenant, owner, member_ids, sixteenth, current):
    export = _start(owner, tenant, member_ids)  # on_commit not run: still queued
    payroll_export_task.call(tenant_id=tenant.pk, export_id=export.pk)
    payroll_export_task.call(tenant_id=tenant.pk, export_id=export.pk)
    with tenant_scope(tenant.pk):
        assert AuditEvent.objects.filter(action="payroll.export_done").count() == 1
        assert PayrollExport.objects.get(pk=export.pk).status == ExportStatus.DONE


def test_a_second_export_of_the_same_period_waits_for_the_first(
    tenant, owner, member_ids, sixteenth, current
):
    _start(owner, tenant, member_ids)
    with pytest.raises(Conflict) as exc:
        _start(owner, tenant, member_ids)
    assert exc.value.code == "export_running"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"target": "sap"}, "invalid_target"),
        ({"period_key": "2027-13"}, "invalid_period"),
        ({"member_ids": []}, "no_employees"),
        ({"member_ids": [999999]}, "invalid_employee"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(tenant, owner, member_ids, sixteenth, changes, code):
    args = {"period_key": PERIOD, "target": "paxml", "member_ids": member_ids, **changes}
    with tenant_scope(tenant.pk):
        with pytest.raises(DomainError) as exc:
            services.payroll_export_start(actor=resolve(owner, tenant), **args)
        assert exc.value.code == code
        assert not PayrollExport.objects.exists()


def test_another_tenants_member_is_unknown(tenant, owner, other_tenant, sixteenth):
    with tenant_scope(other_tenant.pk):
        theirs = list(Membership.objects.values_list("pk", flat=True))
    with tenant_scope(tenant.pk), pytest.raises(DomainError) as exc:
        services.payroll_export_start(
            actor=resolve(owner, tenant), period_key=PERIOD, target="paxml", member_ids=theirs
        )
    assert exc.value.code == "invalid_employee"


def test_download_is_byte_identical_and_audited(
    tenant, owner, partner_limited, member_ids, sixteenth, current, django_capture_on_commit_callbacks
):
    export = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    with tenant_scope(tenant.pk):
        once = services.payroll_export_download(actor=resolve(owner, tenant), export=export)
        twice = services.payroll_export_download(actor=resolve(partner_limited, tenant), export=export)
        assert hashlib.sha256(once).hexdigest() == hashlib.sha256(twice).hexdigest() == export.sha256
        partner_row = AuditEvent.objects.filter(action="payroll.export_download").order_by("-pk").first()
        assert partner_row.partner_tenant_id is not None and partner_row.user == partner_limited


def test_a_later_change_makes_a_correction_file_with_only_the_differences(
    tenant, owner, partner_limited, member_ids, sixteenth, current, django_capture_on_commit_callbacks
):
    first = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    assert first.kind == ExportKind.NORMAL
    # the period is closed, then reopened: a day of Åsa's overtime re-attested shorter, and a new outlay
    now = timezone.now()
    with tenant_scope(tenant.pk):
        PeriodClose.objects.create(
            tenant=tenant,
            period_key=PERIOD,
            start=builders.START,
            end=builders.END,
            reopened_at=now,
            reopen_reason="Övertid rättad",
        )
    basis = current["basis"]
    asa = builders.employee(basis, "1001")
    time = tuple(dataclasses.replace(t, minutes=60) if t.paxml_code == "ÖT1" else t for t in asa.time)
    late = PayLine(
        "UTLÄGG", "U10", date=dt.date(2027, 1, 14), amount_ore=5000, text="Parkering", name="Utlägg"
    )
    current["basis"] = builders.with_employee(basis, "1001", time=time, pay_lines=asa.pay_lines + (late,))
    second = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    assert second.kind == ExportKind.CORRECTION and second.status == ExportStatus.DONE, second.problems
    assert second.file_name == "lonefil_korrigering_paxml_20261216_20270115.xml"
    assert second.baseline_id == first.pk
    lines = paxml.read_paxml(_bytes(tenant, second))
    assert {r.anstid for r in lines} == {"1001"}
    times = [r.line for r in lines if not isinstance(r.line, PayLine)]
    pays = [r.line for r in lines if isinstance(r.line, PayLine)]
    assert [(t.paxml_code, t.date, t.minutes) for t in times] == [("ÖT1", dt.date(2027, 1, 12), -35)]
    assert [(p.paxml_code, p.amount_ore) for p in pays] == [("UTLÄGG", 5000)]
    with tenant_scope(tenant.pk):
        close = PeriodClose.objects.get(period_key=PERIOD)
        assert close.correction_handled_at is not None
        mails = set(OutgoingMail.objects.filter(kind="payroll_correction").values_list("to", flat=True))
    assert {owner.email, partner_limited.email} <= mails
    # the snapshot now holds the corrected basis: nothing more to correct
    third = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    assert third.status == ExportStatus.FAILED and third.baseline_id == second.pk
    assert not third.file and third.error and third.problems == []


def test_employees_not_chosen_for_a_correction_stay_as_exported(
    tenant, owner, member_ids, sixteenth, current, django_capture_on_commit_callbacks
):
    _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    basis = current["basis"]
    only_asa = dataclasses.replace(basis, employees=(builders.employee(basis, "1001"),))
    asa = only_asa.employees[0]
    current["basis"] = builders.with_employee(only_asa, "1001", time=asa.time[:-1])  # the FLX day is gone
    second = _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    lines = paxml.read_paxml(_bytes(tenant, second))
    assert {r.anstid for r in lines} == {"1001"}  # Łukasz and Elif are not reversed
    assert {e.employment_number for e in basis_from_json(second.snapshot).employees} == {
        "1001",
        "20017",
        "30005",
    }


def test_an_error_while_reading_the_basis_is_recorded_not_left_running(
    tenant, owner, member_ids, sixteenth, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(export_basis, "basis_and_missing", broken)
    export = _start(owner, tenant, member_ids)
    with pytest.raises(RuntimeError):
        payroll_export_task.call(tenant_id=tenant.pk, export_id=export.pk)
    with tenant_scope(tenant.pk):
        export.refresh_from_db()
        assert export.status == ExportStatus.FAILED and export.error and not export.file
    _start(owner, tenant, member_ids)  # the period is not blocked


def test_a_stale_running_export_does_not_block_the_period(tenant, owner, member_ids, sixteenth):
    export = _start(owner, tenant, member_ids)
    with tenant_scope(tenant.pk):
        PayrollExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.RUNNING, created_at=timezone.now() - dt.timedelta(hours=2)
        )
    assert _start(owner, tenant, member_ids).pk != export.pk


def _close_and_reopen(tenant, owner):
    from verksam.attestation.services import period_reopen

    with tenant_scope(tenant.pk):
        PeriodClose.objects.create(tenant=tenant, period_key=PERIOD, start=builders.START, end=builders.END)
        period_reopen(actor=resolve(owner, tenant), period_key=PERIOD, reason="Övertid rättad")
        return set(OutgoingMail.objects.filter(kind="payroll_period_reopened").values_list("to", "subject"))


def test_reopening_an_exported_period_tells_payroll_and_the_firm_at_once(
    tenant, owner, partner_limited, member_ids, sixteenth, current, django_capture_on_commit_callbacks
):
    _run(tenant, django_capture_on_commit_callbacks, owner, member_ids)
    mails = _close_and_reopen(tenant, owner)
    assert {to for to, _ in mails} >= {owner.email, partner_limited.email}
    assert all(PERIOD in subject for _, subject in mails)


def test_reopening_a_period_without_a_file_mails_nobody(tenant, owner, member_ids, sixteenth, current):
    assert _close_and_reopen(tenant, owner) == set()
