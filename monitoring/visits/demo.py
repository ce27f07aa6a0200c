"""Demo data: visits."""


def load(orgs, projects) -> None:
    """Add the demo's visits (idempotent: safe to run again)."""
