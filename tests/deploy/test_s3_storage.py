"""School documents kept in an S3-compatible bucket (moto's local S3 server)."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import SchoolDocument
from schools.models import Role
from tests.factories import (
    MunicipalityFactory,
    ProjectFactory,
    SchoolFactory,
    user_with_role,
)
from tests.helpers import close_response

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUCKET = "portal-files"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A local S3 server: no network, no account."""
    port = free_port()
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=port, verbose=False
    )
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS
    )
    client.create_bucket(Bucket=BUCKET)
    # The same options base.py builds for STORAGE=s3.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def upload(client, school, title):
    return client.post(
        reverse("roadmaps:document-list", args=[school.pk]),
        {
            "do": "upload",
            "year": 2022,
            "kind": "concept",
            "title": title,
            "file": SimpleUploadedFile(
                "concept.pdf", PDF, content_type="application/pdf"
            ),
        },
    )


def test_a_document_goes_to_the_bucket_and_back(client, bucket):
    school = SchoolFactory(municipality=MunicipalityFactory())
    ProjectFactory()
    client.force_login(user_with_role(Role.SCHOOL, school))
    assert upload(client, school, "Концепция").status_code == 302
    assert upload(client, school, "Концепция, новая редакция").status_code == 302

    first, second = SchoolDocument.objects.order_by("pk")
    # Both are in the bucket, under different keys: nothing overwritten.
    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {first.file.name, second.file.name}
    assert first.file.name != second.file.name
    stored = bucket.get_object(Bucket=BUCKET, Key=second.file.name)["Body"].read()
    assert stored == PDF
    # Private: only the owner is granted anything, and any URL is signed.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=first.file.name)["Grants"]
    assert all(g["Grantee"].get("Type") == "CanonicalUser" for g in grants)
    assert "X-Amz-Signature=" in first.file.url

    got = client.get(reverse("roadmaps:document-download", args=[first.pk]))
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert b"".join(got.streaming_content) == PDF
    close_response(got)
