"""The directory of external bodies through the API, in both languages."""

import pytest
from django.urls import reverse

from tests.api.contact_helpers import make_body

LIST_URL = "/api/v1/bodies/"
BODY_FIELDS = {
    "slug",
    "kind",
    "platform",
    "name",
    "name_en",
    "name_zh",
    "how_to_file",
    "reference_hint",
    "clock",
    "rule_keys",
    "consumer_only_filings",
    "url",
    "phone",
    "source",
}


def _detail_url(slug: str) -> str:
    return reverse("channels-api:body-detail", kwargs={"slug": slug})


@pytest.fixture
def samr(db):
    return make_body(
        "12315",
        kind="regulator",
        name="12315 (market regulator)",
        name_zh="全国12315平台",
        how_to_file="File online at 12315.cn, in the 12315 app or by calling 12315.",
        how_to_file_zh="登录全国12315平台网站或App在线投诉举报，或拨打12315。",
        reference_hint="A complaint number.",
        reference_hint_zh="投诉举报编号。",
        clock="7 working days to decide whether to accept a complaint.",
        clock_zh="收到投诉之日起7个工作日内决定是否受理。",
        rule_keys=["samr.accept_decision"],
        consumer_only_filings=["complaint"],
        url="https://www.12315.cn/",
        phone="12315",
        source="市场监督管理投诉举报处理暂行办法 Art 14",
        sort_order=10,
    )


@pytest.fixture
def douyin_desk(db):
    # Only an English text: the Chinese reader gets it rather than nothing.
    return make_body(
        "douyin_shop",
        kind="platform",
        platform="douyin_shop",
        name="Douyin shop customer service",
        name_zh="抖店客服",
        how_to_file="In the Douyin shop back office: Service → Tickets.",
        how_to_file_zh="",
        url="",
        phone="",
        sort_order=1,
    )


def test_list_is_in_english_when_asked(alice_api, samr, douyin_desk):
    response = alice_api.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    rows = {row["slug"]: row for row in body["results"]}
    assert set(rows["12315"]) == BODY_FIELDS
    assert rows["12315"] == {
        "slug": "12315",
        "kind": "regulator",
        "platform": None,
        "name": "12315 (market regulator)",
        "name_en": "12315 (market regulator)",
        "name_zh": "全国12315平台",
        "how_to_file": "File online at 12315.cn, in the 12315 app or by calling 12315.",
        "reference_hint": "A complaint number.",
        "clock": "7 working days to decide whether to accept a complaint.",
        "rule_keys": ["samr.accept_decision"],
        "consumer_only_filings": ["complaint"],
        "url": "https://www.12315.cn/",
        "phone": "12315",
        "source": "市场监督管理投诉举报处理暂行办法 Art 14",
    }
    assert rows["douyin_shop"]["platform"] == "douyin_shop"
    assert (rows["douyin_shop"]["url"], rows["douyin_shop"]["phone"]) == (None, None)


@pytest.mark.parametrize("language", ["zh-CN", "zh-Hans", None])
def test_list_is_in_chinese_when_asked_and_by_default(alice_api, samr, douyin_desk, language):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}

    response = alice_api.get(LIST_URL, **headers)

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert rows["12315"]["name"] == "全国12315平台"
    assert rows["12315"]["name_en"] == "12315 (market regulator)"
    assert rows["12315"]["how_to_file"].startswith("登录全国12315平台")
    assert rows["12315"]["reference_hint"] == "投诉举报编号。"
    assert rows["12315"]["clock"].startswith("收到投诉之日起")
    assert rows["douyin_shop"]["name"] == "抖店客服"
    # No Chinese text yet: the English one stands in.
    assert rows["douyin_shop"]["how_to_file"].startswith("In the Douyin shop back office")


def test_list_is_in_the_directory_order_and_leaves_out_inactive_bodies(
    alice_api, samr, douyin_desk
):
    make_body("retired_desk", active=False, sort_order=0)

    slugs = [row["slug"] for row in alice_api.get(LIST_URL).json()["results"]]

    assert "retired_desk" not in slugs
    assert slugs.index("douyin_shop") < slugs.index("12315")


def test_list_pages_like_every_other_list(alice_api, samr, douyin_desk):
    for n in range(3):
        make_body(f"test_body_{n}", sort_order=50)
    everything = [row["slug"] for row in alice_api.get(LIST_URL).json()["results"]]

    seen, url = [], LIST_URL + "?page_size=2"
    while url:
        body = alice_api.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url = body["next"]

    assert seen == everything


def test_list_refuses_unknown_parameters(alice_api, samr):
    response = alice_api.get(LIST_URL + "?kind=regulator")
    assert response.status_code == 400
    assert response.json()["field"] == "kind"


def test_list_takes_a_fixed_number_of_queries(
    alice_api, samr, douyin_desk, django_assert_num_queries
):
    alice_api.get(LIST_URL)
    # token + the page of bodies.
    with django_assert_num_queries(2):
        alice_api.get(LIST_URL)
    for n in range(20):
        make_body(f"test_body_{n}")
    with django_assert_num_queries(2):
        alice_api.get(LIST_URL)


@pytest.mark.parametrize(
    ("language", "name"), [("en", "12315 (market regulator)"), ("zh-CN", "全国12315平台")]
)
def test_one_body_in_either_language(alice_api, samr, language, name):
    response = alice_api.get(_detail_url("12315"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == BODY_FIELDS
    assert body["slug"] == "12315"
    assert body["name"] == name


@pytest.mark.parametrize("slug", ["no_such_body", "retired_desk"])
def test_unknown_and_inactive_bodies_are_a_json_404(alice_api, db, slug):
    make_body("retired_desk", active=False)
    response = alice_api.get(_detail_url(slug))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_staff_read_the_directory_too(carol_api, samr):
    assert carol_api.get(LIST_URL).status_code == 200
    assert carol_api.get(_detail_url("12315")).status_code == 200


@pytest.mark.parametrize("url", [LIST_URL, "/api/v1/bodies/12315/"])
def test_anonymous_gets_401_json(api_client, samr, url):
    response = api_client.get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_directory_is_read_only_here(alice_api, samr, method):
    # Staff edit it in the admin.
    assert getattr(alice_api, method)(LIST_URL).status_code == 405
    assert getattr(alice_api, method)(_detail_url("12315")).status_code == 405
