from django.urls import path

from desk import bulk_views

urlpatterns = [
    path("bulk/", bulk_views.bulk, name="bulk"),
    path("cases/<str:reference>/assign/", bulk_views.assign, name="assign"),
]
