"""Data that migrations ship (the deadline rules, the directory of bodies), for tests whose
transactional flush empties it: written again by the migrations' own functions."""

import importlib

from django.apps import apps as current_apps


class AppsAsMigrationsNameThem:
    """Today's models under the names the older migrations use: the clocks were in `cases`
    until cases 0019 (issue 12)."""

    MOVED = {
        ("cases", "deadlinerule"): ("deadlines", "DeadlineRule"),
        ("cases", "deadline"): ("deadlines", "Deadline"),
    }

    def get_model(self, app_label, model_name):
        where = self.MOVED.get((app_label, model_name.lower()), (app_label, model_name))
        return current_apps.get_model(*where)


def ship_rules() -> None:
    rules = importlib.import_module("cases.migrations.0006_deadline_rules")
    rules.ship_rules(AppsAsMigrationsNameThem(), None)


def ship_bodies() -> None:
    bodies = importlib.import_module("channels.migrations.0002_external_bodies")
    bodies.ship_bodies(current_apps, None)
