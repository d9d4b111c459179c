from django.db.models import QuerySet
from django.http import Http404

from accounts.models import ApiToken, User


def token_list_for(actor: User) -> QuerySet[ApiToken]:
    """The actor's tokens, newest first (served by the accounts_token_user_created index)."""
    return ApiToken.objects.filter(user=actor).order_by("-created_at", "-pk")


def token_get_for(actor: User, token_id: int) -> ApiToken:
    """One of the actor's tokens; someone else's answers the same 404 as a missing one."""
    try:
        return ApiToken.objects.get(pk=token_id, user=actor)
    except ApiToken.DoesNotExist:
        raise Http404 from None
