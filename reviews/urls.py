from django.urls import path

from reviews.views import results, review, revisions

app_name = "reviews"

SCOPE = "<int:year>/<str:level>/<slug:code>"

urlpatterns = [
    path("", review.review_index, name="index"),
    path("results/", results.my_results, name="my-results"),
    path("results/import/", results.results_import, name="results-import"),
    path("results/<int:pk>/", results.result_save, name="result-save"),
    path("<int:year>/segment/<slug:code>/summary/", review.segment_summary, name="segment-summary"),
    path("<int:year>/bu/<slug:code>/sign-off/", review.bu_sign_off, name="bu-sign-off"),
    path("<int:year>/bg/<slug:code>/confirm-goals/", review.goals_confirm, name="goals-confirm"),
    path(f"{SCOPE}/", review.review_detail, name="review"),
    path(f"{SCOPE}/export/", review.review_export, name="export"),
    path(f"{SCOPE}/backtest/", review.backtest_page, name="backtest"),
    path(
        f"{SCOPE}/backtest/<int:pk>/draft/",
        revisions.criteria_from_suggestion,
        name="criteria-from-suggestion",
    ),
    path(f"{SCOPE}/missing/", review.missing_results, name="missing"),
    path(f"{SCOPE}/missing/remind/", results.missing_remind, name="missing-remind"),
    path(f"{SCOPE}/revisions/", revisions.revisions_page, name="revisions"),
    path(
        f"{SCOPE}/revisions/<slug:kind>/<int:pk>/",
        revisions.revision_create,
        name="revision-create",
    ),
]
