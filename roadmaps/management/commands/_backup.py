"""What `manage.py backup` and `manage.py restore` share.

An archive is one .tar.gz holding, in this order:

- `manifest.json`: when, from which database and server, the applied
  migrations, row counts of the main tables, and every media file with its
  size and SHA-256 (what `restore` verifies);
- `database.dump`: `pg_dump --format=custom` of the whole database, taken in
  the same snapshot as the counts;
- `media/…`: the tree of MEDIA_ROOT (uploaded documents, report evidence,
  answer files, exports), unless the files live in an S3 bucket.

The PostgreSQL tools get their connection from libpq's environment (PGHOST,
PGPASSWORD, …), never from their command line, where any user of the machine
could read a password.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db.models import FileField

FORMAT = "roadmap-portal-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"

# The tables whose rows `restore` counts again: label -> model.
COUNTED = {
    "plans": "roadmaps.Roadmap",
    "editions": "roadmaps.RoadmapEdition",
    "activities": "roadmaps.Activity",
    "orders": "roadmaps.Order",
    "school_documents": "roadmaps.SchoolDocument",
    "reports": "monitoring.ActivityReport",
    "report_evidence": "monitoring.ReportEvidence",
    "monitoring_submissions": "monitoring.MonitoringSubmission",
    "risk_profiles": "monitoring.RiskProfile",
    "organisations": "schools.Organisation",
    "users": settings.AUTH_USER_MODEL,
}

# libpq environment variables for the OPTIONS a DATABASES entry may carry.
SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def require_postgresql(database: dict, what: str) -> None:
    """Refuse anything but PostgreSQL, saying what to do instead."""
    if "postgresql" not in database.get("ENGINE", ""):
        raise CommandError(
            f"{what} works with PostgreSQL only (the production database). "
            "A SQLite database is one file: stop the portal and copy db.sqlite3 "
            "together with the media folder."
        )


def libpq_env(database: dict) -> dict[str, str]:
    """The process environment plus libpq's variables for this database.

    A password missing from the settings is left to PGPASSWORD or ~/.pgpass.
    """
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
    }
    options = database.get("OPTIONS") or {}
    for option, variable in SSL_OPTIONS.items():
        if options.get(option):
            values[variable] = str(options[option])
    env.update({k: v for k, v in values.items() if v})
    env["PGAPPNAME"] = "roadmap-portal-backup"
    return env


def describe(database: dict) -> str:
    """«name on host:port», never the password."""
    host = database.get("HOST") or "local socket"
    port = database.get("PORT") or 5432
    return f"«{database.get('NAME')}» on {host}:{port}"


def major_of(version_text: str) -> int:
    """15 from «pg_dump (PostgreSQL) 15.20 (Debian …)» or «150020»."""
    text = version_text.strip()
    if text.isdigit():
        return int(text) // 10000
    found = re.search(r"\b(\d+)(?:\.\d+)?", text)
    if not found:
        raise CommandError(f"Cannot read a PostgreSQL version from «{text}».")
    return int(found.group(1))


def tool_version(path: str) -> tuple[int, str]:
    result = subprocess.run(  # noqa: S603 - our own binary lookup, no shell
        [path, "--version"], capture_output=True, text=True, check=True
    )
    return major_of(result.stdout), result.stdout.strip()


def find_tool(name: str, server_major: int) -> tuple[str, int, str]:
    """pg_dump or pg_restore for this server: from PG_BIN (environment or
    settings) if set, else Debian's /usr/lib/postgresql/<major>/bin, else
    PATH. Returns the path, its major version and its version line."""
    pg_bin = os.environ.get("PG_BIN") or getattr(settings, "PG_BIN", "")
    if pg_bin:
        candidates = [str(Path(pg_bin) / name)]
    else:
        candidates = [
            f"/usr/lib/postgresql/{server_major}/bin/{name}",
            shutil.which(name) or "",
        ]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            major, line = tool_version(path)
            return path, major, line
    raise CommandError(
        f"{name} is not found (looked in {', '.join(filter(None, candidates))}). "
        f"Install postgresql-client-{server_major} or set PG_BIN to the folder "
        f"holding {name} {server_major}."
    )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[dict]:
    """Every regular file under root (symlinks not followed), sorted."""
    if not root.is_dir():
        return []
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files.append(
                {
                    "path": path.relative_to(root).as_posix(),
                    "size": path.stat().st_size,
                    "sha256": sha256_of(path),
                }
            )
    return files


def media_on_disk() -> tuple[bool, str]:
    """Whether uploaded files live under MEDIA_ROOT; if not, why."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if getattr(settings, "STORAGE", "filesystem") == "s3" or not backend.endswith(
        "FileSystemStorage"
    ):
        return False, (
            "Media files are kept in object storage (STORAGE=s3): they are not in "
            "this archive. Back up the bucket itself (versioning or replication), "
            "see README «Backup and restore»."
        )
    return True, ""


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of the portal's own models, the
    history tables left out (they may name files deleted since)."""
    columns = []
    for model in apps.get_models():
        if model._meta.app_label not in ("roadmaps", "monitoring", "schools"):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, FileField):
                columns.append((model._meta.db_table, field.column))
    return columns


def counted_tables() -> dict[str, str]:
    """label -> table name of COUNTED."""
    return {
        label: apps.get_model(model)._meta.db_table for label, model in COUNTED.items()
    }
