from django.urls import path

from directory import views

app_name = "directory"

# Fixed paths first: services.RESERVED_SLUGS keeps organisation slugs from shadowing them.
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export.csv", views.organisation_export_csv, name="export_csv"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/<uuid:key>/", views.offer_detail, name="offer_detail"),
    path("suggest/", views.suggestion_new, name="suggest"),
    path("suggest/thanks/", views.suggestion_thanks, name="suggest_thanks"),
    path("confirm/<str:token>/", views.organisation_confirm_link, name="confirm"),
    path("new/", views.organisation_create, name="create"),
    path("mine/", views.my_organisations, name="mine"),
    path("names/", views.organisation_name_options, name="name_options"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("attention/", views.needs_attention, name="attention"),
    path("moderation/<int:pk>/", views.suggestion_decide, name="suggestion_decide"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/export/", views.person_export, name="person_export"),
    path("people/<int:pk>/export.html", views.person_export_html, name="person_export_html"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/suggest/", views.suggestion_correction, name="suggest_correction"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/confirm/", views.organisation_confirm, name="confirm_now"),
    path("<slug:slug>/history/", views.organisation_history, name="history"),
    path("<slug:slug>/editors/", views.organisation_editors, name="editors"),
    path(
        "<slug:slug>/editors/<int:user_id>/remove/",
        views.organisation_editor_remove,
        name="editor_remove",
    ),
    path("<slug:slug>/offers/new/", views.offer_create, name="offer_create"),
    path("<slug:slug>/offers/<int:pk>/", views.offer_edit, name="offer_edit"),
    path("<slug:slug>/offers/<int:pk>/delete/", views.offer_delete, name="offer_delete"),
    path("<slug:slug>/contacts/new/", views.contact_role_create, name="contact_create"),
    path("<slug:slug>/contacts/<int:pk>/edit/", views.contact_role_edit, name="contact_edit"),
    path(
        "<slug:slug>/contacts/<int:pk>/withdraw-consent/",
        views.contact_role_consent_withdraw,
        name="contact_consent_withdraw",
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/remove/",
        views.contact_role_remove,
        name="contact_remove",
    ),
]
