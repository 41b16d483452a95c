from django.urls import path

from grassroots.cells import views

app_name = "cells"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("record/", views.meeting_record, name="meeting_record"),
    path("attendance/", views.attendance, name="attendance"),
    path("fees/", views.fee_list, name="fees"),
    path("fees/collect/", views.fee_collect, name="fee_collect"),
    path("fees/bases/", views.basis_list, name="bases"),
    path("fees/bases/new/", views.basis_new, name="basis_new"),
    path("fees/bases/<int:pk>/", views.basis_edit, name="basis_edit"),
    path("fees/remittances/", views.remittance_list, name="remittances"),
    path("fees/remittances/new/", views.remittance_new, name="remittance_new"),
    path("fees/remittances/<int:pk>/", views.remittance_edit, name="remittance_edit"),
    path("study/", views.study_list, name="study"),
    path("study/new/", views.study_new, name="study_new"),
    path("study/<int:pk>/", views.study_detail, name="study_detail"),
    path("study/<int:pk>/edit/", views.study_edit, name="study_edit"),
    path("study/<int:pk>/session/", views.study_session, name="study_session"),
    path("study/<int:pk>/plan/", views.study_plan, name="study_plan"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_edit, name="review_edit"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
]
