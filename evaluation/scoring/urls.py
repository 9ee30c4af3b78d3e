"""Score runs: the run page with its funnel and progress, explanations, what-if."""

from django.urls import path

from evaluation.scoring import views as views_runs

urlpatterns: list = [
    path("runs/", views_runs.score_run_index, name="score-run-index"),
    path("runs/<int:pk>/", views_runs.score_run, name="score-run"),
    path("runs/jobs/<uuid:job>/", views_runs.score_job, name="score-job"),
    path("runs/<str:segment>/<int:year>/", views_runs.score_runs, name="score-runs"),
    path(
        "runs/<str:segment>/<int:year>/score/",
        views_runs.score_segment,
        name="score-segment",
    ),
    path("<int:pk>/whatif/", views_runs.whatif, name="whatif"),
    path("customers/<int:pk>/scores/", views_runs.customer_scores, name="customer-scores"),
]
