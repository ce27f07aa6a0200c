import pytest
from django.core.management import call_command


@pytest.fixture
def reference_data(db):
    """Reference rows of fixtures/reference.json."""
    call_command("loaddata", "fixtures/reference.json", verbosity=0)


@pytest.fixture(scope="session")
def seeds_dir():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded and generated files of a test never land in the project."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
