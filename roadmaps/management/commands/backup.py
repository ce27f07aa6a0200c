"""python manage.py backup [--output DIR_OR_FILE.tar.gz]

One archive with the database (pg_dump, custom format), the media files and a
manifest to verify a restore against (see _backup.py for the layout).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from . import _backup as b


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump) and the media files into one "
        ".tar.gz with a manifest that `restore` verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR", "backups"),
            help="A folder (the archive gets a dated name) or a path ending in "
            ".tar.gz. Default: $BACKUP_DIR or ./backups.",
        )

    def handle(self, *args, output, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        database = connection.settings_dict
        b.require_postgresql(database, "backup")
        if connection.in_atomic_block:
            raise CommandError("Run backup outside a transaction.")
        target = self._target(Path(output), database["NAME"])
        include_media, why_not = b.media_on_disk()
        if not include_media:
            self.stderr.write(self.style.WARNING(why_not))
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
            dump = Path(work) / b.DUMP
            manifest = self._dump(connection, dump)
            files = b.media_files(media_root) if include_media else []
            manifest["media"] = {
                "included": include_media,
                "note": why_not,
                "count": len(files),
                "files": files,
                "total_bytes": sum(f["size"] for f in files),
            }
            referenced = set(manifest.pop("referenced_files"))
            manifest["missing_files"] = (
                sorted(referenced - {f["path"] for f in files}) if include_media else []
            )
            self._write(target, manifest, dump, media_root, files)
        self._summary(target, database, manifest)

    def _target(self, output: Path, name: str) -> Path:
        if output.name.endswith(".tar.gz"):
            output.parent.mkdir(parents=True, exist_ok=True)
            return output
        output.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        return output / f"portal-{name}-{stamp}.tar.gz"

    def _dump(self, connection, dump: Path) -> dict:
        """pg_dump and the manifest's counts in one snapshot of the database."""
        connection.ensure_connection()
        server_major = b.major_of(str(connection.pg_version))
        pg_dump, dump_major, dump_line = b.find_tool("pg_dump", server_major)
        if dump_major != server_major:
            raise CommandError(
                f"{pg_dump} is version {dump_major}, the server is {server_major}: "
                f"install postgresql-client-{server_major} or set PG_BIN to its "
                "bin folder."
            )
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
                cursor.execute("SELECT pg_export_snapshot(), version()")
                snapshot, server_line = cursor.fetchone()
            manifest = {
                "format": b.FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": {
                    "name": connection.settings_dict["NAME"],
                    "server": server_line,
                    "server_major": server_major,
                    "pg_dump": dump_line,
                    "pg_dump_major": dump_major,
                },
                "migrations": self._migrations(connection.alias),
                "counts": {
                    label: apps.get_model(model)
                    ._base_manager.using(connection.alias)
                    .count()
                    for label, model in b.COUNTED.items()
                },
                "referenced_files": self._referenced(connection),
            }
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env=b.libpq_env(connection.settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return manifest

    def _migrations(self, alias: str) -> dict[str, list[str]]:
        applied: dict[str, list[str]] = {}
        recorder = MigrationRecorder(connections[alias])
        for app, name in sorted(recorder.applied_migrations()):
            applied.setdefault(app, []).append(name)
        return applied

    def _referenced(self, connection) -> list[str]:
        """Every file name the database points to (to spot lost files)."""
        names = set()
        with connection.cursor() as cursor:
            for table, column in b.file_columns():
                qn = connection.ops.quote_name
                cursor.execute(
                    f"SELECT {qn(column)} FROM {qn(table)} "  # noqa: S608 - model names
                    f"WHERE {qn(column)} IS NOT NULL AND {qn(column)} <> ''"
                )
                names.update(row[0] for row in cursor.fetchall())
        return sorted(names)

    def _write(self, target, manifest, dump, media_root, files) -> None:
        """The archive under a temporary name, renamed when complete; only
        its owner may read it (it holds personal data)."""
        partial = target.with_name(target.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz") as tar,
            ):
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(b.MANIFEST)
                info.size, info.mode = len(data), 0o600
                info.mtime = int(dump.stat().st_mtime)
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=b.DUMP)
                for item in files:
                    tar.add(
                        media_root / item["path"], arcname=f"{b.MEDIA}/{item['path']}"
                    )
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)

    def _summary(self, target: Path, database: dict, manifest: dict) -> None:
        counts = manifest["counts"]
        media = manifest["media"]
        self.stdout.write(f"Backed up {b.describe(database)} to {target}")
        self.stdout.write(
            f"  plans {counts['plans']}, editions {counts['editions']}, "
            f"activities {counts['activities']}, reports {counts['reports']}"
        )
        if media["included"]:
            self.stdout.write(
                f"  media files {len(media['files'])} ({media['total_bytes']} bytes)"
            )
        if manifest["missing_files"]:
            self.stderr.write(
                self.style.WARNING(
                    f"  {len(manifest['missing_files'])} files the database names "
                    "were already missing from MEDIA_ROOT (listed in the manifest)."
                )
            )
        self.stdout.write(f"  archive size {target.stat().st_size} bytes")
