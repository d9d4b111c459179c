from django.urls import path

from cases.api import views

app_name = "cases-api"
urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<str:reference>/", views.CaseDetailView.as_view(), name="case-detail"),
    path(
        "cases/<str:reference>/transitions/",
        views.CaseTransitionView.as_view(),
        name="case-transitions",
    ),
    path("cases/<str:reference>/events/", views.CaseEventListView.as_view(), name="case-events"),
]
