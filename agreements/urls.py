from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("principles/", views.principle_list, name="principles"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("compare/", views.comparison, name="compare"),
    path("new/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/manage/", views.agreement_manage, name="manage"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/phase/", views.agreement_phase, name="phase"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/checklist/add/", views.checklist_question_add, name="question_add"),
    path("<int:pk>/checklist/<int:item_pk>/", views.checklist_answer, name="answer"),
    path("<int:pk>/assessments/new/", views.assessment_record, name="assessment"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_status, name="action_status"),
    path("<int:pk>/log/", views.log_add, name="log_add"),
    path("<int:pk>/anchoring/", views.anchoring_add, name="anchoring_add"),
    path("<int:pk>/report/", views.report_request, name="report"),
]
