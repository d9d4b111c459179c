"""seed_demo attaches the real evidence files of demo/files/ through the same service as any
upload."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Case
from evidence.background import evidence_verify
from evidence.models import EvidenceItem
from evidence.selectors import evidence_checklist

pytestmark = pytest.mark.django_db


def _seed():
    call_command("seed_demo", force=True, stdout=StringIO())


def test_demo_cases_have_real_evidence_with_thumbnails(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _seed()

    items = EvidenceItem.objects.all()
    assert items.count() >= 10
    assert {"image/png", "image/jpeg", "application/pdf", "text/plain"} <= set(
        items.values_list("content_type", flat=True)
    )
    assert evidence_verify().ok  # every stored file matches the hash taken on upload
    images = items.filter(content_type__startswith="image/")
    assert images.exists()
    assert not images.filter(thumbnail_name="").exists()

    deposit = Case.objects.get(title__startswith="退店五周")
    checklist = evidence_checklist(case=deposit, items=list(deposit.evidence.all()))
    done = [entry["done"] for entry in checklist]
    assert any(done) and not all(done)  # the demo shows what is still missing, too


def test_evidence_is_not_attached_twice():
    _seed()
    count = EvidenceItem.objects.count()
    _seed()
    assert EvidenceItem.objects.count() == count
