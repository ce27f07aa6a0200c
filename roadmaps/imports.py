"""Saving a parsed roadmap document: order, roadmap, sections, activities.

The reader (`roadmaps.parsing`) understands the text; this module decides
which bodies it names and writes everything in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from schools.models import Municipality, Organisation, OrganisationKind, Project, Region

from .deadlines import interpret_deadline
from .derive import PlanContext, apply_derived, org_names, save_executors
from .executors import normalise_name
from .models import (
    Activity,
    Level,
    Numbering,
    Order,
    OrderClause,
    OrderReference,
    Roadmap,
    RoadmapEdition,
    Section,
)
from .parsing import ParsedDocument, ParseError, parse_document

DEFAULT_PROJECT_CODE = "500plus"


class ImportFailure(Exception):
    """A document that cannot be imported; `message` is for the user."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- reading files -------------------------------------------------------


def read_text(data: bytes, *, encoding: str = "utf-8") -> str:
    """Decode an uploaded or read text file, refusing what is not text."""
    if not data.strip():
        raise ImportFailure("empty", _("The file is empty."))
    limit = settings.ROADMAP_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFailure(
            "too_large",
            _("The file is too large: %(size)s bytes, the limit is %(limit)s.")
            % {"size": len(data), "limit": limit},
        )
    if b"\x00" in data[:65536]:
        raise ImportFailure(
            "binary",
            _(
                "The file is not text (it looks like a binary file). Copy the "
                "table from Word or a PDF into a text file, or upload the document "
                "itself."
            ),
        )
    try:
        return data.decode(
            "utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding
        )
    except (UnicodeDecodeError, LookupError) as exc:
        raise ImportFailure(
            "encoding",
            _(
                "The file is not in %(encoding)s encoding (byte %(position)s cannot "
                "be read). Save it as UTF-8, or name its encoding, e.g. "
                "--encoding cp1251."
            )
            % {"encoding": encoding, "position": getattr(exc, "start", "?")},
        ) from exc


# Zip (.xlsx, .docx) and OLE2 (.doc, .xls, encrypted Office files) headers.
OFFICE_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def parse_bytes(
    data: bytes, *, encoding: str = "utf-8", filename: str = ""
) -> ParsedDocument:
    """Read a file's bytes: Office files by their reader, text by the table
    reader; every failure becomes an ImportFailure."""
    if data[:4] in OFFICE_SIGNATURES:
        from .parsing.files import parse_file

        try:
            return parse_file(data, filename)
        except ParseError as exc:
            raise ImportFailure(exc.code, exc.message) from exc
    text = read_text(data, encoding=encoding)
    try:
        return parse_document(text)
    except ParseError as exc:
        raise ImportFailure(exc.code, exc.message) from exc


def parse_path(path: Path, *, encoding: str = "utf-8") -> ParsedDocument:
    """Read and parse a file on disk."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailure(
            "unreadable",
            _("Cannot read %(path)s: %(error)s.")
            % {"path": path, "error": exc.strerror},
        ) from exc
    if size > settings.ROADMAP_IMPORT_MAX_BYTES:
        raise ImportFailure(
            "too_large",
            _("The file is too large: %(size)s bytes, the limit is %(limit)s.")
            % {"size": size, "limit": settings.ROADMAP_IMPORT_MAX_BYTES},
        )
    return parse_bytes(path.read_bytes(), encoding=encoding, filename=path.name)


# --- understanding -------------------------------------------------------


def plan_period(document: ParsedDocument) -> tuple[date, date]:
    """The plan's period: its year from the title or the order date."""
    year = document.plan_year() or timezone.localdate().year
    return date(year, 1, 1), date(year, 12, 31)


def document_as_json(document: ParsedDocument) -> dict:
    """The reader's result plus the understood deadlines, as the CLI prints it."""
    data = document.as_json()
    period = plan_period(document)
    for section in data["sections"]:
        for activity in section["activities"]:
            deadline = interpret_deadline(
                activity["deadline_text"], year=period[0].year, period=period
            )
            activity["deadline_ranges"] = deadline.as_json()
    return data


_KIND_PATTERNS: list[tuple[str, str]] = [
    (r"департамент|министерств", OrganisationKind.REGIONAL_AUTHORITY),
    (
        r"институт\w* развития образования|\bиро\b|\bсоиро\b",
        OrganisationKind.REGIONAL_OPERATOR,
    ),
    (
        r"отдел\w* образования|управлени\w* образования|комитет\w* по образованию",
        OrganisationKind.MUNICIPAL_AUTHORITY,
    ),
    (
        r"методическ\w* центр|\bмоц\b|центр мониторинга",
        OrganisationKind.METHODOLOGICAL_CENTRE,
    ),
    (r"\b(м[бк]?оу|гбоу|оу)\b|школ|гимнази|лице", OrganisationKind.SCHOOL),
    (r"администраци", OrganisationKind.MUNICIPAL_ADMINISTRATION),
]

# The first word of a body named in a signatory's position is in the genitive.
_GENITIVE_HEADS = {
    "отдела": "Отдел",
    "управления": "Управление",
    "комитета": "Комитет",
    "департамента": "Департамент",
    "министерства": "Министерство",
    "администрации": "Администрация",
}
_POSITION_WORDS = re.compile(
    r"^(и\.\s?о\.\s*)?(начальник\w*|председател\w*|директор\w*|руководител\w*|"
    r"министр\w*|заведующ\w*|глав\w*)\s+",
    re.IGNORECASE,
)


def guess_kind(name: str) -> str:
    """The kind of body a name most likely denotes."""
    low = normalise_name(name)
    for pattern, code in _KIND_PATTERNS:
        if re.search(pattern, low):
            return code
    return OrganisationKind.PARTNER


def body_name_from_position(position: str) -> str | None:
    """«Начальник отдела образования администрации …» → «Отдел образования …»."""
    text = " ".join(position.split())
    m = _POSITION_WORDS.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    head, _sep, tail = rest.partition(" ")
    nominative = _GENITIVE_HEADS.get(head.lower())
    if not nominative:
        return None
    return f"{nominative} {tail}".strip()


def _stem(word: str) -> str:
    word = normalise_name(word)
    return word[:-2] if len(word) > 5 else word


def guess_territory(text: str) -> tuple[Region | None, Municipality | None]:
    """Find the region and municipality a body's name mentions."""
    low = normalise_name(text)
    region = None
    for candidate in Region.objects.all():
        if _stem(candidate.name.split()[0]) in low:
            region = candidate
            break
    municipality = None
    municipalities = Municipality.objects.select_related("region")
    if region is not None:
        municipalities = municipalities.filter(region=region)
    for candidate in municipalities:
        words = [w for w in re.findall(r"[\w-]+", candidate.name) if len(w) > 3]
        if words and all(_stem(w) in low for w in words[:1]):
            municipality = candidate
            region = candidate.region
            break
    return region, municipality


def organisation_find(text: str) -> Organisation | None:
    """A registered body whose name or alias the text names."""
    target = normalise_name(text)
    if not target:
        return None
    for org in Organisation.objects.all().only("pk", "name", "short_name", "aliases"):
        for name in org_names(org):
            n = normalise_name(name)
            if n and (n == target or (len(n) > 12 and n in target)):
                return org
    return None


@dataclass
class ResolvedOwner:
    organisation: Organisation
    created: bool
    warnings: list[str] = field(default_factory=list)


def resolve_owner(
    document: ParsedDocument, *, body: Organisation | None
) -> ResolvedOwner:
    """The body that owns the plan: given, named in the header, or created."""
    if body is not None:
        return ResolvedOwner(body, created=False)
    order = document.order
    named = None
    if order is not None:
        if order.issuer:
            named = " ".join(order.issuer.split())
        elif order.signatory_position:
            named = body_name_from_position(order.signatory_position)
    if not named:
        raise ImportFailure(
            "no_body",
            _(
                "The document names no issuing body. Choose the body that owns "
                "the plan (--body ID)."
            ),
        )
    found = organisation_find(named)
    if found is not None:
        return ResolvedOwner(found, created=False)
    region, municipality = guess_territory(named)
    kind = OrganisationKind.objects.get(code=guess_kind(named))
    warnings = []
    needs_municipality = kind.level in (
        OrganisationKind.Level.MUNICIPAL,
        OrganisationKind.Level.SCHOOL,
    )
    if (needs_municipality and municipality is None) or region is None:
        warnings.append(
            _(
                "The body «%(name)s» was not registered; it was created without "
                "a territory, so only federal observers see its plan until an "
                "administrator places it in its region and municipality."
            )
            % {"name": named}
        )
    org = Organisation.objects.create(
        kind=kind, name=named[:500], region=region, municipality=municipality
    )
    return ResolvedOwner(org, created=True, warnings=warnings)


LEVEL_OF_KIND_LEVEL = {
    OrganisationKind.Level.REGIONAL: Level.REGIONAL,
    OrganisationKind.Level.FEDERAL: Level.REGIONAL,
    OrganisationKind.Level.MUNICIPAL: Level.MUNICIPAL,
    OrganisationKind.Level.SCHOOL: Level.SCHOOL,
}


def search_text_for(roadmap: Roadmap) -> str:
    owner = roadmap.owner
    parts = [roadmap.title, owner.name, owner.short_name, *(owner.aliases or [])]
    return " ".join(normalise_name(p) for p in parts if p)


# --- what fits the database ----------------------------------------------


def _limited_texts(document: ParsedDocument):
    """(text, model, field name, line) of each read text kept in a field of
    limited length; line is None for the order's header."""
    for section in document.sections:
        yield section.number or "", Section, "number", section.line
        for activity in section.activities:
            yield activity.number or "", Activity, "number", activity.line
            yield activity.deadline_text, Activity, "deadline_text", activity.line
    order = document.order
    if order is None:
        return
    for name in (
        "kind_text",
        "number",
        "date_text",
        "place",
        "signatory_position",
        "signatory_name",
    ):
        yield getattr(order, name) or "", Order, name, None
    clauses = list(order.clauses)
    while clauses:
        clause = clauses.pop()
        clauses.extend(clause.children)
        yield clause.number, OrderClause, "number", None
    for reference in [*order.references, *filter(None, [order.amends])]:
        yield reference.issuer or "", OrderReference, "issuer_text", None
        yield reference.number or "", OrderReference, "number", None


def check_fits(document: ParsedDocument) -> None:
    """Refuse, before anything is written, a text longer than its field: the
    database would refuse it in the middle of the import."""
    for text, model, name, line in _limited_texts(document):
        field = model._meta.get_field(name)
        if len(text) <= field.max_length:
            continue
        params = {
            "line": line,
            "text": text[:40],
            "field": field.verbose_name,
            "length": len(text),
            "limit": field.max_length,
        }
        if line is None:
            message = _(
                "The order's header: «%(text)s…» is too long for the field "
                "«%(field)s» (%(length)s characters, at most %(limit)s). Shorten "
                "it in the document and import it again."
            )
        else:
            message = _(
                "Line %(line)s: «%(text)s…» is too long for the field «%(field)s» "
                "(%(length)s characters, at most %(limit)s). Shorten it in the "
                "document and import it again."
            )
        raise ImportFailure("too_long", message % params)


# --- writing -------------------------------------------------------------


def _clauses(order: Order, clauses, parent=None, counter=None) -> list[OrderClause]:
    counter = counter if counter is not None else [0]
    for clause in clauses:
        counter[0] += 1
        row = OrderClause.objects.create(
            order=order,
            parent=parent,
            position=counter[0],
            number=clause.number,
            text=clause.text,
        )
        _clauses(order, clause.children, parent=row, counter=counter)


def registered_order(*, date_: date | None, number: str | None) -> Order | None:
    """An order in the registry with this date and number."""
    if not date_ or not number:
        return None
    return Order.objects.filter(date=date_, number=number).first()


def order_create_from_document(
    *, document: ParsedDocument, issuer: Organisation
) -> Order:
    """Register the order the document starts with."""
    parsed = document.order
    if parsed.date is None or not parsed.number:
        raise ImportFailure(
            "order_incomplete",
            _("The order's date or number cannot be read from its header."),
        )
    if Order.objects.filter(
        issuer=issuer, date__year=parsed.date.year, number=parsed.number
    ).exists():
        raise ImportFailure(
            "order_exists",
            _("Order No. %(number)s of %(year)s of this body is already registered.")
            % {"number": parsed.number, "year": parsed.date.year},
        )
    order = Order.objects.create(
        issuer=issuer,
        issuer_text=parsed.issuer or "",
        kind_text=parsed.kind_text or "ПРИКАЗ",
        number=parsed.number,
        date=parsed.date,
        date_text=parsed.date_text or "",
        place=parsed.place or "",
        title=parsed.title or "",
        preamble=parsed.preamble or "",
        signatory_position=parsed.signatory_position or "",
        signatory_name=parsed.signatory_name or "",
    )
    _clauses(order, parsed.clauses)
    references = [(OrderReference.Relation.BASIS, r) for r in parsed.references]
    if parsed.amends is not None:
        references.append((OrderReference.Relation.AMENDS, parsed.amends))
    based_on = []
    for position, (relation, ref) in enumerate(references, start=1):
        target = registered_order(date_=ref.date, number=ref.number)
        OrderReference.objects.create(
            order=order,
            relation=relation,
            position=position,
            text=ref.text,
            issuer_text=ref.issuer or "",
            date=ref.date,
            number=ref.number or "",
            title=ref.title or "",
            target=target,
        )
        if target is not None:
            if relation == OrderReference.Relation.AMENDS:
                order.amends = target
            else:
                based_on.append(target)
    if order.amends_id:
        order.save(update_fields=["amends"])
    if based_on:
        order.based_on.add(*based_on)
    return order


def detect_numbering(document: ParsedDocument) -> str:
    """The numbering style the document uses, so that edits keep it."""
    if not any(c.key == "number" for c in document.columns):
        return Numbering.NONE
    numbers = [a.number for a in document.activities() if a.number]
    if any(re.fullmatch(r"\d+\.\d+\.?", n) for n in numbers):
        return Numbering.SECTIONS
    if numbers and all(re.fullmatch(r"\d+", n) for n in numbers):
        return Numbering.FLAT_PLAIN
    return Numbering.FLAT


def _activity_rows(
    *, edition: RoadmapEdition, document: ParsedDocument, ctx: PlanContext, by=None
) -> None:
    activities: list[Activity] = []
    position = 0
    for s_position, parsed_section in enumerate(document.sections, start=1):
        section = None
        if parsed_section.title is not None:
            section = Section.objects.create(
                edition=edition,
                position=s_position,
                number=parsed_section.number or "",
                title=parsed_section.title,
            )
        for parsed in parsed_section.activities:
            position += 1
            activity = Activity(
                edition=edition,
                section=section,
                position=position,
                number=parsed.number or "",
                title=parsed.title,
                description=parsed.description,
                deadline_text=parsed.deadline_text,
                responsible_text=parsed.responsible,
                indicator_text=parsed.indicator,
            )
            apply_derived(activity, ctx)
            activities.append(activity)
    activities = bulk_create_with_history(activities, Activity, default_user=by)
    save_executors(activities, ctx)


@dataclass
class ImportResult:
    edition: RoadmapEdition
    order: Order | None
    owner_created: bool
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def roadmap_import_document(
    *,
    document: ParsedDocument,
    body: Organisation | None = None,
    project: Project | None = None,
    by=None,
) -> ImportResult:
    """Save a parsed document as a draft roadmap (and its order), all or nothing."""
    if by is not None and body is not None:
        from schools.access import Refused, can

        if not can(by, "create_roadmap", body):
            raise Refused("not_editor")
    check_fits(document)
    resolved = resolve_owner(document, body=body)
    owner = resolved.organisation
    if project is None:
        project = Project.objects.get(code=DEFAULT_PROJECT_CODE)
    period = plan_period(document)
    order = None
    if document.order is not None:
        order = order_create_from_document(document=document, issuer=owner)
    title = document.title or (document.order.title if document.order else "") or ""
    if not title:
        # A pasted table alone has no title: name the plan after its body.
        title = _("Roadmap of %(body)s for %(year)s") % {
            "body": owner.display_name,
            "year": period[0].year,
        }
    kind = owner.kind
    roadmap = Roadmap.objects.create(
        owner=owner,
        level=LEVEL_OF_KIND_LEVEL[kind.level],
        region_id=owner.region_id,
        municipality_id=owner.municipality_id,
        project=project,
        title=title,
        period_start=period[0],
        period_end=period[1],
        created_by=by,
    )
    appendix = document.order.appendix if document.order else None
    edition = RoadmapEdition.objects.create(
        roadmap=roadmap,
        number=1,
        status=RoadmapEdition.Status.DRAFT,
        columns=[
            {"key": str(c.key), "header": c.header}
            for c in document.columns
            if str(c.key) != "ignore"
        ],
        appendix_text=appendix.text if appendix else "",
        numbering=detect_numbering(document),
        # The document's own order travels with the draft: it is printed with
        # the plan and offered when the plan is approved.
        approving_order=order,
    )
    _activity_rows(
        edition=edition,
        document=document,
        ctx=PlanContext.for_owner(owner, period),
        by=by,
    )
    roadmap.latest_edition = edition
    roadmap.search_text = search_text_for(roadmap)
    roadmap.save(update_fields=["latest_edition", "search_text"])
    return ImportResult(
        edition=edition,
        order=order,
        owner_created=resolved.created,
        warnings=resolved.warnings,
    )


@transaction.atomic
def roadmap_import_edition(
    *, document: ParsedDocument, roadmap: Roadmap, by
) -> RoadmapEdition:
    """Save a read document as the next edition (a draft) of an approved plan.

    Activities whose title matches one of the edition in force keep its
    lineage, so that reports and links follow them into the new edition.
    """
    from .workflow import lock_for_new_edition

    check_fits(document)
    roadmap, current, number = lock_for_new_edition(by=by, roadmap=roadmap)
    edition = RoadmapEdition.objects.create(
        roadmap=roadmap,
        number=number,
        status=RoadmapEdition.Status.DRAFT,
        replaces=current,
        columns=[{"key": str(c.key), "header": c.header} for c in document.columns],
        numbering=detect_numbering(document),
    )
    ctx = PlanContext.for_owner(
        roadmap.owner, (roadmap.period_start, roadmap.period_end)
    )
    _activity_rows(edition=edition, document=document, ctx=ctx, by=by)
    lineages = {normalise_name(a.title): a.lineage for a in current.activities.all()}
    matched = []
    for activity in edition.activities.all():
        lineage = lineages.pop(normalise_name(activity.title), None)
        if lineage is not None:
            activity.lineage = lineage
            matched.append(activity)
    Activity.objects.bulk_update(matched, ["lineage"])
    roadmap.latest_edition = edition
    roadmap.save(update_fields=["latest_edition"])
    return edition
