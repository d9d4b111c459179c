from django.urls import include, path

from cases import views
from channels.urls import contact_urls

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/new/<slug:kind>/", views.case_new_kind, name="new_kind"),
    path("cases/<str:reference>/", views.case_detail, name="detail"),
    path("cases/<str:reference>/transition/", views.case_transition_view, name="transition"),
    path("cases/<str:reference>/notes/", views.case_note, name="note"),
    path("cases/<str:reference>/edit/", views.case_edit, name="edit"),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/pause/",
        views.deadline_action,
        {"action": "pause"},
        name="deadline_pause",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/resume/",
        views.deadline_action,
        {"action": "resume"},
        name="deadline_resume",
    ),
    path(
        "cases/<str:reference>/deadlines/<int:deadline_id>/extend/",
        views.deadline_action,
        {"action": "extend"},
        name="deadline_extend",
    ),
    path("cases/<str:reference>/evidence/", include("evidence.urls")),
    path("cases/<str:reference>/contacts/", include(contact_urls)),
]
