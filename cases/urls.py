from django.urls import path

from cases import views

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
]
