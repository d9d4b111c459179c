"""The wiring table in cases.hooks: every entry exists and takes what its moment passes, and a
reaction runs inside the case service's transaction (it fails, the change is not kept)."""

import inspect

import pytest
from django.utils.module_loading import import_string

from cases import hooks
from cases.models import Case, CaseEvent
from cases.services import case_transition
from config.errors import DomainError


@pytest.mark.parametrize(
    "moment, path", [(m, p) for m, paths in hooks.REACTIONS.items() for p in paths]
)
def test_every_reaction_takes_the_arguments_of_its_moment(moment, path):
    reaction = import_string(path)
    inspect.signature(reaction).bind(**dict.fromkeys(hooks.MOMENTS[moment]))


@pytest.mark.parametrize(
    "page, path", [(pg, p) for pg, paths in hooks.PAGES.items() for p in paths]
)
def test_every_page_part_takes_request_case_and_context(page, path):
    inspect.signature(import_string(path)).bind(None, None, {})


def test_every_moment_has_its_arguments_named():
    assert set(hooks.REACTIONS) == set(hooks.MOMENTS)


def test_a_moment_called_with_other_arguments_is_refused():
    with pytest.raises(TypeError):
        hooks.react("note_added", case=None)


@pytest.mark.django_db
def test_a_failing_reaction_rolls_the_move_back(alice, make_case, monkeypatch):
    case = make_case(alice)

    def clocks_unavailable(**moment):
        raise DomainError("The platform's calendar is unavailable.")

    real = hooks._resolve
    monkeypatch.setattr(
        hooks,
        "_resolve",
        lambda path: clocks_unavailable if path.startswith("deadlines.") else real(path),
    )
    with pytest.raises(DomainError):
        case_transition(actor=alice, case=case, to="filed")

    assert Case.objects.get(pk=case.pk).status == "draft"
    assert not CaseEvent.objects.filter(case=case, kind="status_changed").exists()


@pytest.mark.parametrize("query, path", list(hooks.QUERIES.items()))
def test_every_query_exists_and_takes_keywords(query, path):
    inspect.signature(import_string(path)).bind(case=None, after=None)
