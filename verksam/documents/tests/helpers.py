from django.core.files.uploadedfile import SimpleUploadedFile

from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="avtal.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/octet-stream")


def actor(user, tenant):
    a = resolve(user, tenant)
    assert a is not None
    return a


def as_(user, tenant, func, **kwargs):
    """Call a service as `user` in `tenant`, inside the tenant's scope (as a view does)."""
    with tenant_scope(tenant.pk):
        return func(actor=actor(user, tenant), **kwargs)
