from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Criteria and scoring")

    def ready(self) -> None:
        from customers.tiers import tier_source_provide
        from evaluation.lists import waiting  # noqa: F401 - registers the home-page items
        from evaluation.lists.customer_tiers import SOURCE

        # The customer list's tier column and filter read the target lists through this.
        tier_source_provide(SOURCE)
