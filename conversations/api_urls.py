from django.urls import path

from conversations import api

urlpatterns = [
    path("cases/<str:reference>/messages/", api.MessageListView.as_view(), name="message-list"),
]
