"""Security settings: login throttling, admin, CSP, the production checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "Верный-пароль-2022"


def attempt(client, username, password):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.7",
    )


@pytest.fixture
def director(django_user_model):
    user = user_with_role("federal_observer")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_sixth_attempt_after_five_wrong_passwords_is_refused_in_russian(
    client, director
):
    statuses = [
        attempt(client, director.username, "wrong-password").status_code
        for _ in range(5)
    ]
    # The fifth wrong password is the last one axes lets through to the form.
    assert statuses == [200, 200, 200, 200, 429]
    assert "_auth_user_id" not in client.session
    response = attempt(client, director.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Вход временно заблокирован" in text
    assert "15 минут" in text


def test_lockout_of_one_user_leaves_another_free(client, director):
    other = user_with_role("federal_observer")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(5):
        attempt(client, director.username, "wrong-password")
    response = attempt(client, other.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_right_password_resets_the_count(client, director):
    for _ in range(4):
        attempt(client, director.username, "wrong-password")
    assert attempt(client, director.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, director.username, "wrong-password")
    assert attempt(client, director.username, PASSWORD).status_code == 302


def test_admin_refuses_users_who_are_not_staff(client):
    ordinary = user_with_role("federal_observer")
    assert not ordinary.is_staff
    client.force_login(ordinary)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    staff = user_with_role("federal_observer", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_every_page_carries_the_strict_csp(client):
    client.force_login(user_with_role("federal_observer"))
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict([*part.split(" ", 1), ""][:2] for part in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in policy


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "ALLOW_INSECURE_KEY",
            "SECRET_KEY",
            "EMAIL_URL",
            # Set by the browser tests (Playwright) in this process.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            # The suite's database may exist only as its test copy; the
            # deployment checks are about settings, not data.
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="portal.example.ru",
        **extra,
    )
    return env


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(SECRET_KEY="t3st-" + "Kq8vXz2LmPwR9sNdYb4HjT6cFgU1eA7o" * 2),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
