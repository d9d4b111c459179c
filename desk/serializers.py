"""What staff clients send to assign cases and act on a selection, and the bulk result.

Types, sizes and allowed values are checked here; the services (desk.assignment, desk.bulk)
apply the rules and save.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cases.api.serializers import ChoiceField, StrictInputSerializer
from cases.choices import DecisionResult, Priority, Status
from cases.services import NOTE_MAX_LENGTH
from desk.bulk import MAX_SELECTION, REFERENCE_MAX_LENGTH, Action


class _Strict(StrictInputSerializer):
    def unexpected_field_message(self, name: str) -> str:
        return _("Unknown field. Fields you can set: %(fields)s.") % {
            "fields": ", ".join(self.fields)
        }


def _assignee_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=150,
        allow_null=True,
        help_text=gettext_lazy(
            "Username (or id) of an active support staff member; null for nobody."
        ),
        **kwargs,
    )


def _note_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "For the timeline, with an assignment or a move (not with a priority)."
        ),
    )


class AssignSerializer(_Strict):
    """Who handles the case from now on."""

    assignee = _assignee_field()
    note = _note_field()


class BulkSerializer(_Strict):
    """One action on a selection of cases."""

    action = ChoiceField(
        choices=Action.choices,
        help_text=gettext_lazy(
            "assign (give `assignee`), priority (give `priority`) or status (give `status`)."
        ),
    )
    references = serializers.ListField(
        child=serializers.CharField(max_length=REFERENCE_MAX_LENGTH),
        min_length=1,
        max_length=MAX_SELECTION,
        help_text=gettext_lazy("The cases, by reference; repeats count once."),
    )
    assignee = _assignee_field(required=False)
    priority = ChoiceField(choices=Priority.choices, required=False)
    status = ChoiceField(
        choices=Status.choices,
        required=False,
        help_text=gettext_lazy(
            "The status to move to, where the lifecycle allows; not resolved (each needs "
            "its outcome)."
        ),
    )
    decision_result = ChoiceField(
        choices=DecisionResult.choices,
        required=False,
        help_text=gettext_lazy(
            "What the platform decided: required when `status` is decided, not allowed "
            "otherwise. Each case's notification moment is its logged decision, else now."
        ),
    )
    note = _note_field()

    def validate(self, data):
        needed = {Action.ASSIGN: "assignee", Action.PRIORITY: "priority", Action.STATUS: "status"}
        name = needed[data["action"]]
        if name not in data:
            raise serializers.ValidationError(
                {name: [_("Required for the action “%(action)s”.") % {"action": data["action"]}]}
            )
        for other in set(needed.values()) - {name}:
            if other in data:
                raise serializers.ValidationError(
                    {
                        other: [
                            _("Not used by the action “%(action)s”; leave it out.")
                            % {"action": data["action"]}
                        ]
                    }
                )
        return data


class BulkCaseResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    result = serializers.ChoiceField(
        choices=[("done", "done"), ("skipped", "skipped")],
        help_text=gettext_lazy("done: changed; skipped: left as it was, see `reason`."),
    )
    reason = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy("Why it was skipped, in the request's language; null when done."),
    )


class BulkResultSerializer(serializers.Serializer):
    summary = serializers.CharField(
        help_text=gettext_lazy("One line, e.g. “12 moved, 2 skipped: already resolved”.")
    )
    results = BulkCaseResultSerializer(many=True)


def bulk_result_data(result) -> dict:
    return {
        "summary": result.summary,
        "results": [
            {
                "reference": r.reference,
                "result": "done" if r.done else "skipped",
                "reason": r.reason or None,
            }
            for r in result.results
        ],
    }
