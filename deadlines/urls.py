"""Staff's actions on a clock, under /cases/<reference>/deadlines/ (included from config.urls)."""

from django.urls import path

from deadlines import views

app_name = "deadlines"
urlpatterns = [
    path(f"<int:deadline_id>/{action}/", views.deadline_action, {"action": action}, name=action)
    for action in ("pause", "resume", "extend")
]
