from django.urls import path

from grassroots.interchange import views

app_name = "interchange"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("export/", views.export, name="export"),
]
