from django.urls import path

from grassroots.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:code>/", views.case_detail, name="case"),
    path("cases/<str:code>/step/", views.case_step, name="case_step"),
    path("discipline/", views.decision_list, name="decisions"),
    path("discipline/new/", views.decision_create, name="decision_create"),
    path("discipline/<str:code>/", views.decision_detail, name="decision"),
    path("discipline/<str:code>/appeal/", views.appeal_lodge, name="appeal_lodge"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/items/new/", views.programme_item_add, name="programme_item_add"),
    path("figures/", views.figures_page, name="figures"),
]
