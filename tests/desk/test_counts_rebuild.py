"""Recounting the desk's counts per status while cases are being filed loses none of them."""

import threading

import pytest
from django.db import connection, connections, transaction

from cases.counts import status_counts_rebuild
from cases.models import Case, CaseStatusCount


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_recount_waits_for_a_case_being_filed(alice, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("lock waits are checked on PostgreSQL (CI sets DATABASE_URL)")
    status_counts_rebuild()
    moved, release, errors = threading.Event(), threading.Event(), []

    def file_a_case():
        try:
            with transaction.atomic():
                make_case(alice)  # case_create adds 1 to draft, uncommitted until release
                moved.set()
                release.wait(10)
        except Exception as error:  # collected, asserted empty below
            errors.append(error)
        finally:
            connections.close_all()

    def recount():
        try:
            status_counts_rebuild()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    filing = threading.Thread(target=file_a_case)
    filing.start()
    assert moved.wait(10)
    counting = threading.Thread(target=recount)
    counting.start()
    counting.join(0.5)
    release.set()
    filing.join()
    counting.join()

    assert errors == []
    drafts = Case.objects.filter(status="draft").count()
    assert drafts == 1
    assert CaseStatusCount.objects.get(status="draft").count == drafts
