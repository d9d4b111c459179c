"""Issue 12 moved the Celery tasks out of `cases`: a message queued under an old name by the
previous release is still run (passed on under the new name), not dropped as unknown."""

import importlib
from unittest import mock

import pytest

from config.celery import app

OLD_TO_NEW = {
    "cases.recompute_tasks.recompute_clocks_task": "deadlines.tasks.recompute_clocks_task",
    "cases.tasks.sweep_deadlines_task": "deadlines.tasks.sweep_deadlines_task",
    "cases.tasks.deliver_notifications": "notifications.tasks.deliver_notifications",
}
ARGUMENTS = {
    "cases.recompute_tasks.recompute_clocks_task": {
        "region": "CN",
        "dates": ["2026-03-04"],
        "ids": [7],
    },
    "cases.tasks.sweep_deadlines_task": {},
    "cases.tasks.deliver_notifications": {"ids": [1, 2]},
}


@pytest.mark.parametrize("old, new", OLD_TO_NEW.items())
def test_a_message_under_the_old_name_is_passed_on_to_the_new_task(old, new):
    importlib.import_module(new.rsplit(".", 1)[0])  # what the worker's autodiscovery imports
    assert old in app.tasks and new in app.tasks
    with mock.patch(new) as task:  # the module's name for the new task
        app.tasks[old].run(**ARGUMENTS[old])

    task.delay.assert_called_once_with(**ARGUMENTS[old])
