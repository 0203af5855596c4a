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
    path("<int:pk>/plan/", views.agreement_plan, name="plan"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/checklist/add/", views.checklist_question_add, name="question_add"),
    path("<int:pk>/checklist/<int:item_pk>/", views.checklist_answer, name="answer"),
    path(
        "<int:pk>/checklist/<int:item_pk>/evidence/",
        views.checklist_evidence,
        name="evidence",
    ),
    path("<int:pk>/assessments/new/", views.assessment_record, name="assessment"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_status, name="action_status"),
    path("<int:pk>/log/", views.log_add, name="log_add"),
    path("<int:pk>/anchoring/", views.anchoring_add, name="anchoring_add"),
    path("<int:pk>/report/", views.report_request, name="report"),
    path("<int:pk>/rounds/", views.round_list, name="rounds"),
    path("<int:pk>/rounds/new/", views.round_open, name="round_open"),
    path("<int:pk>/rounds/<int:round_pk>/", views.round_detail, name="round"),
    path("<int:pk>/rounds/<int:round_pk>/dates/", views.round_dates, name="round_dates"),
    path("<int:pk>/rounds/<int:round_pk>/status/", views.round_status, name="round_status"),
    path("<int:pk>/rounds/<int:round_pk>/withdraw/", views.round_withdraw, name="round_withdraw"),
    path(
        "<int:pk>/rounds/<int:round_pk>/respondents/",
        views.respondent_invite,
        name="respondent_invite",
    ),
    path(
        "<int:pk>/rounds/<int:round_pk>/respondents/<int:respondent_pk>/renew/",
        views.respondent_renew,
        name="respondent_renew",
    ),
    path(
        "<int:pk>/rounds/<int:round_pk>/respondents/<int:respondent_pk>/revoke/",
        views.respondent_revoke,
        name="respondent_revoke",
    ),
    path("answer/<str:token>/", views.respond, name="respond"),
]
