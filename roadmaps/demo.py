"""Demo data built from the five real documents in fixtures/seeds/.

Idempotent: territories, bodies and users are updated in place; a seed whose
order is already registered is not imported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from monitoring import demo as monitoring_demo
from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    Project,
    ProjectParticipation,
    Region,
    Role,
)

from .imports import parse_path, roadmap_import_document
from .models import Order, RoadmapEdition
from .services import edition_register_approved

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
REFERENCE_FIXTURES = [
    Path(settings.BASE_DIR) / "fixtures" / "reference.json",
    Path(settings.BASE_DIR) / "fixtures" / "templates.json",
]
DEMO_PASSWORD = "demo-500plus"  # noqa: S105 - printed for demo users by design

REGIONS = [
    # code, name, genitive, zone
    ("57", "Орловская область", "Орловской области", "Europe/Moscow"),
    ("73", "Ульяновская область", "Ульяновской области", "Europe/Ulyanovsk"),
    ("67", "Смоленская область", "Смоленской области", "Europe/Moscow"),
    ("21", "Чувашская Республика", "Чувашской Республики", "Europe/Moscow"),
]

MUNICIPALITIES = [
    ("57", "Колпнянский район", Municipality.Kind.DISTRICT),
    ("73", "Кузоватовский район", Municipality.Kind.DISTRICT),
    ("67", "Дорогобужский район", Municipality.Kind.DISTRICT),
    ("21", "город Новочебоксарск", Municipality.Kind.URBAN_DISTRICT),
]


@dataclass(frozen=True)
class Body:
    key: str
    kind: str
    name: str
    short_name: str = ""
    region: str | None = None
    municipality: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    is_shnor: bool = False
    director: str = ""
    genitive: str = ""


K = OrganisationKind
BODIES = [
    Body(
        "fioko",
        K.FEDERAL_BODY,
        "ФГБУ «Федеральный институт оценки качества образования»",
        "ФИОКО",
        aliases=("Федеральный институт оценки качества образования",),
    ),
    # Орловская область
    Body(
        "orel_dept",
        K.REGIONAL_AUTHORITY,
        "Департамент образования Орловской области",
        region="57",
        genitive="Департамента образования Орловской области",
    ),
    Body(
        "kolpna_mouo",
        K.MUNICIPAL_AUTHORITY,
        "Отдел образования администрации Колпнянского района Орловской области",
        "Отдел образования Колпнянского района",
        region="57",
        genitive="отдела образования администрации Колпнянского района Орловской "
        "области",
        municipality="Колпнянский район",
        aliases=("отдел образования администрации Колпнянского района",),
    ),
    # Ульяновская область
    Body(
        "ul_iro",
        K.REGIONAL_OPERATOR,
        "ОГАУ «Институт развития образования»",
        "ИРО Ульяновской области",
        region="73",
    ),
    Body(
        "kuz_mouo",
        K.MUNICIPAL_AUTHORITY,
        "Муниципальное учреждение Управление образования администрации "
        "муниципального образования «Кузоватовский район» Ульяновской области",
        "МУ «Управление образования»",
        region="73",
        municipality="Кузоватовский район",
        aliases=("МУ «Управление образования»",),
        genitive="МУ «Управление образования» администрации МО «Кузоватовский район»",
    ),
    Body(
        "naleyka",
        K.SCHOOL,
        "Муниципальное общеобразовательное учреждение средняя школа п.ст. Налейка",
        "МОУ СШ п.ст. Налейка",
        region="73",
        municipality="Кузоватовский район",
        aliases=("МОУ ОШ п.ст. Налейка", "МОУ СШ п ст. Налейка"),
        is_shnor=True,
    ),
    Body(
        "volynshchina",
        K.SCHOOL,
        "Муниципальное общеобразовательное учреждение основная школа с. Волынщина",
        "МОУ ОШ с. Волынщина",
        region="73",
        municipality="Кузоватовский район",
        is_shnor=True,
    ),
    Body(
        "studenets",
        K.SCHOOL,
        "Муниципальное общеобразовательное учреждение средняя школа с. Студенец",
        "МОУ СШ с. Студенец",
        region="73",
        municipality="Кузоватовский район",
        is_shnor=True,
    ),
    Body(
        "kvantorium",
        K.PARTNER,
        "Детский технопарк «Кванториум»",
        "ДТ «Кванториум»",
        region="73",
        municipality="Кузоватовский район",
    ),
    Body(
        "itcube",
        K.PARTNER,
        "Центр цифрового образования детей «IT-куб»",
        "Центр «IT-куб»",
        region="73",
        municipality="Кузоватовский район",
        aliases=("центры «ИТ-куб", "ИТ-куб", "IT-куб"),
    ),
    # Смоленская область
    Body(
        "smolensk_dept",
        K.REGIONAL_AUTHORITY,
        "Департамент Смоленской области по образованию и науке",
        "Департамент Смоленской области по образованию и науке",
        region="67",
        genitive="Департамента Смоленской области по образованию и науке",
    ),
    Body(
        "soiro",
        K.REGIONAL_OPERATOR,
        "ГАУ ДПО «Смоленский областной институт развития образования»",
        "СОИРО",
        region="67",
    ),
    Body(
        "dorogobuzh_admin",
        K.MUNICIPAL_ADMINISTRATION,
        "Администрация муниципального образования «Дорогобужский район» "
        "Смоленской области",
        region="67",
        municipality="Дорогобужский район",
    ),
    Body(
        "dorogobuzh_committee",
        K.MUNICIPAL_AUTHORITY,
        "Комитет по образованию Администрации муниципального образования "
        "«Дорогобужский район» Смоленской области",
        "Комитет по образованию МО «Дорогобужский район»",
        region="67",
        genitive="Комитета по образованию Администрации муниципального образования "
        "«Дорогобужский район» Смоленской области",
        municipality="Дорогобужский район",
        aliases=("Комитет по образованию",),
        parent="dorogobuzh_admin",
    ),
    Body(
        "dorogobuzh_moc",
        K.METHODOLOGICAL_CENTRE,
        "Муниципальный методический центр Дорогобужского района",
        "МОЦ",
        region="67",
        municipality="Дорогобужский район",
        parent="dorogobuzh_committee",
    ),
    # Чувашская Республика
    Body(
        "chuvash_min",
        K.REGIONAL_AUTHORITY,
        "Министерство образования и молодежной политики Чувашской Республики",
        "Минобразования Чувашии",
        region="21",
    ),
    Body(
        "chuvash_iro",
        K.REGIONAL_OPERATOR,
        "БУ ЧР ДПО «Чувашский республиканский институт образования» "
        "Минобразования Чувашии",
        "Чувашский республиканский институт образования",
        region="21",
    ),
    Body(
        "nch_mouo",
        K.MUNICIPAL_AUTHORITY,
        "Отдел образования администрации города Новочебоксарска",
        region="21",
        genitive="отдела образования администрации города Новочебоксарска",
        municipality="город Новочебоксарск",
    ),
    Body(
        "nch_centre",
        K.METHODOLOGICAL_CENTRE,
        "МБУ «Центр мониторинга образования и психолого-педагогического "
        "сопровождения города Новочебоксарска Чувашской Республики»",
        "МБУ «Центр мониторинга образования города Новочебоксарска»",
        region="21",
        municipality="город Новочебоксарск",
    ),
]

# Orders the seeds cite whose text the portal does not have.
CITED_ORDERS = [
    (
        "orel_dept",
        "239",
        date(2021, 3, 3),
        "Об утверждении регионального плана-графика реализации проекта по "
        "организации методической поддержки общеобразовательных организаций, "
        "имеющих низкие образовательные результаты",
    ),
    (
        "chuvash_min",
        "335",
        date(2021, 3, 22),
        "Об утверждении «дорожной карты» по организации методической поддержки "
        "общеобразовательных организаций Чувашской Республики, имеющих низкие "
        "образовательные результаты обучающихся, в рамках реализации федерального "
        "проекта 500+ в 2021 году",
    ),
    (
        "smolensk_dept",
        "189-ОД",
        date(2021, 3, 16),
        "Об утверждении плана-графика («дорожной карты») реализации проекта по "
        "организации методической поддержки общеобразовательных организаций, "
        "имеющих низкие образовательные результаты обучающихся, в Смоленской "
        "области",
    ),
]

DOROGOBUZH_PROJECT = (
    "dorogobuzh_centre",
    "Образовательный центр поддержки и развития муниципальной системы "
    "образования «Дорогобужский район» Смоленской области",
    "Образовательный центр (Дорогобуж)",
)


@dataclass(frozen=True)
class Seed:
    file: str
    owner: str
    project: str = "500plus"
    # Seed 004 is the second edition of a plan approved by order 189-ОД.
    replaces_order: str | None = None


SEEDS = [
    Seed("000_kolpna_2021.txt", "kolpna_mouo"),
    Seed("001_kuzovatovo_2022.txt", "kuz_mouo"),
    Seed("002_dorogobuzh_2020.txt", "dorogobuzh_committee", DOROGOBUZH_PROJECT[0]),
    Seed("003_novocheboksarsk_2021.txt", "nch_mouo"),
    Seed("004_smolensk_2021.txt", "smolensk_dept", replaces_order="189-ОД"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    body: str | None
    last_name: str
    first_name: str
    position: str = ""
    can_approve: bool = False


USERS = [
    DemoUser("admin", Role.ADMINISTRATOR, None, "Орлов", "Сергей Викторович"),
    DemoUser("observer", Role.FEDERAL_OBSERVER, None, "Соколова", "Дарья Андреевна"),
    DemoUser(
        "smolensk.dept",
        Role.REGIONAL_STAFF,
        "smolensk_dept",
        "Шелабина",
        "Н. В.",
        "И.о. начальника Департамента",
        can_approve=True,
    ),
    DemoUser(
        "smolensk.operator",
        Role.REGIONAL_COORDINATOR,
        "soiro",
        "Алексеева",
        "Ольга Игоревна",
        "Региональный координатор проекта 500+",
    ),
    DemoUser(
        "kolpna",
        Role.MUNICIPAL_COORDINATOR,
        "kolpna_mouo",
        "Зуева",
        "В. А.",
        "Главный специалист отдела образования",
    ),
    DemoUser(
        "kuzovatovo",
        Role.MUNICIPAL_COORDINATOR,
        "kuz_mouo",
        "Чамкаева",
        "Е. П.",
        "Начальник МУ «Управление образования»",
    ),
    DemoUser(
        "dorogobuzh",
        Role.MUNICIPAL_COORDINATOR,
        "dorogobuzh_committee",
        "Минаева",
        "Е. Л.",
        "Ведущий специалист Комитета по образованию",
    ),
    DemoUser(
        "novocheboksarsk",
        Role.MUNICIPAL_COORDINATOR,
        "nch_mouo",
        "Эндюсюкина",
        "А. Н.",
        "Директор МБУ «Центр мониторинга образования»",
    ),
    DemoUser("curator", Role.CURATOR, None, "Жбанникова", "О. А.", "Куратор школ"),
    DemoUser("naleyka", Role.SCHOOL, "naleyka", "Сафронова", "Т. В.", "Директор школы"),
    DemoUser(
        "studenets", Role.SCHOOL, "studenets", "Кудрявцев", "А. Н.", "Директор школы"
    ),
]

CURATED = [("curator", "naleyka", 2022), ("curator", "volynshchina", 2022)]
PARTICIPATION = [("naleyka", 2022), ("volynshchina", 2022), ("studenets", 2022)]


@dataclass
class DemoReport:
    imported: list[tuple[str, int, int]]
    skipped: list[str]
    users: list[DemoUser]
    password: str
    # username -> the body (or schools) the user's role is scoped to
    bodies: dict[str, str]


def _bodies() -> dict[str, Organisation]:
    regions = {}
    for code, name, genitive, zone in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_genitive": genitive, "timezone": zone},
        )
    municipalities = {}
    for region_code, name, kind in MUNICIPALITIES:
        municipalities[name], _ = Municipality.objects.update_or_create(
            region=regions[region_code], name=name, defaults={"kind": kind}
        )
    kinds = {k.code: k for k in OrganisationKind.objects.all()}
    orgs: dict[str, Organisation] = {}
    for b in BODIES:
        region = regions[b.region] if b.region else None
        municipality = municipalities[b.municipality] if b.municipality else None
        orgs[b.key], _ = Organisation.objects.update_or_create(
            name=b.name,
            region=region,
            municipality=municipality,
            defaults={
                "kind": kinds[b.kind],
                "short_name": b.short_name,
                "aliases": list(b.aliases),
                "parent": orgs.get(b.parent) if b.parent else None,
                "is_shnor": b.is_shnor,
                "director": b.director,
                "name_genitive": b.genitive,
            },
        )
    return orgs


def _projects(orgs) -> dict[str, Project]:
    code, name, short = DOROGOBUZH_PROJECT
    own, _ = Project.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "short_name": short,
            "owner": orgs["dorogobuzh_committee"],
            "first_year": 2020,
            "last_year": 2020,
        },
    )
    return {"500plus": Project.objects.get(code="500plus"), code: own}


def _cited_orders(orgs) -> dict[str, Order]:
    found = {}
    for key, number, when, title in CITED_ORDERS:
        found[number], _ = Order.objects.get_or_create(
            issuer=orgs[key],
            number=number,
            date=when,
            defaults={
                "title": title,
                "status": Order.Status.SIGNED,
                "text_loaded": False,
            },
        )
    return found


def _import_seed(seed: Seed, orgs, projects, cited) -> tuple[int, int] | None:
    document = parse_path(SEEDS_DIR / seed.file)
    order = document.order
    owner = orgs[seed.owner]
    if Order.objects.filter(
        issuer=owner, number=order.number, date__year=order.date.year
    ).exists():
        return None
    result = roadmap_import_document(
        document=document, body=owner, project=projects[seed.project]
    )
    edition = result.edition
    if seed.replaces_order:
        first = cited[seed.replaces_order]
        edition.number = 2
        edition.save(update_fields=["number"])
        stub = RoadmapEdition.objects.create(
            roadmap=edition.roadmap,
            number=1,
            status=RoadmapEdition.Status.SUPERSEDED,
            approving_order=first,
            approved_at=first.date,
            columns=edition.columns,
            content_loaded=False,
        )
        edition.replaces = stub
        edition.save(update_fields=["replaces"])
        result.order.amends = first
        result.order.save(update_fields=["amends"])
    edition_register_approved(edition=edition, order=result.order)
    return edition.roadmap_id, edition.activities.count()


def _users(orgs, projects) -> None:
    User = get_user_model()
    for u in USERS:
        user, _ = User.objects.update_or_create(
            username=u.username,
            defaults={
                "first_name": u.first_name,
                "last_name": u.last_name,
                "email": f"{u.username}@demo.invalid",
                "is_active": True,
                "is_staff": u.role == Role.ADMINISTRATOR,
                "is_superuser": u.role == Role.ADMINISTRATOR,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user,
            role=u.role,
            organisation=orgs[u.body] if u.body else None,
            defaults={"position": u.position, "can_approve": u.can_approve},
        )
    for username, school, year in CURATED:
        CuratorAssignment.objects.get_or_create(
            curator=User.objects.get(username=username),
            school=orgs[school],
            project=projects["500plus"],
            year=year,
        )


@transaction.atomic
def load_demo() -> DemoReport:
    """Load reference data, territories, bodies, the five seeds and demo users."""
    call_command("loaddata", *map(str, REFERENCE_FIXTURES), verbosity=0)
    orgs = _bodies()
    projects = _projects(orgs)
    for school, year in PARTICIPATION:
        ProjectParticipation.objects.get_or_create(
            school=orgs[school], project=projects["500plus"], year=year
        )
    cited = _cited_orders(orgs)
    imported, skipped = [], []
    for seed in SEEDS:
        done = _import_seed(seed, orgs, projects, cited)
        if done is None:
            skipped.append(seed.file)
        else:
            imported.append((seed.file, *done))
    _users(orgs, projects)
    monitoring_demo.load(orgs, projects)
    bodies = {u.username: orgs[u.body].display_name for u in USERS if u.body}
    for username, school, _year in CURATED:
        schools = [bodies.get(username), orgs[school].display_name]
        bodies[username] = ", ".join(s for s in schools if s)
    return DemoReport(imported, skipped, USERS, DEMO_PASSWORD, bodies)
