"""Receipt files: sniffed, size-limited, EXIF (GPS) removed, HEIC converted, thumbnails."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from verksam.core.errors import DomainError
from verksam.expenses import services

from .conftest import actor, heic_bytes, jpeg_with_gps, pdf_bytes

pytestmark = pytest.mark.django_db


def upload(scoped, user, data, name="kvitto.jpg"):
    return services.receipt_upload(actor=actor(scoped, user), upload=SimpleUploadedFile(name, data))


def test_the_gps_position_and_camera_are_removed(scoped, employee):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file has GPS
    receipt = upload(scoped, employee, original)
    with receipt.file.open("rb") as f:
        stored = f.read()
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825)
    assert 0x0110 not in exif
    assert b"Phone 15" not in stored
    assert receipt.content_type == "image/jpeg"
    with receipt.thumbnail.open("rb") as f:
        thumb = Image.open(io.BytesIO(f.read()))
    assert max(thumb.size) <= 320
    assert receipt.file.name.startswith(f"receipts/{scoped.pk}/")


def test_heic_is_converted_to_jpeg(scoped, employee):
    receipt = upload(scoped, employee, heic_bytes(), "IMG_0001.HEIC")
    assert receipt.content_type == "image/jpeg"
    with receipt.file.open("rb") as f:
        assert Image.open(io.BytesIO(f.read())).format == "JPEG"


def test_a_pdf_is_kept_as_it_is(scoped, employee):
    receipt = upload(scoped, employee, pdf_bytes(), "kvitto.pdf")
    assert receipt.content_type == "application/pdf"
    assert not receipt.thumbnail


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"just some text, not a photo\n" * 10, "file_type_not_allowed"),  # text named .jpg
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200, "broken_image"),  # a broken JPEG
        (b"GIF89a" + b"\x00" * 100, "file_type_not_allowed"),  # a GIF is no receipt type
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(scoped, employee, data, code, settings, tmp_path):
    from verksam.expenses.models import Receipt

    with pytest.raises(DomainError) as exc:
        upload(scoped, employee, data)
    assert exc.value.code == code
    assert not Receipt.objects.exists()


def test_a_file_over_the_limit_is_refused_from_its_size_alone(scoped, employee, settings):
    settings.EXPENSES_MAX_RECEIPT_BYTES = 1000

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):  # the content must not be read at all
            raise AssertionError("read")

    big = Unreadable("stor.jpg", b"x" * 2000)
    with pytest.raises(DomainError) as exc:
        services.receipt_upload(actor=actor(scoped, employee), upload=big)
    assert exc.value.code == "too_large"
