"""The evidence admin is read-only, and failed integrity checks reach staff on the dashboard."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from evidence.background import evidence_verify
from evidence.models import IntegrityCheck
from evidence.services import evidence_remove
from evidence.tasks import verify_all_evidence
from tests.evidence import corpus


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def admin_client(client, make_user):
    root = make_user("root", role="staff", is_superuser=True, is_staff=True)
    client.force_login(root)
    return client


@pytest.fixture
def evidence(alice, alice_case, attach):
    kept = attach(alice, alice_case, data=corpus.png(), name="截图.png")
    removed = attach(alice, alice_case, data=corpus.PDF, name="notice.pdf", kind="platform_notice")
    evidence_remove(actor=alice, item=removed)
    return kept, removed


@pytest.fixture
def failed_check(alice_case, evidence, evidence_dir):
    kept, _removed = evidence
    (evidence_dir / kept.stored_name).unlink()
    check = evidence_verify(case=alice_case)
    assert not check.ok
    return check


@pytest.mark.parametrize(
    "query",
    ["", "?kind__exact=screenshot", "?content_type__exact=image%2Fpng", "?removed_at__isempty=0"],
)
def test_evidence_changelist_loads_with_its_filters(admin_client, evidence, query):
    response = admin_client.get(reverse("admin:evidence_evidenceitem_changelist") + query)
    assert response.status_code == 200


def test_evidence_filter_by_removed(admin_client, evidence):
    url = reverse("admin:evidence_evidenceitem_changelist")
    current = admin_client.get(url + "?removed_at__isempty=1").content.decode()
    removed = admin_client.get(url + "?removed_at__isempty=0").content.decode()
    assert "截图.png" in current and "notice.pdf" not in current
    assert "notice.pdf" in removed and "截图.png" not in removed


def test_evidence_change_view_is_read_only(admin_client, evidence):
    kept, _removed = evidence
    url = reverse("admin:evidence_evidenceitem_change", args=[kept.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert kept.sha256 in response.content.decode()
    assert b'name="description"' not in response.content  # no editable field

    before = kept.description
    admin_client.post(url, {"description": "changed in the admin"})
    kept.refresh_from_db()
    assert kept.description == before


def test_evidence_cannot_be_added_or_deleted_in_the_admin(admin_client, evidence):
    kept, _removed = evidence
    assert admin_client.get(reverse("admin:evidence_evidenceitem_add")).status_code == 403
    delete = reverse("admin:evidence_evidenceitem_delete", args=[kept.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    kept.refresh_from_db()


def test_integrity_checks_list_and_show_what_failed(admin_client, failed_check):
    response = admin_client.get(reverse("admin:evidence_integritycheck_changelist"))
    assert response.status_code == 200

    response = admin_client.get(
        reverse("admin:evidence_integritycheck_change", args=[failed_check.pk])
    )
    assert response.status_code == 200
    assert "截图.png" in response.content.decode()
    assert admin_client.get(reverse("admin:evidence_integritycheck_add")).status_code == 403


def test_the_weekly_task_creates_a_check(evidence):
    assert not IntegrityCheck.objects.exists()
    verify_all_evidence.delay()
    check = IntegrityCheck.objects.get()
    assert (check.checked, check.ok) == (2, True)  # removed files are kept, so checked too


def _dashboard(client, user):
    client.force_login(user)
    with translation.override("en"):
        response = client.get(reverse("cases:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


BANNER = "Evidence integrity check failed."


def test_staff_dashboard_shows_a_banner_after_a_failed_check(client, carol, failed_check):
    page = _dashboard(client, carol)
    assert BANNER in page
    assert "0 changed and 1 missing files" in page


def test_the_banner_links_admins_to_the_check(admin_client, failed_check):
    response = admin_client.get(reverse("cases:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("admin:evidence_integritycheck_change", args=[failed_check.pk]) in (
        response.content.decode()
    )


def test_the_banner_goes_once_the_latest_check_passes(client, carol, alice_case, failed_check):
    IntegrityCheck.objects.create(checked=1)  # a later, clean run
    assert BANNER not in _dashboard(client, carol)


def test_a_sellers_dashboard_never_shows_the_banner(client, alice, failed_check):
    assert BANNER not in _dashboard(client, alice)


def test_no_banner_before_any_check(client, carol, db):
    assert BANNER not in _dashboard(client, carol)
