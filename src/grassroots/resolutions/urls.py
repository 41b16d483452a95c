from django.urls import path

from grassroots.resolutions import views

app_name = "resolutions"

urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("documents/<int:pk>/word/", views.document_word, name="document_word"),
    path("documents/<int:pk>/links/new/", views.document_link_create, name="document_link"),
    path("documents/<int:pk>/tasks/new/", views.task_assign, name="task_assign"),
    path("terms/new/", views.term_create, name="term_create"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/figures/", views.task_figures, name="task_figures"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/report/", views.task_report_create, name="task_report"),
    path("tasks/reports/<int:pk>/attachment/", views.task_attachment, name="task_attachment"),
]
