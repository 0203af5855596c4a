from django.urls import path

from portal.converters import choices_converter
from workshops import views

app_name = "workshops"
choices_converter("workshop_part", views.MANAGE_SECTIONS)

urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("cancel/<str:token>/", views.registration_cancel, name="cancel"),
    path("manage/", views.manage_list, name="manage_list"),
    path("new/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/thanks/", views.registration_thanks, name="thanks"),
    path("<int:pk>/calendar.ics", views.workshop_ical, name="ical"),
    path("<int:pk>/input/<str:key>/", views.contribution_public, name="contribute"),
    path("<int:pk>/manage/", views.manage_detail, name="manage"),
    path("<int:pk>/manage/<workshop_part:section>/", views.manage_detail, name="manage_section"),
    path("<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<int:pk>/programme/", views.programme_add, name="programme_add"),
    path("<int:pk>/programme/<int:item_pk>/", views.programme_edit, name="programme_edit"),
    path(
        "<int:pk>/programme/<int:item_pk>/delete/", views.programme_remove, name="programme_remove"
    ),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/check-in/counts/", views.check_in_counts, name="check_in_counts"),
    path("<int:pk>/check-in/<int:reg_pk>/", views.check_in_toggle, name="check_in_toggle"),
    path("<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path(
        "<int:pk>/registrations/<int:reg_pk>/cancel/",
        views.registration_cancel_staff,
        name="registration_cancel_staff",
    ),
    path("<int:pk>/groups/", views.groups_make, name="groups_make"),
    path("<int:pk>/room/", views.room, name="room"),
    path("<int:pk>/room/qr.svg", views.room_qr, name="room_qr"),
    path("<int:pk>/input-link/renew/", views.input_key_renew, name="input_key_renew"),
    path("<int:pk>/contributions/", views.contribution_staff_add, name="contribution_add"),
    path(
        "<int:pk>/contributions/<int:item_pk>/", views.contribution_edit, name="contribution_edit"
    ),
    path(
        "<int:pk>/contributions/<int:item_pk>/visibility/",
        views.contribution_visibility,
        name="contribution_visibility",
    ),
    path("<int:pk>/carry/", views.carry, name="carry"),
    path("<int:pk>/matters/<int:matter_pk>/resolve/", views.matter_resolve, name="matter_resolve"),
    path(
        "<int:pk>/matters/<int:matter_pk>/schedule/", views.matter_schedule, name="matter_schedule"
    ),
]
