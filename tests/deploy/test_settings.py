"""Deployment switches of config/settings/base.py, read from the environment."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

BASE = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"
SWITCHES = (
    "STORAGE",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_LOCATION",
    "AWS_S3_ADDRESSING_STYLE",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REPLICA_PIN_SECONDS",
    "BEHIND_PROXY",
)


@pytest.fixture
def load(monkeypatch):
    """Evaluate base.py afresh in the given environment; return its settings."""
    for name in SWITCHES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-key-for-this-test-only")

    def load(**environ):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE))

    return load


def test_by_default_files_stay_on_the_local_disk(load):
    conf = load()
    assert conf["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert "replica" not in conf["DATABASES"]
    assert "DATABASE_ROUTERS" not in conf
    assert "config.routers.ReplicaMiddleware" not in conf["MIDDLEWARE"]
    assert "SECURE_PROXY_SSL_HEADER" not in conf


def test_s3_storage_is_private_and_never_overwrites(load):
    conf = load(
        STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="portal-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.ru",
        AWS_S3_REGION_NAME="ru-central1",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_S3_ADDRESSING_STYLE="path",
    )
    default = conf["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    # The static files keep their own storage.
    assert "whitenoise" in conf["STORAGES"]["staticfiles"]["BACKEND"]
    storage = S3Storage(**default["OPTIONS"])
    assert storage.bucket_name == "portal-files"
    assert storage.endpoint_url == "https://s3.example.ru"
    assert storage.region_name == "ru-central1"
    assert storage.access_key == "key-id"
    assert storage.secret_key == "secret"
    assert storage.addressing_style == "path"
    assert storage.default_acl is None
    assert storage.querystring_auth is True
    assert storage.file_overwrite is False


def test_s3_storage_needs_a_bucket(load):
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        load(STORAGE="s3")


def test_an_unknown_storage_is_refused(load):
    with pytest.raises(ImproperlyConfigured, match="STORAGE"):
        load(STORAGE="ftp")


def test_replica_adds_a_database_a_router_and_the_middleware(load):
    conf = load(
        DATABASE_URL="postgres://portal:pw@db1:5432/portal",
        DATABASE_REPLICA_URL="postgres://portal_ro:pw@db2:5432/portal",
        REPLICA_PIN_SECONDS="15",
    )
    replica = conf["DATABASES"]["replica"]
    assert replica["HOST"] == "db2"
    assert replica["USER"] == "portal_ro"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert conf["DATABASES"]["default"]["HOST"] == "db1"
    assert conf["DATABASE_ROUTERS"] == ["config.routers.ReplicaRouter"]
    # First, so the sessions and the user are read where the request reads.
    assert conf["MIDDLEWARE"][0] == "config.routers.ReplicaMiddleware"
    assert conf["MIDDLEWARE"].count("config.routers.ReplicaMiddleware") == 1
    assert conf["REPLICA_PIN_SECONDS"] == 15


def test_behind_a_proxy_the_forwarded_scheme_is_trusted(load):
    conf = load(BEHIND_PROXY="true")
    assert conf["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_gunicorn_workers_follow_the_cores_unless_told(monkeypatch):
    import multiprocessing

    conf_file = str(BASE.parent.parent / "gunicorn.conf.py")
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_PRELOAD"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(conf_file)
    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["max_requests_jitter"] > 0
    assert "%(D)s" in conf["access_log_format"]
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8001")
    monkeypatch.setenv("GUNICORN_PRELOAD", "false")
    conf = runpy.run_path(conf_file)
    assert (conf["workers"], conf["bind"], conf["preload_app"]) == (
        3,
        "0.0.0.0:8001",
        False,
    )
