from django.urls import path

from grassroots.admissions import views

app_name = "admissions"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("pipeline/admitted/", views.admitted, name="admitted"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("<str:code>/", views.candidate_detail, name="detail"),
    path("<str:code>/steps/<str:stage>/", views.candidate_step, name="step"),
]
