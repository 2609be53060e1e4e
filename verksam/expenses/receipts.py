"""Receipt files (issue 10 item 1; DESIGN.md rule 17): the type is sniffed from the content, the
size is limited (settings.EXPENSES_MAX_RECEIPT_BYTES) before the content is read, images are
re-encoded from their pixels so no EXIF (GPS position, camera, time) survives, HEIC is converted to
JPEG (phones' default), and a JPEG thumbnail is made. PDFs are stored as they are."""

import hashlib
import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from verksam.core.errors import DomainError
from verksam.core.uploads import SNIFF_BYTES, size_text, sniff

pillow_heif.register_heif_opener()

RECEIPT_TYPES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/heif": "HEIC",
    "application/pdf": "PDF",
}
THUMBNAIL_SIZE = (320, 320)
# A receipt photo is a few megapixels; a larger one is refused before it is decoded (decompression
# bombs: a small file can declare a huge image).
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class ProcessedReceipt:
    content: bytes
    content_type: str
    thumbnail: bytes | None
    sha256: str


def too_large_error(limit: int) -> DomainError:
    return DomainError(
        _("The receipt is larger than %(limit)s.") % {"limit": size_text(limit)},
        code="too_large",
        extra={"field": "file", "limit_bytes": limit},
    )


def _broken() -> DomainError:
    return DomainError(
        _("The image could not be read. Take the photo again or upload a PDF."),
        code="broken_image",
        extra={"field": "file"},
    )


def _open_image(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise _broken()
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _broken() from exc
    except Image.DecompressionBombWarning as exc:
        raise _broken() from exc
    return image


def _clean_image(data: bytes, mime: str) -> tuple[bytes, str, bytes]:
    image = _open_image(data)
    # Turn the pixels the way the camera held them, then re-encode the pixels alone: EXIF, XMP and
    # ICC text blocks of the original are not carried over.
    image = ImageOps.exif_transpose(image) or image
    keep_png = mime == "image/png"
    mode = "RGBA" if keep_png and image.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = Image.new(mode, image.size)
    pixels.paste(image.convert(mode))
    out = io.BytesIO()
    if keep_png:
        pixels.save(out, format="PNG", optimize=True)
        content_type = "image/png"
    else:
        pixels.save(out, format="JPEG", quality=88)
        content_type = "image/jpeg"
    thumb = pixels.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    return out.getvalue(), content_type, thumb_out.getvalue()


def receipt_process(upload, name: str = "") -> ProcessedReceipt:
    """The stored form of an uploaded receipt, or a DomainError (too large, not an image or PDF,
    broken image)."""
    limit = settings.EXPENSES_MAX_RECEIPT_BYTES
    if upload.size is not None and upload.size > limit:
        raise too_large_error(limit)  # known from the upload's headers: the content is not read
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    mime = sniff(head, name, allowed=RECEIPT_TYPES)
    data = head + upload.read(limit + 1 - len(head))
    if len(data) > limit:
        raise too_large_error(limit)
    if mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise DomainError(
                _("The PDF is incomplete or damaged."), code="broken_pdf", extra={"field": "file"}
            )
        return ProcessedReceipt(data, mime, None, hashlib.sha256(data).hexdigest())
    content, content_type, thumb = _clean_image(data, mime)
    return ProcessedReceipt(content, content_type, thumb, hashlib.sha256(content).hexdigest())
