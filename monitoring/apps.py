from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # Each area registers its object-level rights in schools.access.
        from .dashboards import rules as _dashboards  # noqa: F401
        from .execution import export_kinds as _exports  # noqa: F401
        from .execution import rules as _execution  # noqa: F401
        from .risks import rules as _risks  # noqa: F401
        from .stages import rules as _stages  # noqa: F401
        from .visits import rules as _visits  # noqa: F401
