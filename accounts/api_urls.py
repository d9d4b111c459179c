from django.urls import path

from accounts import api

app_name = "accounts-api"
urlpatterns = [
    path("auth/token/", api.TokenCreateView.as_view(), name="token"),
]
