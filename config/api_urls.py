from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("cases.api_urls")),
]
