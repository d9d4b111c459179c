import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.evidence import corpus


@pytest.fixture
def upload():
    def make(
        data: bytes | None = None, name: str = "截图.png", content_type="application/octet-stream"
    ):
        return SimpleUploadedFile(name, corpus.png() if data is None else data, content_type)

    return make


@pytest.fixture
def attach(upload):
    from evidence.services import evidence_attach

    def do(actor, case, *, data=None, name="截图.png", kind="screenshot", description=""):
        return evidence_attach(
            actor=actor, case=case, upload=upload(data, name), kind=kind, description=description
        )

    return do
