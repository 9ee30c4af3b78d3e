"""Score runs: the run page with its funnel and progress, explanations, what-if."""

urlpatterns: list = []
