"""Routes of the congress resolution pages (added to ``resolutions.urls``)."""

from django.urls import path

from grassroots.resolutions import indicator_views as views

urlpatterns = [
    path("congress/", views.resolution_list, name="congress_list"),
    path("congress/new/", views.resolution_create, name="congress_create"),
    path("congress/<str:code>/", views.resolution_detail, name="congress_detail"),
    path("congress/<str:code>/edit/", views.resolution_edit, name="congress_edit"),
    path("congress/<str:code>/indicators/new/", views.indicator_create, name="indicator_create"),
    path(
        "congress/<str:code>/indicators/<str:indicator>/edit/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "congress/<str:code>/indicators/<str:indicator>/<int:year>/",
        views.indicator_value,
        name="indicator_value",
    ),
]
