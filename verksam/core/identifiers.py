"""Swedish identifiers (DOMAIN.md "Identifiers"): personnummer stored as 12 digits,
organisationsnummer stored as 10 digits. Validation through the `personnummer` and
`organisationsnummer` libraries (both accept samordningsnummer)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from organisationsnummer import organisationsnummer as _org
from personnummer import personnummer as _pnr


def normalize_personnummer(value: str) -> str:
    """Return the 12-digit form (YYYYMMDDNNNC) or raise ValidationError."""
    raw = (value or "").strip()
    try:
        parsed = _pnr.Personnummer(raw)
    except Exception as exc:  # the library raises its own exception types
        raise ValidationError(_("Invalid personnummer."), code="invalid_personnummer") from exc
    return parsed.format(True)


def normalize_orgnr(value: str) -> str:
    """Return the 10-digit form of an organisationsnummer or raise ValidationError."""
    raw = (value or "").strip()
    try:
        parsed = _org.Organisationsnummer(raw)
    except Exception as exc:
        raise ValidationError(_("Invalid organisationsnummer."), code="invalid_orgnr") from exc
    return parsed.format(False)


def format_orgnr(value: str) -> str:
    return f"{value[:6]}-{value[6:]}" if len(value) == 10 else value


def mask_personnummer(value: str) -> str:
    """'19900101-****' for people who do not need the whole number."""
    return f"{value[:8]}-****" if len(value) == 12 else ""


def validate_personnummer(value: str) -> None:
    normalize_personnummer(value)


def validate_orgnr(value: str) -> None:
    normalize_orgnr(value)
