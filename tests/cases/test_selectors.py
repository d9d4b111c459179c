import pytest
from django.http import Http404

from accounts.models import Organisation
from cases.selectors import case_get_for, cases_visible_to


def test_seller_sees_only_own_cases(alice, bob, make_case):
    mine, theirs = make_case(alice), make_case(bob)
    assert list(cases_visible_to(alice)) == [mine]
    assert case_get_for(actor=alice, reference=mine.reference) == mine
    with pytest.raises(Http404):
        case_get_for(actor=alice, reference=theirs.reference)


def test_missing_and_not_yours_are_the_same_404(alice, bob, make_case):
    theirs = make_case(bob)
    with pytest.raises(Http404) as not_yours:
        case_get_for(actor=alice, reference=theirs.reference)
    with pytest.raises(Http404) as missing:
        case_get_for(actor=alice, reference="RC-1999-000001")
    assert str(not_yours.value) == str(missing.value)


def test_staff_see_every_case(alice, bob, carol, make_case):
    cases = {make_case(alice), make_case(bob)}
    assert set(cases_visible_to(carol)) == cases


def test_organisation_members_share_cases(make_user, make_case):
    shop = Organisation.objects.create(name="杭州某某电商")
    li = make_user("li", organisation=shop)
    wang = make_user("wang", organisation=shop)
    outsider = make_user("zhou")
    case = make_case(li)

    assert case.organisation == shop
    assert case_get_for(actor=wang, reference=case.reference) == case
    with pytest.raises(Http404):
        case_get_for(actor=outsider, reference=case.reference)
