"""Edge inputs on the pages added by issues 9 and 10 (payroll basis and files, bookkeeping, expenses,
trips, company cards, the firm's tabs): odd query parameters and ids answer 2xx/3xx/4xx, never 500."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from verksam.tenancy.models import Tenant

ODD = ["²", "٣", "0", "-1", "9" * 30, "9999-12", "0001-01", "x" * 2000, "2026-13", "\x00"]
HUGE = ("9" * 25, "2147483648", "9223372036854775808")


def _client(email):
    from verksam.accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="sv", raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    return client


@pytest.mark.django_db
def test_odd_parameters_and_ids_never_give_a_500(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", stdout=io.StringIO())
    b = Tenant.objects.get(slug="byggmastarna").slug
    pages = {
        "agnes@byggmastarna.test": [
            f"/t/{b}/payroll/?period={{v}}&target={{v}}",
            f"/t/{b}/payroll/dry-run/?period={{v}}&target={{v}}",
            f"/t/{b}/payroll/files/?period={{v}}&page={{v}}&export={{v}}&target={{v}}",
            f"/t/{b}/bookkeeping/?period={{v}}&series={{v}}&status={{v}}&page={{v}}",
            f"/t/{b}/bookkeeping/outlays/?period={{v}}",
            f"/t/{b}/attestation/claims/?period={{v}}&filter={{v}}",
            f"/t/{b}/settings/expenses/?x={{v}}",
        ],
        "hanna@byggmastarna.test": [
            f"/t/{b}/expenses/?period={{v}}&page={{v}}",
            f"/t/{b}/trips/?period={{v}}&page={{v}}",
        ],
        "lena@revisionsbyran.test": [
            f"/t/{b}/bookkeeping/private-outlays/?period={{v}}",
            f"/t/{b}/cards/booking/?period={{v}}",
            f"/t/{b}/payroll/?period={{v}}",
        ],
    }
    failures = []
    for email, urls in pages.items():
        client = _client(email)
        for url in urls:
            for value in ODD:
                response = client.get(url.format(v=value))
                if response.status_code >= 500:
                    failures.append((email, url.format(v=value)[:120], response.status_code))
    client = _client("agnes@byggmastarna.test")
    for huge in HUGE:
        for url in (
            f"/t/{b}/bookkeeping/vouchers/{huge}/",
            f"/t/{b}/payroll/files/{huge}/download/",
            f"/t/{b}/payroll/files/{huge}/status/",
            f"/t/{b}/expenses/{huge}/",
            f"/t/{b}/expenses/receipts/{huge}/",
            f"/t/{b}/trips/per-diem/{huge}/meals/",
            f"/t/{b}/cards/purchases/{huge}/",
            f"/t/{b}/settings/expenses/types/{huge}/",
            f"/t/{b}/settings/expenses/rates/{huge}/",
        ):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(("agnes", url, response.status_code))
    assert not failures, failures
