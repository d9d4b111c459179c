from django.urls import path

from evidence import api

app_name = "evidence-api"
ITEM = "cases/<str:reference>/evidence/<uuid:evidence_id>/"
urlpatterns = [
    path("cases/<str:reference>/evidence/", api.EvidenceListView.as_view(), name="evidence-list"),
    path(ITEM, api.EvidenceDetailView.as_view(), name="evidence-detail"),
    # DESIGN.md: the file and thumbnail paths end without a slash.
    path(ITEM + "file", api.EvidenceFileView.as_view(), name="evidence-file"),
    path(ITEM + "file/", api.EvidenceFileSlashView.as_view()),
    path(ITEM + "thumbnail", api.EvidenceThumbnailView.as_view(), name="evidence-thumbnail"),
    path(ITEM + "thumbnail/", api.EvidenceThumbnailSlashView.as_view()),
]
