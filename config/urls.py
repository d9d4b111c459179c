from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from channels.urls import body_urls, contact_urls
from config.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before Django's own: the switcher also keeps a signed-in user's language for e-mails.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("config.api_urls")),
    path("", include("accounts.urls")),
    path("bodies/", include(body_urls)),
    path("notifications/", include("notifications.urls")),
    # The staff desk: queue, bulk actions and assignment, dashboard (each its own module).
    path("staff/", include(("desk.urls", "desk"))),
    path("staff/", include(("desk.bulk_urls", "desk-bulk"))),
    path("staff/", include(("desk.dashboard_urls", "desk-dashboard"))),
    path("", include(("conversations.urls", "conversations"))),
    # A case's parts, each app under the case's address with its own namespace.
    path("cases/<str:reference>/deadlines/", include("deadlines.urls")),
    path("cases/<str:reference>/evidence/bundle/", include("bundles.urls")),
    path("cases/<str:reference>/evidence/", include("evidence.urls")),
    path("cases/<str:reference>/contacts/", include(contact_urls)),
    path("", include("cases.urls")),
]

# The database unreachable is a 503 in the reader's language (JSON under /api/), see there.
handler500 = "config.errors.server_error"
