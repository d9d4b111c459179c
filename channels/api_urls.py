from django.urls import path

from channels import api

app_name = "channels-api"
urlpatterns = [
    path("cases/<str:reference>/contacts/", api.ContactListView.as_view(), name="contact-list"),
    path(
        "cases/<str:reference>/contacts/<int:contact_id>/",
        api.ContactDetailView.as_view(),
        name="contact-detail",
    ),
    path("bodies/", api.BodyListView.as_view(), name="body-list"),
    path("bodies/<slug:slug>/", api.BodyDetailView.as_view(), name="body-detail"),
]
