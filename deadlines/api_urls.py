from django.urls import path

from deadlines import api

app_name = "deadlines-api"
urlpatterns = [
    path(
        "cases/<str:reference>/deadlines/",
        api.DeadlineListView.as_view(),
        name="case-deadlines",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/pause/",
        api.DeadlinePauseView.as_view(),
        name="case-deadline-pause",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/resume/",
        api.DeadlineResumeView.as_view(),
        name="case-deadline-resume",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/extend/",
        api.DeadlineExtendView.as_view(),
        name="case-deadline-extend",
    ),
    path("deadline-rules/", api.DeadlineRuleListView.as_view(), name="deadline-rule-list"),
]
