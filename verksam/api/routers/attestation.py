"""API of the attestation module."""

from ninja import Router

router = Router(tags=["attestation"])
