import pytest

from tests.channels.web import HttpsClient


@pytest.fixture
def directory(db):
    """The shipped directory of bodies. It comes from a data migration; a transactional test
    (the browser tests) flushes it away for whatever runs after, so the web tests put it back."""
    from importlib import import_module

    from django.apps import apps

    import_module("channels.migrations.0002_external_bodies").ship_bodies(apps, None)


@pytest.fixture
def web():
    """A browser-like client over HTTPS, in English."""
    return HttpsClient()


@pytest.fixture
def web_as(web):
    def login(user):
        web.force_login(user)
        return web

    return login


@pytest.fixture
def log_contact(db):
    """Log a contact through the service, as the API or an earlier visit would have."""
    from channels.services import contact_log
    from tests.channels.web import contact_fields

    def log(actor, case, **overrides):
        return contact_log(actor=actor, case=case, **contact_fields(**overrides)).entry

    return log


@pytest.fixture
def attach(db):
    """Keep a real evidence file on a case, through the evidence service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_attach
    from tests.evidence import corpus

    def do(actor, case, *, name="截图.png", kind="screenshot", description=""):
        upload = SimpleUploadedFile(name, corpus.png(), "application/octet-stream")
        return evidence_attach(
            actor=actor, case=case, upload=upload, kind=kind, description=description
        )

    return do
