"""API of the timereporting module."""

from ninja import Router

router = Router(tags=["timereporting"])
