from django.urls import path

from reviews.views import review as views

app_name = "reviews"

SCOPE = "<int:year>/<str:level>/<slug:code>"

urlpatterns = [
    path("", views.review_index, name="index"),
    path("results/", views.my_results, name="my-results"),
    path("results/import/", views.results_import, name="results-import"),
    path("results/<int:pk>/", views.result_save, name="result-save"),
    path("<int:year>/segment/<slug:code>/summary/", views.segment_summary, name="segment-summary"),
    path("<int:year>/bu/<slug:code>/sign-off/", views.bu_sign_off, name="bu-sign-off"),
    path("<int:year>/bg/<slug:code>/confirm-goals/", views.goals_confirm, name="goals-confirm"),
    path(f"{SCOPE}/", views.review_detail, name="review"),
    path(f"{SCOPE}/export/", views.review_export, name="export"),
    path(f"{SCOPE}/backtest/", views.backtest_page, name="backtest"),
    path(
        f"{SCOPE}/backtest/<int:pk>/draft/",
        views.criteria_from_suggestion,
        name="criteria-from-suggestion",
    ),
    path(f"{SCOPE}/missing/", views.missing_results, name="missing"),
    path(f"{SCOPE}/missing/remind/", views.missing_remind, name="missing-remind"),
    path(f"{SCOPE}/revisions/", views.revisions_page, name="revisions"),
    path(
        f"{SCOPE}/revisions/<slug:kind>/<int:pk>/",
        views.revision_create,
        name="revision-create",
    ),
]
