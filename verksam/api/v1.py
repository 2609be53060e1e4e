"""The v1 JSON API: /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI

from . import errors
from .auth import AUTH
from .routers import accounts, tenancy


class VerksamAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, plus the error answer every operation may give (`default`)."""
        return errors.document(super().get_openapi_schema(*args, **kwargs))


api = VerksamAPI(
    title="Verksam API",
    version="1",
    description="Verksam's API for the mobile app and integrations. Errors are `{code, message, extra}`; "
    "lists are paged with `page`, `page_size` and `total`; POST to a company honours `Idempotency-Key` "
    "(per user and company, kept 24 h; the same key with another body answers 422 `idempotency_key_reused`, "
    "one still running 409 `idempotency_key_in_progress`). Tokens and retries: docs/api.md.",
    auth=AUTH,
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("", accounts.router)
api.add_router("", tenancy.router)
api.add_router("", "verksam.api.routers.billing.router")
api.add_router("", "verksam.api.routers.projects.router")
api.add_router("", "verksam.api.routers.timecodes.router")
api.add_router("", "verksam.api.routers.timereporting.router")
api.add_router("", "verksam.api.routers.time_on_behalf.router")
api.add_router("", "verksam.api.routers.time_weeks.router")
api.add_router("", "verksam.api.routers.time_timer.router")
api.add_router("", "verksam.api.routers.attestation.router")
api.add_router("", "verksam.api.routers.payroll.router")
api.add_router("", "verksam.api.routers.schedules.router")
api.add_router("", "verksam.api.routers.mail.router")
api.add_router("", "verksam.api.routers.partners.router")
api.add_router("", "verksam.api.routers.documents.router")
api.add_router("", "verksam.api.routers.messaging.router")
api.add_router("", "verksam.api.routers.payroll_files.router")
api.add_router("", "verksam.api.routers.integrations_accounting.router")
api.add_router("", "verksam.api.routers.bookkeeping.router")
api.add_router("", "verksam.api.routers.expenses.router")
api.add_router("", "verksam.api.routers.cards.router")
