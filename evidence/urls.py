"""Evidence pages, under /cases/<reference>/evidence/ (included from config.urls)."""

from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_section, name="section"),
    path("upload/", views.evidence_upload, name="upload"),
    path("<uuid:evidence_id>/download/", views.evidence_download, name="download"),
    path("<uuid:evidence_id>/thumbnail/", views.evidence_thumbnail, name="thumbnail"),
    path("<uuid:evidence_id>/edit/", views.evidence_edit, name="edit"),
    path("<uuid:evidence_id>/remove/", views.evidence_remove_view, name="remove"),
]
