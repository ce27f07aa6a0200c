"""python manage.py load_demo — the demo portal built from the seed documents."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schools.models import Role

from ...demo import load_demo


class Command(BaseCommand):
    help = (
        "Load reference data, the territories and bodies of the five seed "
        "documents, the documents themselves and one demo user per role. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        report = load_demo()
        for file, roadmap_id, count in report.imported:
            self.stdout.write(
                _("Imported %(file)s: roadmap %(id)s, %(count)s activities.")
                % {"file": file, "id": roadmap_id, "count": count}
            )
        for file in report.skipped:
            self.stdout.write(_("Already loaded: %(file)s.") % {"file": file})
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo users (password for all: %(password)s):")
                % {"password": report.password}
            )
        )
        for u in report.users:
            where = report.bodies.get(u.username, "")
            self.stdout.write(
                f"  {u.username:<18} {Role(u.role).label}  {where}".rstrip()
            )
