"""A smoke test of the benchmark fixture: small N, same code path (COPY on PostgreSQL)."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import validate_details

pytestmark = pytest.mark.django_db


def test_it_inserts_valid_cases_with_timelines_that_follow_the_lifecycle(alice, make_case):
    before = make_case(alice)

    call_command("seed_scale", cases=50, sellers=5, batch=20, seed=1, stdout=StringIO())

    cases = Case.objects.exclude(pk=before.pk)
    assert cases.count() == 50
    assert cases.values("owner").distinct().count() == 5
    assert Case.objects.values("reference").distinct().count() == 51
    for case in cases:
        assert validate_details(kind=case.kind, details=case.details) == case.details
        events = list(case.events.order_by("created_at", "id"))
        assert events[0].kind == EventKind.CREATED
        current = "draft"
        for event in events[1:]:
            assert event.from_status == current
            current = event.to_status
        assert current == case.status
        assert bool(case.outcome) == case.is_closed
    assert CaseEvent.objects.filter(case__in=cases).count() >= 50
    # The staff queue's counts per status include them.
    from django.db.models import Count

    from cases.models import CaseStatusCount

    counted = dict(CaseStatusCount.objects.values_list("status", "count"))
    actual = dict(Case.objects.values_list("status").annotate(n=Count("id")))
    assert {k: v for k, v in counted.items() if v} == actual


def test_cases_filed_afterwards_take_the_next_free_reference(alice, make_case):
    call_command("seed_scale", cases=30, batch=7, stdout=StringIO())
    last = max(Case.objects.values_list("reference", flat=True))

    case = make_case(alice)

    assert case.reference > last
    assert Case.objects.count() == 31
