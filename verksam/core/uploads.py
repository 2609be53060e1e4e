"""File names and types of uploaded files: documents and message attachments (DESIGN.md rule 17,
issue 11 "Bad input").

The allowed types (docs/documents.md) are decided from the file's first bytes, never from the name the
client sends: PDF, images (JPEG, PNG, GIF, WebP, HEIC, TIFF), Office and OpenDocument files, ZIP, and
plain text (.txt, .csv, .xml, SIE .se/.si/.sie) that holds no NUL byte.
"""

import hashlib
import unicodedata

import filetype
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.translation import gettext as _

from verksam.core.errors import DomainError

MAX_NAME_LENGTH = 200
SNIFF_BYTES = 8192

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (.ods)",
    "application/zip": "ZIP",
    "text/plain": "text",
    "text/csv": "CSV",
    "application/xml": "XML",
}
TEXT_EXTENSIONS = {"txt": "text/plain", "csv": "text/csv", "xml": "application/xml"}
TEXT_EXTENSIONS |= {ext: "text/plain" for ext in ("se", "si", "sie", "md")}
_FORBIDDEN = set('/\\:*?"<>|')
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def clean_name(raw: str) -> str:
    """The name as stored, or a DomainError: no path parts, control or format characters (incl.
    bidirectional overrides), nothing only of dots, at most 200 characters."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name or set(name) <= {"."}:
        raise DomainError(_("Enter a file name."), code="invalid_name", extra={"field": "name"})
    bad = any(unicodedata.category(ch)[0] == "C" for ch in name) or bool(_FORBIDDEN & set(name))
    if bad:
        raise DomainError(
            _('A name cannot contain / \\ : * ? " < > | or control characters.'),
            code="invalid_name",
            extra={"field": "name"},
        )
    if name.split(".")[0].casefold() in _WINDOWS_RESERVED or name.endswith("."):
        raise DomainError(
            _("That name is not allowed for a file."), code="invalid_name", extra={"field": "name"}
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            _("A name can be at most %(n)d characters long.") % {"n": MAX_NAME_LENGTH},
            code="invalid_name",
            extra={"field": "name"},
        )
    return name


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def sniff(head: bytes, name: str, allowed: dict[str, str] | None = None) -> str:
    """The content type of a file whose first bytes are `head`, or a DomainError when not allowed
    (`allowed`: a narrower set than the documents' ALLOWED_TYPES, e.g. receipts)."""
    allowed = ALLOWED_TYPES if allowed is None else allowed
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
    elif b"\x00" not in head and _extension(name) in TEXT_EXTENSIONS:
        mime = TEXT_EXTENSIONS[_extension(name)]
    else:
        mime = ""
    if mime not in allowed:
        raise DomainError(
            _("This type of file cannot be uploaded. Allowed: %(types)s.")
            % {"types": ", ".join(dict.fromkeys(allowed.values()))},
            code="file_type_not_allowed",
            extra={"content_type": mime or "unknown"},
        )
    return mime


def read_head_and_hash(upload) -> tuple[bytes, str, int]:
    # In chunks: a 100 MB file never sits in memory whole (Django spools uploads over 2.5 MB to disk).
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return head, digest.hexdigest(), size


def size_text(size: int) -> str:
    """1 234 567 bytes as "1,2 MB" (Swedish decimal comma)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{size} B"


def private_file_response(name: str, content_type: str) -> FileResponse:
    """A stored file served to one permitted reader: never sniffed by the browser, never cached."""
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
