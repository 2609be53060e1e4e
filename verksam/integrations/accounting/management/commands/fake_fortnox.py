"""Serve the local fake of Fortnox for development and browser tests:
`manage.py fake_fortnox [--port 8766] [--host 127.0.0.1]`."""

from verksam.integrations.accounting.fake_common import fake_command
from verksam.integrations.fortnox.fake.app import FakeFortnox

Command = fake_command(FakeFortnox)
