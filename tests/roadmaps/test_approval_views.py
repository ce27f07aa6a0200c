"""Approval through the pages: actions, the order form, editions, inbox, documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from roadmaps import editing, workflow
from roadmaps.compare import editions_compare
from roadmaps.models import Notification, Order, RoadmapEdition, SchoolDocument
from schools.models import Profile, Role
from tests.factories import (
    ActivityFactory,
    CuratorAssignmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    ProjectFactory,
    RegionalBodyFactory,
    SchoolFactory,
    UserFactory,
    roadmap_with_edition,
    user_with_role,
)
from tests.helpers import close_response

pytestmark = pytest.mark.django_db
S = RoadmapEdition.Status


@pytest.fixture
def w():
    municipality = MunicipalityFactory()
    dept = RegionalBodyFactory(region=municipality.region)
    mouo = OrganisationFactory(municipality=municipality, name="Отдел образования")
    school = SchoolFactory(municipality=municipality, name="МОУ СШ № 1")
    curator = UserFactory(username="curator")
    MembershipFactory(user=curator, role=Role.CURATOR, organisation=None)
    CuratorAssignmentFactory(curator=curator, school=school, year=2022)
    roadmap = roadmap_with_edition(owner=school, activities=2)
    return {
        "edition": roadmap.latest_edition,
        "roadmap": roadmap,
        "school": school,
        "mouo": mouo,
        "dept": dept,
        "school_user": user_with_role(Role.SCHOOL, school, username="school"),
        "curator": curator,
        "coordinator": user_with_role(Role.MUNICIPAL_COORDINATOR, mouo, username="m"),
        "regional": user_with_role(Role.REGIONAL_STAFF, dept, username="r"),
        "observer": user_with_role(Role.FEDERAL_OBSERVER, username="o"),
        "outsider": user_with_role(
            Role.MUNICIPAL_COORDINATOR, OrganisationFactory(), username="x"
        ),
    }


def action_url(edition):
    return reverse("roadmaps:edition-action", args=[edition.roadmap_id, edition.number])


def approve_url(edition):
    return reverse(
        "roadmaps:edition-approve", args=[edition.roadmap_id, edition.number]
    )


def test_plan_page_offers_each_user_their_steps(client, w):
    edition = w["edition"]
    client.force_login(w["school_user"])
    page = client.get(w["roadmap"].get_absolute_url())
    assert page.context["workflow"]["actions"] == ["submit"]
    workflow.edition_submit(by=w["school_user"], edition=edition)
    client.force_login(w["curator"])
    page = client.get(w["roadmap"].get_absolute_url())
    assert page.context["workflow"]["actions"] == ["agree", "return"]
    workflow.edition_agree(by=w["curator"], edition=edition)
    client.force_login(w["coordinator"])
    page = client.get(w["roadmap"].get_absolute_url())
    assert page.context["workflow"]["actions"] == ["approve", "return"]
    assert 'data-testid="approve-link"' in page.content.decode()
    client.force_login(w["observer"])
    assert (
        client.get(w["roadmap"].get_absolute_url()).context["workflow"]["actions"] == []
    )


def test_actions_through_the_page(client, w):
    edition = w["edition"]
    client.force_login(w["school_user"])
    response = client.post(action_url(edition), {"action": "submit"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == S.SUBMITTED
    client.force_login(w["curator"])
    response = client.post(
        action_url(edition), {"action": "return", "comment": ""}, follow=True
    )
    assert "возврат на доработку требует комментария" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == S.SUBMITTED
    client.post(action_url(edition), {"action": "return", "comment": "Добавьте сроки"})
    edition.refresh_from_db()
    assert edition.status == S.RETURNED


def test_actions_refused_to_others(client, w):
    edition = w["edition"]
    client.force_login(w["observer"])
    assert client.post(action_url(edition), {"action": "submit"}).status_code == 403
    client.force_login(w["outsider"])
    assert client.post(action_url(edition), {"action": "submit"}).status_code == 404
    edition.refresh_from_db()
    assert edition.status == S.DRAFT


def _agreed(w):
    edition = w["edition"]
    workflow.edition_submit(by=w["school_user"], edition=edition)
    workflow.edition_agree(by=w["curator"], edition=edition)
    return edition


def test_approve_page_prefills_the_order_in_the_seeds_style(client, w):
    edition = _agreed(w)
    OrderFactory(issuer=w["mouo"], number="41", date=timezone.localdate())
    client.force_login(w["coordinator"])
    page = client.get(approve_url(edition))
    form = page.context["form"]
    assert form.initial["issuer"] == w["mouo"].pk
    assert form.initial["number"] == "42"
    assert form.initial["title"].startswith("Об утверждении школьной «дорожной карты»")
    assert form.initial["clauses"].startswith("1. Утвердить школьную «дорожную карту»")
    client.force_login(w["curator"])
    assert client.get(approve_url(edition)).status_code == 403


def test_approve_by_order_through_the_page(client, w):
    edition = _agreed(w)
    client.force_login(w["coordinator"])
    data = {
        "issuer": w["mouo"].pk,
        "number": "15",
        "date": "2022-03-01",
        "title": "Об утверждении школьных дорожных карт",
        "clauses": "1. Утвердить дорожную карту (приложение).\n2. Контроль за собой.",
        "signatory_position": "Начальник отдела",
        "signatory_name": "Н.В. Серёгина",
    }
    response = client.post(approve_url(edition), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == S.APPROVED
    order = edition.approving_order
    assert (order.number, order.issuer, order.status) == ("15", w["mouo"], "signed")
    assert order.clauses.count() == 2
    assert edition.appendix_text.endswith("от 01.03.2022 № 15")


def test_approve_with_a_taken_number_shows_the_free_one(client, w):
    edition = _agreed(w)
    OrderFactory(issuer=w["mouo"], number="15", date=datetime.date(2022, 1, 10))
    client.force_login(w["coordinator"])
    response = client.post(
        approve_url(edition),
        {
            "issuer": w["mouo"].pk,
            "number": "15",
            "date": "2022-03-01",
            "title": "Об утверждении",
            "clauses": "1. Утвердить.",
        },
    )
    assert response.status_code == 200
    assert "следующий свободный номер — 16" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == S.AGREED
    assert Order.objects.filter(issuer=w["mouo"]).count() == 1


def test_new_edition_and_comparison(client, w):
    edition = _agreed(w)
    editing.edition_renumber(edition)  # factory rows carry arbitrary numbers
    order = OrderFactory(issuer=w["mouo"])
    workflow.edition_approve(by=w["coordinator"], edition=edition, order=order)
    client.force_login(w["school_user"])
    response = client.post(reverse("roadmaps:edition-new", args=[w["roadmap"].pk]))
    assert response.status_code == 302
    second = w["roadmap"].editions.get(number=2)
    first_row, second_row = second.activities.order_by("position")
    editing.activity_update(
        by=w["school_user"],
        activity=first_row,
        data={
            "title": first_row.title,
            "deadline_text": "Декабрь 2022",
            "responsible_text": "ОО, куратор",
        },
        version=None,
    )
    editing.activity_delete(by=w["school_user"], activity=second_row, version=None)
    editing.activity_add(
        by=w["school_user"],
        edition=second,
        data={"title": "Новое"},
        section=first_row.section,
    )
    diffs = [d for d in editions_compare(edition, second) if d.kind != "same"]
    assert [(d.kind, d.changed) for d in diffs] == [
        ("changed", ["deadline_text", "responsible_text"]),
        ("removed", []),
        ("added", []),
    ]
    page = client.get(reverse("roadmaps:edition-compare", args=[w["roadmap"].pk]))
    assert "Добавлено: 1, удалено: 1, изменено: 1" in page.content.decode()


def test_inbox_shows_what_waits_for_each_user(client, w):
    edition = w["edition"]
    workflow.edition_submit(by=w["school_user"], edition=edition)
    client.force_login(w["curator"])
    page = client.get(reverse("roadmaps:inbox"))
    assert [e.pk for e in page.context["waiting"]] == [edition.pk]
    assert page.context["nav_inbox_count"] == 1
    client.force_login(w["coordinator"])
    assert client.get(reverse("roadmaps:inbox")).context["waiting"] == []
    workflow.edition_agree(by=w["curator"], edition=edition)
    page = client.get(reverse("roadmaps:inbox"))
    assert [e.pk for e in page.context["waiting"]] == [edition.pk]
    client.force_login(w["school_user"])
    page = client.get(reverse("roadmaps:inbox"))
    assert page.context["waiting"] == []
    assert [e.pk for e in page.context["mine"]] == [edition.pk]


def test_inbox_of_the_region_lists_submitted_municipal_plans(client, w):
    plan = roadmap_with_edition(owner=w["mouo"], activities=1)
    workflow.edition_submit(by=w["coordinator"], edition=plan.latest_edition)
    client.force_login(w["regional"])
    page = client.get(reverse("roadmaps:inbox"))
    assert [e.pk for e in page.context["waiting"]] == [plan.latest_edition.pk]


def test_notifications_page_marks_read_and_keeps_the_mail_setting(client, w):
    Notification.objects.create(user=w["curator"], text="План отправлен")
    client.force_login(w["curator"])
    page = client.get(reverse("roadmaps:notifications"))
    assert page.context["nav_unread_count"] == 1
    client.post(reverse("roadmaps:notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    client.post(reverse("roadmaps:notifications"), {"email": "1"})
    assert Profile.objects.get(user=w["curator"]).email_notifications is False


def test_order_registry_is_scoped(client, w):
    mine = OrderFactory(issuer=w["mouo"], title="Об утверждении карты")
    foreign = OrderFactory(issuer=OrganisationFactory(), title="Чужой приказ")
    client.force_login(w["coordinator"])
    page = client.get(reverse("roadmaps:order-list"))
    listed = {o.pk for o in page.context["table"].data}
    assert mine.pk in listed
    assert foreign.pk not in listed
    search = client.get(reverse("roadmaps:order-list"), {"q": "УТВЕРЖДЕНИИ"})
    assert [o.pk for o in search.context["table"].data] == [mine.pk]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_school_document_path(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProjectFactory()
    url = reverse("roadmaps:document-list", args=[w["school"].pk])
    client.force_login(w["school_user"])
    fake = SimpleUploadedFile(
        "concept.pdf", b"not a pdf", content_type="application/pdf"
    )
    response = client.post(
        url,
        {
            "do": "upload",
            "year": 2022,
            "kind": "concept",
            "title": "Концепция",
            "file": fake,
        },
    )
    assert "не соответствует" in response.content.decode()
    assert SchoolDocument.objects.count() == 0
    good = SimpleUploadedFile("concept.pdf", PDF, content_type="application/pdf")
    client.post(
        url,
        {
            "do": "upload",
            "year": 2022,
            "kind": "concept",
            "title": "Концепция",
            "file": good,
        },
    )
    document = SchoolDocument.objects.get()
    for user, action in (
        ("school_user", "submit"),
        ("curator", "agree"),
        ("coordinator", "approve"),
    ):
        client.force_login(w[user])
        client.post(
            url,
            {"document": document.pk, "year": 2022, "action": action, "comment": ""},
        )
    document.refresh_from_db()
    assert document.status == S.APPROVED
    assert list(document.events.values_list("action", flat=True)) == [
        "submit",
        "agree",
        "approve",
    ]
    download = reverse("roadmaps:document-download", args=[document.pk])
    got = client.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    close_response(got)
    client.force_login(w["outsider"])
    assert client.get(download).status_code == 404
    assert client.get(url).status_code == 404


def test_anti_risk_programme_needs_its_factor(client, w, settings, tmp_path):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/reference.json", verbosity=0)
    settings.MEDIA_ROOT = tmp_path
    client.force_login(w["school_user"])
    url = reverse("roadmaps:document-list", args=[w["school"].pk])
    response = client.post(
        url,
        {
            "do": "upload",
            "year": 2022,
            "kind": "anti_risk",
            "title": "Антирисковая программа",
            "file": SimpleUploadedFile("p.pdf", PDF),
        },
    )
    assert "выберите его" in response.content.decode()
    assert SchoolDocument.objects.count() == 0


def test_activity_factory_plan_has_rows(w):
    assert ActivityFactory._meta.model.objects.filter(edition=w["edition"]).count() == 2


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_inbox_and_documents_queries_do_not_grow(client, w):
    client.force_login(w["curator"])
    client.get(reverse("home"))
    inbox = reverse("roadmaps:inbox")
    documents = reverse("roadmaps:document-list", args=[w["school"].pk]) + "?year=2022"

    def add_waiting(n):
        for _ in range(n):
            plan = roadmap_with_edition(owner=w["school"], activities=1)
            workflow.edition_submit(by=w["school_user"], edition=plan.latest_edition)
            SchoolDocument.objects.create(
                school=w["school"],
                project=ProjectFactory(),
                year=2022,
                kind="concept",
                title="Концепция",
                file="x.pdf",
                uploaded_by=w["school_user"],
                status="submitted",
            )

    add_waiting(1)
    small = (_queries(client, inbox), _queries(client, documents))
    add_waiting(5)
    assert (_queries(client, inbox), _queries(client, documents)) == small
