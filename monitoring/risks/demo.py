"""Demo data: risks."""


def load(orgs, projects) -> None:
    """Add the demo's risks (idempotent: safe to run again)."""
