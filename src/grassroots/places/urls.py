from django.urls import path

from grassroots.places import views

app_name = "places"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("merge/", views.merge, name="merge"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/change/", views.change, name="change"),
    path("<str:code>/end/", views.end, name="end"),
    path("<str:code>/delete/", views.delete, name="delete"),
    path("<str:code>/split/", views.split, name="split"),
]
