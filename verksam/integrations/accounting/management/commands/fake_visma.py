"""Serve the local fake of Visma eEkonomi for development and browser tests:
`manage.py fake_visma [--port 8767] [--host 127.0.0.1]`."""

from verksam.integrations.accounting.fake_common import fake_command
from verksam.integrations.visma.fake.app import FakeVisma

Command = fake_command(FakeVisma)
