"""The bundle, at /cases/<reference>/evidence/bundle/ (included from config/urls.py)."""

from django.urls import path

from bundles import views

app_name = "bundles"
urlpatterns = [path("", views.bundle_download, name="download")]
