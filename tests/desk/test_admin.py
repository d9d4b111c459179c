"""The desk's counts per status in the admin: shown, never edited there (the services keep
them; `desk_rebuild` recounts)."""

import pytest
from django.urls import reverse

from cases.models import CaseStatusCount
from tests.conversations.conftest import HttpsClient

pytestmark = pytest.mark.django_db


def test_the_counts_are_listed_and_read_only(make_user, alice, make_case):
    make_case(alice)
    client = HttpsClient()
    client.force_login(make_user("root", role="staff", is_superuser=True, is_staff=True))
    row = CaseStatusCount.objects.get(status="draft")

    listing = client.get(reverse("admin:cases_casestatuscount_changelist"))
    assert listing.status_code == 200 and "draft" in listing.text
    detail = client.get(reverse("admin:cases_casestatuscount_change", args=[row.pk]))
    assert detail.status_code == 200 and 'name="count"' not in detail.text
    assert client.get(reverse("admin:cases_casestatuscount_add")).status_code == 403
    client.post(reverse("admin:cases_casestatuscount_change", args=[row.pk]), {"count": 99})
    row.refresh_from_db()
    assert row.count == 1
