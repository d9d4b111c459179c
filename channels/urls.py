"""Contacts under /cases/<reference>/contacts/ (included from config/urls.py) and the directory
of external bodies at /bodies/ (included from config/urls.py)."""

from django.urls import path

from channels import views

contact_urls = (
    [
        path("", views.contact_list, name="list"),
        path("new/", views.contact_new, name="new"),
        path("<int:contact_id>/edit/", views.contact_edit, name="edit"),
    ],
    "contacts",
)

body_urls = (
    [
        path("", views.body_list, name="list"),
        path("<slug:slug>/", views.body_detail, name="detail"),
    ],
    "bodies",
)
