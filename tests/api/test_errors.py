"""Every API error is JSON a person can act on, including paths that do not exist."""


def test_unknown_api_path_is_a_json_404(api_as, alice):
    response = api_as(alice).get("/api/v1/no-such-thing/", secure=True)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "/api/docs/" in response.json()["detail"]


def test_a_single_field_error_names_the_field(api_as, alice):
    response = api_as(alice).post(
        "/api/v1/cases/",
        {
            "kind": "deposit_refund",
            "platform": "douyin_shop",
            "title": "长" * 10_000,
            "details": {"store_id": "DS-1", "deposit_amount": "100"},
        },
        format="json",
        secure=True,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "title"
    assert body["detail"].startswith("title: ")
