"""Demo data: execution."""


def load(orgs, projects) -> None:
    """Add the demo's execution (idempotent: safe to run again)."""
