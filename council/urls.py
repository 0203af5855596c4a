from django.urls import path

from council import materials, speakers, views
from portal.converters import choices_converter

app_name = "council"
choices_converter("meeting_part", views.MEETING_SECTIONS)

urlpatterns = [
    path("", views.council_home, name="home"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.membership_create, name="membership_create"),
    path("members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("members/<int:pk>/change/", views.membership_change, name="membership_change"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/reinstate/", views.meeting_reinstate, name="meeting_reinstate"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/propose/", views.agenda_item_propose, name="agenda_item_propose"),
    path("meetings/<int:pk>/publish/", views.agenda_publish, name="agenda_publish"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="meeting_rsvp"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance_record"),
    path("meetings/<int:pk>/actions/", views.action_item_add, name="action_item_add"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/roles/", views.minutes_roles, name="minutes_roles"),
    path("meetings/<int:pk>/minutes/send/", views.minutes_circulate, name="minutes_circulate"),
    path("meetings/<int:pk>/minutes/answer/", views.minutes_answer, name="minutes_answer"),
    path("meetings/<int:pk>/minutes/correct/", views.minutes_correct, name="minutes_correct"),
    path("meetings/<int:pk>/minutes/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("public/minutes/<int:pk>/", views.minutes_public, name="minutes_public"),
    path("settings/minutes/", views.minutes_settings, name="minutes_settings"),
    path("meetings/<int:pk>/speaking/", views.speaking, name="speaking"),
    path("meetings/<int:pk>/speaking/start/", views.speaking_start, name="speaking_start"),
    path("meetings/<int:pk>/speaking/stop/", views.speaking_stop, name="speaking_stop"),
    path("items/<int:pk>/", views.agenda_item_action, name="agenda_item_action"),
    path("items/<int:pk>/decline/", views.agenda_item_decline, name="agenda_item_decline"),
    path("items/<int:pk>/documents/", views.document_add, name="document_add"),
    path("items/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("items/<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("items/<int:pk>/minutes/withdraw/", views.minutes_withdraw, name="minutes_withdraw"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("actions/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("actions/<int:pk>/withdraw/", views.action_item_withdraw, name="action_item_withdraw"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("speaking-time/", views.speaking_time, name="speaking_time"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("report/", views.report_request, name="report_request"),
    *speakers.urlpatterns,
    *materials.urlpatterns,
    # Last, so that it never hides a tool of the meeting (an unknown part answers 404).
    path("meetings/<int:pk>/<meeting_part:section>/", views.meeting_detail, name="meeting_section"),
]
