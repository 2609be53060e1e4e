"""API of the timecodes module."""

from ninja import Router

router = Router(tags=["timecodes"])
