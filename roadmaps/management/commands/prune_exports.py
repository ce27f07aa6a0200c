"""python manage.py prune_exports — delete old background exports and files."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...exports.jobs import prune_exports


class Command(BaseCommand):
    help = "Delete background exports (and their files) older than EXPORT_KEEP_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=settings.EXPORT_KEEP_DAYS, help="Age in days."
        )

    def handle(self, *args, days, **options):
        count = prune_exports(older_than_days=days)
        self.stdout.write(_("Deleted exports: %(count)s.") % {"count": count})
