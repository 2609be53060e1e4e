"""The WSGI entry point served by gunicorn (docs/deploy.md).

It defaults to the production settings: a WSGI server started without DJANGO_SETTINGS_MODULE must
refuse to start on a missing secret rather than serve development settings with DEBUG on.
(`manage.py runserver` has already chosen its settings when it imports this module.)"""

import os

from django.core.wsgi import get_wsgi_application

from config.env import read_env

read_env()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()
