"""The log reads every recorded model, names each, and fits one JSON object."""

from django.apps import apps

from roadmaps.audit.selectors import _data
from roadmaps.audit.sources import DESCRIBED, sources

# What the issue names: plans, orders, reports, monitoring forms, roles and
# assignments.
MUST_BE_RECORDED = {
    "roadmaps.roadmap",
    "roadmaps.roadmapedition",
    "roadmaps.section",
    "roadmaps.activity",
    "roadmaps.order",
    "roadmaps.orderclause",
    "roadmaps.orderreference",
    "roadmaps.schooldocument",
    "monitoring.activityreport",
    "monitoring.monitoringstage",
    "monitoring.monitoringsubmission",
    "monitoring.monitoringanswer",
    "schools.membership",
    "schools.curatorassignment",
}


def test_every_required_model_is_recorded_and_read_by_the_log():
    recorded = {
        m._meta.label_lower
        for m in apps.get_models()
        if getattr(m._meta, "simple_history_manager_attribute", None)
    }
    assert recorded >= MUST_BE_RECORDED
    assert {s.key for s in sources() if not s.is_event} == recorded
    moved = {s.table._meta.label_lower for s in sources() if s.is_event}
    assert moved == {
        "roadmaps.editionevent",
        "roadmaps.documentevent",
        "monitoring.submissionevent",
    }


def test_every_recorded_model_has_a_name_and_a_link():
    """A new audited model needs an entry in DESCRIBED to read well."""
    assert {s.key for s in sources()} <= set(DESCRIBED)


def test_every_row_fits_one_json_object_of_at_most_fifty_keys():
    """PostgreSQL before 16 builds it with JSONB_BUILD_OBJECT: 100 arguments."""
    for source in sources():
        assert len(_data(source)) <= 50, source.key
