from django.urls import path

from desk import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.export, name="export"),
    path("views/", views.view_save, name="view-save"),
    path("views/<int:view_id>/delete/", views.view_delete, name="view-delete"),
]
