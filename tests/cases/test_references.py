import threading
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import connection, connections

from cases.models import Case


def test_references_count_up_within_a_year(alice, make_case):
    first, second = make_case(alice), make_case(alice)
    year_first, number_first = first.reference.split("-")[1:]
    year_second, number_second = second.reference.split("-")[1:]
    assert year_first == year_second
    assert int(number_second) == int(number_first) + 1


def test_the_year_is_shanghai_local(alice, make_case):
    # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Shanghai.
    with mock.patch("cases.clock.now", return_value=datetime(2026, 12, 31, 17, tzinfo=UTC)):
        case = make_case(alice)
    assert case.reference == "RC-2027-000001"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_never_share_a_reference(make_user, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    owner = make_user("dana")
    threads_count, per_thread = 8, 5
    barrier = threading.Barrier(threads_count)
    errors = []

    def file_cases():
        try:
            barrier.wait()
            for _ in range(per_thread):
                make_case(owner)
        except Exception as error:  # collected, asserted empty below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_cases) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(references) == threads_count * per_thread
    assert len(set(references)) == len(references)
