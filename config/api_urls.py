from django.urls import include, path, re_path

from config.errors import api_not_found

urlpatterns = [
    path("", include("accounts.api_urls")),
    # Before cases: its "cases/<reference>/" would take "cases/bulk/".
    path("", include(("desk.api_urls", "desk-api"))),
    path("", include("cases.api_urls")),
    path("", include("deadlines.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("evidence.api_urls")),
    path("", include("bundles.api_urls")),
    path("", include("channels.api_urls")),
    path("", include(("conversations.api_urls", "conversations-api"))),
    # Last: anything else under /api/v1/ is a JSON 404, not the HTML page.
    # [\s\S], not ".": an encoded newline in the path (%0A) is part of "anything" too.
    re_path(r"^[\s\S]*$", api_not_found),
]
