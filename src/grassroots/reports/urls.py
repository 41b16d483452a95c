from django.urls import path

from grassroots.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.forms_index, name="index"),
    path("forms/<str:name>/", views.form_page, name="form"),
    path("send/", views.SendPage.as_view(), name="send"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("sent/", views.SubmissionList.as_view(), name="submissions"),
    path("sent/<int:pk>/", views.SubmissionPage.as_view(), name="submission"),
]
