"""API of the projects module."""

from ninja import Router

router = Router(tags=["projects"])
