"""One domain error type for services, and how the API shows it."""

import sys

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A business rule said no. `message` is for the person who asked; `status` for the API."""

    status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message, *, code: str = "invalid", field: str | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra


class ConflictError(DomainError):
    """The request is valid but the object's current state does not allow it."""

    status = status.HTTP_409_CONFLICT


class UnsupportedMediaError(DomainError):
    """An upload whose content is not of a type we accept."""

    status = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE


class TooLargeError(DomainError):
    """An upload over a size limit."""

    status = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


def api_exception_handler(exc, context):
    # Django raises these while reading an oversized body; left alone they become its HTML 400.
    if isinstance(exc, RequestDataTooBig):
        exc = TooLargeError(
            _("The request is too large. Files go in multipart/form-data file fields."),
            code="request_too_large",
        )
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = DomainError(_("The request has too many fields or files."), code="too_many_fields")
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code, **exc.extra}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, exceptions.ValidationError):
        return Response(_validation_body(exc.detail), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)


def _child(name: str, key) -> str:
    return f"{name}[{key}]" if isinstance(key, int) else f"{name}.{key}"


def _flatten(name: str, value) -> list[tuple[str, str]]:
    """A list field's errors come per item ({0: [...]}), a nested object's per key: named
    `references[0]` and `details.store_id` rather than written out as Python."""
    if isinstance(value, dict):
        return [pair for key, inner in value.items() for pair in _flatten(_child(name, key), inner)]
    if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        return [pair for item in value for pair in _flatten(name, item)]
    return [(name, str(m)) for m in (value if isinstance(value, list) else [value])]


def _validation_body(detail) -> dict:
    """DRF's field errors, under one readable `detail` so every 400 has the same shape:
    {"detail": "...", "code": "invalid", "errors": {"field": ["message", ...]}}."""
    if isinstance(detail, dict):
        errors = {}
        for key, value in detail.items():
            for name, message in _flatten(key, value):
                errors.setdefault(name, []).append(message)
    else:
        errors = {"non_field_errors": [str(m) for m in detail]}
    field, messages = next(iter(errors.items()), ("", [""]))
    if len(errors) > 1:
        message = _("Please correct the errors below.")
    elif field in ("non_field_errors", "detail"):
        message = messages[0]
    else:
        message = f"{field}: {messages[0]}"
    return {"detail": message, "code": "invalid", "field": field, "errors": errors}


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON like every other API error, whatever the
    method: exempt from the CSRF check, which would answer an unsafe method with Django's HTML
    "CSRF verification failed" page first (nothing is written here)."""
    return JsonResponse(
        {
            "detail": _("No such API endpoint. See /api/docs/ for the ones there are."),
            "code": "not_found",
        },
        status=404,
    )


# --- Pages for what went wrong on our side ---------------------------------------------------

# Seconds a client is asked to wait when the database is unreachable; it came back without a
# restart within a second in the fault tests, so a short wait is enough.
DATABASE_RETRY_AFTER = 30


def server_error(request):
    """handler500. The database unreachable (refused, dropped) is a 503 saying to retry, in the
    reader's language, JSON under /api/; anything else a plain 500. Neither page touches the
    database or the session: both may be what failed."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError)
    # The language from the cookie or the browser: the account's own setting is in the
    # database.
    with translation.override(translation.get_language_from_request(request)):
        if unavailable:
            status, code = 503, "service_unavailable"
            heading = _("Service temporarily unavailable")
            message = _("Service temporarily unavailable; please try again shortly.")
        else:
            status, code = 500, "server_error"
            heading = _("Something went wrong on our side")
            message = _(
                "The error has been logged. Please try again; if it keeps happening, "
                "contact support."
            )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(message), "code": code}, status=status)
        else:
            page = render_to_string(
                "_outage_page.html",
                {"heading": heading, "message": message, "retry_url": request.get_full_path()},
            )
            response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
