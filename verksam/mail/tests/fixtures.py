"""The `smtp` fixture: a real SMTP server in-process (loaded through `pytest_plugins`)."""

import pytest

from verksam.mail.tests.smtp import RefusingHandler, start


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost, with Django's SMTP backend pointed at it."""
    handler = RefusingHandler()
    controller = start(handler)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()
