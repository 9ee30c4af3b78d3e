from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioritizerConfig(AppConfig):
    """The project package as an app (no models): what needs every app lives here, above them
    all, so the apps themselves import only the ones below (organisation knows no app above)."""

    name = "prioritizer"
    verbose_name = _("Prioritizer")

    def ready(self) -> None:
        from prioritizer import schedule

        schedule.connect_installer()
