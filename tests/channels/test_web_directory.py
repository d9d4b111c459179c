"""The directory of external bodies: grouped by kind, each with how to file, what comes back,
the clock it starts and how to reach it, in the page's language."""

import pytest

from channels.models import ExternalBody
from tests.queries import SESSION

pytestmark = pytest.mark.usefixtures("directory")

SHIPPED = [
    "douyin",
    "douyin_shop",
    "kuaishou",
    "taobao",
    "pinduoduo",
    "jd",
    "xiaohongshu",
    "wechat_shop",
    "tiktok_shop",
    "amazon",
    "12315",
    "12315_odr",
    "12345",
    "consumer_association",
    "12377",
    "arbitration",
    "internet_court_beijing",
    "internet_court_hangzhou",
    "internet_court_guangzhou",
    "12348",
]


def test_the_directory_lists_every_body_grouped_by_kind(web_as, alice):
    response = web_as(alice).get("/bodies/")
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["kind"] for g in groups][:2] == ["platform", "regulator"]
    listed = [body.slug for group in groups for body in group["bodies"]]
    assert set(SHIPPED) <= set(listed)
    for slug in SHIPPED:
        assert f'href="/bodies/{slug}/"' in response.text
    card = response.text.split('id="body-12315"')[1].split("</article>")[0]
    body = ExternalBody.objects.get(slug="12315")
    assert body.name in card
    for label in ("How to file", "What you get back", "The clock it starts"):
        assert label in card
    if body.phone:
        assert f'href="tel:{body.phone}"' in card
    assert "12377" in response.text and "cyberspace" in response.text.lower()


def test_the_directory_speaks_chinese_to_a_chinese_page(web_as, alice):
    response = web_as(alice).get("/bodies/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = ExternalBody.objects.get(slug="12315")
    assert body.name_zh in response.text
    assert body.how_to_file_zh.splitlines()[0] in response.text


def test_a_body_has_its_own_page(web_as, alice):
    response = web_as(alice).get("/bodies/12315/")
    assert response.status_code == 200
    body = ExternalBody.objects.get(slug="12315")
    assert body.name in response.text
    assert body.display_clock.splitlines()[0] in response.text.replace("&#x27;", "'")
    # 12315 takes a complaint only from a consumer: the page says so.
    assert "Only consumers may file here as: Complaint (投诉)." in response.text
    assert body.source in response.text


@pytest.mark.parametrize("slug", ["no-such-body", "retired"])
def test_unknown_or_retired_bodies_are_not_found(web_as, alice, slug):
    ExternalBody.objects.create(
        slug="retired", kind="court", name="Old court", name_zh="旧法院", active=False
    )
    assert web_as(alice).get(f"/bodies/{slug}/").status_code == 404


def test_the_directory_is_read_in_one_query(web_as, alice, django_assert_num_queries):
    client = web_as(alice)
    # session, user, the navigation's unread-notifications badge, the bodies
    with django_assert_num_queries(3 + SESSION):
        assert client.get("/bodies/").status_code == 200
    with django_assert_num_queries(3 + SESSION):
        assert client.get("/bodies/12315/").status_code == 200
