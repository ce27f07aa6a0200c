"""Phases 1–2: regions, municipalities, bodies, schools; people and their roles."""

from __future__ import annotations

import math

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from schools.models import (
    CuratorAssignment,
    Membership,
    Municipality,
    Organisation,
    OrganisationKind,
    ProjectParticipation,
    Region,
    Role,
)

from . import names
from .state import (
    REGION_PREFIX,
    USER_PREFIX,
    MunicipalityInfo,
    RegionInfo,
    SchoolInfo,
    State,
    split,
)

ORG_FIELDS = [
    "id",
    "kind_id",
    "name",
    "short_name",
    "name_genitive",
    "aliases",
    "region_id",
    "municipality_id",
    "parent_id",
    "is_shnor",
    "director",
    "address",
]
STREETS = ["Школьная", "Советская", "Ленина", "Мира", "Центральная", "Молодёжная"]
AUTHORITIES = [
    ("Отдел образования администрации", "отдела образования администрации"),
    ("Управление образования администрации", "управления образования администрации"),
    ("Комитет по образованию администрации", "комитета по образованию администрации"),
]
SCHOOL_TYPES = [
    ("СОШ", "Средняя общеобразовательная школа", 0.7),
    ("ООШ", "Основная общеобразовательная школа", 0.25),
    ("НОШ", "Начальная общеобразовательная школа", 0.05),
]


def _org(s: State, row: dict) -> int:
    pk = s.take(Organisation)
    values = {
        "id": pk,
        "short_name": "",
        "name_genitive": "",
        "aliases": [],
        "municipality_id": None,
        "parent_id": None,
        "is_shnor": False,
        "director": "",
        "address": "",
        **row,
    }
    s.writer(Organisation, ORG_FIELDS).add(tuple(values[f] for f in ORG_FIELDS))
    return pk


def territories(s: State) -> None:
    """Regions with their department and ИРО, municipalities with МОУО (and
    sometimes a МОЦ), and schools."""
    c = s.counts
    rng = s.rng
    taken = set(Region.objects.values_list("name", flat=True))
    region_rows = names.region_names(c.regions, taken)
    per_region = split(
        c.municipalities, [rng.uniform(0.5, 1.5) for _ in region_rows], 2
    )
    s.progress.start("territories and bodies", c.schools)
    regions = s.writer(Region, ["id", "code", "name", "name_genitive", "timezone"])
    munis = s.writer(Municipality, ["id", "region_id", "name", "kind"])
    kind = s.kinds
    for r_index, (name, genitive, zone) in enumerate(region_rows):
        code = f"{REGION_PREFIX}{r_index + 1:02d}"
        rid = s.take(Region)
        regions.add((rid, code, name, genitive, zone))
        info = RegionInfo(rid, code, name, genitive)
        ministry = rng.random() < 0.5
        dept_name = (
            f"Министерство образования {genitive}"
            if ministry
            else f"Департамент {genitive} по образованию и науке"
        )
        info.department_name = dept_name
        info.department_genitive = (
            f"министерства образования {genitive}"
            if ministry
            else f"департамента {genitive} по образованию и науке"
        )
        info.department = _org(
            s,
            {
                "kind_id": kind[OrganisationKind.REGIONAL_AUTHORITY],
                "name": dept_name,
                "short_name": "Минобразования" if ministry else "Департамент",
                "name_genitive": info.department_genitive,
                "region_id": rid,
            },
        )
        info.operator = _org(
            s,
            {
                "kind_id": kind[OrganisationKind.REGIONAL_OPERATOR],
                "name": f"Институт развития образования {genitive}",
                "short_name": "ИРО",
                "name_genitive": f"института развития образования {genitive}",
                "region_id": rid,
                "parent_id": info.department,
            },
        )
        s.regions.append(info)
        stems = list(names.DISTRICT_STEMS)
        rng.shuffle(stems)
        for m_index in range(per_region[r_index]):
            stem = stems[m_index % len(stems)]
            kind_code = s.weighted(
                [("urban_district", 0.2), ("municipal_okrug", 0.15), ("district", 0.65)]
            )
            if kind_code == "urban_district" and not names.can_be_town(stem):
                kind_code = "district"
            m_name, m_genitive = names.municipality_name(stem, kind_code)
            if m_index >= len(stems):
                m_name += f" № {m_index // len(stems) + 1}"
            mid = s.take(Municipality)
            munis.add((mid, rid, m_name, kind_code))
            info.municipalities.append(len(s.municipalities))
            s.municipalities.append(
                MunicipalityInfo(mid, r_index, m_name, m_genitive, kind_code)
            )
    # Bodies and schools of every municipality.
    weights = [
        rng.uniform(1.5, 3.0) if m.kind == "urban_district" else rng.uniform(0.5, 1.5)
        for m in s.municipalities
    ]
    per_muni = split(c.schools, weights, 3)
    for m_index, m in enumerate(s.municipalities):
        region = s.regions[m.region]
        word, word_genitive = rng.choice(AUTHORITIES)
        m.authority_name = f"{word} {m.genitive}"
        m.authority_genitive = f"{word_genitive} {m.genitive}"
        m.authority = _org(
            s,
            {
                "kind_id": kind[OrganisationKind.MUNICIPAL_AUTHORITY],
                "name": m.authority_name,
                "short_name": "МОУО",
                "name_genitive": m.authority_genitive,
                "region_id": region.id,
                "municipality_id": m.id,
            },
        )
        if rng.random() < 0.3:
            m.centre = _org(
                s,
                {
                    "kind_id": kind[OrganisationKind.METHODOLOGICAL_CENTRE],
                    "name": f"МБУ «Информационно-методический центр» {m.genitive}",
                    "short_name": "ИМЦ",
                    "region_id": region.id,
                    "municipality_id": m.id,
                    "parent_id": m.authority,
                },
            )
        villages = list(names.VILLAGES)
        rng.shuffle(villages)
        urban = m.kind == "urban_district"
        for n in range(1, per_muni[m_index] + 1):
            short, full, _ = s.weighted([(t, t[2]) for t in SCHOOL_TYPES])
            owner_form = rng.choice(["МБОУ", "МБОУ", "МКОУ", "МОУ"])
            if urban or n > len(villages) or rng.random() < 0.3:
                place = f"№ {n}"
                town = m.name.removeprefix("городской округ ")
            else:
                town = f"с. {villages[n - 1]}"
                place = town
            last, initials = names.person(rng)
            is_shnor = rng.random() < 0.15
            pk = _org(
                s,
                {
                    "kind_id": kind[OrganisationKind.SCHOOL],
                    "name": f"{owner_form} «{full} {place}» {m.genitive}",
                    "short_name": f"{owner_form} {short} {place}",
                    "region_id": region.id,
                    "municipality_id": m.id,
                    "parent_id": m.authority,
                    "is_shnor": is_shnor,
                    "director": f"{last} {initials}",
                    "address": f"{town}, ул. {rng.choice(STREETS)}, "
                    f"д. {rng.randint(1, 60)}",
                },
            )
            m.schools.append(len(s.schools))
            s.schools.append(
                SchoolInfo(
                    pk,
                    m_index,
                    f"{owner_form} «{full} {place}»",
                    f"{owner_form} {short} {place}",
                    is_shnor,
                )
            )
            s.progress.step()
    s.flush()


def _cohorts(s: State) -> None:
    """Which schools take part each year: half stay on, the rest join anew."""
    rng = s.rng
    size = s.counts.participants_per_year
    everyone = list(range(len(s.schools)))
    rng.shuffle(everyone)
    # ШНОР schools join first, as the project selects them.
    queue = [i for i in everyone if s.schools[i].is_shnor] + [
        i for i in everyone if not s.schools[i].is_shnor
    ]
    used: set[int] = set()
    previous: list[int] = []
    for year in s.years:
        stay = rng.sample(previous, min(len(previous), size // 2))
        cohort = list(stay)
        chosen = set(cohort)
        for i in queue:
            if len(cohort) >= size:
                break
            if i not in used and i not in chosen:
                cohort.append(i)
                chosen.add(i)
        for i in queue:  # every school took part once: take any
            if len(cohort) >= size:
                break
            if i not in chosen:
                cohort.append(i)
                chosen.add(i)
        used.update(cohort)
        cohort.sort()
        s.cohorts[year] = cohort
        previous = cohort


def people(s: State) -> None:
    """Participations, users per role with their memberships, curators."""
    _cohorts(s)
    rng = s.rng
    User = get_user_model()
    password = make_password(s.options.password)
    users = s.writer(
        User,
        [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
    )
    members = s.writer(
        Membership,
        ["id", "user_id", "role", "organisation_id", "position", "can_approve"],
    )

    def user(username: str) -> int:
        pk = s.take(User)
        last, initials = names.person(rng)
        users.add(
            (
                pk,
                password,
                None,
                False,
                username,
                initials,
                last,
                "",
                False,
                True,
                s.now,
            )
        )
        return pk

    def member(user_id, role, org, position="", approve=False):
        members.add((s.take(Membership), user_id, role, org, position, approve))

    participants = sorted({i for c in s.cohorts.values() for i in c})
    total = len(s.regions) * 3 + len(s.municipalities) + len(participants) + 1
    s.progress.start("users and roles", total)
    s.observer = user(f"{USER_PREFIX}observer")
    member(s.observer, Role.FEDERAL_OBSERVER, None)
    for r in s.regions:
        tag = r.code.removeprefix(REGION_PREFIX)
        r.approver = user(f"{USER_PREFIX}r{tag}.dept")
        member(
            r.approver, Role.REGIONAL_STAFF, r.department, "Заместитель министра", True
        )
        staff = user(f"{USER_PREFIX}r{tag}.staff")
        member(staff, Role.REGIONAL_STAFF, r.department, "Главный специалист")
        r.coordinator = user(f"{USER_PREFIX}r{tag}.coord")
        member(
            r.coordinator,
            Role.REGIONAL_COORDINATOR,
            r.operator,
            "Региональный координатор проекта «500+»",
        )
        s.progress.step(3)
    for m_index, m in enumerate(s.municipalities):
        tag = s.regions[m.region].code.removeprefix(REGION_PREFIX)
        m.coordinator = user(f"{USER_PREFIX}r{tag}.m{m_index + 1:04d}")
        member(
            m.coordinator,
            Role.MUNICIPAL_COORDINATOR,
            m.authority,
            "Муниципальный координатор проекта «500+»",
        )
        s.progress.step()
    for i in participants:
        school = s.schools[i]
        school.user = user(f"{USER_PREFIX}s{i + 1:05d}")
        member(school.user, Role.SCHOOL, school.id, "Директор")
        s.progress.step()
    participation = s.writer(
        ProjectParticipation, ["id", "school_id", "project_id", "year"]
    )
    assignments = s.writer(
        CuratorAssignment, ["id", "curator_id", "school_id", "project_id", "year"]
    )
    for year, cohort in s.cohorts.items():
        for i in cohort:
            participation.add(
                (s.take(ProjectParticipation), s.schools[i].id, s.project_id, year)
            )
    # Curators of a region accompany three to five schools a year each.
    for r_index, r in enumerate(s.regions):
        by_year = {
            year: [
                i
                for i in cohort
                if s.municipalities[s.schools[i].municipality].region == r_index
            ]
            for year, cohort in s.cohorts.items()
        }
        needed = max(1, math.ceil(max(len(v) for v in by_year.values()) / 4))
        tag = r.code.removeprefix(REGION_PREFIX)
        for n in range(needed):
            pk = user(f"{USER_PREFIX}r{tag}.cur{n + 1:03d}")
            member(pk, Role.CURATOR, None, "Куратор школ")
            r.curators.append(pk)
        for year, schools in by_year.items():
            schools = list(schools)
            rng.shuffle(schools)
            position, curator = 0, 0
            while position < len(schools):
                group = schools[position : position + rng.randint(3, 5)]
                position += len(group)
                pk = r.curators[curator % len(r.curators)]
                curator += 1
                for i in group:
                    s.curator_of[(i, year)] = pk
                    assignments.add(
                        (
                            s.take(CuratorAssignment),
                            pk,
                            s.schools[i].id,
                            s.project_id,
                            year,
                        )
                    )
    s.flush()
