from django.urls import path

from directory import api

app_name = "directory_api"

urlpatterns = [
    path("", api.index, name="index"),
    path("profile", api.profile, name="profile"),
    path("openapi.json", api.openapi, name="openapi"),
    path("organizations", api.organization_list, name="organizations"),
    path("organizations/<str:key>", api.organization_detail, name="organization"),
    path("services", api.service_list, name="services"),
    path("services/<str:key>", api.service_detail, name="service"),
    path("service_at_locations", api.service_at_location_list, name="service_at_locations"),
    path(
        "service_at_locations/<str:key>",
        api.service_at_location_detail,
        name="service_at_location",
    ),
    path("taxonomies", api.taxonomy_list, name="taxonomies"),
    path("taxonomies/<str:key>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_term_list, name="taxonomy_terms"),
    path("taxonomy_terms/<str:key>", api.taxonomy_term_detail, name="taxonomy_term"),
    # Before HSDS 3 naming; permanently moved.
    path("organisations", api.organisations_moved, name="organisations"),
    path("organisations/<str:key>", api.organisations_moved, name="organisation"),
]
