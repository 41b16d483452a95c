from django.urls import path

from grassroots.cadres import views

app_name = "cadres"

urlpatterns = [
    path("", views.appointment_list, name="list"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/end/", views.appointment_end, name="appointment_end"),
    path("people/new/", views.person_create, name="person_create"),
    path("congresses/", views.congress_list, name="congresses"),
    path("congresses/new/", views.congress_create, name="congress_create"),
    path("congresses/<int:pk>/", views.congress_detail, name="congress"),
    path("congresses/<int:pk>/result/", views.congress_result, name="congress_result"),
    path("secretaries/", views.secretary_list, name="secretaries"),
    path("record/<str:code>/", views.cadre_record, name="record"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/add/", views.plan_entry_add, name="plan_entry_add"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("plan-entries/<int:pk>/remove/", views.plan_entry_remove, name="plan_entry_remove"),
    path(
        "plan-entries/<int:pk>/discipline/",
        views.plan_entry_discipline,
        name="plan_entry_discipline",
    ),
    path("rotations/", views.rotation_list, name="rotations"),
    path("rotations/new/", views.rotation_create, name="rotation_create"),
    path("rotations/<int:pk>/end/", views.rotation_end, name="rotation_end"),
]
