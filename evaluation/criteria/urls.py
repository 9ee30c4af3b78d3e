"""Criteria (2.3.1): sets and their criteria, tier policies, yearly goals, AHP weights."""

from django.urls import path

from evaluation.criteria.views import criterion, policies, sets

urlpatterns: list = [
    path("", sets.criteria_index, name="criteria-index"),
    path("library/", sets.criteria_library, name="criteria-library"),
    path("new/", sets.criteria_set_new, name="criteria-set-new"),
    path("upload/", sets.criteria_set_upload, name="criteria-set-upload"),
    path("goals/<int:year>/<str:level>/<str:code>/", policies.goal_edit, name="goal-edit"),
    path("<int:pk>/", sets.criteria_set_detail, name="criteria-set-detail"),
    path("<int:pk>/weights/", sets.criteria_set_weights, name="criteria-set-weights"),
    path("<int:pk>/weight-total/", criterion.weight_total, name="weight-total"),
    path("<int:pk>/criteria/new/", criterion.criterion_add, name="criterion-add"),
    path("<int:pk>/criteria/rule-fields/", criterion.rule_fields, name="rule-fields"),
    path("<int:pk>/criteria/<slug:key>/", criterion.criterion_edit, name="criterion-edit"),
    path(
        "<int:pk>/criteria/<slug:key>/remove/",
        criterion.criterion_delete,
        name="criterion-delete",
    ),
    path("<int:pk>/publish/", sets.criteria_set_publish, name="criteria-set-publish"),
    path("<int:pk>/copy/", sets.criteria_set_copy, name="criteria-set-copy"),
    path("<int:pk>/download/", sets.criteria_set_download, name="criteria-set-download"),
    path("<int:pk>/versions/", sets.criteria_set_versions, name="criteria-set-versions"),
    path("<int:pk>/compare/", sets.criteria_set_compare, name="criteria-set-compare"),
    path("<int:pk>/tiers/", policies.tier_policy_edit, name="tier-policy-edit"),
    path("<int:pk>/tiers/move/", policies.tier_policy_move, name="tier-policy-move"),
    path("<int:pk>/ahp/", policies.ahp_weights, name="ahp-weights"),
]
