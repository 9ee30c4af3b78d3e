from django.urls import include, path

from evaluation.criteria.views import policies as views_more
from evaluation.criteria.views import sets as views
from evaluation.lists.views import segment as views_lists
from evaluation.lists.views import units as views_list_units

app_name = "evaluation"
urlpatterns = [
    path("", views.criteria_index, name="criteria-index"),
    path("library/", views.criteria_library, name="criteria-library"),
    path("new/", views.criteria_set_new, name="criteria-set-new"),
    path("upload/", views.criteria_set_upload, name="criteria-set-upload"),
    path(
        "goals/<int:year>/<str:level>/<str:code>/",
        views_more.goal_edit,
        name="goal-edit",
    ),
    path("<int:pk>/", views.criteria_set_detail, name="criteria-set-detail"),
    path("<int:pk>/weights/", views.criteria_set_weights, name="criteria-set-weights"),
    path("<int:pk>/weight-total/", views.weight_total, name="weight-total"),
    path("<int:pk>/criteria/new/", views.criterion_add, name="criterion-add"),
    path("<int:pk>/criteria/rule-fields/", views.rule_fields, name="rule-fields"),
    path("<int:pk>/criteria/<slug:key>/", views.criterion_edit, name="criterion-edit"),
    path("<int:pk>/criteria/<slug:key>/remove/", views.criterion_delete, name="criterion-delete"),
    path("<int:pk>/publish/", views.criteria_set_publish, name="criteria-set-publish"),
    path("<int:pk>/copy/", views.criteria_set_copy, name="criteria-set-copy"),
    path("<int:pk>/download/", views.criteria_set_download, name="criteria-set-download"),
    path("<int:pk>/versions/", views.criteria_set_versions, name="criteria-set-versions"),
    path("<int:pk>/compare/", views.criteria_set_compare, name="criteria-set-compare"),
    path("<int:pk>/tiers/", views_more.tier_policy_edit, name="tier-policy-edit"),
    path("<int:pk>/tiers/move/", views_more.tier_policy_move, name="tier-policy-move"),
    path("<int:pk>/ahp/", views_more.ahp_weights, name="ahp-weights"),
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
