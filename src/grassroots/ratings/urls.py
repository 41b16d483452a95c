from django.urls import path

from grassroots.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("new/", views.rating_create, name="create"),
    path("upload/", views.rating_upload, name="upload"),
    path("grid/", views.rating_grid, name="grid"),
    path("figures/", views.rating_figures, name="figures"),
    path("<int:pk>/", views.rating_detail, name="detail"),
]
