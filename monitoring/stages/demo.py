"""Demo data: stages."""


def load(orgs, projects) -> None:
    """Add the demo's stages (idempotent: safe to run again)."""
