"""Downloads of target lists and the yearly documents built from them."""

from django.urls import path

from evaluation.lists.views import exports as views_exports

urlpatterns = [
    path(
        "exports/lists/<int:pk>/",
        views_exports.target_list_export,
        name="target-list-export",
    ),
    path(
        "exports/bu/<str:code>/<int:year>/tiered/",
        views_exports.bu_tiered_export,
        name="bu-tiered-export",
    ),
    path(
        "exports/bu/<str:code>/<int:year>/owners/",
        views_exports.bu_owners_export,
        name="bu-owners-export",
    ),
    path(
        "exports/bg/<str:code>/<int:year>/tiered/",
        views_exports.bg_tiered_export,
        name="bg-tiered-export",
    ),
    path(
        "exports/bg/<str:code>/<int:year>/owners/",
        views_exports.bg_owners_export,
        name="bg-owners-export",
    ),
]
