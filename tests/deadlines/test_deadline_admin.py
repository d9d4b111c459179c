import json

import pytest
from django.urls import reverse

from deadlines.models import CalendarOverride, DeadlineRule

pytestmark = pytest.mark.django_db

JSON_FIELDS = (
    "decision_results",
    "met_by_statuses",
    "met_by_filing_types",
    "trigger_statuses",
    "trigger_bodies",
    "case_kinds",
    "platforms",
    "warn_before",
    "on_breach",
)


@pytest.fixture
def admin_web(client, make_user):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "name",
    [
        "admin:deadlines_deadlinerule_changelist",
        "admin:deadlines_calendaroverride_changelist",
        "admin:deadlines_deadline_changelist",
        "admin:notifications_notification_changelist",
        "admin:deadlines_calendaroverride_add",
        "admin:deadlines_publishedyear_changelist",
        "admin:deadlines_publishedyear_add",
    ],
)
def test_admin_pages_load(admin_web, name):
    assert admin_web.get(reverse(name), secure=True).status_code == 200


def _form_data(rule):
    data = {}
    for field in rule._meta.fields:
        value = getattr(rule, field.attname)
        if field.name in JSON_FIELDS:
            data[field.name] = json.dumps(value)
        elif isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif field.name != "id":
            data[field.name] = "" if value is None else str(value)
    return data


def test_staff_edit_a_rule_and_bad_values_are_refused(admin_web):
    rule = DeadlineRule.objects.get(key="samr.accept_decision")
    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    data = _form_data(rule)

    data["on_breach"] = '["notify", "explode"]'
    response = admin_web.post(url, data, secure=True)
    assert response.status_code == 200
    assert "explode" in response.content.decode()
    rule.refresh_from_db()
    assert rule.on_breach == ["notify", "suggest"]

    data["on_breach"] = '["notify"]'
    data["duration"] = "8"
    assert admin_web.post(url, data, secure=True).status_code == 302
    rule.refresh_from_db()
    assert (rule.duration, rule.on_breach) == (8, ["notify"])


def test_staff_enter_a_newly_published_day(admin_web):
    url = reverse("admin:deadlines_calendaroverride_add")
    data = {
        "date": "2027-02-07",
        "region": "CN",
        "is_working_day": "on",
        "source": "国务院办公厅通知 2026-11",
        "note": "调休上班",
    }
    assert admin_web.post(url, data, secure=True).status_code == 302
    assert CalendarOverride.objects.get(date="2027-02-07").is_working_day


def test_marking_a_year_published_in_the_admin_recomputes_its_clocks(
    admin_web, django_capture_on_commit_callbacks
):
    from unittest import mock

    from deadlines.models import PublishedYear

    with (
        mock.patch("deadlines.calendar_services.enqueue_on_commit") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_web.post(
            reverse("admin:deadlines_publishedyear_add"),
            {
                "region": "cn",
                "year": "2027",
                "source": "国务院办公厅关于2027年部分节假日安排的通知",
                "published_on": "2026-11-04",
                "note": "",
            },
            secure=True,
        )
    assert response.status_code == 302
    published = PublishedYear.objects.get()
    assert (published.region, published.year) == ("CN", 2027)
    (call,) = enqueue.call_args_list
    assert call.kwargs["reason"] == {"kind": "year_published", "year": 2027, "region": "CN"}
    assert call.kwargs["dates"][0] == "2027-01-01" and call.kwargs["dates"][-1] == "2027-12-31"


@pytest.mark.parametrize("year", ["0", "1999", "40000"])
def test_a_published_year_out_of_range_is_a_form_error(admin_web, year):
    from deadlines.models import PublishedYear

    response = admin_web.post(
        reverse("admin:deadlines_publishedyear_add"),
        {"region": "CN", "year": year, "source": "通知", "published_on": "2026-11-04"},
        secure=True,
    )
    assert response.status_code == 200  # the form again, with its error (was a 500)
    assert response.context["adminform"].form.errors["year"]
    assert not PublishedYear.objects.exists()
