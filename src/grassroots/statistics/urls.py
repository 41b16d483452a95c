from django.urls import path

from grassroots.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definitions/", views.definitions_page, name="definitions"),
    path("records/", views.drilldown, name="drilldown"),
]
