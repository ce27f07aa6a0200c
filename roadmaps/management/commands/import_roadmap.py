"""python manage.py import_roadmap PATH [--dry-run] [--format json] [--body ID]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schools.models import Organisation, Project

from ...imports import (
    ImportFailure,
    document_as_json,
    parse_path,
    roadmap_import_document,
)


class Command(BaseCommand):
    help = (
        "Read a roadmap (an order with its table, as copied from Word or a PDF) "
        "and save it as a draft plan. --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--body", type=int, help="ID of the owning body.")
        parser.add_argument("--project", default="500plus", help="Project code.")
        parser.add_argument("--encoding", default="utf-8")

    def handle(self, *args, path: Path, dry_run, format, body, project, encoding, **kw):
        try:
            document = parse_path(path, encoding=encoding)
        except ImportFailure as exc:
            raise CommandError(exc.message) from exc
        data = document_as_json(document)
        if dry_run:
            self._print(data, format, document)
            return
        owner = None
        if body is not None:
            owner = Organisation.objects.filter(pk=body).first()
            if owner is None:
                raise CommandError(_("There is no body with ID %(id)s.") % {"id": body})
        project_obj = Project.objects.filter(code=project).first()
        if project_obj is None:
            raise CommandError(_("There is no project «%(code)s».") % {"code": project})
        try:
            result = roadmap_import_document(
                document=document, body=owner, project=project_obj
            )
        except ImportFailure as exc:
            raise CommandError(exc.message) from exc
        data["roadmap_id"] = result.edition.roadmap_id
        data["warnings"].extend(result.warnings)
        self._print(data, format, document)

    def _print(self, data, format, document):
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        sections = [s for s in data["sections"] if s["title"] is not None]
        self.stdout.write(
            _("Activities: %(activities)s, sections: %(sections)s.")
            % {"activities": document.activity_count(), "sections": len(sections)}
        )
        for warning in data["warnings"]:
            self.stdout.write(_("Warning: %(text)s") % {"text": warning})
        if "roadmap_id" in data:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Saved as draft roadmap %(id)s.") % {"id": data["roadmap_id"]}
                )
            )
