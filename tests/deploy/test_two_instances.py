"""Two gunicorn app servers on one PostgreSQL database and one shared storage.

What a row of app servers behind nginx needs: a user logged in on one is
logged in on the other (sessions in the database), what one saves the other
shows, a file uploaded through one downloads through the other (shared
storage), and logging out on one ends the session on both. Instance B also
runs with the replica option (DATABASE_REPLICA_URL, here the same database).

PostgreSQL only: skipped on SQLite; when DATABASE_URL is PostgreSQL a server
that does not start is a failure, not a skip.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.urls import reverse

from roadmaps.models import SchoolDocument
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    ProjectFactory,
    SchoolFactory,
    user_with_role,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Nalejka-2022-secret"
START_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the test database pytest-django made for this run."""
    d = connection.settings_dict
    user = quote(d["USER"] or "", safe="")
    password = quote(d["PASSWORD"] or "", safe="")
    return (
        f"postgres://{user}:{password}@{d['HOST'] or '127.0.0.1'}:"
        f"{d['PORT'] or 5432}/{d['NAME']}"
    )


class Browser:
    """One browser: its cookies go to whichever instance it asks."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, body=None, headers=None):
        conn = HTTPConnection("127.0.0.1", port, timeout=15)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        conn.close()
        return response, content

    def get(self, port, path):
        return self.request(port, "GET", path)

    def post(self, port, path, fields, files=None):
        fields = {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        headers = {"Referer": f"http://127.0.0.1:{port}{path}"}
        if files is None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body, headers["Content-Type"] = multipart(fields, files)
        return self.request(port, "POST", path, body, headers)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
            f"\r\n\r\n{value}\r\n".encode()
        )
    for name, (filename, data, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wait_until_up(process, port, log: Path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on {port} exited:\n{log.read_text()[-3000:]}")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn on {port} did not answer:\n{log.read_text()[-3000:]}")


@pytest.fixture
def instances(transactional_db, tmp_path):
    """Two gunicorn servers sharing the test database and one media folder."""
    if connection.vendor != "postgresql":
        pytest.skip("app servers in other processes share PostgreSQL, not SQLite")
    media = tmp_path / "media"
    media.mkdir()
    (tmp_path / "static").mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_", "AWS_"))
        and k not in {"DATABASE_REPLICA_URL", "STORAGE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.deploy.instance_settings",
        DATABASE_URL=database_url(),
        CONN_MAX_AGE="0",
        DEBUG="false",
        SECRET_KEY="a-key-both-app-servers-share-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="false",
        MEDIA_ROOT=str(media),
        STATIC_ROOT=str(tmp_path / "static"),
        STORAGE="filesystem",
        GUNICORN_WORKERS="1",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG=str(tmp_path / "access.log"),
    )
    started = []
    try:
        for name, extra in (("a", {}), ("b", {"DATABASE_REPLICA_URL": database_url()})):
            port = free_port()
            log = tmp_path / f"{name}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "-c",
                        "config/gunicorn.conf.py",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=ROOT,
                    env={**env, **extra},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            started.append((process, port, log))
        for process, port, log in started:
            wait_until_up(process, port, log)
        yield [port for _, port, _ in started]
    finally:
        # Before pytest-django empties the tables.
        for process, _, _ in started:
            process.send_signal(signal.SIGINT)  # quick shutdown
        for process, _, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def director(settings):
    # The app servers check passwords with the production hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    school = SchoolFactory(
        municipality=MunicipalityFactory(name="Кузоватовский район"),
        name="МОУ Налейкинская СШ",
    )
    ProjectFactory()
    user = user_with_role(Role.SCHOOL, school, username="naleika", password=PASSWORD)
    return user, school


def test_two_app_servers_share_sessions_data_and_files(instances, director):
    a, b = instances
    user, school = director
    browser = Browser()
    login = reverse("login")

    # Log in on A.
    response, _ = browser.get(a, login)
    assert response.status == 200
    assert "csrftoken" in browser.cookies
    response, _ = browser.post(a, login, {"username": "naleika", "password": PASSWORD})
    assert response.status == 302, "login refused"
    assert "sessionid" in browser.cookies

    # The session cookie is good on B: the school's page opens there.
    documents = reverse("roadmaps:document-list", args=[school.pk]) + "?year=2022"
    response, page = browser.get(b, documents)
    assert response.status == 200
    assert "МОУ Налейкинская СШ" in page.decode()

    # Upload on A (B's csrftoken cookie works on A too).
    response, _ = browser.post(
        a,
        documents,
        {"do": "upload", "year": "2022", "kind": "concept", "title": "Концепция"},
        files={"file": ("концепция.pdf", PDF, "application/pdf")},
    )
    assert response.status == 302
    document = SchoolDocument.objects.get()
    assert document.uploaded_by == user

    # B lists it and serves the file A stored.
    response, page = browser.get(b, documents)
    assert response.status == 200
    download = reverse("roadmaps:document-download", args=[document.pk])
    assert f'href="{download}"' in page.decode()
    response, content = browser.get(b, download)
    assert response.status == 200
    assert response.getheader("Content-Disposition").startswith("attachment")
    assert content == PDF

    # Logging out on B ends the session on A as well: a copy of the old
    # session cookie is turned away there.
    old_session = browser.cookies["sessionid"]
    response, _ = browser.post(b, reverse("logout"), {})
    assert response.status == 302
    assert "sessionid" not in browser.cookies
    copy = Browser()
    copy.cookies = {"sessionid": old_session}
    response, _ = copy.get(a, documents)
    assert response.status == 302
    assert response.getheader("Location").startswith(login)
