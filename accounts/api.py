"""API token endpoint: a REST client trades a username and password for a personal token."""

import hashlib

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle
from rest_framework.views import APIView

from accounts.services import token_create
from config.errors import DomainError


class ErrorSerializer(serializers.Serializer):
    """Every API error: a message a person can act on, and for 400s the fields at fault."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    field = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("A name to recognise the token by on the tokens page."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy(
            "Send it as `Authorization: Token <token>`. It is shown only this once."
        )
    )


class TokenUsernameThrottle(SimpleRateThrottle):
    """Token requests per username, whatever address they come from."""

    scope = "token_username"

    def get_cache_key(self, request, view):
        try:
            username = request.data.get("username")
        except AttributeError:  # a JSON list or string: the serializer refuses it
            return None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: the cache key must not carry arbitrary text (and its length) from a client.
        digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class TokenCreateView(APIView):
    """Exchange a username and password for a personal access token."""

    # No authentication: a stale token or a session must not stand in the way of getting a
    # token, and without SessionAuthentication there is no CSRF check for this JSON endpoint.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [ScopedRateThrottle, TokenUsernameThrottle]
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        summary=gettext_lazy("Get an API token"),
        description=gettext_lazy(
            "Trades a username and password for a personal access token. Failed attempts "
            "count towards the same lockout as the web sign-in."
        ),
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            429: OpenApiResponse(
                ErrorSerializer, description="Too many attempts; see the Retry-After header."
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        """Steps:

        1. Validate the input's shape.
        2. Authenticate through Django with the request, so django-axes counts failures and
           refuses locked-out usernames, exactly as for the web login.
        3. Create the token; its key is returned once and only its hash is stored.
        """
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # django-axes flags the plain Django request, which its middleware later inspects.
        django_request = request._request
        # A REST client keeps no cookies: without this, axes's sign-in record creates a
        # session (a row and a Set-Cookie) for every token. SessionMiddleware skips a request
        # without one.
        if hasattr(django_request, "session"):
            del django_request.session
        user = authenticate(
            request=django_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON here; left set, the flag makes AxesMiddleware swap in its HTML page.
            django_request.axes_locked_out = False
            raise Throttled(
                wait=_lockout_seconds(django_request),
                detail=_("Too many failed sign-in attempts for this account. Try again later."),
            )
        if user is None:
            # Inactive users fail here too (ModelBackend refuses them): same answer, no leak.
            raise DomainError(
                _("Unable to sign in with that username and password."),
                code="invalid_credentials",
            )
        # Trading a password for a token is a sign-in: last_login moves, axes resets failures.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        _token, key = token_create(actor=user, name=data.validated_data.get("name", ""))
        return Response(
            TokenSerializer({"token": key}).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},
        )


def _lockout_seconds(request) -> int | None:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else None
