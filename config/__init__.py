"""The project itself: settings from the environment, the URL maps (the one place every app's
pages and API are listed), the Celery app, health checks and the errors every layer raises."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
