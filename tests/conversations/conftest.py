import pytest
from django.test import Client

# A phrase that must never reach a seller, by any path.
SECRET = "内部备注：商家疑似重复投诉，暂缓催办 SECRET-7731"


class HttpsClient(Client):
    """Every request over HTTPS, as in production, in English unless a test asks otherwise."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def web_as(db):
    def login(user):
        client = HttpsClient()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def dave(make_user):
    """Another support staff member: the assignee of `assigned_case`."""
    return make_user("dave", role="staff")


@pytest.fixture
def assigned_case(alice_case, dave):
    # Assignment is the desk's feature; here the case simply has an assignee.
    alice_case.assignee = dave
    alice_case.save(update_fields=["assignee"])
    return alice_case
