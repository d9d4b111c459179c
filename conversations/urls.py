from django.urls import path

from conversations import views

urlpatterns = [
    path("cases/<str:reference>/messages/", views.message_post_view, name="post"),
]
