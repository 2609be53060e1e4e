"""Serve the local fake of Fortnox for development and browser tests:
`manage.py fake_fortnox [--port 8766]`."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand

from verksam.integrations.accounting.fake_common import serve
from verksam.integrations.fortnox.fake.app import FakeFortnox


class Command(BaseCommand):
    help = "Serve the fake Fortnox (OAuth2 + vouchers + attachments) on localhost (default port 8766)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8766)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options) -> None:
        fake = FakeFortnox(client_id=settings.FORTNOX_CLIENT_ID, client_secret=settings.FORTNOX_CLIENT_SECRET)
        server, thread = serve(fake, host, port)
        self.stdout.write(f"Fake Fortnox on http://{host}:{server.server_port} (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            thread.join()
        server.shutdown()
