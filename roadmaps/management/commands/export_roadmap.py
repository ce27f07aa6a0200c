"""python manage.py export_roadmap ROADMAP_ID --format xlsx|docx -o FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...exports.docx import write_edition_docx
from ...exports.xlsx import write_edition_xlsx
from ...models import Roadmap


class Command(BaseCommand):
    help = (
        "Write the file the download button gives: the order with its roadmap "
        "appendix where the plan has an order, else the plan alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("roadmap_id", type=int)
        parser.add_argument("--format", choices=["xlsx", "docx"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument(
            "--edition", type=int, help="Edition number (default: the one in force)."
        )

    def handle(self, *args, roadmap_id, format, output, edition, **options):
        roadmap = Roadmap.objects.filter(pk=roadmap_id).first()
        if roadmap is None:
            raise CommandError(_("There is no roadmap %(id)s.") % {"id": roadmap_id})
        chosen = (
            roadmap.editions.filter(number=edition).first()
            if edition
            else roadmap.current_edition or roadmap.latest_edition
        )
        if chosen is None:
            raise CommandError(_("The roadmap has no such edition."))
        chosen.roadmap = roadmap
        write = write_edition_xlsx if format == "xlsx" else write_edition_docx
        with output.open("wb") as out:
            write(chosen, out)
        self.stdout.write(
            _("Written %(path)s (%(size)s bytes).")
            % {"path": output, "size": output.stat().st_size}
        )
