#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    from config.env import read_env

    read_env()
    # Development is the default here (`make run`); production sets
    # DJANGO_SETTINGS_MODULE=config.settings.prod in its environment file (docs/deploy.md).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
