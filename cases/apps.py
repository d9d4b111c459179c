from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # Celery's autodiscovery imports each app's `tasks` module only; the calendar
        # recompute task lives in a module of its own and must be registered in the worker.
        from cases import recompute_tasks  # noqa: F401
