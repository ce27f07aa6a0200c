"""The demo's monitoring stages: what the completion page and the curator see."""

import pytest

from monitoring.models import MonitoringStage, MonitoringSubmission, SubmissionStatus
from monitoring.stages import demo
from monitoring.stages.selectors import completion_counts
from roadmaps.demo import load_demo

pytestmark = pytest.mark.django_db


def test_demo_stages_are_realistic_and_idempotent():
    load_demo()
    from roadmaps.demo import _bodies, _projects

    orgs = _bodies()
    before = (
        MonitoringStage.objects.count(),
        MonitoringSubmission.objects.count(),
        sum(s.fields.count() for s in MonitoringStage.objects.all()),
    )
    demo.load(orgs, _projects(orgs))
    after = (
        MonitoringStage.objects.count(),
        MonitoringSubmission.objects.count(),
        sum(s.fields.count() for s in MonitoringStage.objects.all()),
    )
    assert before == after
    assert before[0] == 6  # three stages in two regions
    june = MonitoringStage.objects.get(
        region=orgs["naleyka"].region, stage_type__code="first", year=2022
    )
    assert june.is_published
    naleyka = MonitoringSubmission.objects.get(stage=june, school=orgs["naleyka"])
    assert naleyka.status == SubmissionStatus.SUBMITTED
    counts = completion_counts(stage_ids=[june.pk])[june.pk]
    assert counts["total"] == 3
    assert counts["submitted"] == 1
    assert counts["missing"] == 1
    entry = MonitoringStage.objects.get(
        region=orgs["naleyka"].region, stage_type__code="entry", year=2022
    )
    assert completion_counts(stage_ids=[entry.pk])[entry.pk]["confirmed"] == 2
