"""Partner portal figures for `make bench` (issue 11's performance section).

- Mina samarbeten and the exceptions inbox of a partner with 1,000 customers: SQL query count
  (must equal the count with 10 customers) and time per request;
- upload and download of a 100 MB file: time and the process's peak memory growth (bounded: the
  upload is spooled to disk by Django and hashed in chunks; the download is streamed).
"""

import os
import resource
import time

from django.db import connection
from django.test import Client

N_CUSTOMERS = 1_000
BIG_FILE_MB = 100


def _firm_with_customers(n: int):
    from django.utils import timezone

    from verksam.tenancy.models import Licence, PartnerGrant, PartnerLevel, Tenant, Variant
    from verksam.tenancy.scope import tenant_scope
    from verksam.tenancy.tests.factories import MembershipFactory, TenantFactory, UserFactory

    firm = TenantFactory(slug="bench-byra", variant=Variant.PARTNER)
    partner = UserFactory(email="partner@bench.test", personnummer_verified_at=timezone.now())
    MembershipFactory(tenant=firm, user=partner, licence=Licence.TOTAL)
    customers = Tenant.objects.bulk_create(
        [Tenant(name=f"Kund {i:04d} AB", orgnr="5560160680", slug=f"bench-kund-{i}") for i in range(n)]
    )
    for customer in customers:  # one scope per customer: row-level security admits each insert
        with tenant_scope(customer.pk):
            PartnerGrant.objects.create(
                tenant=customer, partner_tenant=firm, user=partner, level=PartnerLevel.FULL
            )
    return firm, partner, customers


def _measure(client: Client, url: str, rounds: int = 3) -> tuple[int, float, int]:
    client.get(url)  # warm
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    started = time.perf_counter()
    for _ in range(rounds):
        client.get(url)
    return len(executed), (time.perf_counter() - started) / rounds, response.status_code


def bench_lists():
    firm, partner, customers = _firm_with_customers(N_CUSTOMERS)
    client = Client()
    client.force_login(partner)
    for name, path in (("Mina samarbeten", "portal/"), ("exceptions inbox", "portal/inbox/")):
        queries, seconds, status = _measure(client, f"/t/{firm.slug}/{path}")
        ms = seconds * 1000
        print(f"  {name} with {N_CUSTOMERS} customers: HTTP {status}, {queries} queries, {ms:.0f} ms")
    api_queries, api_seconds, _ = _measure(client, f"/api/v1/tenants/{firm.pk}/collaborations?page_size=200")
    ms = api_seconds * 1000
    print(f"  GET /collaborations (page of 200 of {N_CUSTOMERS}): {api_queries} queries, {ms:.0f} ms")
    return firm, partner, customers[0]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_big_file(firm, partner, customer) -> None:
    """Our code's memory, not the test client's (which builds a whole multipart body in memory):
    the upload as Django hands it to the view (a file spooled to disk), and the download streamed."""
    import tempfile

    from django.conf import settings
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from verksam.documents import services
    from verksam.tenancy.access import resolve
    from verksam.tenancy.scope import tenant_scope

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="verksam-bench-media-")
    with tenant_scope(customer.pk):
        actor = resolve(partner, customer)
        folder = services.folder_create(actor=actor, firm_id=firm.pk, name="Stort")
        upload = TemporaryUploadedFile("stor.pdf", "application/pdf", BIG_FILE_MB * 2**20, None)
        upload.write(b"%PDF-1.4\n")
        chunk = os.urandom(1024 * 1024)
        for _ in range(BIG_FILE_MB):
            upload.write(chunk)
        upload.flush()
        before = _peak_mb()
        started = time.perf_counter()
        document = services.document_upload(actor=actor, folder=folder, upload=upload)
        upload_s = time.perf_counter() - started
        upload_growth = _peak_mb() - before
    client = Client()
    client.force_login(partner)
    started = time.perf_counter()
    response = client.get(f"/t/{customer.slug}/documents/files/{document.pk}/download/")
    size = sum(len(part) for part in response.streaming_content)
    download_s = time.perf_counter() - started
    print(
        f"  {BIG_FILE_MB} MB file: upload {upload_s:.1f} s (peak memory +{upload_growth:.0f} MB), "
        f"download {download_s:.1f} s ({size // 2**20} MB, peak memory +{_peak_mb() - before:.0f} MB)"
    )


def run() -> None:
    print("Partner portal:")
    firm, partner, customer = bench_lists()
    bench_big_file(firm, partner, customer)
