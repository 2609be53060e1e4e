"""Serve the local fake payment provider for development and browser tests:
`manage.py fake_payment_provider [--port 8765]`."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the fake payment provider on localhost (default port 8765)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options) -> None:
        from wsgiref.simple_server import make_server

        # Imported here: billing never imports verksam.integrations at module level (DESIGN.md rule 13).
        from verksam.integrations.payment.fake.app import FakePaymentProvider

        fake = FakePaymentProvider(api_key=settings.PAYMENT_PROVIDER_API_KEY)
        with make_server(host, port, fake) as server:
            self.stdout.write(f"Fake payment provider on http://{host}:{port} (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
