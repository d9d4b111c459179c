import pytest
from django.urls import reverse


def case_url(case, name="case-detail", app="cases-api"):
    return reverse(f"{app}:{name}", kwargs={"reference": case.reference})


LIST_URL = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect HTTP to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def alice_api(api_as, alice):
    return api_as(alice)


@pytest.fixture
def bob_api(api_as, bob):
    return api_as(bob)


@pytest.fixture
def carol_api(api_as, carol):
    return api_as(carol)
