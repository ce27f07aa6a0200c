"""Small helpers shared by test modules."""

import re
from pathlib import Path

from django.db import IntegrityError, transaction


def violates(factory, **kwargs) -> bool:
    """True when creating the object breaks a database constraint."""
    try:
        with transaction.atomic():
            factory(**kwargs)
    except IntegrityError:
        return True
    return False


def seed_column_cells(path: Path, header_prefix: str) -> list[str]:
    """Distinct raw cells of the seed column whose header starts with a prefix.

    Read straight from the file (not through the parser) so that tests can
    check the parser's output against the source.
    """
    column = None
    cells: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        row = [re.sub(r"</?p>", "", cell).strip() for cell in line.split("\t")]
        headers = [i for i, c in enumerate(row) if c.startswith(header_prefix)]
        if headers:
            column = headers[0]
            continue
        cell = row[column] if column is not None and len(row) > column else ""
        if cell and cell not in cells:
            cells.append(cell)
    return cells


def close_response(response) -> None:
    """Close a streamed test response without closing the test's connection.

    `response.close()` fires `request_finished`, whose handler closes the
    database connection, which on PostgreSQL ends the test's transaction; the
    test client itself disconnects that handler around its requests.
    """
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
