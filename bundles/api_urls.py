from django.urls import path

from bundles import api

app_name = "bundles-api"
urlpatterns = [
    path("cases/<str:reference>/bundle/", api.CaseBundleView.as_view(), name="case-bundle"),
]
