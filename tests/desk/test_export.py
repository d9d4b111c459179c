"""CSV export, streamed: staff export the queue's filtered list with every column; a seller
exports their own cases from /cases/ with seller-safe columns. Formula cells are neutralised
and the file starts with a UTF-8 byte order mark so Excel reads the Chinese."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from cases.choices import Status
from cases.export import neutralise
from cases.services import case_transition

EN = {"accept-language": "en"}


def _client(user):
    client = Client(headers=EN)
    client.force_login(user)
    return client


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+86 138", "'+86 138"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("抖店保证金", "抖店保证金"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_staff_export_the_filtered_queue_with_every_column(alice, bob, carol, make_case):
    mine = make_case(alice, title="=cmd|' /C calc'!A0", description="@SUM(1+1)")
    case_transition(actor=alice, case=mine, to=Status.FILED)
    draft = make_case(bob, title="草稿")

    rows = _csv(_client(carol).get("/staff/export.csv", {"status": "filed"}, secure=True))

    header, *body = rows
    assert header[:3] == ["Reference", "Seller", "Title"]
    assert "Assignee" in header and "Description" in header
    assert [row[0] for row in body] == [mine.reference]
    assert body[0][2] == "'=cmd|' /C calc'!A0"
    assert body[0][header.index("Description")] == "'@SUM(1+1)"
    assert draft.reference not in str(rows)


def test_staff_export_with_bad_filters_shows_the_form_errors(carol):
    response = _client(carol).get("/staff/export.csv", {"status": "nope"}, secure=True)
    assert response.status_code == 400
    assert "Some filters were not understood" in response.content.decode()


def test_a_seller_exports_only_their_own_cases_without_staff_columns(alice, bob, carol, make_case):
    mine = make_case(alice, title="抖店保证金迟迟不退", description="+86 13800000000")
    theirs = make_case(bob, title="鲍勃的案子")

    rows = _csv(_client(alice).get("/cases/", {"export": "csv"}, secure=True))

    header, *body = rows
    assert [row[0] for row in body] == [mine.reference]
    assert theirs.reference not in str(rows) and "鲍勃" not in str(rows)
    assert "Assignee" not in header and "Seller" not in header
    assert body[0][header.index("Title")] == "抖店保证金迟迟不退"
    assert body[0][header.index("Description")] == "'+86 13800000000"


def test_a_seller_export_follows_the_search(alice, make_case):
    make_case(alice, title="抖店保证金迟迟不退")
    other = make_case(alice, title="账号被封")

    rows = _csv(_client(alice).get("/cases/", {"export": "csv", "q": "被封"}, secure=True))

    assert [row[0] for row in rows[1:]] == [other.reference]


def test_a_seller_cannot_reach_the_staff_export(alice, alice_case):
    assert _client(alice).get("/staff/export.csv", secure=True).status_code == 404


def test_the_export_link_keeps_the_filters(carol):
    page = _client(carol).get("/staff/", {"kind": "account_ban"}, secure=True)
    assert 'href="/staff/export.csv?kind=account_ban"' in page.content.decode()


def test_the_seller_list_links_to_its_export(alice, alice_case):
    page = _client(alice).get("/cases/", {"q": "保证金"}, secure=True).content.decode()
    # The link keeps the search, so the file holds the cases the page lists.
    assert 'href="?q=%E4%BF%9D%E8%AF%81%E9%87%91&amp;export=csv"' in page
