from django.urls import path

from desk import api

# Included before cases.api_urls (config/api_urls.py): "cases/bulk/" would otherwise be read
# as the case with reference "bulk".
urlpatterns = [
    path("cases/bulk/", api.CaseBulkView.as_view(), name="cases-bulk"),
    path("cases/<str:reference>/assign/", api.CaseAssignView.as_view(), name="case-assign"),
]
