from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Names are shown in some forty places, exports included: one definition for all.
        from django.contrib.auth import get_user_model

        from organisation.names import user_full_name

        get_user_model().get_full_name = user_full_name
