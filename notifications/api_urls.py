from django.urls import path

from notifications import api

app_name = "notifications-api"
urlpatterns = [
    path(
        "notifications/",
        api.NotificationListView.as_view(),
        name="notification-list",
    ),
    path(
        "notifications/read-all/",
        api.NotificationReadAllView.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        api.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
