#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # manage.py is the developer's entry point: a fresh clone's `manage.py shell` or
    # `makemigrations` works without a secret. Servers start through config/wsgi.py, where
    # DEBUG stays off unless set, and the Docker image sets DEBUG=0 for every command.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
