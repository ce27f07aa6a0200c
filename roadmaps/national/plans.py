"""Phase 4: orders, roadmaps with editions, sections, activities, executors,
activity reports and links to risk factors, for every level and year."""

from __future__ import annotations

from datetime import date, timedelta

from schools.models import Organisation

from ..imports import search_text_for
from ..models import (
    Activity,
    ActivityExecutor,
    EditionEvent,
    Level,
    Numbering,
    Roadmap,
    RoadmapEdition,
    Section,
    WorkflowAction,
)
from ..workflow import appendix_header
from .orders import OrderInfo, Orders, Owner, unsaved
from .pool import Row
from .reports import Reports
from .scale import MUNICIPAL_ACTIVITIES, REGIONAL_ACTIVITIES, SCHOOL_ACTIVITIES
from .state import State

Status = RoadmapEdition.Status
Action = WorkflowAction

ACTIVITY_FIELDS = [
    "id",
    "edition_id",
    "section_id",
    "position",
    "number",
    "title",
    "description",
    "deadline_text",
    "deadline_ranges",
    "deadline_start",
    "deadline_end",
    "responsible_text",
    "indicator_text",
    "target_value",
    "target_unit",
    "target_comparator",
    "lineage",
    "source_activity_id",
    "version",
    "created_at",
    "updated_at",
]
EDITION_FIELDS = [
    "id",
    "roadmap_id",
    "number",
    "status",
    "replaces_id",
    "approving_order_id",
    "approved_at",
    "columns",
    "appendix_text",
    "numbering",
    "content_loaded",
    "version",
    "status_changed_at",
    "submitted_by_id",
    "created_at",
    "updated_at",
]
RETURN_COMMENTS = [
    "Уточните сроки и показатели мероприятий.",
    "Приведите формулировки в соответствие с рисковым профилем школы.",
    "Не указаны ответственные исполнители по ряду мероприятий.",
]
# (month, day) windows in which plans of each level are approved.
APPROVAL_WINDOW = {
    Level.REGIONAL: ((1, 15), (2, 28)),
    Level.MUNICIPAL: ((2, 15), (3, 31)),
    Level.SCHOOL: ((3, 1), (4, 30)),
}
IN_WORK = {
    Level.REGIONAL: [Status.DRAFT],
    Level.MUNICIPAL: [Status.DRAFT, Status.SUBMITTED, Status.RETURNED],
    Level.SCHOOL: [Status.DRAFT, Status.SUBMITTED, Status.AGREED, Status.RETURNED],
}


class Plans:
    def __init__(self, s: State):
        self.s = s
        self.orders = Orders(s)
        self.reports = Reports(s)
        w = s.writer
        self.roadmaps = w(
            Roadmap,
            [
                "id", "owner_id", "level", "region_id", "municipality_id",
                "project_id", "title", "period_start", "period_end",
                "current_edition_id", "latest_edition_id", "search_text",
                "created_at", "created_by_id",
            ],
        )  # fmt: skip
        self.editions = w(RoadmapEdition, EDITION_FIELDS)
        self.sections = w(
            Section, ["id", "edition_id", "position", "number", "title", "version"]
        )
        self.activities = w(Activity, ACTIVITY_FIELDS)
        self.executors = w(
            ActivityExecutor,
            ["id", "activity_id", "organisation_id", "role", "fragment", "position"],
        )
        self.events = w(
            EditionEvent,
            [
                "id", "action", "from_status", "to_status", "actor_id", "comment",
                "created_at", "edition_id",
            ],
        )  # fmt: skip
        self.risk_links = w(
            Activity.risk_factors.through, ["id", "activity", "riskfactor"]
        )

    # --- content --------------------------------------------------------

    def _rows(self, level: str) -> list[Row]:
        s, pool = self.s, self.s.pool
        low, high = {
            Level.REGIONAL: REGIONAL_ACTIVITIES,
            Level.MUNICIPAL: MUNICIPAL_ACTIVITIES,
            Level.SCHOOL: SCHOOL_ACTIVITIES,
        }[level]
        k = min(s.rng.randint(low, high), len(pool.rows))
        if level == Level.REGIONAL:
            own = s.rng.sample(pool.regional_rows, min(k, len(pool.regional_rows)))
            others = [r for r in pool.rows if not r.regional]
            rows = own + s.rng.sample(others, min(k - len(own), len(others)))
        else:
            rows = s.rng.sample(pool.rows, k)
        return sorted(rows, key=lambda r: r.key)

    def _revise(self, items: list[tuple]) -> list[tuple]:
        """A new edition: a few rows dropped, added, or with a moved deadline."""
        s = self.s
        items = list(items)
        for _ in range(s.rng.randint(0, 2)):
            if len(items) > 5:
                items.pop(s.rng.randrange(len(items)))
        used = {row.key for _, row, _ in items}
        free = [r for r in s.pool.rows if r.key not in used]
        for _ in range(s.rng.randint(1, 3)):
            if free:
                row = free.pop(s.rng.randrange(len(free)))
                items.insert(s.rng.randint(0, len(items)), (s.uuid(), row, row))
        for _ in range(s.rng.randint(1, 3)):
            i = s.rng.randrange(len(items))
            lineage, row, _ = items[i]
            items[i] = (lineage, row, s.rng.choice(s.pool.rows))
        return items

    def _content(
        self, owner: Owner, edition: int, year: int, items: list[tuple],
        sections: list[str], created, links: dict,
    ) -> list[tuple]:  # fmt: skip
        """Write sections and activities; return (id, lineage, understood, target)."""
        s, pool = self.s, self.s.pool
        regional = owner.level == Level.REGIONAL
        chunks = [items]
        section_ids: list[int | None] = [None]
        if sections:
            size = -(-len(items) // len(sections))
            chunks = [items[i : i + size] for i in range(0, len(items), size)]
            section_ids = []
            for n, title in enumerate(sections[: len(chunks)], start=1):
                sid = s.take(Section)
                number = "" if regional else f"{n}."
                self.sections.add((sid, edition, n, number, title, 1))
                section_ids.append(sid)
        written = []
        position = 0
        for n_section, (sid, chunk) in enumerate(
            zip(section_ids, chunks, strict=False), start=1
        ):
            for n_row, (lineage, row, deadline_row) in enumerate(chunk, start=1):
                position += 1
                if regional:
                    number = str(position)
                elif sections:
                    number = f"{n_section}.{n_row}."
                else:
                    number = f"{position}."
                text = pool.deadline_text(deadline_row, year)
                understood = pool.deadline(text, year)
                value, unit, comparator = pool.target(row.indicator)
                pk = s.take(Activity)
                self.activities.add(
                    (
                        pk, edition, sid, position, number, row.title,
                        row.description if regional else "", text,
                        understood.ranges, understood.start, understood.end,
                        row.responsible, row.indicator, value, unit, comparator,
                        lineage, None, 1, created, created,
                    )
                )  # fmt: skip
                for i, (fragment, role) in enumerate(pool.executors(row.responsible)):
                    self.executors.add(
                        (
                            s.take(ActivityExecutor), pk, owner.by_role.get(role),
                            role, fragment, i,
                        )
                    )  # fmt: skip
                factor = links.get(lineage)
                if factor:
                    self.risk_links.add(
                        (s.take(Activity.risk_factors.through), pk, factor)
                    )
                written.append((pk, lineage, understood, value))
        return written

    # --- one roadmap ----------------------------------------------------

    def _scenario(self, level: str, year: int) -> list[str]:
        last = year == self.s.last_year
        kind = self.s.weighted(
            [
                ("one", 0.5 if last else 0.7),
                ("two", 0.15 if last else 0.25),
                ("amending", 0.05),
                ("in_work", 0.3 if last else 0.0),
            ]
        )
        in_work = self.s.rng.choice(IN_WORK[level])
        return {
            "one": [Status.APPROVED],
            "two": [Status.SUPERSEDED, Status.APPROVED],
            "amending": [Status.APPROVED, Status.DRAFT],
            "in_work": [in_work],
        }[kind]

    def _events(self, owner: Owner, edition: int, status: str, day: date, second):
        s = self.s
        steps: list[tuple] = []
        if second:
            steps.append((Action.NEW_EDITION, "", Status.DRAFT, owner.author, ""))
        reaches = status in (Status.APPROVED, Status.SUPERSEDED)
        if owner.level != Level.REGIONAL and status != Status.DRAFT:
            steps.append((Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, owner.author,
                          ""))  # fmt: skip
            before = Status.SUBMITTED
            if owner.level == Level.SCHOOL and (reaches or status == Status.AGREED):
                steps.append((Action.AGREE, Status.SUBMITTED, Status.AGREED,
                              owner.curator, ""))  # fmt: skip
                before = Status.AGREED
            if status == Status.RETURNED:
                steps.append((Action.RETURN, before, Status.RETURNED, owner.approver,
                              s.rng.choice(RETURN_COMMENTS)))  # fmt: skip
        else:
            before = Status.DRAFT
        if reaches:
            steps.append((Action.APPROVE, before, Status.APPROVED, owner.approver, ""))
        start = day - timedelta(days=3 * len(steps))
        for i, (action, frm, to, actor, comment) in enumerate(steps):
            self.events.add(
                (
                    s.take(EditionEvent), action, frm, to, actor, comment,
                    s.moment(start + timedelta(days=3 * i)), edition,
                )
            )  # fmt: skip

    def roadmap(self, owner: Owner, year: int, title: str, basis: OrderInfo | None):
        s = self.s
        statuses = self._scenario(owner.level, year)
        regional = owner.level == Level.REGIONAL
        layout = s.pool.regional_layout if regional else s.pool.local_layout
        if regional:
            sections = list(layout.section_titles)
        elif s.rng.random() < 0.5:
            sections = s.rng.sample(s.pool.local_sections, s.rng.randint(3, 4))
        else:
            sections = []
        if regional:
            numbering = Numbering.FLAT_PLAIN
        else:
            numbering = Numbering.SECTIONS if sections else Numbering.FLAT
        rid = s.take(Roadmap)
        items = [(s.uuid(), row, row) for row in self._rows(owner.level)]
        links = {}
        if owner.school_index is not None:
            factors = s.chosen_factors.get((owner.school_index, year)) or []
            for lineage, _, _ in items:
                if factors and s.rng.random() < 0.3:
                    links[lineage] = s.rng.choice(factors)
        window = APPROVAL_WINDOW[owner.level]
        first_day = s.day(year, *window)
        current = latest = None
        first_order = previous_order = None
        previous_edition = None
        in_force = []
        days = [first_day] + [s.day(year, (6, 1), (10, 31)) for _ in statuses[1:]]
        for number, status in enumerate(statuses, start=1):
            day = days[number - 1]
            if number > 1:
                items = self._revise(items)
            eid = s.take(RoadmapEdition)
            order = None
            appendix = ""
            approved_at = None
            if status in (Status.APPROVED, Status.SUPERSEDED):
                order = self.orders.order(owner, year, day, basis, previous_order)
                approved_at = day
                issuer = Organisation(name=owner.name, name_genitive=owner.genitive)
                appendix = appendix_header(
                    order=unsaved(order, issuer),
                    first_order=unsaved(first_order, issuer) if first_order else None,
                )
                first_order = first_order or order
                previous_order = order
            created = s.moment(day - timedelta(days=20))
            # A superseded edition changed status when the next was approved.
            changed = s.moment(days[number] if status == Status.SUPERSEDED else day)
            submitted_by = None
            if not regional and status != Status.DRAFT:
                submitted_by = owner.author
            self.editions.add(
                (
                    eid, rid, number, status, previous_edition,
                    order.id if order else None, approved_at,
                    layout.columns, appendix, numbering, True, 1, changed,
                    submitted_by, created, changed,
                )
            )  # fmt: skip
            self._events(owner, eid, status, day, number > 1)
            written = self._content(owner, eid, year, items, sections, created, links)
            if status == Status.APPROVED:
                current = eid
                in_force = written
            latest = eid
            previous_edition = eid
        search = search_text_for(
            Roadmap(
                title=title,
                owner=Organisation(name=owner.name, short_name=owner.short_name),
            )
        )
        self.roadmaps.add(
            (
                rid, owner.org, owner.level, owner.region, owner.municipality,
                s.project_id, title, date(year, 1, 1), date(year, 12, 31), current,
                latest, search, s.moment(first_day - timedelta(days=30)),
                owner.author,
            )
        )  # fmt: skip
        if current is not None:
            self.reports.write(owner, rid, year, in_force)
        return previous_order if current is not None else None


def plans(s: State) -> None:
    """Regional, municipal and school roadmaps of every year."""
    p = Plans(s)
    total = 0
    for cohort in s.cohorts.values():
        munis = {s.schools[i].municipality for i in cohort}
        total += len(s.regions) + len(munis) + len(cohort)
    s.progress.start("roadmaps", total)
    for year, cohort in s.cohorts.items():
        regional_order: dict[int, OrderInfo | None] = {}
        municipal_order: dict[int, OrderInfo | None] = {}
        for r_index, r in enumerate(s.regions):
            owner = Owner(
                Level.REGIONAL, r.department, r.department_name, "",
                r.department_genitive, r.id, None, "",
                {"department": r.department, "regional_operator": r.operator},
                r.coordinator, r.approver,
            )  # fmt: skip
            title = (
                "План-график («дорожная карта») реализации проекта «500+» в "
                f"{r.genitive} на {year} год"
            )
            regional_order[r_index] = p.roadmap(owner, year, title, None)
            s.progress.step()
        munis = sorted({s.schools[i].municipality for i in cohort})
        for m_index in munis:
            m = s.municipalities[m_index]
            r = s.regions[m.region]
            owner = Owner(
                Level.MUNICIPAL, m.authority, m.authority_name, "МОУО",
                m.authority_genitive, r.id, m.id, _place(m), _local_roles(r, m),
                m.coordinator, r.approver,
            )  # fmt: skip
            title = (
                "Муниципальная «дорожная карта» реализации проекта «500+» "
                f"{m.genitive} на {year} год"
            )
            municipal_order[m_index] = p.roadmap(
                owner, year, title, regional_order.get(m.region)
            )
            s.progress.step()
        for i in cohort:
            school = s.schools[i]
            m = s.municipalities[school.municipality]
            r = s.regions[m.region]
            owner = Owner(
                Level.SCHOOL, school.id, school.name, school.short_name,
                school.name, r.id, m.id, _place(m), _local_roles(r, m), school.user,
                m.coordinator, s.curator_of[(i, year)], i,
            )  # fmt: skip
            title = (
                f"Дорожная карта реализации проекта «500+» {school.short_name} "
                f"на {year} год"
            )
            p.roadmap(owner, year, title, municipal_order.get(school.municipality))
            s.progress.step()
    s.flush()


def _local_roles(r, m) -> dict[str, int]:
    """Bodies a municipal or school plan's executors cells may name by role."""
    by_role = {
        "department": r.department,
        "regional_operator": r.operator,
        "municipal_authority": m.authority,
    }
    if m.centre:
        by_role["methodological_centre"] = m.centre
    return by_role


def _place(m) -> str:
    if m.kind == "urban_district":
        return "г. " + m.name.removeprefix("городской округ ")
    return ""
