from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = _("Roadmaps and orders")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rights)
        from .audit import exports  # noqa: F401  (registers the audit export)
        from .exports import kinds  # noqa: F401  (registers the list exports)
