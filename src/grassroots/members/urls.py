from django.urls import path

from grassroots.members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("checks/", views.checks, name="checks"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/", views.member_detail, name="detail"),
    path("<str:code>/edit/", views.member_edit, name="edit"),
    path("<str:code>/profile-change/", views.member_profile_change, name="profile_change"),
    path("<str:code>/procedures/new/", views.member_procedure, name="procedure"),
    path("<str:code>/events/new/<str:kind>/", views.member_event, name="event"),
    path("<str:code>/events/<int:pk>/correct/", views.event_correct, name="correct"),
    path("<str:code>/events/<int:pk>/cancel/", views.event_cancel, name="cancel"),
]
