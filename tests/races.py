"""Run service calls at the same moment, each on its own database connection.

Row locks and unique constraints only meet between two real connections, so
the race tests need PostgreSQL (SQLite serialises every writer anyway).
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

JOIN_SECONDS = 30


def skip_unless_postgres(
    why: str = "row locks between two connections need PostgreSQL",
) -> None:
    """Skip the calling test on SQLite: it proves nothing there."""
    if connection.vendor != "postgresql":
        pytest.skip(why)


def outcome_of(exc: BaseException) -> str:
    """A short name of how a call ended: the ValidationError's code, "refused:"
    with a Refused code, or the exception's class (an IntegrityError that would
    be a server error shows up as "IntegrityError")."""
    if isinstance(exc, ValidationError):
        if getattr(exc, "code", None):
            return exc.code
        if hasattr(exc, "error_dict"):
            for errors in exc.error_dict.values():
                for error in errors:
                    if getattr(error, "code", None):
                        return error.code
        return "invalid"
    if isinstance(exc, PermissionDenied):
        return f"refused:{getattr(exc, 'code', '')}"
    return type(exc).__name__


def run_together(*calls) -> list[str]:
    """Start the calls at the same moment in threads; return their outcomes,
    "ok" for a call that returned."""
    barrier = threading.Barrier(len(calls))
    outcomes = ["hung"] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except Exception as exc:  # every ending is an outcome, a crash too
            outcomes[i] = outcome_of(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_SECONDS)
    return outcomes
