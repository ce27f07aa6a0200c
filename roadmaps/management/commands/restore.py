"""python manage.py restore ARCHIVE --database-url postgres://USER@HOST:PORT/NAME
[--media-root DIR] [--force]

Restores an archive of `manage.py backup` into an empty PostgreSQL database
and a media folder, then verifies both against the archive's manifest: the
row counts, the applied migrations, every file's SHA-256, and that every file
the database names is there. The password comes from PGPASSWORD or ~/.pgpass
(or the URL, which other users of the machine may see in the process list).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

import environ
import psycopg2
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from . import _backup as b

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty PostgreSQL database and a media "
        "folder, and verify it against the archive's manifest."
    )
    # The target is another database than the portal's own: no checks of it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by manage.py backup.")
        parser.add_argument(
            "--database-url",
            default=os.environ.get("RESTORE_DATABASE_URL", ""),
            help="The empty database to restore into (default "
            "$RESTORE_DATABASE_URL). Leave the password out: PGPASSWORD or "
            "~/.pgpass supply it.",
        )
        parser.add_argument(
            "--media-root",
            default="",
            help="Where to unpack the media files (default MEDIA_ROOT).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database or media folder that is not empty "
            "(the archive's tables are dropped and recreated).",
        )

    def handle(self, *args, archive, database_url, media_root, force, **options):
        if not database_url:
            raise CommandError(
                "Say where to restore: --database-url postgres://USER@HOST:PORT/NAME "
                "(or RESTORE_DATABASE_URL)."
            )
        database = environ.Env.db_url_config(database_url)
        b.require_postgresql(database, "restore")
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"There is no archive {path}.")
        media_root = Path(media_root or settings.MEDIA_ROOT)
        with tarfile.open(path, "r:gz") as tar:
            manifest = self._manifest(tar)
            media = manifest["media"]
            with self._connect(database) as conn:
                server_major = conn.server_version // 10000
                if self._has_tables(conn) and not force:
                    raise CommandError(
                        f"The database {b.describe(database)} is not empty: restore "
                        "into a new database (createdb), or add --force to replace "
                        "its tables."
                    )
            if media["included"] and self._has_files(media_root) and not force:
                raise CommandError(
                    f"The media folder {media_root} is not empty: give another "
                    "--media-root, or add --force to write over it."
                )
            self._restore_database(tar, database, manifest, server_major, force)
            if media["included"]:
                self._unpack_media(tar, media_root)
        problems, counts = self._verify(database, manifest, media_root)
        if problems:
            shown = "\n  ".join(problems[:SHOWN_PROBLEMS])
            raise CommandError(
                f"The restore does not match the archive ({len(problems)} "
                f"problems):\n  {shown}"
            )
        self._summary(path, database, manifest, counts, media_root)

    # --- reading ---------------------------------------------------------------

    def _manifest(self, tar: tarfile.TarFile) -> dict:
        try:
            member = tar.extractfile(b.MANIFEST)
        except KeyError:
            member = None
        if member is None:
            raise CommandError("This is not a portal backup: it has no manifest.json.")
        manifest = json.load(member)
        if manifest.get("format") != b.FORMAT:
            raise CommandError(
                f"Unknown archive format «{manifest.get('format')}» "
                f"(this portal reads {b.FORMAT})."
            )
        return manifest

    def _connect(self, database: dict):
        options = database.get("OPTIONS") or {}
        params = {
            "dbname": database.get("NAME"),
            "user": database.get("USER"),
            "password": database.get("PASSWORD"),
            "host": database.get("HOST"),
            "port": database.get("PORT"),
            **{k: options[k] for k in b.SSL_OPTIONS if options.get(k)},
        }
        try:
            conn = psycopg2.connect(**{k: v for k, v in params.items() if v})
        except psycopg2.OperationalError as exc:
            raise CommandError(
                f"Cannot connect to {b.describe(database)}: {exc}".strip()
            ) from exc
        conn.autocommit = True
        return closing(conn)

    def _has_tables(self, conn) -> bool:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%')"
            )
            return cursor.fetchone()[0]

    def _has_files(self, root: Path) -> bool:
        return root.is_dir() and any(p.is_file() for p in root.rglob("*"))

    # --- writing ---------------------------------------------------------------

    def _restore_database(self, tar, database, manifest, server_major, force):
        pg_restore, major, _line = b.find_tool("pg_restore", server_major)
        dumped_by = manifest["database"]["pg_dump_major"]
        if major < dumped_by:
            raise CommandError(
                f"{pg_restore} is version {major}; the dump was written by pg_dump "
                f"{dumped_by}: install postgresql-client-{dumped_by} or set PG_BIN."
            )
        with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
            dump = Path(work) / b.DUMP
            source = tar.extractfile(b.DUMP)
            if source is None:
                raise CommandError("The archive has no database.dump.")
            with dump.open("wb") as target:
                shutil.copyfileobj(source, target)
            command = [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *(["--clean", "--if-exists"] if force else []),
                f"--dbname={database['NAME']}",
                str(dump),
            ]
            result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
                command,
                env=b.libpq_env(database),
                capture_output=True,
                text=True,
                check=False,
            )
        if result.returncode != 0:
            raise CommandError(
                f"pg_restore failed (nothing was restored): {result.stderr.strip()}"
            )

    def _unpack_media(self, tar: tarfile.TarFile, root: Path) -> None:
        """The archive's media/ tree into root; the "data" filter refuses
        absolute paths, «..» and links leading out of root."""
        root.mkdir(parents=True, exist_ok=True)
        prefix = f"{b.MEDIA}/"
        for member in tar.getmembers():
            if member.isfile() and member.name.startswith(prefix):
                inside = member.replace(name=member.name[len(prefix) :], deep=False)
                tar.extract(inside, path=root, filter="data")

    # --- checking --------------------------------------------------------------

    def _verify(self, database, manifest, media_root) -> tuple[list[str], dict]:
        problems: list[str] = []
        with self._connect(database) as conn, conn.cursor() as cursor:
            counts = {}
            for label, table in b.counted_tables().items():
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                counts[label] = cursor.fetchone()[0]
                expected = manifest["counts"].get(label)
                if expected is not None and expected != counts[label]:
                    problems.append(
                        f"{label}: {counts[label]} rows, the archive says {expected}"
                    )
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {(app, name) for app, name in cursor.fetchall()}
            archived = {
                (app, name)
                for app, names in manifest["migrations"].items()
                for name in names
            }
            if applied != archived:
                missing, extra = len(archived - applied), len(applied - archived)
                problems.append(
                    f"migrations differ from the archive: {missing} missing, "
                    f"{extra} extra"
                )
            referenced = set()
            if manifest["media"]["included"]:
                for table, column in b.file_columns():
                    cursor.execute(
                        f'SELECT "{column}" FROM "{table}" '  # noqa: S608
                        f'WHERE "{column}" IS NOT NULL AND "{column}" <> \'\''
                    )
                    referenced.update(row[0] for row in cursor.fetchall())
        for item in manifest["media"]["files"]:
            path = media_root / item["path"]
            if not path.is_file():
                problems.append(f"missing file {item['path']}")
            elif b.sha256_of(path) != item["sha256"]:
                problems.append(f"changed file {item['path']} (SHA-256 differs)")
        lost_before = set(manifest.get("missing_files", ()))
        for name in sorted(referenced - lost_before):
            if not (media_root / name).is_file():
                problems.append(f"the database names {name}, which is not restored")
        self._note_newer_migrations(archived)
        return problems, counts

    def _note_newer_migrations(self, archived: set) -> None:
        on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        newer = on_disk - archived
        if newer:
            self.stderr.write(
                self.style.WARNING(
                    f"This code has {len(newer)} migrations the archive lacks: run "
                    "`manage.py migrate` against the restored database before "
                    "serving it."
                )
            )

    def _summary(self, path, database, manifest, counts, media_root) -> None:
        media = manifest["media"]
        self.stdout.write(
            f"Restored {path.name} (made {manifest['created_at']}) into "
            f"{b.describe(database)}"
        )
        self.stdout.write(
            f"  plans {counts['plans']}, editions {counts['editions']}, "
            f"activities {counts['activities']}, reports {counts['reports']}"
        )
        if media["included"]:
            self.stdout.write(
                f"  media files {len(media['files'])} in {media_root}, all verified"
            )
        else:
            self.stdout.write(f"  media files not in the archive: {media['note']}")
        self.stdout.write(self.style.SUCCESS("Restore verified against the manifest."))
