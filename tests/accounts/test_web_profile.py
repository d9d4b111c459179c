import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_anonymous_is_sent_to_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


def test_the_profile_shows_the_current_time_zone(client, alice):
    client.force_login(alice)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert response.context["form"]["time_zone"].value() == "Asia/Shanghai"


def test_a_user_chooses_another_time_zone(client, alice):
    client.force_login(alice)

    response = client.post(PROFILE, {"time_zone": "Europe/Berlin"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"


def test_an_unknown_time_zone_changes_nothing(client, alice):
    client.force_login(alice)

    response = client.post(PROFILE, {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    alice.refresh_from_db()
    assert alice.time_zone == "Asia/Shanghai"


def test_the_time_zone_picker_offers_common_zones_first(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:profile"), secure=True).content.decode()
    select = page[page.index('name="time_zone"') :]
    first_options = [part.split('"')[1] for part in select.split("<option value=")[1:4]]
    assert first_options == ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei"]
    assert 'value="Africa/Abidjan"' in select  # every zone is still there
