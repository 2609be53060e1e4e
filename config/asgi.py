"""The ASGI entry point; like config.wsgi it defaults to the production settings."""

import os

from django.core.asgi import get_asgi_application

from config.env import read_env

read_env()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_asgi_application()
