"""Tokens at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from SECRET_KEY, or from
ACCOUNTING_TOKEN_KEY when set (so the web secret can rotate without losing connections)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    secret = getattr(settings, "ACCOUNTING_TOKEN_KEY", "") or settings.SECRET_KEY
    key = hashlib.sha256(f"verksam.accounting-tokens:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii") if value else ""


def decrypt(value: str) -> str:
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode("ascii")).decode()
    except InvalidToken:
        return ""
