from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import (
    NotificationPreferencesForm,
    SignupForm,
    TimeZoneForm,
    TokenCreateForm,
)
from accounts.models import Role
from config.errors import DomainError

# With django-axes in AUTHENTICATION_BACKENDS, login() must be told which backend vouched.
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                role=Role.SELLER,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            login(request, user, backend=_MODEL_BACKEND)
            messages.success(request, _("Welcome to Recourse, %(name)s.") % {"name": user})
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


@never_cache
@login_required
def tokens(request):
    """GET lists the tokens; POST creates one and shows its key on this response only.

    The key is rendered straight into the POST response, not redirected through the session,
    so it is never stored anywhere; `never_cache` keeps browsers and proxies from keeping it.
    """
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    token_list = selectors.token_list_for(request.user)
    return render(request, "accounts/tokens.html", {"form": form, "tokens": token_list})


@require_POST
@login_required
def token_revoke(request, token_id: int):
    token = selectors.token_get_for(request.user, token_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@never_cache
@login_required
def profile(request):
    """Two forms, each with its own button: the time zone, and notifications with language.
    A POST carries `section=notifications` for the second, nothing for the first."""
    posted = request.POST if request.method == "POST" else None
    notifications_posted = bool(posted and posted.get("section") == "notifications")
    form = TimeZoneForm.for_user(request.user, None if notifications_posted else posted)
    notifications_form = NotificationPreferencesForm.for_user(
        request.user, posted if notifications_posted else None
    )
    bound = notifications_form if notifications_posted else form
    if posted is not None and bound.is_valid():
        try:
            if notifications_posted:
                services.user_set_notification_preferences(
                    actor=request.user,
                    language=bound.cleaned_data["language"],
                    email_notifications=bound.cleaned_data["email_notifications"],
                )
            else:
                services.user_set_time_zone(
                    actor=request.user, time_zone=bound.cleaned_data["time_zone"]
                )
        except DomainError as error:
            bound.add_domain_error(error)
        else:
            response = redirect("accounts:profile")
            if notifications_posted:
                # The pages switch to the chosen language too, as the language switcher does.
                translation.activate(request.user.language)
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    request.user.language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
            messages.success(request, _("Your settings are saved."))
            return response
    return render(
        request, "accounts/profile.html", {"form": form, "notifications_form": notifications_form}
    )


@require_POST
def set_language(request):
    """Django's language switcher, which also keeps a signed-in user's choice: their e-mails,
    written by a worker that never sees the browser, follow it."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(actor=request.user, language=language)
    return response
