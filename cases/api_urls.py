from django.urls import path

from cases.api import deadlines, notifications, views

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
    path(
        "cases/<str:reference>/deadlines/",
        deadlines.DeadlineListView.as_view(),
        name="case-deadlines",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/pause/",
        deadlines.DeadlinePauseView.as_view(),
        name="case-deadline-pause",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/resume/",
        deadlines.DeadlineResumeView.as_view(),
        name="case-deadline-resume",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/extend/",
        deadlines.DeadlineExtendView.as_view(),
        name="case-deadline-extend",
    ),
    path("deadline-rules/", deadlines.DeadlineRuleListView.as_view(), name="deadline-rule-list"),
    path(
        "notifications/",
        notifications.NotificationListView.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
