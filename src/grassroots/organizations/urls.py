from django.urls import path

from grassroots.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("restructure/", views.restructure, name="restructure"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/change/", views.change, name="change"),
    path("<str:code>/dissolve/", views.dissolve, name="dissolve"),
    path("<str:code>/delete/", views.delete, name="delete"),
]
