"""Support staff, in a Chinese browser, take a case from its page, hand it to a colleague, then
act on a selection and read the result per case.

Screenshots of the assignment card and the bulk result page at desktop and phone width go to
$RECOURSE_SHOTS_DESK (default /tmp/shots-desk) for a person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from cases.services import case_transition
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_DESK", "/tmp/shots-desk"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(page: Page, name: str, selector: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        if selector:
            page.locator(selector).screenshot(path=str(SHOTS / f"{name}-{label}.png"))
        else:
            page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def post_bulk(page: Page, fields: list[tuple[str, str]]) -> None:
    """Submit a bulk form as the queue's checkboxes would, with the page's CSRF token."""
    page.evaluate(
        """(fields) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = "/staff/bulk/";
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            for (const [name, value] of [["csrfmiddlewaretoken", token], ...fields]) {
                const input = document.createElement("input");
                input.type = "hidden";
                input.name = name;
                input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        fields,
    )


def test_staff_take_a_case_hand_it_over_and_move_a_selection(
    page: Page, live_server, alice, bob, carol, make_user, make_case
):
    make_user("dave", role="staff", first_name="大卫")
    case = make_case(alice, title="抖店退店后 2000 元保证金未退")
    filed = [make_case(alice if i % 2 else bob, title=f"快手封号申诉 {i}") for i in range(3)]
    for other in filed:
        case_transition(actor=carol, case=other, to="filed")
    closed = make_case(bob, title="拼多多保证金已退回")
    for to in ("filed", "decided"):
        case_transition(
            actor=carol, case=closed, to=to, decision_result="granted" if to == "decided" else None
        )
    case_transition(actor=carol, case=closed, to="resolved", outcome="won")

    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    # Texts are asserted through the database and the page's structure: the browser reads
    # Chinese, and the translations arrive separately.
    card = page.locator("#assignment")
    expect(card.locator(".assignment-current .muted")).to_be_visible()
    shoot(page, "assignment-unassigned", "#assignment")

    card.locator("button[name=take]").click()
    expect(page.locator("#assignment button[name=take]")).to_have_count(0)
    expect(page.locator(".event-assigned ins").first).to_have_text("carol")
    assert Case.objects.get(pk=case.pk).assignee == carol
    shoot(page, "assignment-taken", "#assignment")

    page.select_option("#assign-assignee", "dave")
    page.fill("#assign-note", "抖店专员接手")
    page.locator(".assignment-form button[type=submit]").click()
    # Shown by name, as people call each other (User.display), not by username.
    expect(page.locator("#assignment .assignment-current strong")).to_have_text("大卫")
    assert Case.objects.get(pk=case.pk).assignee.username == "dave"
    shoot(page, "case-after-reassign")

    # A staff member who left since the page was opened: the form comes back with the error.
    page.evaluate("document.querySelector('#assign-assignee option[value=dave]').value = 'alice'")
    page.select_option("#assign-assignee", "alice")
    page.locator(".assignment-form button[type=submit]").click()
    expect(page.locator("#assignment .alert.error")).to_contain_text("alice")
    assert Case.objects.get(pk=case.pk).assignee.username == "dave"
    shoot(page, "assign-refused")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    references = [c.reference for c in filed] + [closed.reference, "RC-2026-999999"]
    post_bulk(
        page,
        [("case", r) for r in references]
        + [
            ("action", "status"),
            ("status", "decided"),
            ("decision_result", "rejected"),
            ("next", "/staff/"),
        ],
    )
    expect(page.locator(".bulk-summary")).to_be_visible()
    assert page.locator("tr.bulk-done").count() == 3
    assert page.locator("tr.bulk-skipped").count() == 2
    assert set(
        Case.objects.filter(pk__in=[c.pk for c in filed]).values_list("status", flat=True)
    ) == {"decided"}
    shoot(page, "bulk-result")
