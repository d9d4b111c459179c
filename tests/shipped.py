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


# Every migration that ships or edits rule rows, in order, with its forward function.
RULE_MIGRATIONS = [
    ("cases.migrations.0006_deadline_rules", "ship_rules"),
    ("deadlines.migrations.0003_every_rule_warns", "forwards"),
    ("deadlines.migrations.0005_decision_rules", "forwards"),
    ("deadlines.migrations.0006_detail_date_rules", "forwards"),
    ("deadlines.migrations.0008_statutory_roll_over", "forwards"),
    ("deadlines.migrations.0010_distinct_answers", "forwards"),
]


def ship_rules() -> None:
    for module, function in RULE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(AppsAsMigrationsNameThem(), None)


def ship_bodies() -> None:
    bodies = importlib.import_module("channels.migrations.0002_external_bodies")
    bodies.ship_bodies(current_apps, None)
