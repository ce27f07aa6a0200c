"""Uploaded files: checked by content, kept outside the web root.

Every upload of the portal (school documents, report evidence, files in
monitoring forms) goes through roadmaps.workflow.check_document_file; here
any content under an allowed name is refused unless it starts as that type
of file does, with a Russian message. The pages' own tests show the refusal
on each form (tests/roadmaps/test_approval_views.py::test_school_document_path,
tests/monitoring/execution/test_services.py::test_bad_evidence_saves_nothing,
tests/monitoring/stages/test_form.py::test_file_answers_checked_by_content_and_size)
and that files are served only within the reader's scope
(tests/monitoring/execution/test_permissions.py::test_view_and_download_by_role,
tests/monitoring/stages/test_form.py::test_files_served_only_within_scope,
test_school_document_path again for school documents).
"""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, get_resolver, resolve
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from config.settings import base
from roadmaps.workflow import DOCUMENT_TYPES, check_document_file

from .support import CYRILLIC, SAMPLES, fuzz

HEADS = [
    b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
    b"\x7fELF\x02\x01\x01",
    b"<!DOCTYPE html><html><script>alert(1)</script>",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<?xml version='1.0'?><svg/>",
    b"#!/bin/sh\nrm -rf /\n",
    b" %PDF-1.4",  # not at the very start
    b"",
    *SAMPLES,
]


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_document_file(upload)
    return caught.value


@fuzz(200)
@given(
    st.sampled_from(sorted(DOCUMENT_TYPES)),
    st.one_of(st.sampled_from(HEADS), st.binary(max_size=64)),
    st.binary(max_size=32),
)
@example(".pdf", b"MZ\x90\x00", b"")
@example(".pdf", b"<html><body>", b"")
@example(".pdf", b"<svg onload='alert(1)'/>", b"")
def test_content_that_does_not_match_the_name_is_refused(suffix, head, tail):
    content = head + tail
    upload = SimpleUploadedFile(f"akt{suffix}", content)
    if content.startswith(DOCUMENT_TYPES[suffix]):
        check_document_file(upload)
        return
    error = refusal(upload)
    (problem,) = error.error_dict["file"]
    assert problem.code == "file_content"
    with translation.override("ru"):
        assert CYRILLIC.search(" ".join(error.messages))


@pytest.mark.parametrize(
    "name", ["virus.exe", "page.html", "image.svg", "script.js", "plan", "akt.pdf.exe"]
)
def test_names_of_other_types_are_refused(name):
    error = refusal(SimpleUploadedFile(name, b"%PDF-1.4\n"))
    (problem,) = error.error_dict["file"]
    assert problem.code == "file_type"
    with translation.override("ru"):
        assert CYRILLIC.search(" ".join(error.messages))


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def test_uploads_are_kept_outside_the_static_files():
    """Nothing a user uploads can be served by the static files' server."""
    media = Path(base.MEDIA_ROOT)
    for static in [Path(base.STATIC_ROOT), *map(Path, base.STATICFILES_DIRS)]:
        assert not inside(media, static), static
        assert not inside(static, media), static
    assert not getattr(base, "WHITENOISE_ROOT", None)


@pytest.mark.parametrize(
    "path", ["/media/", "/media/documents/1/concept.pdf", "/media/evidence/x.pdf"]
)
def test_no_url_serves_the_uploads(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_no_view_serves_files_from_a_folder():
    """django.views.static.serve (a folder on the web) is routed nowhere."""
    from django.views.static import serve

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield pattern.callback

    assert serve not in list(views(get_resolver()))
