"""The WSGI entry point gunicorn loads."""

import gc
import importlib


def test_start_up_objects_are_frozen_out_of_the_collectors_walks():
    gc.unfreeze()
    wsgi = importlib.reload(importlib.import_module("config.wsgi"))
    try:
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
