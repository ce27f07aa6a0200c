"""Fast table writing for the generator: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples in the order of the writer's fields (attribute names,
e.g. "edition_id"); primary keys are given by the generator, which takes
them from `Ids` and resets the sequences at the end. No signals, no
`save()`, no history rows.
"""

from __future__ import annotations

import io
import json
import sys
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max


def _pg_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _pg_value(v) -> str:
    if v is None:
        return "\\N"
    t = type(v)
    if t is str:
        return _pg_escape(v)
    if t is bool:
        return "t" if v else "f"
    if t is int:
        return str(v)
    if t is date or t is datetime:
        return v.isoformat()
    if t is list or t is dict:
        return _pg_escape(json.dumps(v, ensure_ascii=False))
    return _pg_escape(str(v))


def _sqlite_value(v):
    t = type(v)
    if v is None or t is str or t is int or t is bool:
        return v
    if t is date:
        return v.isoformat()
    if t is datetime:
        # As Django stores it: naive UTC.
        return str(v.astimezone(UTC).replace(tzinfo=None))
    if t is uuid.UUID:
        return v.hex
    if t is list or t is dict:
        return json.dumps(v, ensure_ascii=False)
    if t is Decimal:
        return str(v)
    return v


class TableWriter:
    """Buffers rows of one table and writes them in batches."""

    def __init__(self, model, fields: list[str], batch_size: int):
        self.model = model
        self.fields = fields
        self.batch_size = batch_size
        self.rows: list[tuple] = []
        self.count = 0
        meta = model._meta
        table = connection.ops.quote_name(meta.db_table)
        columns = [meta.get_field(f).column for f in fields]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            self.sql = f"COPY {table} ({quoted}) FROM STDIN"
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                buf = io.StringIO()
                buf.writelines(
                    "\t".join([_pg_value(v) for v in row]) + "\n" for row in self.rows
                )
                buf.seek(0)
                cursor.copy_expert(self.sql, buf)
            else:
                cursor.executemany(
                    self.sql, [tuple(_sqlite_value(v) for v in r) for r in self.rows]
                )
        self.count += len(self.rows)
        self.rows = []


class Ids:
    """Primary keys handed out by the generator, above what the tables hold."""

    def __init__(self):
        self.next: dict = {}
        self.models: list = []

    def take(self, model) -> int:
        n = self.next.get(model)
        if n is None:
            n = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            self.models.append(model)
        self.next[model] = n + 1
        return n

    def reset_sequences(self) -> None:
        """Move PostgreSQL sequences past the keys given out."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


class Progress:
    """A one-line progress bar on stderr: phase, count/total, rate, ETA."""

    def __init__(self, *, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.phase = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.shown = 0.0

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, max(total, 0), 0
        self.started = self.shown = time.monotonic()
        self._draw(force=True)

    def step(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def finish(self) -> float:
        self.done = max(self.done, self.total)
        self._draw(force=True)
        if not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
        return time.monotonic() - self.started

    def _draw(self, force: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not force and now - self.shown < 0.2:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        share = self.done / self.total if self.total else 1.0
        filled = int(30 * min(share, 1.0))
        bar = "#" * filled + "-" * (30 - filled)
        left = (self.total - self.done) / rate if rate and self.total else 0
        self.stream.write(
            f"\r{self.phase:<28} [{bar}] {self.done}/{self.total} "
            f"{rate:,.0f}/s ETA {left:4.0f}s "
        )
        self.stream.flush()
