"""Project-wide checks: migrations, translations, language, time zones."""

import gettext
import io
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from schools.models import Role
from tests.factories import MunicipalityFactory, OrganisationFactory, user_with_role

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_russian_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    assert untranslated == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, entry.msgid


@pytest.mark.django_db
def test_portal_speaks_russian_by_default_whatever_the_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert "Войти" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_gives_english(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}
    )
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()


@pytest.mark.django_db
def test_times_are_shown_in_the_users_region_zone(client):
    municipality = MunicipalityFactory(region__timezone="Asia/Vladivostok")
    user = user_with_role(
        Role.MUNICIPAL_COORDINATOR, OrganisationFactory(municipality=municipality)
    )
    client.force_login(user)
    client.get(reverse("home"))
    assert client.session["tz"] == "Asia/Vladivostok"
