from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import (
    NotificationPreferencesForm,
    ProfileForm,
    SignupForm,
    TokenCreateForm,
)
from accounts.models import Role
from config.client_ip import client_ip
from config.errors import DomainError

# With django-axes in AUTHENTICATION_BACKENDS, login() must be told which backend vouched.
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_allowed(client=client_ip(request))
            user = services.user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data["email"],
                role=Role.SELLER,
            )
        except DomainError as error:
            form.add_domain_error(error)
            # The form again with the reason; 429 only for the limit, for clients that care.
            status = 429 if isinstance(error, services.TooManyRequests) else 200
        else:
            login(request, user, backend=_MODEL_BACKEND)
            messages.success(request, _("Welcome to Recourse, %(name)s.") % {"name": user})
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, but the e-mail is sent by the worker (accounts.services
    .password_reset_request): the answer takes the same time whether or not the address is an
    account's, and requests are limited per address and per client."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"],
                client=client_ip(self.request),
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
                language=translation.get_language(),
            )
        except DomainError as error:
            form.add_error("email", str(error.message))
            return self.render_to_response(self.get_context_data(form=form), status=error.status)
        return HttpResponseRedirect(self.get_success_url())


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
    """Two forms, each with its own button: the display name with the time zone, and
    notifications with language.
    A POST carries `section=notifications` for the second, nothing for the first."""
    posted = request.POST if request.method == "POST" else None
    notifications_posted = bool(posted and posted.get("section") == "notifications")
    form = ProfileForm.for_user(request.user, None if notifications_posted else posted)
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
                services.user_update_profile(
                    actor=request.user,
                    display_name=bound.cleaned_data["display_name"],
                    time_zone=bound.cleaned_data["time_zone"],
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
