"""Serve the local fake of Visma for development and browser tests: `manage.py fake_visma [--port 8767]`."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand

from verksam.integrations.accounting.fake_common import serve
from verksam.integrations.visma.fake.app import FakeVisma


class Command(BaseCommand):
    help = "Serve the fake Visma (OAuth2 + vouchers + attachments) on localhost (default port 8767)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, port: int, host: str, **options) -> None:
        fake = FakeVisma(client_id=settings.VISMA_CLIENT_ID, client_secret=settings.VISMA_CLIENT_SECRET)
        server, thread = serve(fake, host, port)
        self.stdout.write(f"Fake Visma on http://{host}:{server.server_port} (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            thread.join()
        server.shutdown()
