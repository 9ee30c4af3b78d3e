from django.urls import include, path

from evaluation.lists.views import segment as views_lists
from evaluation.lists.views import units as views_list_units

app_name = "evaluation"
urlpatterns = [
    path("", include("evaluation.criteria.urls")),
    # Target lists (2.3.3)
    path("lists/", views_lists.target_list_index, name="list-index"),
    path("lists/<int:pk>/", views_lists.target_list_detail, name="target-list"),
    path("lists/<int:pk>/owners/", views_lists.target_list_owners, name="list-owners"),
    path(
        "lists/<int:pk>/rank-override/",
        views_lists.target_list_rank_override,
        name="list-rank-override",
    ),
    path(
        "lists/<int:pk>/entries/<int:entry_pk>/",
        views_lists.target_entry_edit,
        name="list-entry",
    ),
    path("lists/<int:pk>/<slug:step>/", views_lists.target_list_step, name="list-step"),
    path(
        "lists/segment/<str:code>/<int:year>/",
        views_lists.segment_list_redirect,
        name="segment-list",
    ),
    path("lists/bu/<str:code>/<int:year>/", views_list_units.bu_consolidation, name="bu-lists"),
    path(
        "lists/bu/<str:code>/<int:year>/resolve/",
        views_list_units.bu_claim_resolve,
        name="bu-claim-resolve",
    ),
    path(
        "lists/bu/<str:code>/<int:year>/consolidate/",
        views_list_units.bu_consolidate_all,
        name="bu-consolidate-all",
    ),
    path("lists/bg/<str:code>/<int:year>/", views_list_units.bg_approval, name="bg-lists"),
    path(
        "lists/bg/<str:code>/<int:year>/approve/",
        views_list_units.bg_approve_all,
        name="bg-approve-all",
    ),
    path(
        "lists/bg/<str:code>/<int:year>/send-back/",
        views_list_units.bg_send_back_all,
        name="bg-send-back-all",
    ),
    path("", include("evaluation.scoring.urls")),
    path("", include("evaluation.lists.urls_exports")),
]
