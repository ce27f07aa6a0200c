import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def log(client, superuser):
    """The log's entries as the superuser sees them, with the given filters."""

    def read(**filters):
        client.force_login(superuser)
        response = client.get(reverse("audit:log"), filters)
        assert response.status_code == 200
        return response.context["page"].entries

    return read
