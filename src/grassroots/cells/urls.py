from django.urls import path

from grassroots.cells import views

app_name = "cells"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("record/", views.meeting_record, name="meeting_record"),
    path("attendance/", views.attendance, name="attendance"),
    path("fees/", views.fee_list, name="fees"),
    path("fees/collect/", views.fee_collect, name="fee_collect"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
]
