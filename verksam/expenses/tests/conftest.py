import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from PIL import Image

from verksam.expenses.defaults import expenses_install_defaults
from verksam.tenancy.access import resolve
from verksam.tenancy.scope import tenant_scope

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# Wednesday 2 December 2026, noon in Stockholm: the December 2026 period (calendar month).
TODAY = dt.datetime(2026, 12, 2, 12, 0, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture
def defaults(tenant, other_tenant):
    expenses_install_defaults(tenant_id=tenant.pk)
    expenses_install_defaults(tenant_id=other_tenant.pk)


@pytest.fixture
def scoped(tenant):
    with tenant_scope(tenant.pk):
        yield tenant


def actor(tenant, user):
    result = resolve(user, tenant)
    assert result is not None
    return result


def jpeg_with_gps(size=(800, 600)) -> bytes:
    """A JPEG carrying EXIF with a GPS position (Stockholm) and a camera model."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "Phone 15"  # Model
    gps = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def heic_bytes() -> bytes:
    import pillow_heif  # noqa: F401  (registered by verksam.expenses.receipts)

    image = Image.new("RGB", (64, 48), (10, 200, 10))
    out = io.BytesIO()
    image.save(out, format="HEIF")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
