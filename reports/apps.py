from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The registry is filled by each app's reports.py; ours holds the portal overview.
        from reports import personal_data, reports  # noqa: F401
