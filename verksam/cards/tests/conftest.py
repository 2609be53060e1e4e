import pytest

from verksam.expenses.tests.conftest import TODAY, jpeg_with_gps, today  # noqa: F401  (fixtures)
from verksam.tenancy.models import Membership
from verksam.tenancy.scope import tenant_scope


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def holder(tenant, employee):
    with tenant_scope(tenant.pk):
        return Membership.objects.get(user=employee)
