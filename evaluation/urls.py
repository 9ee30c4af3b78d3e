from django.urls import path

from evaluation import views, views_more

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
    path("<int:pk>/ahp/", views_more.ahp_weights, name="ahp-weights"),
]
