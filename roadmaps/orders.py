"""Orders that approve plans: numbering, the seeds' wording, registration."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.access import Refused, scope_for
from schools.models import Organisation, Role

from .models import Level, Order, OrderClause, OrderReference, RoadmapEdition

_NUMBER = re.compile(r"^(\d+)(.*)$")


def order_suggest_number(*, issuer: Organisation, year: int) -> str:
    """The next free number of the body's orders in the year («43» → «44»,
    «421-ОД» → «422-ОД»), keeping the suffix the body uses."""
    numbers = list(
        Order.objects.filter(issuer=issuer, year=year).values_list("number", flat=True)
    )
    best, suffix = 0, ""
    for number in numbers:
        m = _NUMBER.match(number.strip())
        if m and int(m.group(1)) >= best:
            best, suffix = int(m.group(1)), m.group(2)
    taken = set(numbers)
    candidate = best + 1
    while f"{candidate}{suffix}" in taken:
        candidate += 1
    return f"{candidate}{suffix}"


PLAN_WORDS = {
    # (the plan as the title names it, the plan in the accusative for clause 1)
    Level.REGIONAL: (
        "плана-графика («дорожной карты») реализации проекта «500+»",
        "план-график («дорожную карту») реализации проекта «500+»",
    ),
    Level.MUNICIPAL: (
        "муниципальной «дорожной карты» реализации проекта «500+»",
        "муниципальную «дорожную карту» реализации проекта «500+»",
    ),
    Level.SCHOOL: (
        "школьной «дорожной карты» реализации проекта «500+»",
        "школьную «дорожную карту» реализации проекта «500+»",
    ),
}


def order_defaults(*, edition: RoadmapEdition, issuer: Organisation) -> dict:
    """The order as the seeds word it, for the approval form to start from."""
    roadmap = edition.roadmap
    genitive, accusative = PLAN_WORDS[roadmap.level]
    owner = roadmap.owner.name_genitive or roadmap.owner.display_name
    year = roadmap.period_start.year
    replaced = edition.replaces.approving_order if edition.replaces_id else None
    if replaced is not None:
        title = f"О внесении изменения в {accusative} {owner} на {year} год"
        first = (
            f"Внести в {accusative} {owner} на {year} год, утвержденный приказом "
            f"{replaced.issuer.genitive} от {replaced.date:%d.%m.%Y} № "
            f"{replaced.number}, изменение, изложив его в новой редакции (приложение)."
        )
    else:
        title = f"Об утверждении {genitive} {owner} на {year} год"
        first = f"Утвердить {accusative} {owner} на {year} год (приложение)."
    last = (
        Order.objects.filter(issuer=issuer)
        .exclude(signatory_name="")
        .order_by("-date", "-pk")
        .first()
    )
    return {
        "issuer": issuer,
        "date": timezone.localdate(),
        "number": order_suggest_number(issuer=issuer, year=timezone.localdate().year),
        "place": last.place if last else "",
        "title": title,
        "preamble": "",
        "clauses": "\n".join(
            [
                f"1. {first}",
                "2. Контроль за исполнением настоящего приказа оставляю за собой.",
            ]
        ),
        "signatory_position": last.signatory_position if last else "",
        "signatory_name": last.signatory_name if last else "",
    }


def citation(order: Order) -> str:
    """«приказ отдела образования … от 05.03.2021 № 43»."""
    return f"приказ {order.issuer.genitive} от {order.date:%d.%m.%Y} № {order.number}"


def preamble_for(orders: list[Order]) -> str:
    """«На основании приказа … от … № … «…»» for the orders a new one rests on."""
    parts = [
        f"приказа {o.issuer.genitive} от {o.date:%d.%m.%Y} № {o.number} «{o.title}»"
        for o in orders
    ]
    if not parts:
        return ""
    return "На основании " + ", ".join(parts)


_CLAUSE = re.compile(r"^\s*[-–]?\s*(\d+(?:\.\d+)*\.?)\s*(.*)$")


def parse_clauses(text: str) -> list[tuple[str, str, str | None]]:
    """Lines «1. …», «2.1. …» → (number, text, parent number)."""
    clauses = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = _CLAUSE.match(line)
        if m and m.group(2):
            number = m.group(1)
            parts = number.rstrip(".").split(".")
            parent = ".".join(parts[:-1]) + "." if len(parts) > 1 else None
            clauses.append((number, m.group(2), parent))
        elif clauses:
            n, t, p = clauses[-1]
            clauses[-1] = (n, f"{t} {line}", p)
        else:
            clauses.append(("", line, None))
    return clauses


def order_issuers(*, user, edition: RoadmapEdition) -> list[Organisation]:
    """Bodies whose order may approve this plan: its owner, the approver's body."""
    roadmap = edition.roadmap
    scope = scope_for(user)
    own_ids = {
        org
        for role, org, region, municipality in scope.memberships
        if org is not None
        and role
        in (Role.MUNICIPAL_COORDINATOR, Role.REGIONAL_STAFF, Role.REGIONAL_COORDINATOR)
        and (region == roadmap.region_id)
    }
    others = Organisation.objects.filter(pk__in=own_ids - {roadmap.owner_id})
    return [roadmap.owner, *others.order_by("name")]


@transaction.atomic
def order_register(
    *,
    by,
    edition: RoadmapEdition,
    issuer: Organisation,
    number: str,
    date_: date,
    title: str,
    preamble: str = "",
    clauses: str = "",
    signatory_position: str = "",
    signatory_name: str = "",
    place: str = "",
    based_on: list[Order] = (),
) -> Order:
    """Register the order approving an edition (signed when the plan is approved)."""
    if issuer.pk not in {b.pk for b in order_issuers(user=by, edition=edition)}:
        raise Refused("not_issuer")
    errors = {}
    number = " ".join((number or "").split())
    if not number:
        errors["number"] = ValidationError(
            _("Give the order's number."), code="required"
        )
    if not (title or "").strip():
        errors["title"] = ValidationError(_("Give the order's title."), code="required")
    if not parse_clauses(clauses):
        errors["clauses"] = ValidationError(
            _("An order needs at least one clause."), code="required"
        )
    if (
        not errors
        and Order.objects.filter(issuer=issuer, year=date_.year, number=number).exists()
    ):
        errors["number"] = ValidationError(
            _(
                "Order No. %(number)s of %(year)s of this body is already registered; "
                "the next free number is %(free)s."
            ),
            code="number_taken",
            params={
                "number": number,
                "year": date_.year,
                "free": order_suggest_number(issuer=issuer, year=date_.year),
            },
        )
    if errors:
        raise ValidationError(errors)
    replaced = edition.replaces.approving_order if edition.replaces_id else None
    try:
        with transaction.atomic():
            order = Order.objects.create(
                issuer=issuer,
                issuer_text=issuer.name.upper(),
                number=number,
                date=date_,
                place=place.strip(),
                title=title.strip(),
                preamble=(preamble or "").strip(),
                signatory_position=signatory_position.strip(),
                signatory_name=signatory_name.strip(),
                amends=replaced,
            )
    except IntegrityError as exc:
        # Two people took the same number at the same moment.
        raise ValidationError(
            {
                "number": ValidationError(
                    _("This number was just taken."), code="number_taken"
                )
            }
        ) from exc
    by_number: dict[str, OrderClause] = {}
    for position, (clause_number, text, parent) in enumerate(
        parse_clauses(clauses), start=1
    ):
        by_number[clause_number] = OrderClause.objects.create(
            order=order,
            parent=by_number.get(parent) if parent else None,
            position=position,
            number=clause_number,
            text=text,
        )
    for position, basis in enumerate(based_on, start=1):
        OrderReference.objects.create(
            order=order,
            position=position,
            text=citation(basis),
            issuer_text=basis.issuer.name,
            date=basis.date,
            number=basis.number,
            title=basis.title,
            target=basis,
        )
    if based_on:
        order.based_on.add(*based_on)
    if replaced is not None:
        OrderReference.objects.create(
            order=order,
            relation=OrderReference.Relation.AMENDS,
            position=len(based_on) + 1,
            text=citation(replaced),
            issuer_text=replaced.issuer.name,
            date=replaced.date,
            number=replaced.number,
            title=replaced.title,
            target=replaced,
        )
    return order


@transaction.atomic
def edition_approve_with_order(*, by, edition: RoadmapEdition, comment="", **order):
    """Register the approving order and approve the edition, all or nothing."""
    from .workflow import edition_approve

    registered = order_register(by=by, edition=edition, **order)
    return edition_approve(by=by, edition=edition, order=registered, comment=comment)
